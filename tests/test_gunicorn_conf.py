"""survey/gunicorn_conf.py loads the app in gunicorn's master and forks the workers from it: no database connection may
cross the fork, or the workers would share one."""
from types import SimpleNamespace

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


def test_the_master_compares_the_questionnaires_once_before_forking_and_keeps_no_connection(app):
    """when_ready brings the master's questionnaires to the database's revision, so that no forked worker loads them
    again at its first request, and closes its connection before the first fork."""
    from survey import gunicorn_conf
    from survey.questionnaires import drafts, store
    with app.app_context():
        store.bump()  # as a publish through another instance does
        db.session.commit()
        moved = store.revision()
        db.session.remove()
    assert app.extensions[drafts.STAMP] != moved
    gunicorn_conf.when_ready(SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app)))
    assert app.extensions[drafts.STAMP] == moved
    with app.app_context():
        assert db.engine.pool.checkedin() == db.engine.pool.checkedout() == 0
