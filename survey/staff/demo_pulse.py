"""The demo's continuous survey: Daglig verksamhet Ateljén asks a monthly pulse of two questions, taking the next two
of four in turn; its past months are answered and released, this month is open at /u/ateljen.
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from survey.analysis import releases
from survey.db import db
from survey.db.models import Answer, Area, Release, Response, RoundSeries, Unit
from survey.questionnaires.model import Questionnaire
from survey.staff import series
from survey.staff.demo import organisation

SERIES_NAME = "Pulsen i Ateljén"
UNIT = ("Daglig verksamhet Ateljén", "ateljen", "daily_activity")
PULSE = ["decide_important", "staff_listen", "safe_here", "like_here"]
MONTHS = 6  # months before this one, answered and released
PEOPLE = 9  # answering a month, give or take one


def create_pulse(today: dt.date, questionnaire: Questionnaire, answer_past: bool = True) -> int:
    """Add Ateljén and its monthly pulse (safe to run twice); answer and release its past months; return how many
    releases were made."""
    found = db.session.scalar(select(RoundSeries).where(RoundSeries.name == SERIES_NAME))
    if found is None:
        start = dt.date(today.year, today.month, 1)
        for _ in range(MONTHS):
            start = (start - dt.timedelta(days=1)).replace(day=1)
        found = series.start_series(SERIES_NAME, questionnaire, "month", start, None, [_unit()],
                                    [key for key in PULSE if questionnaire.question(key)], 2, today)
    series.plan_series(found, today)
    db.session.commit()
    made = 0
    for period in series.periods(found) if answer_past else []:
        survey_round = period.round
        if survey_round.closes_on >= today:
            continue
        if db.session.scalar(select(Release.id).where(Release.round_id == survey_round.id)) is None:
            if db.session.scalar(select(Response.id).where(Response.round_id == survey_round.id).limit(1)) is None:
                _answer(survey_round.id, found.units[0], questionnaire, period.questions or [], period.number)
                db.session.commit()
            releases.make(survey_round, today)
            made += 1
    return made


def _unit() -> Unit:
    name, slug, service_type = UNIT
    unit = db.session.scalar(select(Unit).where(Unit.slug == slug))
    if unit is None:
        area_id = db.session.scalar(select(Area.id).where(Area.name == "Norra området")) or \
            db.session.scalar(select(Area.id))
        unit = Unit(organisation_id=organisation("Demokommunen").id, area_id=area_id, name=name, slug=slug,
                    service_type=service_type)
        db.session.add(unit)
        db.session.flush()
    return unit


def _answer(round_id: str, unit: Unit, questionnaire: Questionnaire, keys: list[str], number: int) -> None:
    """Store one month's made-up answers to its pulse questions (through invitation codes), a little better each
    month."""
    rng = random.Random(f"pulse-{number}")  # noqa: S311 - made-up answers, the same on every run
    likely = 0.5 + 0.04 * number
    for _ in range(PEOPLE + rng.choice((-1, 0, 1))):
        response = Response(unit_id=unit.id, round_id=round_id, questionnaire_id=questionnaire.id,
                            questionnaire_version=questionnaire.version, language="sv", channel="qr", completed=True)
        db.session.add(response)
        db.session.flush()
        for key in keys:
            question = questionnaire.question(key)
            positive = [o.key for o in question.options if o.positive]
            others = [o.key for o in question.options if not o.positive] or positive
            option = rng.choice(positive if rng.random() < likely else others)
            db.session.add(Answer(response_id=response.id, question_key=key, option=option))
