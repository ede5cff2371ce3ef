"""Scores from counted answers: per question and per flag, per unit and group, with suppression applied.

Pure: plain DataFrames in, DataFrames out; no Flask, no database. Every view and export reads the
result of score(), never the counts, so small-group suppression is applied in exactly one place.
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from survey.analysis.suppression import Constraint, suppress
from survey.questionnaires.comparability import Definitions, as_versions
from survey.questionnaires.model import DONT_KNOW, Questionnaire
from survey.questionnaires.quality import QualityModel

LEVELS = ("unit", "area", "service_type", "organisation")
DIMENSIONS = {"all": ("all",), "sex": ("women", "men", "other_or_unstated"),
              "help": ("with_help", "without_help", "not_stated")}
KEY = ["round_id", "level", "group_id", "dimension", "category", "kind", "item"]
MEASURES = ["n", "positive", "valid", "dont_know", "skipped"]
NO_AREA = "-"
CELL = ["unit_id", "round_id", "sex", "helped"]  # how counts arrive: per unit, round, sex and who helped


@dataclass(frozen=True)
class Counts:
    """Everything scoring needs, counted per unit, round, sex and who helped."""

    options: pd.DataFrame      # CELL + version, question_key, option, answers
    questions: pd.DataFrame    # CELL + version, question_key, respondents, completed_respondents
    flags: pd.DataFrame        # CELL + flag, respondents (who gave a valid answer to any of its questions)
    completed: pd.DataFrame    # CELL + completed
    units: pd.DataFrame        # unit_id, unit, area_id, area, service_type
    rounds: pd.DataFrame       # round_id, round, questionnaire_id, opens_on, closes_on


@dataclass(frozen=True)
class Results:
    """Published figures. Hidden cells keep their keys, with every figure blanked."""

    cells: pd.DataFrame    # KEY + group, n, positive, valid, dont_know, skipped, share, colour, hidden
    options: pd.DataFrame  # KEY + option, answers (only for shown question cells)


def categorise(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the sex and help categories results are broken down by."""
    sex = frame["sex"].map({"woman": "women", "man": "men"}).fillna("other_or_unstated")
    helped = np.where(frame["helped"].isna(), "not_stated",
                      np.where(frame["helped"] == "nobody", "without_help", "with_help"))
    return frame.assign(sex=sex, help=helped)


def finest(counts: Counts, definitions: Questionnaire | Definitions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return per unit, round, sex and help: each item's measures, and each option's answers.

    Each answer counts as positive, and towards flags, by the definition of the version it answered."""
    definitions = as_versions(definitions)
    options = categorise(counts.options)
    kinds = {q.key for d in definitions.values() for q in d.questions if not q.background}
    options = options[options["question_key"].isin(kinds)]
    positive = {(v, q.key, o.key) for v, d in definitions.items() for q in d.questions for o in q.options if o.positive}
    keys = list(zip(options["version"], options["question_key"], options["option"]))
    options = options.assign(positive=[a if k in positive else 0 for k, a in zip(keys, options["answers"])],
                             dont_know=np.where(options["option"] == DONT_KNOW, options["answers"], 0),
                             valid=np.where(options["option"] == DONT_KNOW, 0, options["answers"]))
    cell = ["unit_id", "round_id", "sex", "help"]
    sums = ["positive", "valid", "dont_know"]
    by_version = options.groupby(cell + ["version", "question_key"], as_index=False)[sums].sum()
    by_question = by_version.groupby(cell + ["question_key"], as_index=False)[sums].sum()
    questions = categorise(counts.questions)
    questions = questions[questions["question_key"].isin(kinds)]
    questions = (questions.groupby(cell + ["question_key"], as_index=False)
                 [["respondents", "completed_respondents"]].sum())
    completed = categorise(counts.completed).groupby(cell, as_index=False)["completed"].sum()
    questions = questions.merge(by_question, how="left").merge(completed, how="left").fillna(0)
    questions = questions.assign(kind="question", item=questions["question_key"], n=questions["respondents"],
                                 skipped=questions["completed"] - questions["completed_respondents"])
    # A flag has a cell wherever one of its questions has one, even with no valid answer there:
    # a missing cell would tell that everybody in it answered "don't know".
    flags = categorise(counts.flags).groupby(cell + ["flag"], as_index=False)[["respondents"]].sum()
    flags = _flag_sums(by_version, definitions).merge(flags, on=cell + ["flag"], how="left").fillna(0)
    flags = flags.assign(kind="flag", item=flags["flag"], n=flags["respondents"], dont_know=0, skipped=0)
    items = pd.concat([questions, flags], ignore_index=True)[cell + ["kind", "item"] + MEASURES]
    option_rows = (options.assign(kind="question", item=options["question_key"])
                   [cell + ["kind", "item", "option", "answers"]])
    return items, option_rows


def _flag_sums(by_version: pd.DataFrame, definitions: dict[int, Questionnaire]) -> pd.DataFrame:
    """Sum positive and valid answers over the questions each version maps to each flag."""
    pairs = pd.DataFrame([(v, q.key, flag) for v, d in definitions.items() for q in d.questions for flag in q.flags],
                         columns=["version", "question_key", "flag"])
    joined = by_version.merge(pairs, on=["version", "question_key"])
    return joined.groupby(["unit_id", "round_id", "sex", "help", "flag"], as_index=False)[["positive", "valid"]].sum()


def expand(frame: pd.DataFrame, units: pd.DataFrame, measures: list[str], extra: Sequence[str] = ()) -> pd.DataFrame:
    """Sum unit rows up to every level and breakdown: the cells that can be published."""
    frame = frame.merge(_membership(units), on="unit_id", how="left")
    parts = []
    for level, group_column in (("unit", "unit_id"), ("area", "area_id"), ("service_type", "service_type"),
                                ("organisation", None)):
        for dimension in DIMENSIONS:
            keyed = frame.assign(group_id=frame[group_column] if group_column else "all",
                                 category=frame[dimension] if dimension != "all" else "all")
            summed = keyed.groupby(["round_id", "group_id", "category", "kind", "item", *extra],
                                   as_index=False)[measures].sum()
            parts.append(summed.assign(level=level, dimension=dimension))
    return pd.concat(parts, ignore_index=True)


def _membership(units: pd.DataFrame) -> pd.DataFrame:
    return units.assign(area_id=units["area_id"].fillna(NO_AREA))[["unit_id", "area_id", "service_type"]]


def constraints(units: pd.DataFrame) -> list[Constraint]:
    """Return how published cells add up: categories to totals, units to areas, types and the whole."""
    members = _membership(units)
    groups = [("unit", u) for u in members["unit_id"]] + [("area", a) for a in members["area_id"].unique()] \
        + [("service_type", t) for t in members["service_type"].unique()] + [("organisation", "all")]
    found = [Constraint((level, group, "all", "all"), tuple((level, group, dimension, c) for c in categories))
             for level, group in groups for dimension, categories in DIMENSIONS.items() if dimension != "all"]
    for dimension, categories in DIMENSIONS.items():
        for c in categories:
            for level, column in (("area", "area_id"), ("service_type", "service_type")):
                parts: dict[str, list[tuple[str, str, str, str]]] = {}
                for unit, group in zip(members["unit_id"], members[column]):
                    parts.setdefault(group, []).append(("unit", unit, dimension, c))
                found += [Constraint((level, g, dimension, c), tuple(p)) for g, p in parts.items()]
                found.append(Constraint(("organisation", "all", dimension, c),
                                        tuple((level, g, dimension, c) for g in parts)))
    return found


def score(counts: Counts, definitions: Questionnaire | Definitions, model: QualityModel, threshold: int) -> Results:
    """Compute every publishable cell, then hide what small-group suppression says must be hidden."""
    items, option_rows = finest(counts, definitions)
    cells = expand(items, counts.units, MEASURES)
    hidden = [(round_id, kind, item, *cell) for (round_id, kind, item), cells_hidden
              in _hidden_cells(cells, constraints(counts.units), _flag_questions(definitions), threshold).items()
              for cell in cells_hidden]
    hidden_index = pd.MultiIndex.from_tuples(hidden, names=["round_id", "kind", "item", "level", "group_id",
                                                            "dimension", "category"]) if hidden else None
    index = pd.MultiIndex.from_frame(cells[["round_id", "kind", "item", "level", "group_id", "dimension", "category"]])
    cells = cells.assign(hidden=index.isin(hidden_index) if hidden_index is not None else False)
    cells.loc[cells["hidden"], MEASURES] = np.nan
    cells = _with_shares(cells, model).merge(_names(counts.units), on=["level", "group_id"], how="left")
    shown = cells.loc[~cells["hidden"] & (cells["kind"] == "question"), KEY]
    options = expand(option_rows, counts.units, ["answers"], extra=["option"]).merge(shown, on=KEY)
    return Results(cells[KEY + ["group"] + MEASURES + ["share", "colour", "hidden"]], options)


def _hidden_cells(cells: pd.DataFrame, rules: list[Constraint], sources: dict[str, set[str]],
                  threshold: int) -> dict[tuple, set]:
    """Suppress each question, then each flag: a flag also hides every cell where one of its questions is hidden.

    A flag's figures are sums of its questions' figures, so a flag shown where its question is hidden
    would give the question away (exactly, when the flag has one question; by subtraction otherwise)."""
    # Keyed by the round_id, kind and item columns, all text (the stubs only know that a group's key is hashable).
    blocks: dict[tuple[str, str, str], dict[Hashable, int]] = {
        cast("tuple[str, str, str]", key):
            dict(zip(zip(b["level"], b["group_id"], b["dimension"], b["category"]), b["n"]))
        for key, b in cells.groupby(["round_id", "kind", "item"], sort=False)}
    hidden = {key: suppress(n, rules, threshold) for key, n in blocks.items() if key[1] == "question"}
    for (round_id, kind, item), n in blocks.items():
        if kind == "flag":
            under = set().union(*(hidden.get((round_id, "question", q), ()) for q in sources.get(item, ())))
            hidden[(round_id, kind, item)] = suppress(n, rules, threshold, also=under)
    return hidden


def _flag_questions(definitions: Questionnaire | Definitions) -> dict[str, set[str]]:
    """Return, for each flag, the questions any version maps to it."""
    sources: dict[str, set[str]] = {}
    for definition in as_versions(definitions).values():
        for question in definition.questions:
            for flag in question.flags:
                sources.setdefault(flag, set()).add(question.key)
    return sources


def _with_shares(cells: pd.DataFrame, model: QualityModel) -> pd.DataFrame:
    share = cells["positive"] / cells["valid"].where(cells["valid"] > 0)
    flags = {flag.id: model.thresholds_for(flag) for _, flag in model.flags()}
    colour = [flags[item].colour(s) if kind == "flag" and item in flags and pd.notna(s) else None
              for kind, item, s in zip(cells["kind"], cells["item"], share)]
    return cells.assign(share=share, colour=pd.Series(colour, index=cells.index))


def _names(units: pd.DataFrame) -> pd.DataFrame:
    """Readable names for every group."""
    members = units.assign(area_id=units["area_id"].fillna(NO_AREA), area=units["area"].fillna("–"))
    frames = [pd.DataFrame({"level": "unit", "group_id": members["unit_id"], "group": members["unit"]}),
              pd.DataFrame({"level": "area", "group_id": members["area_id"], "group": members["area"]}),
              pd.DataFrame({"level": "service_type", "group_id": members["service_type"],
                            "group": members["service_type"]}),
              pd.DataFrame({"level": ["organisation"], "group_id": ["all"], "group": ["all"]})]
    return pd.concat(frames, ignore_index=True).drop_duplicates(["level", "group_id"])
