"""Scores from counted answers: per question and per flag, per unit and group, with suppression applied.

Pure: plain DataFrames in, DataFrames out; no Flask, no database. Every view and export reads the
result of score() (stored in a release), never the counts, so small-group suppression is applied in one place.

A cell's n is the number of respondents with a valid answer ("don't know" is not one). A cell is about
somebody when anyone answered its question, even "don't know" ("people"); such a cell is shown only when at least
`threshold` respondents with a valid answer came through a verified channel (a single-use code, or tablet
mode): anyone can use a unit's open link, so open-link respondents are counted in every figure but can never
make a small group visible (twenty known answers through the open link would otherwise lift four people over
the threshold, and subtracting them would give those four away). Neither count is published.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from survey.analysis.suppression import Constraint, suppress
from survey.questionnaires.comparability import Definitions, as_versions, segments
from survey.questionnaires.model import DONT_KNOW, Questionnaire
from survey.questionnaires.quality import QualityModel

LEVELS = ("unit", "pool", "area", "service_type", "organisation")
DIMENSIONS = {"all": ("all",), "sex": ("women", "men", "other_or_unstated"),
              "help": ("with_help", "without_help", "not_stated")}
KEY = ["round_id", "level", "group_id", "dimension", "category", "kind", "item"]
MEASURES = ["n", "positive", "valid", "dont_know"]  # published
PROTECTION = ["verified", "people"]  # decide what may be shown; never published
NO_AREA = "-"
# How counts arrive: per unit, round, sex, who helped, and whether the respondent came through a verified channel.
CELL = ["unit_id", "round_id", "sex", "helped", "verified"]
_CELL = ["unit_id", "round_id", "sex", "help", "verified"]  # the same, with sex and help as categories


@dataclass(frozen=True)
class Counts:
    """Everything scoring needs, counted per unit, round, sex, who helped and channel (verified or not)."""

    options: pd.DataFrame      # CELL + version, question_key, option, answers
    questions: pd.DataFrame    # CELL + version, question_key, present, valid_respondents
    flags: pd.DataFrame        # CELL + flag, present, valid_respondents (to any of its questions)
    units: pd.DataFrame        # unit_id, unit, area_id, area, service_type (and pool_id, pool when pooled)
    rounds: pd.DataFrame       # round_id, round, questionnaire_id, opens_on, closes_on


@dataclass(frozen=True)
class Results:
    """Published figures. Hidden cells keep their keys, with every figure blanked."""

    cells: pd.DataFrame    # KEY + group, n, positive, valid, dont_know, share, colour, hidden
    options: pd.DataFrame  # KEY + option, answers (only for shown question cells)


def categorise(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the sex and help categories results are broken down by."""
    sex = frame["sex"].map({"woman": "women", "man": "men"}).fillna("other_or_unstated")
    helped = np.where(frame["helped"].isna(), "not_stated",
                      np.where(frame["helped"] == "nobody", "without_help", "with_help"))
    return frame.assign(sex=sex, help=helped, verified=frame["verified"].astype(bool))


def finest(counts: Counts, definitions: Questionnaire | Definitions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return per unit, round, sex and help: each item's measures, and each option's answers.

    Each answer counts as positive, and towards flags, by the definition of the version it answered; answers to a
    question whose definition changed are counted under an item of their own (comparability.segments)."""
    definitions = as_versions(definitions)
    item_of = segments(definitions)
    asked = {(v, q.key) for v, d in definitions.items() for q in d.questions if not q.background}
    options = _asked(categorise(counts.options), asked, item_of)
    positive = {(v, q.key, o.key) for v, d in definitions.items() for q in d.questions for o in q.options if o.positive}
    keys = list(zip(options["version"], options["question_key"], options["option"]))
    options = options.assign(positive=[a if k in positive else 0 for k, a in zip(keys, options["answers"])],
                             dont_know=np.where(options["option"] == DONT_KNOW, options["answers"], 0),
                             valid=np.where(options["option"] == DONT_KNOW, 0, options["answers"]))
    sums = ["positive", "valid", "dont_know"]
    by_version = options.groupby([*_CELL, "version", "question_key"], as_index=False)[sums].sum()
    questions = _question_items(counts, options, asked, item_of)
    flags = _flag_items(counts, by_version, questions, definitions)
    items = pd.concat([questions, flags], ignore_index=True)
    items = items.assign(verified=np.where(items["verified"], items["n"], 0))
    items = items.groupby(["unit_id", "round_id", "sex", "help", "kind", "item"], as_index=False)[
        MEASURES + PROTECTION].sum()
    option_rows = (options.assign(kind="question").groupby(
        ["unit_id", "round_id", "sex", "help", "kind", "item", "option"], as_index=False)[["answers"]].sum())
    return items, option_rows


def _asked(frame: pd.DataFrame, asked: set, item_of: dict) -> pd.DataFrame:
    """Keep the rows of questions asked (not background) and name the item each is counted under."""
    pairs = list(zip(frame["version"], frame["question_key"]))
    keep = np.array([pair in asked for pair in pairs], dtype=bool)
    frame = frame.loc[keep]
    items = [item_of[pair] for pair, kept in zip(pairs, keep) if kept]
    return frame.assign(item=pd.Series(items, index=frame.index, dtype=object))


def _question_items(counts: Counts, options: pd.DataFrame, asked: set, item_of: dict) -> pd.DataFrame:
    """Return each question item's measures per cell; a cell exists wherever someone answered it."""
    sums = ["positive", "valid", "dont_know"]
    answered = options.groupby([*_CELL, "item"], as_index=False)[sums].sum()
    questions = _asked(categorise(counts.questions), asked, item_of)
    questions = questions.groupby([*_CELL, "item"], as_index=False)[["present", "valid_respondents"]].sum()
    found = questions.merge(answered, how="left").fillna(0)
    return found.assign(kind="question", n=found["valid_respondents"], people=found["present"])


def _flag_items(counts: Counts, by_version: pd.DataFrame, questions: pd.DataFrame,
                definitions: dict[int, Questionnaire]) -> pd.DataFrame:
    """Return each flag's measures per cell: sums over its questions; a cell wherever one of its questions has one.

    A missing cell would tell that everybody in it answered "don't know"."""
    pairs = pd.DataFrame([(v, q.key, flag) for v, d in definitions.items() for q in d.questions for flag in q.flags],
                         columns=["version", "question_key", "flag"])
    item_of = segments(definitions)
    fed = pd.DataFrame(sorted({(item_of[(v, key)], flag) for v, key, flag in pairs.itertuples(index=False)}),
                       columns=["item", "flag"])
    where = questions[[*_CELL, "item"]].merge(fed, on="item")[[*_CELL, "flag"]].drop_duplicates()
    sums = by_version.merge(pairs, on=["version", "question_key"]).groupby(
        [*_CELL, "flag"], as_index=False)[["positive", "valid"]].sum()
    respondents = categorise(counts.flags).groupby([*_CELL, "flag"], as_index=False)[
        ["present", "valid_respondents"]].sum()
    flags = where.merge(sums, on=[*_CELL, "flag"], how="left").merge(respondents, on=[*_CELL, "flag"], how="left")
    flags = flags.fillna(0)
    return flags.assign(kind="flag", item=flags["flag"], n=flags["valid_respondents"], dont_know=0,
                        people=flags["present"])


def expand(frame: pd.DataFrame, units: pd.DataFrame, measures: list[str], extra: Sequence[str] = ()) -> pd.DataFrame:
    """Sum unit rows up to every level and breakdown: the cells that can be published."""
    frame = frame.merge(_membership(units), on="unit_id", how="left")
    parts = []
    for level, group_column in (("unit", "unit_id"), ("pool", "pool_id"), ("area", "area_id"),
                                ("service_type", "service_type"), ("organisation", None)):
        for dimension in DIMENSIONS:
            keyed = frame.assign(group_id=frame[group_column] if group_column else "all",
                                 category=frame[dimension] if dimension != "all" else "all")
            summed = keyed.groupby(["round_id", "group_id", "category", "kind", "item", *extra],
                                   as_index=False)[measures].sum()
            parts.append(summed.assign(level=level, dimension=dimension))
    return pd.concat(parts, ignore_index=True)


def _membership(units: pd.DataFrame) -> pd.DataFrame:
    pools = units["pool_id"] if "pool_id" in units else pd.Series(None, index=units.index, dtype=object)
    return units.assign(area_id=units["area_id"].fillna(NO_AREA), pool_id=pools)[
        ["unit_id", "area_id", "service_type", "pool_id"]]


def constraints(units: pd.DataFrame, pools: bool = True) -> list[Constraint]:
    """Return how published cells add up: categories to totals, units to pools, areas, types and the whole."""
    members = _membership(units)
    pooled = members.dropna(subset=["pool_id"]) if pools else members.iloc[:0]
    groups = [("unit", u) for u in members["unit_id"]] + [("area", a) for a in members["area_id"].unique()] \
        + [("service_type", t) for t in members["service_type"].unique()] + [("organisation", "all")] \
        + [("pool", p) for p in pooled["pool_id"].unique()]
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
            in_pools: dict[str, list[tuple[str, str, str, str]]] = {}
            for unit, pool in zip(pooled["unit_id"], pooled["pool_id"]):
                in_pools.setdefault(pool, []).append(("unit", unit, dimension, c))
            found += [Constraint(("pool", p, dimension, c), tuple(parts)) for p, parts in in_pools.items()]
    return found


def score(counts: Counts, definitions: Questionnaire | Definitions, model: QualityModel, threshold: int) -> Results:
    """Compute every publishable cell, then hide what small-group suppression says must be hidden."""
    items, option_rows = finest(counts, definitions)
    cells = expand(items, counts.units, MEASURES + PROTECTION)
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
    blocks: dict[tuple[str, str, str], tuple[dict[Hashable, int], dict[Hashable, int]]] = {}
    for key, b in cells.groupby(["round_id", "kind", "item"], sort=False):
        where = list(zip(b["level"], b["group_id"], b["dimension"], b["category"]))
        blocks[cast("tuple[str, str, str]", key)] = (dict(zip(where, b["verified"])), dict(zip(where, b["people"])))
    hidden = {key: suppress(verified, rules, threshold, present=people, cost=cost_in(verified))
              for key, (verified, people) in blocks.items() if key[1] == "question"}
    for (round_id, kind, item), (verified, people) in blocks.items():
        if kind == "flag":
            under = set().union(*(hidden.get((round_id, "question", q), ()) for q in sources.get(item, ())))
            hidden[(round_id, kind, item)] = suppress(verified, rules, threshold, also=under, present=people,
                                                      cost=cost_in(verified))
    return hidden


# Which figure to give up first when more must be hidden (then the one with the fewest respondents): breakdowns of
# areas and service types, then of units (a unit's breakdown often equals its total, which would follow it), then
# the organisation's breakdowns, then any group's or unit's own figure, and last the organisation's.
# Pooled figures stand in for hidden ones and go first of all: a group over several periods first, then a pool's
# breakdowns, then a pool's own figure (the pooling ladder's first step).
COST = {("area", False): 1, ("service_type", False): 1, ("unit", False): 2, ("organisation", False): 3,
        ("area", True): 4, ("service_type", True): 4, ("unit", True): 4, ("organisation", True): 5,
        ("pool", True): 1}


def cost(cell: Hashable) -> int:
    """Return how much a cell ([period,] level, group, dimension, category) is worth keeping: hide cheaper first."""
    level, _group, dimension, _category = cast("tuple[str, ...]", cell)[-4:]
    return COST.get((level, dimension == "all"), 0)


def cost_in(counts: Mapping[Hashable, int]) -> Callable[[Hashable], int]:
    """Return the cost of cells in one block: a breakdown that holds its whole group (everybody a "not stated", as in
    the staff questionnaire, which asks neither sex nor help) costs what the group's own figure does, because
    hiding it hides that figure too; hiding a cheaper-looking area breakdown of that kind hid the area, and from
    there the whole organisation's neighbouring units."""
    def block_cost(cell: Hashable) -> int:
        key = cast("tuple[str, ...]", cell)  # [period,] level, group, dimension, category
        level, dimension = key[-4], key[-2]
        whole = counts.get((*key[:-2], "all", "all"))
        if dimension != "all" and whole is not None and counts.get(cell) == whole:
            return COST.get((level, True), 0)
        return cost(cell)
    return block_cost


def _flag_questions(definitions: Questionnaire | Definitions) -> dict[str, set[str]]:
    """Return, for each flag, the question items (comparability.segments) any version maps to it."""
    definitions = as_versions(definitions)
    item_of = segments(definitions)
    sources: dict[str, set[str]] = {}
    for version, definition in definitions.items():
        for question in definition.questions:
            for flag in question.flags:
                sources.setdefault(flag, set()).add(item_of[(version, question.key)])
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
    pools = members.dropna(subset=["pool_id"]) if "pool_id" in members else members.iloc[:0].assign(pool_id="", pool="")
    frames = [pd.DataFrame({"level": "unit", "group_id": members["unit_id"], "group": members["unit"]}),
              pd.DataFrame({"level": "pool", "group_id": pools["pool_id"], "group": pools["pool"]}),
              pd.DataFrame({"level": "area", "group_id": members["area_id"], "group": members["area"]}),
              pd.DataFrame({"level": "service_type", "group_id": members["service_type"],
                            "group": members["service_type"]}),
              pd.DataFrame({"level": ["organisation"], "group_id": ["all"], "group": ["all"]})]
    return pd.concat(frames, ignore_index=True).drop_duplicates(["level", "group_id"])
