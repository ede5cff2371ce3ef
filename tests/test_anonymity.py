"""Anonymity, proven on the real server: nothing about the client reaches the database or the logs."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from requests.adapters import HTTPAdapter

from survey.db import db
from tests.conftest import csrf_token, make_unit

ROOT = Path(__file__).resolve().parent.parent
CLIENT_IP = "127.0.0.77"           # a loopback address of its own, so it cannot be confused with the server's
FORWARDED_IP = "203.0.113.99"      # a documentation address, sent as if from a proxy
USER_AGENT = "ProbeTablet/7.7 (anonymity-test-9f3c)"


class FromAddress(HTTPAdapter):
    """Send requests from a chosen local address."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (CLIENT_IP, 0)
        super().init_poolmanager(*args, **kwargs)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(app, database_url, tmp_path):
    """The app under gunicorn with the settings `make run` uses, logging to a file."""
    make_unit(app)
    port, log = free_port(), tmp_path / "server.log"
    env = {**os.environ, "SURVEY_DATABASE_URL": database_url, "SURVEY_SECRET_KEY": "test", "SURVEY_PORT": str(port),
           "SURVEY_WORKERS": "2"}
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "survey/gunicorn_conf.py", "survey:create_app()"],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", log
    server.terminate()
    server.wait(timeout=10)


def everything_stored(app) -> str:
    """Every row of every table, as text."""
    with app.app_context():
        rows = [repr(row) for table in db.metadata.sorted_tables for row in db.session.execute(sa.select(table))]
    return "\n".join(rows)


def test_no_address_agent_or_time_of_day_is_stored_or_logged(app, gunicorn):
    base, log = gunicorn
    browser = requests.Session()
    browser.mount("http://", FromAddress())
    browser.headers.update({"User-Agent": USER_AGENT, "X-Forwarded-For": FORWARDED_IP, "X-Real-IP": FORWARDED_IP})
    page = browser.get(f"{base}/u/bjorken/user?lang=sv").text
    browser.post(f"{base}/u/bjorken/user", data={"lang": "sv", "csrf_token": csrf_token(page)})
    questions = app.extensions["survey.library"].questionnaires["user"].questions
    for position, question in enumerate(questions, start=1):
        page = browser.get(f"{base}/r/{position}").text
        data = {"csrf_token": csrf_token(page)}
        data.update({"text": "Fint"} if question.type.value == "free_text" else {"answer": question.options[0].key})
        assert browser.post(f"{base}/r/{position}", data=data, allow_redirects=False).status_code == 302
    browser.get(f"{base}/no-such-page")  # an error is logged too

    stored = everything_stored(app)
    assert "Fint" in stored and "'bjorken'" in stored  # the dump does hold the answers
    logged = log.read_text()
    assert '"POST /r/1" 302' in logged  # the access log is being written
    for secret in (CLIENT_IP, FORWARDED_IP, USER_AGENT, "ProbeTablet"):
        assert secret not in stored and secret not in logged
    assert not re.search(r"\d\d:\d\d:\d\d", stored), "a time of day is stored"
    access_lines = [line for line in logged.splitlines() if line.startswith('"')]
    assert access_lines and not any(re.search(r"\d\d:\d\d", line) for line in access_lines)


def test_response_ids_are_random_not_sequential(respondent, app):
    for _ in range(5):
        respondent.start()
    with app.app_context():
        ids = [row[0] for row in db.session.execute(sa.text("SELECT id FROM response"))]
    assert len(set(ids)) == 5 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


def test_sqlite_keeps_no_hidden_insertion_order(app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("rowid is SQLite's")
    with app.app_context():
        for table in ("response", "answer"):
            with pytest.raises(sa.exc.OperationalError, match="no such column: rowid"):
                db.session.execute(sa.text(f"SELECT rowid FROM {table}"))
            db.session.rollback()


def test_response_table_has_no_column_that_could_name_a_person(app):
    with app.app_context():
        columns = {c.name for c in db.metadata.tables["response"].columns}
    assert columns == {"id", "unit_id", "round_id", "questionnaire_id", "questionnaire_version", "language",
                       "channel", "helped", "sex", "completed", "submitted_on"}
