"""Releases: a round's results computed once, after it closes, audited, stored and never changed.

Every page, chart, export, the API and the PDF report read a release; nothing publishes figures computed from
live responses (two snapshots of live figures, taken before and after one person answered, would give that
person's answers). A release records its rule set, threshold and date, so a figure can be reproduced years later.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json

import numpy as np
import pandas as pd
from flask import current_app
from sqlalchemy import case, func, insert, literal, select

from survey.analysis import counting, exports, microdata, periods, pooling, scoring
from survey.config import LANGUAGES
from survey.db import db, frame
from survey.db.models import (
    Answer,
    Area,
    Release,
    ReleaseCell,
    ReleaseFile,
    ReleaseOption,
    ReleaseText,
    Response,
    Round,
    Unit,
)
from survey.questionnaires import library
from survey.questionnaires.comparability import Definitions, comparable_since, segment_since, segments
from survey.questionnaires.model import QuestionType
from survey.staff import series

RULES = ("survey-release/1: n = respondents with a valid answer; shown only where at least the threshold of them "
         "came through a code or tablet mode; hidden sums rest on the threshold; exact linear audit; free text in "
         "one grouping; microdata blanked like the cells")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
LEVEL_COLUMNS = {"unit": Unit.id, "area": func.coalesce(Unit.area_id, scoring.NO_AREA),
                 "service_type": Unit.service_type}


class ReleaseError(Exception):
    """A release that cannot be made now; the message tells staff why."""


def make(survey_round: Round, today: dt.date) -> Release:
    """Compute, audit and store the release of a closed round (the caller commits nothing: this commits)."""
    if survey_round.closes_on >= today:
        raise ReleaseError(f"'{survey_round.name}' is open until {survey_round.closes_on}: an open round's figures "
                           "change with every answer, so a round is released once, after it closes")
    if db.session.scalar(select(Release.id).where(Release.round_id == survey_round.id)) is not None:
        raise ReleaseError(f"'{survey_round.name}' is already released: a release never changes")
    definitions = library().answered_versions(survey_round.questionnaire_id)
    if not definitions:
        raise ReleaseError(f"'{survey_round.questionnaire_id}' has no published version")
    definitions = periods.as_asked(definitions, series.asked_in(survey_round.id))  # a pulse: its questions only
    threshold = current_app.config["MIN_GROUP_SIZE"]
    position, block = periods.place(survey_round)
    rounds = [r.round_id for r in block] + [survey_round.id]
    counts = counting.count(definitions, rounds)
    if not (counts.questions["round_id"] == survey_round.id).any():
        raise ReleaseError(f"'{survey_round.name}' has no answers: there is nothing to release")
    earlier = {r.round_id: periods.published(r, definitions) for r in block}
    results = pooling.score_periods(counts, definitions, library().quality_model, threshold, rounds, earlier)
    compared = periods.compared_with(survey_round)
    previous = compared[0] if compared else None
    cells = _with_since_and_change(_split_periods(results.cells), definitions, compared)
    mine = counts.questions[counts.questions["round_id"] == survey_round.id]
    answered = sorted(set(mine["version"].astype(int)))
    release = Release(round_id=survey_round.id, questionnaire_id=survey_round.questionnaire_id, number=1,
                      made_on=today, threshold=threshold, rules=RULES, versions=",".join(map(str, answered)),
                      summary="{}", position=position)
    db.session.add(release)
    db.session.flush()
    texts = _free_texts(survey_round, definitions, cells, current_app.config["FREE_TEXT_LEVEL"])
    rows = microdata.build(*_respondent_rows(survey_round, definitions, cells))
    _store(release, cells, results.options, texts)
    _store_files(release, survey_round, definitions, cells, results.options, rows)
    pools = counts.units.dropna(subset=["pool_id"]).groupby("pool_id")["unit_id"].agg(sorted).to_dict()
    release.summary = json.dumps({
        "previous_round": db.session.get(Round, previous.round_id).name if previous else None,
        "periods": periods.span_labels(block, survey_round), "pools": pools,
        "cells": len(cells), "hidden": int(cells["hidden"].sum()), "free_text_level": texts.attrs["level"],
        "microdata_breakdown": rows.breakdown, "microdata_rows": len(rows.table)})
    db.session.commit()
    return release


def _split_periods(cells: pd.DataFrame) -> pd.DataFrame:
    """Turn a pooled level (unit:2) into its level and how many periods it spans."""
    parts = cells["level"].str.split(":", n=1, expand=True)
    periods = parts[1].fillna("1").astype(int) if parts.shape[1] > 1 else 1
    return cells.assign(level=parts[0], periods=periods)


def _with_since_and_change(cells: pd.DataFrame, definitions: Definitions, compared: list[Release]) -> pd.DataFrame:
    """Add from which version each figure compares, and its change since the previous release where comparable:
    the first of `compared` (newest first) that published the item at all, shown or hidden."""
    newest = max(definitions)
    since = {pair: segment_since(definitions, pair[1]) if pair[0] == "question"
             else comparable_since(definitions, "flag", pair[1], newest)
             for pair in set(zip(cells["kind"], cells["item"]))}
    cells = cells.assign(since=[since[pair] for pair in zip(cells["kind"], cells["item"])])
    if not compared:
        return cells.assign(change=float("nan"))
    key = ["level", "group_id", "periods", "dimension", "category", "kind", "item", "since"]
    before = frame(select(*(getattr(ReleaseCell, k) for k in key), ReleaseCell.share, ReleaseCell.hidden,
                          ReleaseCell.release_id).where(ReleaseCell.release_id.in_([r.id for r in compared])),
                   [*key, "before", "hidden_before", "release_id"])
    order = {r.id: i for i, r in enumerate(compared)}
    first = before.assign(order=before["release_id"].map(order)).groupby(["kind", "item"])["order"].transform("min")
    before = before[(before["release_id"].map(order) == first) & ~before["hidden_before"].astype(bool)]
    before = before.drop(columns=["hidden_before", "release_id"])
    merged = cells.merge(before, on=key, how="left")
    return merged.assign(change=merged["share"] - pd.to_numeric(merged["before"])).drop(columns="before")


def _free_texts(survey_round: Round, definitions: Definitions, cells: pd.DataFrame, level: str) -> pd.DataFrame:
    """Return the free texts released: one fixed grouping, each group's list only where its cell is shown.

    Lists never overlap (one level, whose groups do not), so no text can be pinned to a hidden group by
    combining lists; the texts of hidden groups are in no list."""
    item_of = segments(definitions)
    free = {(v, q.key) for v, d in definitions.items() for q in d.questions if q.type is QuestionType.FREE_TEXT}
    shown = cells[(cells["level"] == level) & (cells["periods"] == 1) & (cells["dimension"] == "all")
                  & (cells["kind"] == "question") & ~cells["hidden"]]
    shown_pairs = set(zip(shown["group_id"], shown["item"]))
    found = frame(select(LEVEL_COLUMNS.get(level, literal("all")), Response.questionnaire_version,
                         Answer.question_key, Answer.text)
                  .join(Response, Response.id == Answer.response_id).join(Unit, Unit.id == Response.unit_id)
                  .where(Response.round_id == survey_round.id, Response.held.is_(False), Answer.option == "",
                         Answer.text.is_not(None)), ["group_id", "version", "question_key", "text"])
    found = found.loc[np.array([(v, k) in free for v, k in zip(found["version"], found["question_key"])], dtype=bool)]
    items = [item_of[(v, k)] for v, k in zip(found["version"], found["question_key"])]
    found = found.assign(item=pd.Series(items, index=found.index, dtype=object), level=level)
    found = found.loc[np.array([(g, i) in shown_pairs for g, i in zip(found["group_id"], found["item"])], dtype=bool)]
    found = found.sort_values(["group_id", "item", "text"])[["level", "group_id", "item", "text"]]
    found.attrs["level"] = level
    return found


# A response's answers travel from SQL as one string: "key<US>value<RS>key<US>value...". Answers never hold
# these two control characters (answers.clean_text strips them from free text; option keys are identifiers).
_PAIR, _NEXT = "\x1f", "\x1e"


def _respondent_rows(survey_round: Round, definitions: Definitions, cells: pd.DataFrame):
    """Return one row per counted respondent, the questions microdata may hold, and the hidden unit-level cells."""
    item_of = segments(definitions)
    newest = definitions[max(definitions)]
    changed = {key for (_v, key), item in item_of.items() if item != key}
    keys = [q.key for q in newest.questions if not q.background and q.key not in changed]
    value = case((Answer.option == "", Answer.text), else_=Answer.option)
    packed = (select(func.aggregate_strings(Answer.question_key + _PAIR + value, _NEXT))
              .where(Answer.response_id == Response.id).scalar_subquery())
    rows = frame(select(Unit.id, Unit.name, Area.name, Unit.service_type, Response.sex, Response.helped, packed)
                 .join(Unit, Unit.id == Response.unit_id).outerjoin(Area, Area.id == Unit.area_id)
                 .where(Response.round_id == survey_round.id, Response.held.is_(False)),
                 ["unit_id", "unit", "area", "service_type", "sex", "helped", "answers"], jit=False)
    rows = scoring.categorise(rows.assign(verified=True)).drop(columns=["helped", "verified"])
    answers = pd.DataFrame([_unpack(packed) for packed in rows.pop("answers")], columns=keys, index=rows.index)
    units = cells[(cells["level"] == "unit") & (cells["periods"] == 1) & (cells["kind"] == "question")
                  & cells["hidden"]]
    hidden = set(zip(units["group_id"], units["item"], units["dimension"], units["category"]))
    return pd.concat([rows, answers], axis=1), keys, hidden


def _unpack(packed: str | None) -> dict[str, str]:
    """Return question key -> answer from one packed string; several options of one question joined by ";".

    A response without answers has no string at all (None, or NaN once in a frame): it unpacks to nothing."""
    if not isinstance(packed, str) or not packed:
        return {}
    parts = packed.replace(_NEXT, _PAIR).split(_PAIR)  # key, answer, key, answer, ...
    chosen: dict[str, list[str]] = {}
    for key, option in zip(parts[::2], parts[1::2]):
        chosen.setdefault(key, []).append(option)
    return {key: ";".join(sorted(options)) for key, options in chosen.items()}


CELL_COLUMNS = ["level", "group_id", "periods", "dimension", "category", "kind", "item", "hidden", "n", "positive",
                "valid", "dont_know", "share", "colour", "since", "change"]


def _store(release: Release, cells: pd.DataFrame, options: pd.DataFrame, texts: pd.DataFrame) -> None:
    """Write the release's cells, options and free texts (one statement per table)."""
    stored = cells.rename(columns={"group": "group_name"})[["group_name", *CELL_COLUMNS]]
    _insert(ReleaseCell, stored.assign(release_id=release.id))
    option_columns = ["level", "group_id", "dimension", "category", "item", "option", "answers"]
    _insert(ReleaseOption, options[option_columns].assign(release_id=release.id))
    _insert(ReleaseText, texts[["level", "group_id", "item", "text"]].assign(release_id=release.id))


def _insert(model, table: pd.DataFrame) -> None:
    """Insert a frame's rows into a table, with None for missing figures (never NaN), as one plain executemany
    (the ORM's bulk insert asks for every new id back, which cost PostgreSQL most of a release's storing)."""
    if table.empty:
        return
    rows = table.astype(object).where(table.notna(), None).to_dict("records")
    db.session.execute(model.__table__.insert(), rows)


def aggregate_table(definitions: Definitions, cells: pd.DataFrame, options: pd.DataFrame, survey_round: Round,
                    lang: str) -> pd.DataFrame:
    """Return the aggregate export of a release's cells in one language."""
    texts = exports.item_texts(definitions, library().quality_model, lang)
    return exports.aggregate_table(cells, options, texts, survey_round.name)


def _store_files(release: Release, survey_round: Round, definitions: Definitions, cells: pd.DataFrame,
                 options: pd.DataFrame, rows: microdata.Microdata) -> None:
    """Write the release's downloads once, as compressed CSV: the aggregates in every language, and the microdata.

    Workbooks are made from these on first request and kept (service.workbook): writing them took most of a
    release's time, and most are never asked for."""
    files: dict[str, tuple[str, bytes]] = {}
    for lang in LANGUAGES:
        table = aggregate_table(definitions, cells, options, survey_round, lang)
        files[f"results-{lang}.csv.gz"] = (CSV, gzip.compress(exports.to_csv(table), 6))
    free = {q.key for q in definitions[max(definitions)].questions if q.type is QuestionType.FREE_TEXT}
    with_round = rows.table.assign(round=survey_round.name)[["round", *rows.table.columns]]
    for name, table in (("microdata-with-free-text", with_round),
                        ("microdata", with_round.drop(columns=[c for c in with_round if c in free]))):
        files[f"{name}.csv.gz"] = (CSV, gzip.compress(exports.to_csv(table), 6))
    db.session.execute(insert(ReleaseFile), [{"release_id": release.id, "name": name, "media_type": media,
                                              "content": content} for name, (media, content) in files.items()])
