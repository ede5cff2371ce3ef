"""Faults: the server killed mid-load, the database gone. Acknowledged answers stay, exactly once;
nobody sees a trace."""
import datetime as dt
import logging

import pytest
import sqlalchemy as sa

from benchmarks import load
from survey import create_app
from survey.db import db
from survey.db.models import Answer
from survey.staff import demo
from tests.server import Gunicorn, free_port

pytestmark = pytest.mark.server  # a real gunicorn, killed and started again


def test_sigkill_in_the_middle_of_answering_loses_and_duplicates_nothing(app, database_url, tmp_path):
    with app.app_context():
        demo.create_demo(dt.date.today(), ["user"])
    server = Gunicorn(database_url, tmp_path / "server.log", secret=load.SECRET, SURVEY_WORKERS="2",
                      SURVEY_ACCESS_LOG="/dev/null", SURVEY_OPEN_LINK_STARTS=load.ONE_ADDRESS).start()
    engine = sa.create_engine(database_url)

    def answered(least: int) -> bool:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM answer")).scalar() >= least

    try:
        # Whole questionnaires, however slow the machine: every tablet completes two; the kill comes when 40 answers
        # are stored (while ten tablets keep sending), not after a time.
        tally, _ = load.run_tablets(server, tablets=10, each=2, kill_when=lambda: answered(40), processes=2)
    finally:
        server.stop()
        engine.dispose()
    faults = load.verify(database_url, tally)
    assert tally.cut_off > 0, "the kill did not cut off any request"
    assert len(tally.completed) == 20 and len(tally.answers) == 20 * len(load.questions())
    assert faults == dict.fromkeys(faults, 0)
    assert tally.server_errors == [] and tally.unexpected == [] and tally.gave_up == 0


def fail_every_statement(*_args, **_kwargs):
    raise sa.exc.OperationalError("SELECT …", {}, ConnectionRefusedError("the database server is down"))


def test_database_going_away_gives_try_again_soon_page_logs_it_and_keeps_stored_answers(respondent, app, caplog):
    respondent.start()
    respondent.answer(1, "yes")
    respondent.answer(2, "no")
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", fail_every_statement)
    try:
        with caplog.at_level(logging.ERROR, logger="survey.web.errors"):
            page = respondent.get("/r/3")
            refused = respondent.post("/r/3", {"answer": "yes"})
    finally:
        sa.event.remove(engine, "before_cursor_execute", fail_every_statement)
    for response in (page, refused):
        text = response.get_data(as_text=True)
        assert response.status_code == 503 and "Försök igen om en stund" in text and "Traceback" not in text
    assert [r.getMessage() for r in caplog.records] == ["database error: OperationalError"] * 2
    assert respondent.answer(3, "yes").status_code == 302  # back again: answering goes on
    with app.app_context():
        assert sorted(db.session.scalars(sa.select(Answer.option))) == ["no", "yes", "yes"]


@pytest.mark.parametrize("unreachable", [
    "postgresql+psycopg://postgres@127.0.0.1:{port}/test?connect_timeout=2",
    "sqlite:////nonexistent-directory-{port}/survey.sqlite",
])
def test_database_that_cannot_be_reached_gives_the_easy_read_page(unreachable, caplog):
    app = create_app({"SECRET_KEY": "test", "DATABASE_URL": unreachable.format(port=free_port())})
    with caplog.at_level(logging.ERROR, logger="survey.web.errors"):
        response = app.test_client().get("/u/bjorken", headers={"Accept-Language": "en"})
    text = response.get_data(as_text=True)
    assert response.status_code == 503 and "Please try again soon" in text and "Traceback" not in text
    assert "database error: OperationalError" in caplog.text
    with app.app_context():
        db.engine.dispose()


def test_answering_goes_on_when_postgresql_drops_the_connections(respondent, app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's server ends the connections here")
    respondent.start()
    respondent.answer(1, "yes")
    with app.app_context():
        pooled = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        assert db.engine.pool.checkedout() == 1 and db.engine.pool.checkedin() == 0  # the only connection
    admin = sa.create_engine(database_url)
    with admin.connect() as connection:  # as a restart of the database server would
        assert connection.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pooled})
    admin.dispose()
    assert respondent.get("/r/2").status_code == 200  # the pool tested the connection and made a new one
    assert respondent.answer(2, "no").status_code == 302
    with app.app_context():
        assert sorted(db.session.scalars(sa.select(Answer.option))) == ["no", "yes"]
