"""Continuous surveys: a series of monthly or quarterly rounds, made ahead so the unit link always finds one open.

Each period is an ordinary round (survey_round) and is released on its own when it closes (`survey release`, which
first makes the rounds of the periods to come: `plan`). What a period asks is decided here (`asked_in`): the whole
questionnaire, or its pulse of one to three questions. The periods' dates and names are in `schedule` (pure).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from survey.db import db
from survey.db.models import Round, RoundSeries, SeriesPeriod, Unit, round_unit
from survey.questionnaires.model import Questionnaire
from survey.staff import schedule
from survey.staff.organisation import OrganisationError, overlapping


def start_series(name: str, questionnaire: Questionnaire, period: str, starts_on: dt.date, ends_on: dt.date | None,
                 units: list[Unit], pulse: list[str], pulse_size: int, today: dt.date) -> RoundSeries:
    """Start a continuous survey and make its rounds until the period after today's (the caller commits)."""
    if not name.strip():
        raise OrganisationError("the continuous survey needs a name, e.g. Brukarenkät")
    if not units:
        raise OrganisationError("choose at least one unit")
    if ends_on is not None and ends_on < starts_on:
        raise OrganisationError("the survey must end on or after the day it starts")
    try:
        schedule.period_at(name, period, starts_on, 1)  # a month or a quarter
        schedule.check_pulse(pulse, pulse_size, [q.key for q in questionnaire.questions if not q.background])
    except schedule.ScheduleError as err:
        raise OrganisationError(str(err)) from None
    clash = overlapping(questionnaire.id, units, starts_on, ends_on)
    if clash is not None:
        raise OrganisationError(f"'{clash.name}' already asks {questionnaire.id} at one of these units then: "
                                "a unit has one round of a questionnaire open at a time")
    series = RoundSeries(name=name.strip(), questionnaire_id=questionnaire.id, period=period, starts_on=starts_on,
                         ends_on=ends_on, pulse=pulse if pulse else [], pulse_size=pulse_size if pulse else 0,
                         units=units)
    db.session.add(series)
    db.session.flush()
    plan_series(series, today)
    return series


def plan_series(series: RoundSeries, today: dt.date) -> list[Round]:
    """Make the rounds of this series' periods that do not exist yet, until the period after today's."""
    made = set(db.session.scalars(select(SeriesPeriod.number).where(SeriesPeriod.series_id == series.id)))
    new = []
    for period in schedule.periods_until(series.name, series.period, series.starts_on, series.ends_on,
                                         schedule.ahead(series.period, today)):
        if period.number in made:
            continue
        closes_on = min(period.closes_on, series.ends_on) if series.ends_on else period.closes_on
        survey_round = Round(name=period.name, questionnaire_id=series.questionnaire_id, units=list(series.units),
                             opens_on=max(period.opens_on, series.starts_on), closes_on=closes_on)
        db.session.add(survey_round)
        db.session.flush()
        db.session.add(SeriesPeriod(round_id=survey_round.id, series_id=series.id, number=period.number,
                                    questions=schedule.pulse_for(series.pulse, series.pulse_size, period.number)))
        new.append(survey_round)
    return new


def plan(today: dt.date) -> list[Round]:
    """Make the coming rounds of every continuous survey (run nightly, by `survey release`) and commit them."""
    new = [r for series in db.session.scalars(select(RoundSeries).order_by(RoundSeries.name))
           for r in plan_series(series, today)]
    db.session.commit()
    return new


def all_series() -> list[RoundSeries]:
    return list(db.session.scalars(select(RoundSeries).order_by(RoundSeries.name)))


@dataclass(frozen=True)
class MadePeriod:
    """A period of a series as staff see it: its round and the pulse questions it asks (None: all)."""

    round: Round
    number: int
    questions: list[str] | None


def periods(series: RoundSeries) -> list[MadePeriod]:
    """Return the rounds made for a series so far, in order."""
    rows = db.session.execute(select(Round, SeriesPeriod).join(SeriesPeriod, SeriesPeriod.round_id == Round.id)
                              .where(SeriesPeriod.series_id == series.id).order_by(SeriesPeriod.number))
    return [MadePeriod(r, p.number, p.questions) for r, p in rows]


def period_of(round_id: str) -> SeriesPeriod | None:
    """Return the series period this round is, or None for a round of its own."""
    return db.session.get(SeriesPeriod, round_id)


def asked_in(round_id: str) -> list[str] | None:
    """Return the keys of the questions a round asks, or None when it asks the whole questionnaire."""
    period = period_of(round_id)
    return None if period is None else period.questions


def asked(questionnaire: Questionnaire, keys: list[str] | None) -> Questionnaire:
    """Return the questionnaire as a period asks it (`asked_in`): only its pulse questions, in the pulse's order."""
    if keys is None:
        return questionnaire
    chosen = [questionnaire.question(key) for key in keys]
    return questionnaire.model_copy(update={"questions": tuple(q for q in chosen if q is not None)})


def open_period(round_id: str, unit_id: str, today: dt.date) -> Round | None:
    """Return the round of the same series open today at this unit (a card printed in an earlier period)."""
    period = period_of(round_id)
    if period is None:
        return None
    return db.session.scalars(select(Round).join(SeriesPeriod, SeriesPeriod.round_id == Round.id)
                              .join(round_unit, round_unit.c.round_id == Round.id)
                              .where(SeriesPeriod.series_id == period.series_id, round_unit.c.unit_id == unit_id,
                                     Round.opens_on <= today, Round.closes_on >= today).limit(1)).first()


def same_series(round_id: str, other_id: str) -> bool:
    """Tell whether two rounds are the same round or periods of one series."""
    if round_id == other_id:
        return True
    one, other = period_of(round_id), period_of(other_id)
    return one is not None and other is not None and one.series_id == other.series_id
