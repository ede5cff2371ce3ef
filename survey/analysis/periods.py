"""The periods before a round, as its release needs them: the releases that came before, and what they published.

A period is a round of a questionnaire, and its release has a place in the questionnaire's series (1, 2, 3, ...).
Figures over several periods stay within a block of three places (1-3, 4-6, ...): the second release of a block
shows a unit over its two periods, the third over the last two and all three. No figure ties two blocks, so a
release's audit needs only its block's releases, and nothing published in one block can be combined with another
to give a small group away (over a rolling window, every period would be tied to the one before, back to the first).
A round released beside or before a later one has no place: it shows its own period only.

A period of a continuous survey (survey/staff/series.py) has its place in its own series instead: its number there
(blocks of three months make a quarter). A pulse period shows its own period only: its questions change from one
period to the next, so a figure over several would mix what was asked. Releases of a series compare with the
series' earlier releases only; a pulse's questions each with the last period that asked the same question.
"""
from __future__ import annotations

import json

from sqlalchemy import ColumnElement, select

from survey.analysis import pooling
from survey.db import db
from survey.db.models import Release, ReleaseCell, Round, SeriesPeriod
from survey.questionnaires.comparability import Definitions, segment_since, segments
from survey.staff import series

BLOCK = max(pooling.SPANS)


def previous(survey_round: Round) -> Release | None:
    """Return the release this round's figures are compared with (the latest that asked the same), if any."""
    return next(iter(compared_with(survey_round)), None)


def compared_with(survey_round: Round) -> list[Release]:
    """Return the releases this round's figures are compared with, newest first: each figure with the first of
    them that asked its question (one release, except for a pulse, whose questions rotate)."""
    period = series.period_of(survey_round.id)
    if period is None:
        latest = _latest_before(survey_round)
        return [] if latest is None else [latest]
    earlier = [release for release, _number in _series_releases(period) if _number < period.number][::-1]
    return earlier if period.questions is not None else earlier[:1]


def in_sequence(survey_round: Round) -> ColumnElement[bool]:
    """Return the condition on Round for the rounds whose releases make one line over time with this one: the
    periods of its continuous survey, or else every round of no continuous survey (a unit's quarters and a monthly
    pulse at another unit are not one line)."""
    period = series.period_of(survey_round.id)
    if period is None:
        return Round.id.not_in(select(SeriesPeriod.round_id))
    return Round.id.in_(select(SeriesPeriod.round_id).where(SeriesPeriod.series_id == period.series_id))


def _latest_before(survey_round: Round) -> Release | None:
    """Return the release of the latest round of the same questionnaire that closed before this one opened (of no
    continuous survey)."""
    return db.session.scalar(select(Release).join(Round, Round.id == Release.round_id)
                             .where(Release.questionnaire_id == survey_round.questionnaire_id,
                                    Round.closes_on < survey_round.opens_on, in_sequence(survey_round))
                             .order_by(Round.closes_on.desc()).limit(1))


def place(survey_round: Round) -> tuple[int | None, list[Release]]:
    """Return this round's place in its questionnaire's series, and the releases before it in its block (oldest
    first): the next place after the latest release if that round closed before this one opened, else none.

    A period of a continuous survey has no place in the questionnaire's series: its block is in its own."""
    period = series.period_of(survey_round.id)
    if period is not None:
        return None, _series_block(period)
    latest = db.session.scalar(select(Release).where(Release.questionnaire_id == survey_round.questionnaire_id,
                                                     Release.position.is_not(None))
                               .order_by(Release.position.desc()).limit(1))
    if latest is None:
        return 1, []
    if db.session.get(Round, latest.round_id).closes_on >= survey_round.opens_on:
        return None, []
    position = latest.position + 1
    first = position - (position - 1) % BLOCK
    block = db.session.scalars(select(Release).where(Release.questionnaire_id == survey_round.questionnaire_id,
                                                     Release.position >= first, Release.position < position)
                               .order_by(Release.position))
    return position, list(block)


def _series_releases(period: SeriesPeriod) -> list[tuple[Release, int]]:
    """Return the releases of a series' periods with their numbers, oldest first."""
    rows = db.session.execute(select(Release, SeriesPeriod.number)
                              .join(SeriesPeriod, SeriesPeriod.round_id == Release.round_id)
                              .where(SeriesPeriod.series_id == period.series_id).order_by(SeriesPeriod.number))
    return [(release, number) for release, number in rows]


def _series_block(period: SeriesPeriod) -> list[Release]:
    """Return the releases before this period in its block of three periods of the series (none for a pulse, and
    none when a later period is already released: its audit could not have covered this one's spans)."""
    released = _series_releases(period)
    if period.questions is not None or any(number > period.number for _release, number in released):
        return []
    first = period.number - (period.number - 1) % BLOCK
    return [release for release, number in released if first <= number < period.number]


def as_asked(definitions: Definitions, keys: list[str] | None) -> Definitions:
    """Return the definitions as a pulse asked them: only its questions, counted towards no flag (a flag's figure
    from one of its questions would not be the flag's figure); None keeps the whole questionnaire."""
    if keys is None:
        return definitions
    return {version: questionnaire.model_copy(update={"questions": tuple(
        q.model_copy(update={"flags": ()}) for q in questionnaire.questions if q.key in keys or q.background)})
        for version, questionnaire in definitions.items()}


def published(release: Release, definitions: Definitions) -> pooling.Earlier:
    """Return what a release published (every cell, hidden or shown, over one period or several) and its pools.

    Items are named as now: a question whose definition has since changed was released under its plain key, and
    is now counted as `key@vN`; its cells are matched by the version they compare from."""
    rows = db.session.execute(select(ReleaseCell.kind, ReleaseCell.item, ReleaseCell.since, ReleaseCell.level,
                                     ReleaseCell.group_id, ReleaseCell.dimension, ReleaseCell.category,
                                     ReleaseCell.periods, ReleaseCell.hidden)
                              .where(ReleaseCell.release_id == release.id)).all()
    renamed = _names_now(definitions)
    hidden = {}
    for kind, item, since, level, group, dimension, category, spanned, is_hidden in rows:
        name = renamed.get((item.partition("@v")[0], since), item) if kind == "question" else item
        named = pooling.span_level(level, spanned) if spanned > 1 else level
        hidden[(kind, name, (release.round_id, named, group, dimension, category))] = bool(is_hidden)
    pools = json.loads(release.summary).get("pools", {})
    return pooling.Earlier(release.round_id, hidden, {p: tuple(us) for p, us in pools.items()})


def _names_now(definitions: Definitions) -> dict[tuple[str, int | None], str]:
    """Return (question key, comparable since) -> the item's name now."""
    return {(item.partition("@v")[0], segment_since(definitions, item)): item
            for item in set(segments(definitions).values())}


def span_labels(releases_before: list[Release], survey_round: Round) -> dict[int, str]:
    """Return periods -> how a span is named, e.g. {2: "Hösten 2025–Våren 2026"}."""
    names = [db.session.get(Round, r.round_id).name for r in releases_before] + [survey_round.name]
    return {periods: f"{names[-periods]}–{names[-1]}" for periods in pooling.SPANS if len(names) >= periods}
