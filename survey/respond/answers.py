"""Turn what a respondent sent for one question into clean answer values (pure, no Flask, no database)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from survey.questionnaires.model import DONT_KNOW, Question, QuestionType

# Control characters other than tab and newline never belong in an answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


class BadAnswer(ValueError):
    """The values sent do not fit the question (tampered or stale form)."""


@dataclass(frozen=True)
class Given:
    """The clean answer to one question: chosen option keys, or one free text. Empty means skipped."""

    options: tuple[str, ...] = ()
    text: str | None = None


def clean_text(text: str, limit: int) -> str:
    """Strip control characters, normalise line ends and bound the length of a free-text answer."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()[:limit]


def clean_answer(question: Question, chosen: list[str], text: str | None, text_limit: int) -> Given:
    """Check the sent values against the question; raise BadAnswer if they cannot come from its form."""
    if question.type is QuestionType.FREE_TEXT:
        if chosen:
            raise BadAnswer(f"{question.key}: free-text question got options")
        cleaned = clean_text(text or "", text_limit)
        return Given(text=cleaned or None)
    if text:
        raise BadAnswer(f"{question.key}: choice question got free text")
    allowed = question.answer_keys()
    unique = tuple(dict.fromkeys(chosen))
    if any(value not in allowed for value in unique):
        raise BadAnswer(f"{question.key}: unknown option")
    if question.type is not QuestionType.MULTIPLE_CHOICE and len(unique) > 1:
        raise BadAnswer(f"{question.key}: more than one option for a single-choice question")
    if DONT_KNOW in unique and len(unique) > 1:
        raise BadAnswer(f"{question.key}: 'don't know' together with other options")
    return Given(options=unique)
