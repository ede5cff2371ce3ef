"""The periods of a continuous survey: months or quarters from a start date, their names, and the pulse each asks.

Pure: dates and lists in, dates and lists out. A period is a whole calendar month or quarter, so every respondent
who answers in it is counted in it alone, and its release tells no more about when anyone answered than its name.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PERIODS = ("month", "quarter")
MAX_PULSE = 3


class ScheduleError(ValueError):
    """A staff-facing problem with a continuous survey's settings; the message names the fix."""


@dataclass(frozen=True)
class Period:
    """One period of a series: its number (1 for the period the series starts in), name and first and last day."""

    number: int
    name: str
    opens_on: dt.date
    closes_on: dt.date


def _months(period: str) -> int:
    if period not in PERIODS:
        raise ScheduleError(f"a period is a month or a quarter, not '{period}'")
    return 1 if period == "month" else 3


def _first_day(day: dt.date, months: int) -> dt.date:
    return dt.date(day.year, day.month - (day.month - 1) % months, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_name(series_name: str, period: str, first: dt.date) -> str:
    """Name a period's round: "Brukarenkät 2027-01" for a month, "Brukarenkät 2027 K1" for a quarter."""
    label = f"{first:%Y-%m}" if period == "month" else f"{first.year} K{(first.month - 1) // 3 + 1}"
    return f"{series_name} {label}"


def period_at(series_name: str, period: str, starts_on: dt.date, number: int) -> Period:
    """Return the series' period with this number (1: the month or quarter that holds the start date)."""
    months = _months(period)
    first = _add_months(_first_day(starts_on, months), months * (number - 1))
    following = _add_months(first, months)
    return Period(number, period_name(series_name, period, first), first, following - dt.timedelta(days=1))


def periods_until(series_name: str, period: str, starts_on: dt.date, ends_on: dt.date | None,
                  last_day: dt.date) -> list[Period]:
    """Return every period from the start until the one holding `last_day`, none beginning after the end."""
    found: list[Period] = []
    number = 1
    while True:
        current = period_at(series_name, period, starts_on, number)
        if current.opens_on > last_day or (ends_on is not None and current.opens_on > ends_on):
            return found
        found.append(current)
        number += 1


def ahead(period: str, today: dt.date) -> dt.date:
    """Return the first day of the period after today's: rounds exist until then, so the unit link never waits."""
    months = _months(period)
    return _add_months(_first_day(today, months), months)


def pulse_for(pulse: list[str], size: int, number: int) -> list[str] | None:
    """Return the questions period `number` asks: the next `size` of the pulse list, in order, round and round.

    An empty pulse asks the whole questionnaire (None)."""
    if not pulse:
        return None
    taken = min(size, len(pulse))
    start = (number - 1) * taken
    return [pulse[(start + i) % len(pulse)] for i in range(taken)]


def check_pulse(pulse: list[str], size: int, askable: list[str]) -> None:
    """Raise unless the pulse names questions of the questionnaire, once each, and asks 1 to 3 a period."""
    if not pulse:
        return
    unknown = [key for key in pulse if key not in askable]
    if unknown:
        raise ScheduleError(f"the questionnaire has no question {', '.join(unknown)} a pulse can ask")
    if len(set(pulse)) != len(pulse):
        raise ScheduleError("a pulse names each question once")
    if not 1 <= size <= MAX_PULSE:
        raise ScheduleError(f"a pulse asks 1 to {MAX_PULSE} questions a period")
