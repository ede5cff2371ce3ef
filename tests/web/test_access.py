"""Every route in the URL map, tried as every role: a new route without an entry here fails."""

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import url_for

from survey.council import store as council
from survey.cycle import store
from survey.db import db
from survey.db.models import Account, Area, Pool, Round, Unit
from tests.helpers import add_response, login, make_account, make_unit, release

ADMIN, STAFF, ANALYST, COUNCIL, QUALITY = "administrator", "unit_staff", "analyst", "council", "quality_developer"
CYCLE = {ADMIN, ANALYST, QUALITY}  # and pools, areas, the organisation
CYCLE_UNITS = CYCLE | {STAFF}  # unit staff: their own units only (OWN_UNIT)
STAFF_PAGES = {ADMIN, STAFF}
EDITORS, COUNCILS = {ADMIN}, {ADMIN, COUNCIL}
# endpoint -> roles that may use it. Routes that need their own unit say so in OWN_UNIT.
ACCESS = {
    "staff.home": {ADMIN, STAFF, ANALYST, QUALITY},
    "staff.invitation_cards": STAFF_PAGES,
    "staff.poster": STAFF_PAGES,
    "staff.held": {ADMIN},
    "tablet.start": STAFF_PAGES,
    "admin.home": {ADMIN},
    "admin.area": {ADMIN},
    "admin.pool": {ADMIN},
    "admin.unit": {ADMIN},
    "admin.survey_round": {ADMIN},
    "admin.continuous": {ADMIN},
    "admin.account": {ADMIN},
    "recordings.upload": {ADMIN},
    "analysis.overview": {ADMIN, ANALYST},
    "analysis.group": {ADMIN, ANALYST},
    "analysis.flag": {ADMIN, ANALYST},
    "analysis.export": {ADMIN, ANALYST},
    "analysis.microdata": {ADMIN, ANALYST},
    "analysis.report": {ADMIN, ANALYST},
    "analysis.release": {ADMIN, ANALYST},
    "api.results": {ADMIN, ANALYST},
    "cycle.index": CYCLE_UNITS,
    "cycle.unit": CYCLE_UNITS,
    "cycle.flag": CYCLE_UNITS,
    "cycle.add_valuation": CYCLE_UNITS,
    "cycle.add_action": CYCLE_UNITS,
    "cycle.action_status": CYCLE_UNITS,
    "cycle.add_shared": CYCLE_UNITS,
    "cycle.add_evidence": CYCLE_UNITS,
    "cycle.edit_action": CYCLE_UNITS,
    "cycle_api.unit": CYCLE_UNITS,
    "cycle.add_indicator": CYCLE_UNITS,
    "cycle.import_indicators": CYCLE_UNITS,
    "cycle_levels.group": CYCLE,
    "cycle_levels.flag": CYCLE,
    "cycle_api.group": CYCLE,
    "cycle.flag_questions": CYCLE_UNITS,
    "cycle.confirm_phase": CYCLE_UNITS,
    "cycle.group_flag": CYCLE,
    "cycle.funnel": CYCLE,
    "cycle.model": CYCLE,  # unit staff: their own unit's model only (tested at the organisation's here)
    "cycle.model_pdf": CYCLE,
    "editor.index": COUNCILS,
    "editor.version": COUNCILS,
    "editor.export_xlsform": COUNCILS,
    "editor.new_draft": EDITORS,
    "editor.texts": EDITORS,
    "editor.question": EDITORS,
    "editor.yaml": EDITORS,
    "editor.import_xlsform": EDITORS,
    "editor.publish": EDITORS,
    "editor.delete": EDITORS,
    "council_admin.links": COUNCILS,
    "council_admin.poster": COUNCILS,
    "council_admin.close": COUNCILS,
    "council_admin.preview": COUNCILS,
    "council_admin.feedback": COUNCILS,
    "council_admin.feedback_export": COUNCILS,
    "results_staff.unit": {ADMIN, STAFF, QUALITY},
    "results_staff.mark_shared": {ADMIN, STAFF, QUALITY},
}
# Run last: they change what the routes before them show.
LAST = ("council_admin.close", "editor.delete")
OWN_UNIT = {"staff.invitation_cards", "staff.poster", "results_staff.unit", "cycle.unit", "cycle.flag",
            "cycle.edit_action", "cycle_api.unit"}
# Open to everyone (respondents are anonymous): their own tests cover what they do.
PUBLIC = {"static", "site.home", "site.about", "site.pictogram", "respond.unit", "respond.start", "respond.begin",
          "respond.question", "respond.answer", "respond.thanks", "respond.stop", "respond.settings", "respond.code",
          "tablet.next_person", "tablet.leave", "auth.login", "auth.logout", "speech.clip_file",
          "council.start", "council.begin", "council.question", "council.answer", "council.done",
          # results back to the people who answered, as the unit link and its poster: released, shown figures only
          "results.page", "results.poster",
          # the same page on the unit's tablet (in tablet mode only), and a user council's try of it (test mode)
          "tablet.results", "council.results"}
ROLES = [None, ADMIN, STAFF, ANALYST, COUNCIL, QUALITY]


@pytest.fixture
def app(draft_app):
    """The editor's routes write files: they get their own copy of the questionnaires, with a draft."""
    return draft_app


@pytest.fixture
def world(app):
    """Two units with open rounds, an area, and one account of each role (unit staff at the first unit)."""
    app.config["WTF_CSRF_ENABLED"] = False  # this test is about roles; CSRF has tests of its own
    make_unit(app, "own", "Egen enhet")
    make_unit(app, "other", "Annan enhet")
    for role in ROLES[1:]:
        make_account(app, role, unit_slugs=("own",) if role == STAFF else ())
    released_round(app)
    with app.app_context():
        db.session.add(Area(organisation_id=db.session.scalar(sa.select(Unit.organisation_id)), name="Norr"))
        db.session.commit()
        ids = {slug: db.session.scalar(sa.select(Unit.id).where(Unit.slug == slug)) for slug in ("own", "other")}
        rounds = {slug: db.session.scalar(sa.select(Round.id).where(Round.units.any(Unit.id == ids[slug])))
                  for slug in ids}
        pool = Pool(organisation_id=db.session.scalar(sa.select(Unit.organisation_id)), name="Hemmen",
                    service_type="housing")
        db.session.add(pool)
        db.session.commit()
        action_id = store.add_action(store.NewAction(ids["own"], ["relationships"], "Brandövningar", "enhetschef"),
                                     {"relationships"}).id
        values = {"area_id": db.session.scalar(sa.select(Area.id)), "group_id": "all", "pool_id": pool.id,
                  "account_id": db.session.scalar(sa.select(Account.id)),
                  "round_id": rounds["own"], "unit_id": ids["own"], "slug": "own", "questionnaire_id": "user",
                  "position": 1, "name": "home", "filename": "survey.css", "level": "organisation",
                  "action_id": action_id,
                  "flag_id": "relationships", "fmt": "csv", "version": 2, "number": 1, "key": "0" * 64,
                  "token": council.create_link(app.extensions["survey.library"].version("user", 2), "Rådet",
                                               dt.date.today()).token}
    return values, {"unit_id": ids["other"], "round_id": rounds["other"]}


def released_round(app):
    """A round of last year at the first unit, answered and released: the analysts' pages have figures to show."""
    today = dt.date.today()
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.slug == "own"))
        db.session.add(Round(name="Förra året", questionnaire_id="user", units=[unit],
                             opens_on=today - dt.timedelta(days=400), closes_on=today - dt.timedelta(days=300)))
        db.session.commit()
    for _ in range(6):
        add_response(app, "own", {"decide_important": "yes"}, round_name="Förra året")
    release(app, "Förra året")


def routes(app):
    return sorted(((rule.endpoint, rule) for rule in app.url_map.iter_rules()),
                  key=lambda pair: LAST.index(pair[0]) + 1 if pair[0] in LAST else 0)


def test_every_route_has_an_access_entry(app):
    endpoints = {endpoint for endpoint, _ in routes(app)}
    assert endpoints - set(ACCESS) - PUBLIC == set(), "add new routes to ACCESS or PUBLIC"
    assert set(ACCESS) | PUBLIC <= endpoints


def build(app, rule, values: dict) -> str:
    with app.test_request_context():
        return url_for(rule.endpoint, **{arg: values[arg] for arg in rule.arguments})


@pytest.mark.parametrize("role", ROLES)
def test_staff_routes_as_every_role(app, client, world, role):
    values, _ = world
    if role:
        assert login(client, f"{role}@example.org").status_code == 302
    for endpoint, rule in routes(app):
        if endpoint not in ACCESS:
            continue
        url = build(app, rule, values)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        status = response.status_code
        if role is None:
            assert status == 302, (url, status)  # to the log-in page
        elif role in ACCESS[endpoint]:  # a form that only posts answers with a redirect, never to the log-in page
            expected = (200, 302) if method == "POST" else (200,)
            assert status in expected and "/staff/login" not in response.headers.get("Location", ""), \
                (role, url, status)
        else:
            assert status == 403, (role, url, status)


def test_unit_staff_cannot_reach_another_units_pages(app, client, world):
    values, other = world
    login(client, f"{STAFF}@example.org")
    for endpoint, rule in routes(app):
        if endpoint in OWN_UNIT:
            assert client.get(build(app, rule, {**values, **other})).status_code == 404
            assert client.get(build(app, rule, values)).status_code == 200


def test_unit_staff_overview_lists_only_their_units(app, client, world):
    login(client, f"{STAFF}@example.org")
    page = client.get("/staff/").get_data(as_text=True)
    assert "Egen enhet" in page and "Annan enhet" not in page


def test_analyst_overview_lists_every_unit_but_offers_no_printing(app, client, world):
    login(client, f"{ANALYST}@example.org")
    page = client.get("/staff/").get_data(as_text=True)
    assert "Egen enhet" in page and "Annan enhet" in page and "/cards" not in page


def test_public_routes_are_open_to_an_anonymous_visitor(app, client, world):
    values, _ = world
    for endpoint, rule in routes(app):
        if endpoint not in PUBLIC:
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        with client.open(build(app, rule, values), method=method) as response:
            assert response.status_code != 403 and "next=" not in response.headers.get("Location", ""), \
                (endpoint, response.status_code, response.headers.get("Location"))
