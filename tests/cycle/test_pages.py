"""A flag's page at a unit: both questionnaires' released figures, valuations kept as history, actions; a unit's
cycle overview. Staff read English here (Accept-Language); translations have their own test."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Action, Round, Unit, Valuation
from tests.conftest import build_org
from tests.helpers import add_response, login, make_account, release


def add_staff_round(app):
    """A staff round at Björken (6 answers, 4 positive) and Eken (none), released."""
    today = dt.date.today()
    with app.app_context():
        units = list(db.session.scalars(sa.select(Unit).where(Unit.slug.in_(("bjorken", "eken")))))
        db.session.add(Round(name="Hösten personal", questionnaire_id="staff", units=units,
                             opens_on=today - dt.timedelta(days=30), closes_on=today - dt.timedelta(days=1)))
        db.session.commit()
    for i in range(6):
        add_response(app, "bjorken", {"communicate_understandably": "agree_fully" if i < 4 else "neither"},
                     round_name="Hösten personal")
    release(app, "Hösten personal", "staff")


@pytest.fixture
def world(app, client):
    """The released organisation of build_org with a staff round, and an analyst logged in, reading English."""
    build_org(app)
    add_staff_round(app)
    login(client, make_account(app, "analyst"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with app.app_context():
        return {slug: db.session.scalar(sa.select(Unit.id).where(Unit.slug == slug)) for slug in ("bjorken", "eken")}


def token(page: str, prefix: str) -> str:
    field = re.search(rf'<input[^>]*name="{prefix}-csrf_token"[^>]*>', page).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


def valuation_data(page: str, **changes) -> dict:
    return {"valuation-csrf_token": token(page, "valuation"), "valuation-verdict": "watch",
            "valuation-reasoning": "Tryggheten har sjunkit.", "valuation-participants": "enhetschef, två medarbetare",
            "valuation-decided_on": dt.date.today().isoformat(), **changes}


def action_data(page: str, **changes) -> dict:
    return {"action-csrf_token": token(page, "action"), "action-title": "Brandövningar",
            "action-flag_ids": ["staff_approach"], "action-owner": "enhetschef", "action-status": "planned",
            "action-measure": "Andel positiva svar", "action-from_value": "60", "action-to_value": "80,5",
            "action-easy_read": "Vi övar när larmet låter.", "action-responsible_role": "Enhetschefen", **changes}


def flag_url(unit_id: str, flag_id: str = "staff_approach") -> str:
    return f"/cycle/unit/{unit_id}/flag/{flag_id}"


def figures_table(page: str) -> str:
    return page.split("released figures for this flag", 1)[1].split("</table>", 1)[0]


def test_the_flag_page_shows_both_questionnaires_figures_from_their_releases(world, client):
    page = client.get(flag_url(world["bjorken"])).get_data(as_text=True)
    rows = figures_table(page).split("<tr>")[2:]
    assert len(rows) == 2 and "75 %" in rows[0] and "67 %" in rows[1]
    assert "Suggested from the figures' colours: Watch." in page  # both yellow: 75 % and 67 % (green from 80)
    assert re.search(r'<option selected value="watch">', page)  # the form starts from the suggestion


def test_a_hidden_figure_says_too_few_answers_and_names_the_group_that_stands_in(world, client):
    user, staff = figures_table(client.get(flag_url(world["eken"])).get_data(as_text=True)).split("<tr>")[2:]
    own, stand_in = user.split("Through Norr")
    assert "too few answers" in own and "%" not in own and "%" in stand_in
    assert "No answers from this unit in this release." in staff


def test_valuations_are_added_and_the_earlier_ones_stay_in_the_history(app, world, client):
    url = flag_url(world["bjorken"])
    page = client.get(url).get_data(as_text=True)
    last_year = (dt.date.today() - dt.timedelta(days=365)).isoformat()
    first = client.post(f"{url}/valuations", data=valuation_data(page, **{"valuation-decided_on": last_year}))
    assert first.status_code == 302
    page = client.get(url).get_data(as_text=True)
    client.post(f"{url}/valuations", data=valuation_data(page, **{"valuation-verdict": "challenge",
                                                                  "valuation-reasoning": "Sämre igen."}))
    page = client.get(url).get_data(as_text=True)
    history = page.split("newest first", 1)[1].split("</table>", 1)[0]
    assert history.index("Sämre igen.") < history.index("Tryggheten har sjunkit.")
    with app.app_context():
        stored = db.session.scalars(sa.select(Valuation).order_by(Valuation.decided_on)).all()
        assert [(v.verdict, v.suggested) for v in stored] == [("watch", "watch"), ("challenge", "watch")]
        assert all(v.round_id and v.release_id for v in stored)


@pytest.mark.parametrize(("changes", "message"), [
    ({"valuation-reasoning": " "}, "Write the reasoning behind the verdict."),
    ({"valuation-participants": ""}, "Say who took part, by role."),
    # far enough ahead to stay in the future when the suite, collected before midnight, runs this after it
    ({"valuation-decided_on": (dt.date.today() + dt.timedelta(days=7)).isoformat()},
     "The date cannot be in the future."),
    ({"valuation-decided_on": "31/10/2026"}, "Give the date in the form 2026-10-31."),
    ({"valuation-verdict": "great"}, "Not a valid choice."),
])
def test_a_valuation_form_with_bad_input_is_refused_with_a_precise_message(app, world, client, changes, message):
    url = flag_url(world["bjorken"])
    response = client.post(f"{url}/valuations", data=valuation_data(client.get(url).get_data(as_text=True),
                                                                     **changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Valuation)) == 0


def test_an_action_is_added_and_listed_for_each_of_its_flags(app, world, client):
    url = flag_url(world["bjorken"])
    data = action_data(client.get(url).get_data(as_text=True), **{
        "action-flag_ids": ["staff_approach", "relationships"], "action-problem": "Larmet skrämmer.",
        "action-easy_read_done": "Vi övade tre gånger."})
    assert client.post(f"{url}/actions", data=data).status_code == 302
    for flag_id in ("staff_approach", "relationships"):
        actions = client.get(flag_url(world["bjorken"], flag_id)).get_data(as_text=True).split("Actions for", 1)[1]
        assert "Brandövningar" in actions and "Andel positiva svar: 60 → 80.5" in actions
    with app.app_context():
        action = db.session.scalar(sa.select(Action))
        assert (action.to_value, action.problem, action.easy_read, action.easy_read_done, action.responsible_role) \
            == (80.5, "Larmet skrämmer.", "Vi övar när larmet låter.", "Vi övade tre gånger.", "Enhetschefen")


@pytest.mark.parametrize(("changes", "message"), [
    ({"action-title": ""}, "Give the action a title."),
    ({"action-flag_ids": []}, "Choose at least one flag."),
    ({"action-flag_ids": ["no_such_flag"]}, "is not a valid choice"),
    ({"action-owner": " "}, "Say who owns the action, by role."),
    ({"action-from_value": "sextio"}, "Write a number, such as 60 or 72.5."),
    ({"action-to_value": "nan"}, "Write a number, such as 60 or 72.5."),
    ({"action-measure": ""}, "Say which measure goes from one value to the other."),
    ({"action-starts_on": "2026-05-01", "action-due_on": "2026-04-01"}, "The action cannot be due before it starts."),
    ({"action-status": "paused"}, "Not a valid choice."),
])
def test_an_action_form_with_bad_input_is_refused_with_a_precise_message(app, world, client, changes, message):
    url = flag_url(world["bjorken"])
    response = client.post(f"{url}/actions", data=action_data(client.get(url).get_data(as_text=True), **changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Action)) == 0


def test_a_form_without_its_csrf_token_is_refused(world, client):
    url = flag_url(world["bjorken"])
    data = valuation_data(client.get(url).get_data(as_text=True))
    del data["valuation-csrf_token"]
    assert client.post(f"{url}/valuations", data=data).status_code == 400


@pytest.mark.parametrize(("role", "status"), [("unit_staff", 200), ("council", 403), (None, 302),
                                            ("quality_developer", 200), ("administrator", 200)])
def test_the_cycle_is_for_those_who_work_it_and_unit_staff_of_the_unit(app, world, role, status):
    client = app.test_client()
    if role:
        login(client, make_account(app, role, unit_slugs=("bjorken",)))
    for url in (f"/cycle/unit/{world['bjorken']}", flag_url(world["bjorken"]), "/cycle/"):
        assert client.get(url).status_code == status, (role, url)


def test_a_quality_developer_values_a_flag(app, world):
    client = app.test_client()
    login(client, make_account(app, "quality_developer"))
    url = flag_url(world["eken"])
    response = client.post(f"{url}/valuations", data=valuation_data(client.get(url).get_data(as_text=True)))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Valuation.unit_id)) == world["eken"]


def test_an_unknown_unit_or_flag_is_not_found(world, client):
    assert client.get(flag_url("nope")).status_code == 404
    assert client.get(flag_url(world["bjorken"], "no_such_flag")).status_code == 404
    assert client.get("/cycle/unit/nope").status_code == 404


def test_the_pages_speak_swedish_by_default(world, client):
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE")
    page = client.get(flag_url(world["bjorken"])).get_data(as_text=True)
    assert "Förslag utifrån resultatens färger: Bevaka." in page
    assert "Inte bedömd ännu" in client.get(f"/cycle/unit/{world['bjorken']}").get_data(as_text=True)
