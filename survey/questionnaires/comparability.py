"""Which results can be compared across versions of a questionnaire (pure).

A question is the same question in two versions when it keeps its key and its `meaning` and is scored
the same way: the same type, the same option keys with the same positive ones, "Don't know" offered in
both or in neither. Wording may be clarified under the same key and meaning; a change of what is asked
gets a new key (or a higher `meaning`). A flag is comparable when the questions behind it are the same.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from survey.questionnaires.model import Question, Questionnaire

Definitions = Mapping[int, Questionnaire]  # version number -> that version's definition


def as_versions(definitions: Questionnaire | Definitions) -> dict[int, Questionnaire]:
    """Return version -> definition, for one questionnaire or several versions of one."""
    if isinstance(definitions, Questionnaire):
        return {definitions.version: definitions}
    return dict(definitions)


def question_identity(question: Question) -> tuple:
    """Return what must stay the same for a question's results to be compared across versions."""
    options = tuple(sorted((o.key, o.positive) for o in question.options))
    return question.key, question.meaning, question.type.value, options, question.dont_know


def identity(questionnaire: Questionnaire, kind: str, item: str) -> Hashable | None:
    """Return the identity of a question or flag in one version (None when the version does not have it)."""
    if kind == "question":
        question = questionnaire.question(item)
        return question_identity(question) if question else None
    behind = frozenset(question_identity(q) for q in questionnaire.questions if item in q.flags)
    return behind or None


def comparable(definitions: Definitions, kind: str, item: str, versions: Iterable[int]) -> bool:
    """Say whether a question or flag means the same in every one of these versions."""
    found = {identity(definitions[v], kind, item) for v in versions if v in definitions}
    return len(found) == 1 and None not in found


def comparable_since(definitions: Definitions, kind: str, item: str, reference: int) -> int | None:
    """Return the oldest version from which the item is unchanged up to `reference` (None if it has no such item)."""
    wanted = identity(definitions[reference], kind, item) if reference in definitions else None
    if wanted is None:
        return None
    since = reference
    for version in sorted((v for v in definitions if v < reference), reverse=True):
        if identity(definitions[version], kind, item) != wanted:
            break
        since = version
    return since


def segments(definitions: Definitions) -> dict[tuple[int, str], str]:
    """Return (version, question key) -> the item its answers are counted under.

    Versions in which a question keeps its identity share one item, named by its key. Where its meaning or
    scoring changed, answers to the older definition form an item of their own, `key@v<first version>`: no
    figure mixes two definitions (a share counted one way before a new version and another way after it
    would split respondents by when they answered)."""
    found: dict[tuple[int, str], str] = {}
    keys = {question.key for q in definitions.values() for question in q.questions}
    for key in keys:
        runs: list[list[int]] = []
        previous = None
        asked = {v: q.question(key) for v, q in definitions.items()}
        for version, question in sorted((v, q) for v, q in asked.items() if q is not None):
            current = question_identity(question)
            if current != previous:
                runs.append([])
            runs[-1].append(version)
            previous = current
        for run in runs[:-1]:
            found.update({(v, key): f"{key}@v{run[0]}" for v in run})
        found.update({(v, key): key for v in runs[-1]})
    return found


def segment_since(definitions: Definitions, item: str) -> int | None:
    """Return the oldest version an item (a question key or `key@vN`) has been counted under unchanged."""
    key, _, first = item.partition("@v")
    if first:
        return int(first)
    newest = max((v for v, q in definitions.items() if q.question(key) is not None), default=None)
    return comparable_since(definitions, "question", key, newest) if newest is not None else None


@dataclass(frozen=True)
class Change:
    """How one question of a new version relates to the version before it."""

    key: str
    status: str  # same, reworded, not_comparable, new, removed
    reason: str = ""


def changes(before: Questionnaire | None, after: Questionnaire) -> list[Change]:
    """Say, per question, whether results stay comparable when `after` replaces `before`."""
    if before is None:
        return [Change(q.key, "new") for q in after.questions]
    found = []
    for question in after.questions:
        old = before.question(question.key)
        if old is None:
            found.append(Change(question.key, "new"))
        elif question_identity(old) != question_identity(question):
            found.append(Change(question.key, "not_comparable", _why(old, question)))
        elif (old.text, old.spoken) != (question.text, question.spoken):
            found.append(Change(question.key, "reworded"))
        else:
            found.append(Change(question.key, "same"))
    kept = {q.key for q in after.questions}
    return found + [Change(q.key, "removed") for q in before.questions if q.key not in kept]


def _why(old: Question, new: Question) -> str:
    if old.meaning != new.meaning:
        return "meaning"
    if old.type != new.type:
        return "type"
    return "dont_know" if old.dont_know != new.dont_know else "options"
