"""The insider's world: an organisation whose round has closed and been released, and an analyst's log-in.

Units (respondents through codes): in area Norr, Storgården 9, Mellangården 6 and Lillstugan 3 (too few to show);
in area Söder, Ängen 7. Storgården and Lillstugan are housing, the others daily activity. Every respondent answers
every choice question and writes a free text; the truth is kept to check what an attacker recovers against it."""
from __future__ import annotations

import random

import pandas as pd
import pytest
import sqlalchemy as sa

from survey.analysis import scoring
from survey.analysis.suppression import Constraint
from survey.db import db
from survey.db.models import Area, Unit
from tests.helpers import add_response, login, make_account, make_unit, release

UNITS = {  # slug: (name, area, service type, respondents)
    "storgarden": ("Storgården", "Norr", "housing", 9),
    "mellangarden": ("Mellangården", "Norr", "daily_activity", 6),
    "lillstugan": ("Lillstugan", "Norr", "housing", 3),
    "angen": ("Ängen", "Söder", "daily_activity", 7),
}
CHOICES = ("yes", "sometimes", "no", "dont_know")


def questions(app) -> list:
    """The user questionnaire's choice questions that are not background questions."""
    return [q for q in app.extensions["survey.library"].questionnaires["user"].questions
            if q.is_choice and not q.background]


def build_world(app, released: bool = True) -> dict:
    """Make the units and their respondents; return the truth: slug -> list of answer dicts (with sex, helped)."""
    rng = random.Random(7)
    for slug, (name, _area, _kind, _n) in UNITS.items():
        make_unit(app, slug, name)
    with app.app_context():
        org = db.session.scalar(sa.select(Unit.organisation_id))
        areas = {name: Area(organisation_id=org, name=name) for name in ("Norr", "Söder")}
        db.session.add_all(areas.values())
        db.session.flush()
        for slug, (_name, area, kind, _n) in UNITS.items():
            db.session.execute(sa.update(Unit).where(Unit.slug == slug)
                               .values(area_id=areas[area].id, service_type=kind))
        db.session.commit()
    truth: dict[str, list[dict]] = {}
    for slug, (_name, _area, _kind, count) in UNITS.items():
        for i in range(count):
            answers = {q.key: rng.choice([o.key for o in q.options] + (["dont_know"] if q.dont_know else []))
                       for q in questions(app)}
            answers["more"] = f"{slug} skriver {i}"
            person = {"answers": answers, "sex": rng.choice(["woman", "man"]),
                      "helped": rng.choice(["nobody", "staff"])}
            add_response(app, slug, answers, sex=person["sex"], helped=person["helped"])
            truth.setdefault(slug, []).append(person)
    if released:
        release(app)
    return truth


@pytest.fixture
def world(app):
    """The released world's truth (see build_world)."""
    return build_world(app)


@pytest.fixture
def insider(app, client):
    """An analyst's log-in: the attacker."""
    login(client, make_account(app, "analyst"))
    return client


def unit_ids(app) -> dict[str, str]:
    """slug -> unit id."""
    with app.app_context():
        return dict(db.session.execute(sa.select(Unit.slug, Unit.id)).all())


def known_sums(periods: list[str], slug_of: dict[str, str], area_id: str, pool_id: str,
               pooled: tuple[str, ...]) -> list[Constraint]:
    """Return the sums an insider knows over consecutive periods of housing units in one area and one pool, named
    as the CSV names cells: (round, level or level:periods, group id, dimension, category). Over several periods,
    units and pools are published overall only, within blocks of three."""
    units = sorted(slug_of)
    sums: list[Constraint] = []
    for end, period in enumerate(periods):
        members = pd.DataFrame({"unit_id": units, "area_id": area_id, "service_type": "housing",
                                "pool_id": [pool_id if slug_of[u] in pooled else None for u in units]})
        sums += [Constraint((period, *c.total), tuple((period, *p) for p in c.parts))
                 for c in scoring.constraints(members)]
        for span in (2, 3):
            window = periods[end - span + 1:end + 1] if end + 1 >= span else []
            if window:
                sums += [Constraint((period, f"unit:{span}", u, "all", "all"),
                                    tuple((r, "unit", u, "all", "all") for r in window)) for u in units]
                sums.append(Constraint((period, f"pool:{span}", pool_id, "all", "all"),
                                       tuple((r, "unit", u, "all", "all") for r in window for u in units
                                             if slug_of[u] in pooled)))
    return sums


def hidden_by_item(table: pd.DataFrame):
    """Yield each (kind, item) of a release CSV with the keys of its cells that are not shown."""
    for (kind, item), cells in table.groupby(["kind", "item"]):
        level = [lv if p == 1 else f"{lv}:{p}" for lv, p in zip(cells["level"], cells["periods"])]
        keys = list(zip(cells["round"], level, cells["group_id"], cells["dimension"], cells["category"]))
        yield (kind, item), {key for key, status in zip(keys, cells["status"]) if status != "shown"}
