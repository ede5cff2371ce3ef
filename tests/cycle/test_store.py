"""Valuations keep their history, actions keep their goals, and the migration builds what the models describe."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from survey.cycle import rules, store
from survey.db import db
from survey.db.models import Action, Unit, Valuation
from tests.helpers import make_unit

TODAY = dt.date(2026, 11, 2)
FLAGS = {"relationships", "staff_approach", "staff_able"}
CYCLE_TABLES = ("valuation", "action", "flag_evidence", "shared_with_users")


@pytest.fixture
def unit_id(app):
    make_unit(app)
    with app.app_context():
        return db.session.scalar(sa.select(Unit.id))


def valuation(unit_id: str, verdict: str = rules.WATCH, **changes) -> store.NewValuation:
    values = {"unit_id": unit_id, "flag_id": "relationships", "verdict": verdict,
              "reasoning": "Tryggheten har sjunkit i två omgångar.", "participants": "enhetschef, två medarbetare",
              "decided_on": TODAY, **changes}
    return store.NewValuation(**values)


def test_the_migration_builds_the_cycle_tables_as_the_models_describe(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert [d for d in differences if any(f"'{table}'" in repr(d) for table in CYCLE_TABLES)] == []


def test_a_new_valuation_adds_a_row_and_the_old_one_stays(app, unit_id):
    with app.app_context():
        store.add_valuation(valuation(unit_id, rules.WATCH, decided_on=TODAY - dt.timedelta(days=365)), FLAGS, TODAY)
        store.add_valuation(valuation(unit_id, rules.CHALLENGE, reasoning="Sämre igen."), FLAGS, TODAY)
        history = store.valuations(unit_id, "relationships")
        assert [v.verdict for v in history] == [rules.CHALLENGE, rules.WATCH]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Valuation)) == 2
        assert store.latest_valuations(unit_id)["relationships"].reasoning == "Sämre igen."


@pytest.mark.parametrize(("changes", "message"), [
    ({"verdict": "great"}, "unknown verdict 'great'"),
    ({"flag_id": "no_such_flag"}, "unknown flag no_such_flag"),
    ({"reasoning": "  "}, "needs its reasoning"),
    ({"participants": ""}, "who took part"),
    ({"decided_on": TODAY + dt.timedelta(days=1)}, "in the future"),
])
def test_a_valuation_is_refused_with_a_precise_reason(app, unit_id, changes, message):
    with app.app_context(), pytest.raises(rules.CycleError, match=message):
        store.add_valuation(valuation(unit_id, **changes), FLAGS, TODAY)


def test_an_action_keeps_its_smart_goal_and_easy_read_texts(app, unit_id):
    with app.app_context():
        new = store.NewAction(unit_id=unit_id, flag_ids=["relationships", "staff_approach", "relationships"],
                              title="Brandövningar", owner="enhetschef", status=rules.ONGOING, from_value=60,
                              to_value=80, starts_on=TODAY, due_on=TODAY + dt.timedelta(days=180),
                              texts={"measure": "Andel som känner sig trygga", "easy_read": "Vi övar när larmet låter.",
                                     "responsible_role": "Enhetschefen"})
        action_id = store.add_action(new, FLAGS).id
        db.session.expire_all()
        stored = db.session.get(Action, action_id)
        assert stored.flag_ids == ["relationships", "staff_approach"]
        assert (stored.from_value, stored.to_value, stored.easy_read, stored.easy_read_done) == \
            (60, 80, "Vi övar när larmet låter.", "")
        assert [a.id for a in store.actions(unit_id, "staff_approach")] == [action_id]
        assert store.actions(unit_id, "staff_able") == []


@pytest.mark.parametrize(("changes", "message"), [
    ({"flag_ids": []}, "at least one flag"),
    ({"flag_ids": ["nope"]}, "unknown flag nope"),
    ({"title": " "}, "a title and an owner"),
    ({"status": "paused"}, "unknown status 'paused'"),
    ({"starts_on": TODAY, "due_on": TODAY - dt.timedelta(days=1)}, "due before it starts"),
    ({"from_value": 60.0}, "which measure"),
])
def test_an_action_is_refused_with_a_precise_reason(app, unit_id, changes, message):
    values = {"unit_id": unit_id, "flag_ids": ["relationships"], "title": "Brandövningar", "owner": "enhetschef",
              **changes}
    with app.app_context(), pytest.raises(rules.CycleError, match=message):
        store.add_action(store.NewAction(**values), FLAGS)


@pytest.mark.parametrize(("colours", "verdict"), [
    ([], rules.NOT_ENOUGH), ([None], rules.NOT_ENOUGH), (["green"], rules.STRENGTH), (["yellow"], rules.WATCH),
    (["green", "red"], rules.CHALLENGE), (["green", "yellow", None], rules.WATCH),
])
def test_the_suggested_verdict_is_the_most_worrying_shown_colour(colours, verdict):
    assert rules.suggested_verdict(colours) == verdict


def test_the_migration_goes_down_and_up_again(app):
    from alembic import command
    from alembic.script import ScriptDirectory

    from survey.db import migrate
    with app.app_context(), db.engine.begin() as connection:
        config = migrate._config(connection)
        before = ScriptDirectory.from_config(config).get_revision("0011_quality_cycle").down_revision
        command.downgrade(config, before)
        assert set(CYCLE_TABLES).isdisjoint(sa.inspect(connection).get_table_names())
        command.upgrade(config, "head")
        assert set(CYCLE_TABLES) <= set(sa.inspect(connection).get_table_names())
