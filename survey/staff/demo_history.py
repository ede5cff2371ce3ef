"""The demo's history: three years of quarterly rounds of both questionnaires, answered and released one after the
other, so every results page, chart, export, run chart and easy-read page shows real content on the first run.

The answers are made up but shaped like real ones: units differ, two small group homes answer too few to be shown
alone and are pooled, and Daglig verksamhet Verkstan gets better at letting people decide for themselves in the
last eight quarters (an improvement its run chart shows as a shift).
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from survey.analysis import releases
from survey.db import db
from survey.db.models import Answer, Area, Pool, Release, Response, Round, Unit
from survey.questionnaires.model import DONT_KNOW, Questionnaire
from survey.staff.demo import organisation

QUARTERS = 12
SMALL_HOMES = [("Gruppbostad Eken", "eken"), ("Gruppbostad Linden", "linden")]
POOL_NAME = "Gruppbostäderna i Norra området"
# People answering per quarter (users, staff) and how likely a user says the positive answer.
PEOPLE = {"bjorken": (8, 6), "verkstan": (12, 7), "boendestod-centrum": (14, 8), "fyren": (10, 5),
          "kompassen": (9, 6), "eken": (3, 2), "linden": (4, 3)}
LIKELY = {"bjorken": 0.7, "verkstan": 0.45, "boendestod-centrum": 0.65, "fyren": 0.6, "kompassen": 0.55,
          "eken": 0.75, "linden": 0.7}
IMPROVED = ("verkstan", 4, "decide_")  # unit, from which quarter, questions whose key starts so
TEXTS = ["Jag vill bestämma mer själv.", "Personalen är snälla.", "Det är bra här.", "Jag vill göra fler utflykter.",
         "Ibland är det stökigt.", "Jag trivs med mina kompisar."]


def quarters(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Return the last QUARTERS whole quarters before today's, oldest first: (name, first day, last day)."""
    found = []
    year, quarter = today.year, (today.month - 1) // 3  # the quarter before this one, 0-based
    for _ in range(QUARTERS):
        if quarter == 0:
            year, quarter = year - 1, 4
        first = dt.date(year, 3 * quarter - 2, 1)
        following = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        found.append((f"Kvartal {quarter} {year}", first, following - dt.timedelta(days=1)))
        quarter -= 1
    return found[::-1]


def create_history(today: dt.date, questionnaires: list[Questionnaire]) -> int:
    """Add the small homes and their pool, then answer and release every demo quarter not yet released; return how
    many releases were made (none on a second run)."""
    units = _units()
    made = 0
    for questionnaire in questionnaires:
        for number, (name, first, last) in enumerate(quarters(today)):
            survey_round = db.session.scalar(select(Round).where(Round.name == name,
                                                                 Round.questionnaire_id == questionnaire.id))
            if survey_round is None:
                survey_round = Round(name=name, questionnaire_id=questionnaire.id, units=units, opens_on=first,
                                     closes_on=last)
                db.session.add(survey_round)
                db.session.flush()
                _answer(survey_round, questionnaire, units, number)
                db.session.commit()
            if db.session.scalar(select(Release.id).where(Release.round_id == survey_round.id)) is None:
                releases.make(survey_round, today)
                made += 1
    return made


def _units() -> list[Unit]:
    """Return every demo unit, with the two small group homes (pooled) added beside Björken."""
    org = organisation("Demokommunen")
    bjorken = db.session.scalar(select(Unit).where(Unit.slug == "bjorken"))
    area_id = bjorken.area_id if bjorken else None
    pool = db.session.scalar(select(Pool).where(Pool.name == POOL_NAME))
    if pool is None:
        pool = Pool(organisation_id=org.id, name=POOL_NAME, service_type="housing")
        db.session.add(pool)
        db.session.flush()
    for name, slug in SMALL_HOMES:
        if db.session.scalar(select(Unit.id).where(Unit.slug == slug)) is None:
            area_id = area_id or db.session.scalar(select(Area.id))
            db.session.add(Unit(organisation_id=org.id, area_id=area_id, name=name, slug=slug, service_type="housing",
                                pool_id=pool.id, places=PEOPLE[slug][0] + 1))
    db.session.flush()
    units = list(db.session.scalars(select(Unit).where(Unit.slug.in_(PEOPLE))))
    for survey_round in db.session.scalars(select(Round).where(Round.units.any(Unit.slug == "bjorken"),
                                                               Round.closes_on >= dt.date.today())):
        survey_round.units.extend(u for u in units if u not in survey_round.units)  # they answer today too
    return units


def _answer(survey_round: Round, questionnaire: Questionnaire, units: list[Unit], number: int) -> None:
    """Store this quarter's made-up responses of every unit (through invitation codes)."""
    staff = questionnaire.audience != "user"
    for unit in units:  # each unit its own generator: the same answers whatever order the database lists units in
        rng = random.Random(f"{questionnaire.id}-{number}-{unit.slug}")  # noqa: S311 - made-up, the same every run
        likely = LIKELY[unit.slug] + (0.1 if staff else 0)
        for _ in range(max(0, PEOPLE[unit.slug][staff] + rng.choice((-1, 0, 0, 1)))):
            response = Response(unit_id=unit.id, round_id=survey_round.id, questionnaire_id=questionnaire.id,
                                questionnaire_version=questionnaire.version, language="sv", channel="qr",
                                completed=True, sex=None if staff else rng.choice(("woman", "man")),
                                helped=None if staff else rng.choice(("nobody", "staff", "nobody")))
            db.session.add(response)
            db.session.flush()
            db.session.add_all(_answers(response.id, questionnaire, unit.slug, likely, number, rng))


def _answers(response_id: str, questionnaire: Questionnaire, slug: str, likely: float, number: int,
             rng: random.Random) -> list[Answer]:
    found = []
    for question in questionnaire.questions:
        if question.background:
            continue
        if not question.is_choice:
            if rng.random() < 0.2:
                found.append(Answer(response_id=response_id, question_key=question.key, option="",
                                    text=rng.choice(TEXTS)))
            continue
        unit, since, prefix = IMPROVED
        chance = 0.85 if slug == unit and number >= since and question.key.startswith(prefix) else likely
        positive = [o.key for o in question.options if o.positive]
        others = [o.key for o in question.options if not o.positive]
        if question.dont_know and rng.random() < 0.05:
            option = DONT_KNOW
        elif rng.random() < chance or not others:
            option = rng.choice(positive or others)
        else:
            option = rng.choice(others)
        found.append(Answer(response_id=response_id, question_key=question.key, option=option))
    return found
