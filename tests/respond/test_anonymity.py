"""Anonymity, proven on the real server: nothing about the client reaches the database or the logs."""
from __future__ import annotations

import datetime as dt
import re
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from requests.adapters import HTTPAdapter

from survey.cli import main
from survey.council import store as council
from survey.db import db
from survey.db.models import Response
from survey.respond import invitations
from survey.web.redaction import redact
from tests.helpers import PASSWORD, Respondent, csrf_token, issue_codes, make_account, make_unit
from tests.server import Gunicorn

pytestmark = pytest.mark.server  # a real gunicorn on a loopback port

CLIENT_IP = "127.0.0.77"           # a loopback address of its own, so it cannot be confused with the server's
FORWARDED_IP = "203.0.113.99"      # a documentation address, sent as if from a proxy
USER_AGENT = "ProbeTablet/7.7 (anonymity-test-9f3c)"


class FromAddress(HTTPAdapter):
    """Send requests from a chosen local address."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (CLIENT_IP, 0)
        super().init_poolmanager(*args, **kwargs)


@pytest.fixture
def gunicorn(app, database_url, tmp_path):
    """The app under gunicorn with the settings `make run` uses, logging to a file."""
    make_unit(app)
    server = Gunicorn(database_url, tmp_path / "server.log", SURVEY_WORKERS="2").start()
    yield server.url, server.log
    server.stop()


def probe_browser() -> requests.Session:
    """A browser from its own loopback address with a distinctive user agent, claiming a proxy's address."""
    browser = requests.Session()
    browser.mount("http://", FromAddress())
    browser.headers.update({"User-Agent": USER_AGENT, "X-Forwarded-For": FORWARDED_IP, "X-Real-IP": FORWARDED_IP})
    return browser


# How a person reaches the questionnaire. Each returns the start page and the secrets the channel carried.
def by_unit_link(browser, base, app) -> tuple[str, list[str]]:
    return browser.get(f"{base}/u/bjorken/user?lang=sv").text, []


def by_qr_code(browser, base, app) -> tuple[str, list[str]]:
    code = issue_codes(app)[0]
    browser.get(f"{base}/c?code={code}")
    return browser.get(f"{base}/u/bjorken/user?lang=sv").text, [code, code.replace("-", "")]


def in_tablet_mode(browser, base, app) -> tuple[str, list[str]]:
    email = make_account(app, "unit_staff", f"staff-{time.monotonic_ns()}@example.org", unit_slugs=("bjorken",))
    page = browser.get(f"{base}/staff/login").text
    browser.post(f"{base}/staff/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(page)})
    page = browser.get(f"{base}/staff/tablet").text
    target = re.search(r'<option value="([0-9a-f]+/user)"', page).group(1)
    browser.post(f"{base}/staff/tablet", data={"target": target, "pin": "2468", "csrf_token": csrf_token(page)})
    browser.get(f"{base}/tablet")
    return browser.get(f"{base}/u/bjorken/user?lang=sv").text, ["2468"]


# channel stored -> how to reach it.
CHANNELS = {"link": by_unit_link, "qr": by_qr_code, "tablet": in_tablet_mode}
COUNCIL_COMMENT = "Rådet tycker att ordet är svårt"


def as_a_council_member(browser, base, app) -> str:
    """Test the questionnaire as a user council does: a test answer, feedback and a comment on every question.
    Return the council's link token (stored, as the link is, but never logged)."""
    with app.app_context():
        version = app.extensions["survey.library"].version("user", 1)
        link_token = council.create_link(version, "Brukarrådet", dt.date.today()).token
    page = browser.get(f"{base}/council/{link_token}?lang=sv").text
    browser.post(f"{base}/council/{link_token}", data={"lang": "sv", "csrf_token": csrf_token(page)})
    for position, question in enumerate(version.questions, start=1):
        token = csrf_token(browser.get(f"{base}/council/q/{position}").text)
        browser.post(f"{base}/council/q/{position}", data={"feedback": "hard", "csrf_token": token})
        answer = {"text": "Fint"} if question.type.value == "free_text" else {"answer": question.options[0].key}
        sent = browser.post(f"{base}/council/q/{position}", allow_redirects=False,
                            data={**answer, "comment": COUNCIL_COMMENT, "csrf_token": token})
        assert sent.status_code == 302
    return link_token


def answer_everything(browser, base, app, start_page: str) -> None:
    """Press Start and answer every question (the first option, or a few words)."""
    browser.post(f"{base}/u/bjorken/user", data={"lang": "sv", "csrf_token": csrf_token(start_page)})
    questions = app.extensions["survey.library"].questionnaires["user"].questions
    for position, question in enumerate(questions, start=1):
        page = browser.get(f"{base}/r/{position}").text
        data = {"csrf_token": csrf_token(page)}
        data.update({"text": "Fint"} if question.type.value == "free_text" else {"answer": question.options[0].key})
        assert browser.post(f"{base}/r/{position}", data=data, allow_redirects=False).status_code == 302


def send_malformed_requests(base: str, code: str) -> None:
    """Send requests gunicorn itself refuses (and logs), from the probe's address, carrying a code."""
    port = int(base.rsplit(":", 1)[1])
    for raw in (f"GET /c?code={code} HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
                f"GET /c?code={code} HTTP/1.1 extra\r\nHost: x\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", port), source_address=(CLIENT_IP, 0)) as conn:
            conn.sendall(raw.encode())
            conn.recv(1024)


def breach_a_rate_limit(browser, base: str) -> None:
    """Guess invitation codes until the limit answers 429: Flask-Limiter logs the key (the address) then."""
    statuses = [browser.get(f"{base}/c", params={"code": "WRONG-CODE"}, allow_redirects=False).status_code
                for _ in range(60)]  # 20 a minute per worker, 2 workers
    assert 429 in statuses


def database_dump(app, database_url: str) -> str:
    """Every row of every table, and the database's own dump (SQLite: also the raw file and its WAL)."""
    with app.app_context():
        rows = [repr(row) for table in db.metadata.sorted_tables for row in db.session.execute(sa.select(table))]
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///"))
        connection = sqlite3.connect(path)
        rows += list(connection.iterdump())
        connection.close()
        rows += [f.read_bytes().decode("latin-1") for f in path.parent.glob(path.name + "*")]
    else:
        url = sa.engine.make_url(database_url)
        schema = url.query["options"].split("=")[1]
        rows.append(subprocess.run(["pg_dump", "-h", url.host, "-p", str(url.port), "-U", url.username, "-n", schema,
                                    url.database], capture_output=True, text=True, check=True).stdout)
    return "\n".join(rows)


def test_no_address_agent_code_or_time_of_day_is_stored_or_logged_through_any_channel(app, gunicorn, database_url):
    base, log = gunicorn
    secrets = [CLIENT_IP, FORWARDED_IP, USER_AGENT, "ProbeTablet"]
    for reach in CHANNELS.values():
        browser = probe_browser()
        start_page, carried = reach(browser, base, app)
        answer_everything(browser, base, app, start_page)
        secrets += carried
    link_token = as_a_council_member(probe_browser(), base, app)  # test answers and feedback kept apart, as anonymous
    probe_browser().get(f"{base}/no-such-page")  # an error is logged too
    send_malformed_requests(base, secrets[-1 - 2])  # the QR code's code
    breach_a_rate_limit(probe_browser(), base)  # its counters hold the address, in memory only

    stored, logged = database_dump(app, database_url), log.read_text()
    with app.app_context():
        assert set(db.session.scalars(sa.select(Response.channel))) == set(CHANNELS)
    assert "Fint" in stored and "bjorken" in stored and COUNCIL_COMMENT in stored  # the dump holds the answers
    assert '"POST /r/1" 302' in logged and "Invalid request" in logged  # both logs are being written
    for secret in secrets:
        assert secret not in stored and secret not in logged, secret
    assert link_token not in logged and '"GET /council/…" 200' in logged
    assert not re.search(r"\d\d:\d\d:\d\d", stored), "a time of day is stored"
    assert not re.search(rf"(?<!\w){int(time.time()) // 10**5}\d{{5}}(?!\w)", stored), "a Unix time is stored"
    about_requests = [line for line in logged.splitlines() if re.search(r"/(u|r|c|tablet|staff)\b", line)]
    assert about_requests and not any(re.search(r"\d\d:\d\d", line) for line in about_requests)


@pytest.mark.parametrize(("line", "redacted"), [
    ('"GET /council/Ab-3_xYz" 200 512 3ms', '"GET /council/…" 200 512 3ms'),
    ('"POST /council/Ab-3_xYz?lang=sv" 302', '"POST /council/…?…" 302'),
    ('"GET /editor/links/Ab-3_xYz/poster.pdf" 200', '"GET /editor/links/…/poster.pdf" 200'),
    ('"GET /council/q/3" 200', '"GET /council/q/3" 200'),
    ('"GET /council/done" 200', '"GET /council/done" 200'),
    ('"GET /council/done-xyz" 200', '"GET /council/…" 200'),
])
def test_log_redaction_cuts_council_link_tokens(line, redacted):
    assert redact(line) == redacted


def test_log_redaction_cuts_addresses_and_query_strings():
    assert redact("Invalid request from ip=127.0.0.77: 'GET /c?code=ABCD-EFGH HTTP/1.1'") == \
        "Invalid request from ip=[address]: 'GET /c?… HTTP/1.1'"
    assert redact("from 2001:db8::1 and ::ffff:10.0.0.1") == "from [address] and [address]"


def use_codes_in_order(app, codes: list[str]) -> list[str]:
    """Let one person after another start with a code (and answer one question); return the response ids."""
    ids = []
    for code in codes:
        person = Respondent(app.test_client(), "bjorken")
        person.get(f"/c?code={code}")
        person.start()
        person.answer(1, "yes")
        with person.client.session_transaction() as session:
            ids.append(session["response"])
    return ids


def test_neither_codes_nor_responses_keep_the_order_of_use(app, runner, database_url):
    postgres = database_url.startswith("postgresql")
    make_unit(app)
    codes = issue_codes(app, count=8)
    used = [codes[i] for i in (5, 2, 7, 0, 3, 6, 1, 4)]
    started = use_codes_in_order(app, used)
    hashes = [invitations.code_hash(invitations.normalise(c), "test") for c in used]
    with app.app_context():
        physical = [h for h in db.session.scalars(sa.text("SELECT code_hash FROM invitation")) if h in hashes]
        assert physical != hashes and sorted(physical) == sorted(hashes)
        if postgres:  # every code of the round was rewritten by each use: one transaction id for all
            assert db.session.scalar(sa.text("SELECT count(DISTINCT xmin::text) FROM invitation")) == 1
            assert db.session.scalars(sa.text("SELECT id FROM response")).all() == started  # until reordered
    assert runner.invoke(main, ["reorder"]).exit_code == 0
    with app.app_context():
        assert db.session.scalars(sa.text("SELECT id FROM response")).all() == sorted(started)
        answered = db.session.scalars(sa.text("SELECT response_id FROM answer")).all()
        assert answered == sorted(answered)
        if postgres:
            for table in ("response", "answer", "invitation"):
                assert db.session.scalar(sa.text(f"SELECT count(DISTINCT xmin::text) FROM {table}")) == 1


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
        for table in ("response", "answer", "invitation"):  # still so after migrations rebuilt them
            with pytest.raises(sa.exc.OperationalError, match="no such column: rowid"):
                db.session.execute(sa.text(f"SELECT rowid FROM {table}"))
            db.session.rollback()


def test_response_table_has_no_column_that_could_name_a_person_or_a_day(app):
    with app.app_context():
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("response")}  # the migrated table
    assert columns == {"id", "unit_id", "round_id", "questionnaire_id", "questionnaire_version", "language",
                       "channel", "helped", "sex", "completed", "held"}
