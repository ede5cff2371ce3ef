"""Fixtures: an app on a fresh database (SQLite, or PostgreSQL when SURVEY_TEST_DATABASE_URL is set),
a client, and for browser tests the app on a real HTTP server with Debian's Chromium.
Builders are in tests/helpers.py."""
from __future__ import annotations

import os
import secrets
import threading

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from survey.db import db
from survey.db.models import Area, Unit
from tests.browsers import CHROMIUM_ARGS
from tests.helpers import Respondent, add_response, make_unit, migrated_app, questionnaire_copy, release
from tests.server import QuietHandler, closing_on_drop

PG_URL = os.environ.get("SURVEY_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def pg_schema_url():
    """A private schema on the PostgreSQL server for this test run, dropped afterwards."""
    if not PG_URL:
        yield None
        return
    schema = f"test_{secrets.token_hex(4)}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(pg_schema_url, tmp_path):
    return pg_schema_url or f"sqlite:///{tmp_path / 'survey.sqlite'}"


@pytest.fixture
def app(database_url, tmp_path):
    """The app on a migrated, empty database, with an empty speech clip cache."""
    app = migrated_app(database_url, SPEECH_DIR=str(tmp_path / "speech"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def start_app(database_url, tmp_path):
    """Start apps with other settings on the test database (speech clips in a fresh folder); dispose of them after."""
    started = []

    def start(**config):
        started.append(migrated_app(database_url, **{"SPEECH_DIR": str(tmp_path / "speech"), **config}))
        return started[-1]

    yield start
    for app in started:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def editable_app(start_app, tmp_path):
    """The app on its own copy of the questionnaires, which drafts and publishing may change."""
    return start_app(QUESTIONNAIRE_DIR=str(questionnaire_copy(tmp_path)))


@pytest.fixture
def draft_app(editable_app):
    """The app on its own copy of the questionnaires, with a draft (version 2) of the user questionnaire."""
    from survey.questionnaires import drafts
    with editable_app.app_context():
        drafts.create_draft("user")
    return editable_app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    """Run the `survey` command against the test app: runner.invoke(main, ["invitations", ...])."""
    return app.test_cli_runner()


@pytest.fixture
def respondent(app, client):
    return Respondent(client, make_unit(app))


def build_org(app, released: bool = True):
    """Area Norr: Björken (8 respondents: 5 women, 3 men), Linden (6) and Eken (3, too few to show), all through
    invitation codes, in one round; released unless said otherwise."""
    for slug, name in (("bjorken", "Björken"), ("linden", "Linden"), ("eken", "Eken")):
        make_unit(app, slug, name)
    with app.app_context():
        area = Area(organisation_id=db.session.scalar(sa.select(Unit.organisation_id)), name="Norr")
        db.session.add(area)
        db.session.flush()
        db.session.execute(sa.update(Unit).values(area_id=area.id))
        db.session.commit()
    for i in range(8):
        add_response(app, "bjorken", {"decide_important": "yes" if i < 6 else "no",
                                      "safe_with_staff": "dont_know" if i == 0 else "yes",
                                      "more": f"Svar nummer {i}"},
                     sex="woman" if i < 5 else "man", helped="nobody")
    for i in range(6):
        add_response(app, "linden", {"decide_important": "yes" if i < 3 else "no", "safe_with_staff": "yes",
                                     "more": f"Linden svarar {i}"}, sex="woman", helped="nobody")
    for i in range(3):
        add_response(app, "eken", {"decide_important": "no", "safe_with_staff": "yes", "more": f"Eken svarar {i}"},
                     sex="man", helped="staff")
    if released:
        release(app)
    return app


@pytest.fixture
def org(app):
    """The released organisation of build_org."""
    return build_org(app)


# Browser tests: the app on a real HTTP server, Debian's Chromium with an iPad viewport, axe-core.


@pytest.fixture
def live_server(app):
    """Serve the app over HTTP on a free loopback port, with both questionnaires open at one unit."""
    make_unit(app, questionnaires=("user", "staff"))
    server = make_server("127.0.0.1", 0, closing_on_drop(app), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def ipad(browser, playwright_instance, live_server):
    """A fresh iPad-sized browser tab on the live server, set to Swedish like a municipality's iPad."""
    context = browser.new_context(**playwright_instance.devices["iPad (gen 7)"], base_url=live_server, locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()

