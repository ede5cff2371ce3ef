"""Attack 7: an analyst takes every released figure of three periods, small units shown through their pool and over
two or three periods, and subtracts: a pool minus its shown members, a span of periods minus a single period or an
earlier span, and every other combination of the sums they know (solved exactly by the oracle).

Before pooling, small units were silent. Pooled figures are part of the release's audit, and the audit of a
release covers everything its block's earlier releases published; no hidden figure can be worked out."""
from __future__ import annotations

import datetime as dt
import io
import random

import pandas as pd
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Area, Pool, Round, Unit
from tests.attacks.conftest import hidden_by_item, known_sums
from tests.helpers import add_response, login, make_account, make_unit, release
from tests.oracle import determinable

HOMES = {"bjorken": ("Björken", 3), "eken": ("Eken", 4), "linden": ("Linden", 6), "storgarden": ("Storgården", 9)}
POOLED = ("bjorken", "eken", "linden")
SEASONS = ["Våren", "Hösten", "Vintern"]  # one block of three periods, oldest first
QUESTIONS = ("decide_important", "safe_with_staff")


def three_periods(app) -> dict:
    """Four homes in one area, three of them pooled; each answers in three rounds, released one after the other.
    Return the truth: (round name, slug) -> list of answers."""
    for slug, (name, _size) in HOMES.items():
        make_unit(app, slug, name)
    today = dt.date.today()
    with app.app_context():
        org = db.session.scalar(sa.select(Unit.organisation_id))
        area, pool = Area(organisation_id=org, name="Norr"), Pool(organisation_id=org, name="Små hem",
                                                                  service_type="housing")
        db.session.add_all([area, pool])
        db.session.flush()
        db.session.execute(sa.update(Unit).values(area_id=area.id))
        db.session.execute(sa.update(Unit).where(Unit.slug.in_(POOLED)).values(pool_id=pool.id))
        units = list(db.session.scalars(sa.select(Unit)))
        for back, name in ((600, "Våren"), (400, "Vintern")):
            db.session.add(Round(name=name, questionnaire_id="user", units=units, opens_on=today - dt.timedelta(back),
                                 closes_on=today - dt.timedelta(back - 50)))
        hosten = db.session.scalar(sa.select(Round).where(Round.name == "Hösten"))
        hosten.opens_on, hosten.closes_on = today - dt.timedelta(days=500), today - dt.timedelta(days=450)
        db.session.commit()
    rng = random.Random(19)
    truth: dict = {}
    for season in SEASONS:
        for slug, (_name, size) in HOMES.items():
            for _ in range(size + rng.choice([-1, 0, 0, 1])):
                answers = {"decide_important": rng.choice(["yes", "no"]), "safe_with_staff": rng.choice(["yes", "no"])}
                add_response(app, slug, answers, sex=rng.choice(["woman", "man"]), round_name=season)
                truth.setdefault((season, slug), []).append(answers)
        release(app, season)
    return truth


def downloads(app, client) -> pd.DataFrame:
    """Every release's aggregate CSV, as the analyst downloads them, in one table."""
    login(client, make_account(app, "analyst"))
    with app.app_context():
        ids = dict(db.session.execute(sa.select(Round.name, Round.id)).all())
    return pd.concat([pd.read_csv(io.BytesIO(client.get(f"/analysis/export.csv?lang=en&round={ids[s]}").data))
                      for s in SEASONS], ignore_index=True)


def test_no_small_homes_figure_follows_from_its_pool_or_its_periods(app, client):
    truth = three_periods(app)
    table = downloads(app, client)
    with app.app_context():
        slug_of = dict(db.session.execute(sa.select(Unit.id, Unit.slug)).all())
        pool_id = db.session.scalar(sa.select(Pool.id))
        area_id = db.session.scalar(sa.select(Area.id))
    # Pooled figures are shown: the small homes are counted.
    pooled = table[(table["level"] == "pool") & (table["status"] == "shown") & (table["dimension"] == "all")]
    spans = table[(table["level"] == "unit") & (table["periods"] > 1) & (table["status"] == "shown")]
    assert len(pooled) and len(spans)
    # The sums the attacker knows, named as the CSV names cells: (round, level:periods, group id, dimension, category)
    units = sorted(slug_of)
    sums = known_sums(SEASONS, slug_of, area_id, pool_id, POOLED)
    for (kind, item), hidden in hidden_by_item(table):
        assert determinable(sums, hidden) == set(), (kind, item)
    # The two subtractions spelled out: Björken is never shown alone, and its pool never beside all its partners.
    shown = {(r, lv, g, d, c, i): n for r, lv, p, g, d, c, i, n, s in zip(
        table["round"], table["level"], table["periods"], table["group_id"], table["dimension"], table["category"],
        table["item"], table["respondents"], table["status"]) if s == "shown" and p == 1}
    bjorken = next(u for u in units if slug_of[u] == "bjorken")
    for season in SEASONS:
        for item in QUESTIONS:
            assert (season, "unit", bjorken, "all", "all", item) not in shown
            others = [shown.get((season, "unit", u, "all", "all", item)) for u in units
                      if slug_of[u] in POOLED and u != bjorken]
            pool = shown.get((season, "pool", pool_id, "all", "all", item))
            assert pool is None or None in others, "pool minus its shown members"
            real = sum(a[item] != "dont_know" for slug in POOLED for a in truth[(season, slug)])
            assert pool is None or pool == real, "a shown pool counts its homes' respondents"
