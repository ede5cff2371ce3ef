"""A unit's cycle overview: every area and flag with its current valuation and open actions; all actions with
their status, which can be changed there."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from markupsafe import escape

from survey.cycle import rules, store
from survey.db import db
from survey.db.models import Action, Round, Unit
from tests.helpers import login, make_account, make_unit

FLAGS = {"relationships", "staff_approach", "staff_able"}


@pytest.fixture
def units(app, client):
    """Two units without any release, and an analyst logged in, reading English."""
    make_unit(app, "bjorken", "Björken")
    make_unit(app, "linden", "Linden")
    login(client, make_account(app, "analyst"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with app.app_context():
        return {slug: db.session.scalar(sa.select(Unit.id).where(Unit.slug == slug)) for slug in ("bjorken", "linden")}


def add(app, unit_id: str) -> dict[str, str]:
    """Two valuations of one flag (the newer a challenge), an ongoing action and a done one."""
    today = dt.date.today()
    with app.app_context():
        for verdict, days, why in ((rules.STRENGTH, 400, "Bra förra året."), (rules.CHALLENGE, 10, "Sämre nu.")):
            store.add_valuation(store.NewValuation(unit_id, "relationships", verdict, why, "enhetschef",
                                                   today - dt.timedelta(days=days)), FLAGS, today)
        ongoing = store.add_action(store.NewAction(unit_id, ["relationships"], "Brandövningar", "enhetschef",
                                                   rules.ONGOING), FLAGS).id
        done = store.add_action(store.NewAction(unit_id, ["relationships", "staff_able"], "Bildstöd", "enhetschef",
                                                rules.DONE), FLAGS).id
    return {"ongoing": ongoing, "done": done}


def flag_row(page: str, flag_name: str) -> str:
    return page.split(f">{flag_name}</a></th>", 1)[1].split("</tr>", 1)[0]


def test_the_overview_lists_every_flag_with_its_current_valuation_and_open_actions(app, client, units):
    add(app, units["bjorken"])
    page = client.get(f"/cycle/unit/{units['bjorken']}").get_data(as_text=True)
    with app.app_context():
        model = app.extensions["survey.library"].quality_model
        for area, flag in model.flags():
            assert str(escape(area.name["en"])) in page and f"/flag/{flag.id}\"" in page
    row = flag_row(page, "Relationships with service users")
    assert "Challenge" in row and "Strength" not in row and "Brandövningar (ongoing)" in row
    assert "Bildstöd" not in row  # done: not open
    assert "Not valued yet" in flag_row(page, "Staff are ABLE to")
    actions = page.split("All actions of the unit", 1)[1]
    assert actions.index("Brandövningar") < actions.index("Bildstöd")  # open ones first


def test_the_status_of_an_action_is_changed_from_the_overview(app, client, units):
    ids = add(app, units["bjorken"])
    url = f"/cycle/unit/{units['bjorken']}"
    page = client.get(url).get_data(as_text=True)
    prefix = f"status-{ids['ongoing']}"
    field = re.search(rf'<input[^>]*name="{prefix}-csrf_token"[^>]*>', page).group(0)
    data = {f"{prefix}-csrf_token": re.search(r'value="([^"]+)"', field).group(1), f"{prefix}-status": "done"}
    response = client.post(f"{url}/actions/{ids['ongoing']}/status", data=data)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Action, ids["ongoing"]).status == rules.DONE
    other = client.post(f"/cycle/unit/{units['linden']}/actions/{ids['done']}/status",
                        data={**data, f"status-{ids['done']}-status": "stopped",
                              f"status-{ids['done']}-csrf_token": data[f"{prefix}-csrf_token"]})
    assert other.status_code == 404  # an action belongs to its own unit only
    with app.app_context():
        assert db.session.get(Action, ids["done"]).status == rules.DONE


def test_a_unit_without_valuations_or_releases_still_has_its_pages(client, units):
    page = client.get(f"/cycle/unit/{units['linden']}").get_data(as_text=True)
    assert "No actions yet" in page and page.count("Not valued yet") >= 20
    flag = client.get(f"/cycle/unit/{units['linden']}/flag/relationships").get_data(as_text=True)
    assert flag.count("No released round yet.") == 2
    assert "Suggested from the figures' colours: Not enough evidence." in flag


def test_the_index_lists_the_units(client, units):
    page = client.get("/cycle/").get_data(as_text=True)
    assert f"/cycle/unit/{units['bjorken']}" in page and f"/cycle/unit/{units['linden']}" in page


def closed_round(app, slug: str = "bjorken") -> str:
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.slug == slug))
        today = dt.date.today()
        survey_round = Round(name="Förra året", questionnaire_id="user", units=[unit],
                             opens_on=today - dt.timedelta(days=400), closes_on=today - dt.timedelta(days=300))
        db.session.add(survey_round)
        db.session.commit()
        return survey_round.id


def shared_data(page: str, round_id: str, **changes) -> dict:
    field = re.search(r'<input[^>]*name="shared-csrf_token"[^>]*>', page).group(0)
    return {"shared-csrf_token": re.search(r'value="([^"]+)"', field).group(1), "shared-round_id": round_id,
            "shared-shared_on": dt.date.today().isoformat(), "shared-form": "husmöte med bildstöd", **changes}


def test_showing_the_results_to_the_users_is_recorded_with_its_date_and_form(app, client, units):
    round_id = closed_round(app)
    url = f"/cycle/unit/{units['bjorken']}"
    response = client.post(f"{url}/shared", data=shared_data(client.get(url).get_data(as_text=True), round_id))
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert f"{dt.date.today().isoformat()}: husmöte med bildstöd" in page
    with app.app_context():
        assert [(s.round_id, s.form) for s in store.shared(units["bjorken"])] == [(round_id, "husmöte med bildstöd")]


@pytest.mark.parametrize(("changes", "message"), [
    ({"shared-form": " "}, "Say how the results were shown."),
    ({"shared-shared_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()}, "The date cannot be in the future."),
    ({"shared-round_id": "another"}, "Not a valid choice."),
])
def test_a_bad_record_of_sharing_is_refused_with_a_precise_message(app, client, units, changes, message):
    round_id = closed_round(app)
    url = f"/cycle/unit/{units['bjorken']}"
    response = client.post(f"{url}/shared", data=shared_data(client.get(url).get_data(as_text=True), round_id,
                                                             **changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    with app.app_context():
        assert store.shared(units["bjorken"]) == []


def test_sharing_is_refused_for_a_round_the_unit_took_no_part_in(app, units):
    other = closed_round(app, "linden")
    with app.app_context(), pytest.raises(rules.CycleError, match="took no part"):
        store.add_shared(units["bjorken"], other, dt.date.today(), "affisch", dt.date.today())


def edit_data(page: str, **changes) -> dict:
    field = re.search(r'<input[^>]*name="action-csrf_token"[^>]*>', page).group(0)
    return {"action-csrf_token": re.search(r'value="([^"]+)"', field).group(1), "action-title": "Brandövningar",
            "action-flag_ids": ["relationships"], "action-owner": "enhetschef", "action-status": "done",
            "action-easy_read": "Vi övar när larmet låter.",
            "action-easy_read_done": "Vi övade fyra gånger. Nu vet alla vad de ska göra.", **changes}


def test_an_action_is_kept_up_to_date_with_what_was_done(app, client, units):
    ids = add(app, units["bjorken"])
    url = f"/cycle/unit/{units['bjorken']}/actions/{ids['ongoing']}"
    page = client.get(f"/cycle/unit/{units['bjorken']}").get_data(as_text=True)
    assert f'href="{url}"' in page  # the action's title links to its page
    page = client.get(url).get_data(as_text=True)
    assert 'value="Brandövningar"' in page
    assert client.post(url, data=edit_data(page)).status_code == 302
    with app.app_context():
        action = db.session.get(Action, ids["ongoing"])
        assert (action.status, action.easy_read_done) == ("done", "Vi övade fyra gånger. Nu vet alla vad de ska göra.")


def test_a_bad_change_to_an_action_is_refused_and_changes_nothing(app, client, units):
    ids = add(app, units["bjorken"])
    url = f"/cycle/unit/{units['bjorken']}/actions/{ids['ongoing']}"
    response = client.post(url, data=edit_data(client.get(url).get_data(as_text=True), **{"action-owner": ""}))
    assert response.status_code == 200 and "Say who owns the action, by role." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Action, ids["ongoing"]).status == rules.ONGOING


def test_an_action_is_only_reached_through_its_own_unit(app, client, units):
    ids = add(app, units["bjorken"])
    assert client.get(f"/cycle/unit/{units['linden']}/actions/{ids['ongoing']}").status_code == 404
    assert client.get(f"/cycle/unit/{units['bjorken']}/actions/nope").status_code == 404
