"""survey/gunicorn_conf.py loads the app in gunicorn's master and forks the workers from it: loading must open no
database connection, or the workers would share one."""
import sqlalchemy as sa
from sqlalchemy.pool import Pool

from survey import create_app
from survey.db import db


def test_loading_the_app_connects_to_no_database(database_url, tmp_path):
    connected = []

    def count(*_args):
        connected.append(1)

    sa.event.listen(Pool, "connect", count)
    try:
        app = create_app({"SECRET_KEY": "test", "DATABASE_URL": database_url, "SPEECH_DIR": str(tmp_path)})
        assert connected == []
        with app.app_context():  # the listener does hear a connection (the assertion above can fail)
            db.session.execute(sa.text("SELECT 1"))
            db.session.remove()
            db.engine.dispose()
        assert connected == [1]
    finally:
        sa.event.remove(Pool, "connect", count)
