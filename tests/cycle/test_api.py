"""The cycle's JSON API: a unit's valuations (the whole history) and actions, for analysts and administrators."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from survey.cycle import rules, store
from survey.db import db
from survey.db.models import Round, SharedWithUsers, Unit
from tests.helpers import login, make_account, make_unit

FLAGS = {"relationships", "staff_able"}


@pytest.fixture
def unit_id(app):
    """A unit with two valuations of one flag, one of another, an action, and a day results were shown to users."""
    make_unit(app)
    today = dt.date(2026, 11, 2)
    with app.app_context():
        found = db.session.scalar(sa.select(Unit))
        for flag_id, verdict, days in (("relationships", rules.WATCH, 300), ("relationships", rules.CHALLENGE, 1),
                                       ("staff_able", rules.STRENGTH, 2)):
            store.add_valuation(store.NewValuation(found.id, flag_id, verdict, "Skäl.", "enhetschef",
                                                   today - dt.timedelta(days=days)), FLAGS, today)
        store.add_action(store.NewAction(found.id, ["relationships"], "Brandövningar", "enhetschef", rules.ONGOING,
                                         from_value=60, to_value=80, due_on=dt.date(2027, 5, 31),
                                         texts={"measure": "Andel trygga", "easy_read": "Vi övar."}), FLAGS)
        round_id = db.session.scalar(sa.select(Round.id))
        db.session.add(SharedWithUsers(unit_id=found.id, round_id=round_id, shared_on=today, form="möte"))
        db.session.commit()
        return found.id


def test_the_api_returns_the_whole_valuation_history_and_the_actions(app, client, unit_id):
    login(client, make_account(app, "analyst"))
    body = client.get(f"/api/v1/cycle/units/{unit_id}").get_json()
    assert [(v["flag_id"], v["verdict"]) for v in body["valuations"]] == \
        [("relationships", "challenge"), ("staff_able", "strength"), ("relationships", "watch")]
    action = body["actions"][0]
    assert (action["flag_ids"], action["from_value"], action["to_value"], action["due_on"], action["easy_read"]) == \
        (["relationships"], 60, 80, "2027-05-31", "Vi övar.")
    assert body["shared_with_users"][0]["form"] == "möte"
    one_flag = client.get(f"/api/v1/cycle/units/{unit_id}?flag=relationships").get_json()
    assert [v["verdict"] for v in one_flag["valuations"]] == ["challenge", "watch"]


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("unit_staff", 200), ("council", 403),
                                               ("administrator", 200)])
def test_those_who_work_the_cycle_read_the_api_and_unit_staff_their_own_unit(app, client, unit_id, role, status):
    if role:
        login(client, make_account(app, role, unit_slugs=("bjorken",)))
    assert client.get(f"/api/v1/cycle/units/{unit_id}").status_code == status


def test_an_unknown_unit_is_not_found(app, client, unit_id):
    login(client, make_account(app, "analyst"))
    assert client.get("/api/v1/cycle/units/nope").status_code == 404
