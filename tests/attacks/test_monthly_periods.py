"""Attack 8: a continuous survey releases every month; its third month's release also shows each unit and pool over
the quarter (the three months together). An analyst downloads the three monthly releases and subtracts: the quarter
minus the months shown, two months minus one, a pool minus its members, in every combination (solved exactly).

Shorter periods mean fewer respondents per figure: the threshold holds for every month, the quarter's figures are
audited together with the months they sum, and no second quarter can be cut from the same answers (a unit has one
round of a questionnaire at a time, so a quarterly round beside the monthly one is refused)."""
from __future__ import annotations

import datetime as dt
import io
import random

import pandas as pd
import pytest
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Area, Pool, Round, Unit
from survey.questionnaires import library
from survey.staff import series
from survey.staff.organisation import OrganisationError, save_round
from tests.attacks.conftest import hidden_by_item, known_sums
from tests.helpers import add_response, login, make_account, make_unit, release
from tests.oracle import determinable

HOMES = {"bjorken": ("Björken", 3), "eken": ("Eken", 4), "linden": ("Linden", 6), "storgarden": ("Storgården", 9)}
POOLED = ("bjorken", "eken", "linden")


def three_months(app) -> list[str]:
    """Four homes in one area, three pooled, in a monthly series that began at the start of a quarter at least three
    months ago; each home answers in the quarter's three months, released one after the other. Return their names."""
    for slug, (name, _size) in HOMES.items():
        make_unit(app, slug, name, opens=-900, closes=-880)
    today = dt.date.today()
    start = dt.date(today.year - 1, 1 + 3 * ((today.month - 1) // 3), 1)  # a quarter's first day, a year ago
    with app.app_context():
        org = db.session.scalar(sa.select(Unit.organisation_id))
        area, pool = Area(organisation_id=org, name="Norr"), Pool(organisation_id=org, name="Små hem",
                                                                  service_type="housing")
        db.session.add_all([area, pool])
        db.session.flush()
        db.session.execute(sa.update(Unit).values(area_id=area.id))
        db.session.execute(sa.update(Unit).where(Unit.slug.in_(POOLED)).values(pool_id=pool.id))
        made = series.start_series("Månaden", library().published("user"), "month", start, None,
                                   list(db.session.scalars(sa.select(Unit))), [], 0, today)
        db.session.commit()
        months = [p.round.name for p in series.periods(made)][:3]
    rng = random.Random(23)
    for month in months:
        for slug, (_name, size) in HOMES.items():
            for _ in range(size + rng.choice([-1, 0, 0, 1])):
                answers = {"decide_important": rng.choice(["yes", "no"]), "safe_with_staff": rng.choice(["yes", "no"])}
                add_response(app, slug, answers, sex=rng.choice(["woman", "man"]), round_name=month)
        release(app, month)
    return months


def test_no_small_homes_month_follows_from_the_quarter_or_its_pool(app, client):
    months = three_months(app)
    login(client, make_account(app, "analyst"))
    with app.app_context():
        ids = dict(db.session.execute(sa.select(Round.name, Round.id)).all())
        slug_of = dict(db.session.execute(sa.select(Unit.id, Unit.slug)).all())
        pool_id, area_id = db.session.scalar(sa.select(Pool.id)), db.session.scalar(sa.select(Area.id))
    table = pd.concat([pd.read_csv(io.BytesIO(client.get(f"/analysis/export.csv?lang=en&round={ids[m]}").data))
                       for m in months], ignore_index=True)
    quarter = table[(table["round"] == months[2]) & (table["periods"] == 3)]
    assert len(quarter) and (quarter["status"] == "shown").any()  # the quarter is published, from the months
    sums = known_sums(months, slug_of, area_id, pool_id, POOLED)
    for (kind, item), hidden in hidden_by_item(table):
        assert hidden, (kind, item)  # Björken's three never show alone
        assert determinable(sums, hidden) == set(), (kind, item)
    # No other cut of the same answers: a quarterly round of these units beside the months is refused
    with app.app_context():
        first = db.session.get(Round, ids[months[0]]).opens_on
        bjorken = list(db.session.scalars(sa.select(Unit).where(Unit.slug == "bjorken")))
        with pytest.raises(OrganisationError, match="continuous survey"):
            save_round("Kvartalet", "user", first, first + dt.timedelta(days=89), bjorken)
