"""The cycle's rules as plain data and pure functions: verdicts, statuses, and the verdict a figure suggests."""
from __future__ import annotations

import re
from collections.abc import Iterable

from survey.questionnaires.quality import GREEN, RED, YELLOW

STRENGTH, WATCH, CHALLENGE, NOT_ENOUGH = "strength", "watch", "challenge", "not_enough_evidence"
VERDICTS = (STRENGTH, WATCH, CHALLENGE, NOT_ENOUGH)
PLANNED, ONGOING, DONE, STOPPED = "planned", "ongoing", "done", "stopped"
STATUSES = (PLANNED, ONGOING, DONE, STOPPED)
OPEN_STATUSES = (PLANNED, ONGOING)
COUNT, NOTE = "count", "note"
EVIDENCE_KINDS = (COUNT, NOTE)
# A figure's colour suggests a verdict; the more worrying of two sources wins, since either can show a problem.
BY_COLOUR = {GREEN: STRENGTH, YELLOW: WATCH, RED: CHALLENGE}
CONCERN = (STRENGTH, WATCH, CHALLENGE)
# A Swedish personnummer or samordningsnummer ([YY]YYMMDD-NNNN, day + 60), or a Norwegian fødselsnummer or
# D-/H-number (DDMMYYNNNNN, day + 40, month + 40): digits only, or with the usual separator.
SWEDISH_ID = re.compile(r"(?<![\d-])(?:19|20)?(\d{2})(\d{2})(\d{2})[-+ ]?\d{4}(?![\d-])")
NORWEGIAN_ID = re.compile(r"(?<![\d-])(\d{2})(\d{2})(\d{2}) ?\d{5}(?![\d-])")


class CycleError(ValueError):
    """Input the cycle refuses; the message says what is wrong, in words staff read."""


def suggested_verdict(colours: Iterable[str | None]) -> str:
    """Return the verdict the shown figures' colours suggest: the most worrying, or not enough evidence if none."""
    verdicts = [BY_COLOUR[colour] for colour in colours if colour in BY_COLOUR]
    return max(verdicts, key=CONCERN.index) if verdicts else NOT_ENOUGH


def check_verdict(verdict: str) -> str:
    """Return the verdict if it is one of the four; raise CycleError otherwise."""
    if verdict not in VERDICTS:
        raise CycleError(f"unknown verdict '{verdict}' (one of {', '.join(VERDICTS)})")
    return verdict


def check_flags(flag_ids: Iterable[str], known: set[str]) -> list[str]:
    """Return the flag ids, in order and without repeats, if there is at least one and all are known."""
    chosen = list(dict.fromkeys(flag_ids))
    if not chosen:
        raise CycleError("choose at least one flag")
    unknown = [flag for flag in chosen if flag not in known]
    if unknown:
        raise CycleError(f"unknown flag {', '.join(unknown)}")
    return chosen


def check_status(status: str) -> str:
    """Return the status if it is one of the four; raise CycleError otherwise."""
    if status not in STATUSES:
        raise CycleError(f"unknown status '{status}' (one of {', '.join(STATUSES)})")
    return status


def check_count(count: int | None, denominator: int | None) -> None:
    """Refuse a count that is missing, negative, or more than its denominator (which must be at least 1)."""
    if count is None or denominator is None:
        raise CycleError("a count needs both the number and what it is out of")
    if denominator < 1 or count < 0 or count > denominator:
        raise CycleError(f"{count} of {denominator} is not a count: it must be between 0 and a denominator of 1 or "
                         "more")


def _day(day: int) -> bool:
    return 1 <= day <= 31


def looks_like_personal_number(text: str) -> bool:
    """Return whether a text holds something that looks like a Swedish or Norwegian personal identity number."""
    for match in SWEDISH_ID.finditer(text):
        month, day = int(match.group(2)), int(match.group(3))
        if 1 <= month <= 12 and (_day(day) or _day(day - 60)):
            return True
    for match in NORWEGIAN_ID.finditer(text):
        day, month = int(match.group(1)), int(match.group(2))
        if (_day(day) or _day(day - 40)) and (1 <= month <= 12 or 41 <= month <= 52):
            return True
    return False


def check_not_personal(*texts: str) -> None:
    """Refuse texts holding what looks like a personal identity number: evidence is about the unit's work."""
    if any(looks_like_personal_number(text) for text in texts):
        raise CycleError("the text looks like it holds a personal identity number: write about the unit's work, "
                         "never about one person")
