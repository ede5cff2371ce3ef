"""The deployment of deploy/: nginx (the site as installed, HTTPS with a self-signed certificate) in front of two
gunicorn instances on one PostgreSQL database, sharing Redis.

Answers of 100 tablets through nginx survive one instance killed with SIGKILL and started again (every acknowledged
answer stored exactly once; the only server errors are the 502s nginx's retry policy gives requests cut off inside
the killed instance); the code-guess limit holds exactly across the instances; a logged-out session is refused on
both; a draft published through one instance is answered on the other, and a speech clip made through one is served
by the other. Each instance has its own copy of the shipped questionnaire folder: nothing is shared but the
database and Redis."""
import datetime as dt
import re
from contextlib import ExitStack

import pytest
import requests
import sqlalchemy as sa

from benchmarks import load
from survey.staff import demo
from tests.helpers import PASSWORD, csrf_token, make_account, questionnaire_copy
from tests.server import Gunicorn, nginx_proxy, redis_server, self_signed_certificate
from tests.speech.helpers import CLIP_URL

pytestmark = pytest.mark.server  # nginx, two gunicorn instances and redis-server on loopback ports

TABLETS = 100


class Deployment:
    """Two instances behind nginx; `url` is nginx's. Kill (SIGKILL) and start the first as load.run_tablets asks."""

    def __init__(self, urls: dict[str, str], instances: list[Gunicorn]):
        self.url, self.redirect, self.instances = urls["https"], urls["redirect"], instances

    def kill9(self) -> None:
        self.instances[0].kill9()

    def start(self) -> None:
        self.instances[0].start()


@pytest.fixture
def deployment(app, database_url, tmp_path, monkeypatch):
    """Start Redis, two instances on the test's PostgreSQL database (each with its own questionnaire folder and clip
    folder) and nginx in front over HTTPS, with the demo units; clients here trust its certificate."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the deployment runs on PostgreSQL (make test-postgres)")
    with app.app_context():
        demo.create_demo(dt.date.today(), ["user"])
    certificate, key = self_signed_certificate(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate))  # requests (and the tablets' processes) trust it
    with ExitStack() as stack:
        redis_url = stack.enter_context(redis_server(tmp_path))
        instances = [Gunicorn(database_url, tmp_path / f"instance{i}.log", secret=load.SECRET, SURVEY_WORKERS="2",
                              SURVEY_REDIS_URL=redis_url, SURVEY_TRUSTED_PROXIES="1",
                              SURVEY_PUBLIC_URL="http://enkat.kommun.example", SURVEY_OPEN_LINK_STARTS=load.ONE_ADDRESS,
                              SURVEY_QUESTIONNAIRE_DIR=str(questionnaire_copy(tmp_path / f"machine{i}")),
                              SURVEY_SPEECH_DIR=str(tmp_path / f"machine{i}" / "speech"))
                     for i in (1, 2)]
        for instance in instances:
            instance.start()
            stack.callback(instance.stop)
        urls = stack.enter_context(nginx_proxy(tmp_path, [instance.url.removeprefix("http://")
                                                          for instance in instances], certificate, key))
        yield Deployment(urls, instances)


def test_answers_through_nginx_survive_an_instance_killed_and_started_again(deployment, database_url):
    engine = sa.create_engine(database_url)

    def answered(least: int) -> bool:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM answer")).scalar() >= least

    try:
        # Each tablet completes two questionnaires whatever the machine's speed; the kill comes at 60 stored answers.
        tally, _ = load.run_tablets(deployment, tablets=TABLETS, each=2, kill_when=lambda: answered(60), processes=2)
    finally:
        engine.dispose()
    assert deployment.instances[0].log.read_text().count("Starting gunicorn") == 2  # killed and started again
    faults = load.verify(database_url, tally)
    assert faults == dict.fromkeys(faults, 0)
    assert len(tally.completed) == 2 * TABLETS and len(tally.answers) == 2 * TABLETS * len(load.questions())
    assert tally.unexpected == [] and tally.gave_up == 0
    # The retry policy: a request cut off inside the killed instance is answered 502 by nginx (a POST is never
    # sent twice by nginx); the tablet sends it again. At most one such request per tablet, nothing else.
    errors = tally.server_errors
    assert {status for status, _ in errors} <= {502} and len(errors) <= TABLETS, errors


def log_in(base: str, email: str) -> requests.Session:
    """Log in through the form at this address; return the browser."""
    browser = requests.Session()
    page = browser.get(f"{base}/staff/login").text
    browser.post(f"{base}/staff/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(page)})
    return browser


def test_limits_and_logouts_hold_across_the_instances_behind_nginx(deployment, app):
    moved = requests.get(f"{deployment.redirect}/u/bjorken/user?lang=sv", allow_redirects=False, timeout=30)
    assert moved.status_code == 301 and moved.headers["Location"] == "https://enkat.kommun.example/u/bjorken/user?lang=sv"
    guesses = requests.Session()
    statuses = [guesses.get(f"{deployment.url}/c", params={"code": "ABCD-EFGH"}, allow_redirects=False).status_code
                for _ in range(30)]
    assert statuses == [404] * 20 + [429] * 10
    for instance in deployment.instances:  # both instances took guesses: the count was shared through Redis
        assert re.search(r'"GET /c" (404|429)', instance.log.read_text())

    browser = log_in(deployment.url, make_account(app, "administrator"))
    cookie = browser.cookies.get("session")
    for instance in deployment.instances:
        accepted = requests.get(f"{instance.url}/staff/", cookies={"session": cookie}, allow_redirects=False,
                                timeout=30)
        assert accepted.status_code == 200
    page = browser.get(f"{deployment.url}/staff/").text
    browser.post(f"{deployment.url}/staff/logout", data={"csrf_token": csrf_token(page)})
    for instance in deployment.instances:
        replayed = requests.get(f"{instance.url}/staff/", cookies={"session": cookie}, allow_redirects=False,
                                timeout=30)
        assert replayed.status_code == 302 and replayed.headers["Location"].startswith("/staff/login")


def test_a_draft_published_through_one_instance_is_answered_on_the_other(deployment, app, database_url):
    first, second = (instance.url for instance in deployment.instances)
    editor = log_in(first, make_account(app, "administrator"))
    page = editor.get(f"{first}/editor/").text
    assert editor.post(f"{first}/editor/user/drafts", data={"csrf_token": csrf_token(page)}).ok
    page = editor.get(f"{first}/editor/user/v2").text
    editor.post(f"{first}/editor/user/v2/publish", data={"confirm": "yes", "csrf_token": csrf_token(page)})
    respondent = requests.Session()
    page = respondent.get(f"{second}/u/{load.SLUGS[0]}/user?lang=sv").text
    started = respondent.post(f"{second}/u/{load.SLUGS[0]}/user", data={"lang": "sv", "csrf_token": csrf_token(page)},
                              allow_redirects=False)
    assert started.status_code == 302
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT questionnaire_version FROM response")).scalars().all() == [2]
    engine.dispose()


def test_a_clip_made_through_one_instance_is_served_by_the_other_from_the_database(deployment, database_url, tmp_path):
    first, second = (instance.url for instance in deployment.instances)
    page = requests.get(f"{deployment.url}/u/{load.SLUGS[0]}/user?lang=sv", timeout=120).text
    url = CLIP_URL.search(page)
    if url is None:
        pytest.skip("no speech engine here: pages use the browser's own speech")
    made = requests.get(f"{first}{url.group(1)}", timeout=120)
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT key FROM speech_clip")).scalars().all() == [url.group(2)]
    engine.dispose()
    served = requests.get(f"{second}{url.group(1)}", timeout=120)
    assert made.status_code == served.status_code == 200 and served.content == made.content
    assert (tmp_path / "machine2" / "speech" / url.group(2)[:2] / f"{url.group(2)}.mp3").is_file()
