"""Pooled figures and the audit across periods (pure): small units are counted, through a pool or over periods.

A release's cells are the period's own (every level, pools included) and, for units and pools, the same group
over the last two and three periods of its block (level `unit:2`, `pool:3`, ...; survey/analysis/periods.py).
They are suppressed together with everything the block's earlier releases published: those cells are frozen
(shown ones stay shown, hidden ones hidden), and the sums that tie them — a pool to its units, a span of periods
to its periods, each period's units to their areas — are part of the one audit, so no hidden figure follows from
a pool minus its shown members, a pooled period minus a single one, or any other combination. Pooled cells stand
in for hidden ones and are the first to go when more must be hidden.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from survey.analysis import scoring
from survey.analysis.suppression import Constraint, suppress
from survey.questionnaires.comparability import Definitions, as_versions, comparable
from survey.questionnaires.model import Questionnaire
from survey.questionnaires.quality import QualityModel

SPANS = (2, 3)  # a unit or pool over this period and the one or two before it
POOLED_LEVELS = ("unit", "pool")
Cell = tuple[str, str, str, str, str]  # period (round id), level, group, dimension, category


@dataclass(frozen=True)
class Earlier:
    """What an earlier period's release published, for the joint audit."""

    round_id: str
    hidden: Mapping[tuple[str, str, Cell], bool]  # (kind, item, cell) -> hidden; absent: never published
    pools: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # pool -> its units when it was released


def span_level(level: str, periods: int) -> str:
    """Return the internal level of a group over several periods, e.g. unit:2."""
    return f"{level}:{periods}"


def score_periods(counts: scoring.Counts, definitions: Questionnaire | Definitions, model: QualityModel,
                  threshold: int, rounds: list[str], earlier: Mapping[str, Earlier]) -> scoring.Results:
    """Score the last of these rounds (its block's, oldest first) with its pools and spans, audited with what the
    earlier ones' releases published."""
    definitions = as_versions(definitions)
    current = rounds[-1]
    members = _members(counts.units, rounds, earlier)
    items, option_rows = scoring.finest(counts, definitions)
    measures = scoring.MEASURES + scoring.PROTECTION
    cells = pd.concat([scoring.expand(items[items["round_id"] == r], members[r], measures) for r in rounds],
                      ignore_index=True)
    everything = pd.concat([cells, _spans(cells, rounds, members, counts, definitions)], ignore_index=True)
    rules = _constraints(rounds, members)
    hidden = _hidden(everything, rules, scoring._flag_questions(definitions), threshold, current, earlier)
    now = everything[everything["round_id"] == current]
    keys = list(zip(now["kind"], now["item"], now["round_id"], now["level"], now["group_id"], now["dimension"],
                    now["category"]))
    now = now.assign(hidden=np.array([(k[0], k[1], k[2:]) in hidden for k in keys], dtype=bool))
    now.loc[now["hidden"], scoring.MEASURES] = np.nan
    now = scoring._with_shares(now, model).merge(_names(counts.units), on=["level", "group_id"], how="left")
    shown = now.loc[~now["hidden"] & (now["kind"] == "question"), scoring.KEY]
    options = scoring.expand(option_rows[option_rows["round_id"] == current], counts.units, ["answers"],
                             extra=["option"]).merge(shown, on=scoring.KEY)
    return scoring.Results(now[[*scoring.KEY, "group", *scoring.MEASURES, "share", "colour", "hidden"]], options)


def _members(units: pd.DataFrame, rounds: list[str], earlier: Mapping[str, Earlier]) -> dict[str, pd.DataFrame]:
    """Return, per round, the units with the pools they were released in (the current round: as they are now)."""
    found = {rounds[-1]: units}
    for round_id in rounds[:-1]:
        pools = {u: p for p, us in earlier[round_id].pools.items() for u in us}
        found[round_id] = units.assign(pool_id=units["unit_id"].map(pools))
    return found


def _windows(rounds: list[str]) -> list[tuple[str, int, list[str]]]:
    """Return every span in the block: (the round it ends with, how many periods, its rounds)."""
    return [(rounds[end], periods, rounds[end - periods + 1:end + 1])
            for end in range(len(rounds)) for periods in SPANS if end + 1 >= periods]


def _spannable(counts: scoring.Counts, definitions: Definitions, window: list[str]) -> set[tuple[str, str]]:
    """Return the (kind, item) that mean the same in every version these periods answered."""
    answered = {str(r): set(v.astype(int)) for r, v in counts.questions.groupby("round_id")["version"]}
    versions: set[int] = set()
    for round_id in window:
        versions |= answered.get(round_id, set())
    keys = {("question", q.key) for d in definitions.values() for q in d.questions}
    keys |= {("flag", flag) for d in definitions.values() for q in d.questions for flag in q.flags}
    return {pair for pair in keys if versions and comparable(definitions, *pair, versions)}


def _spans(cells: pd.DataFrame, rounds: list[str], members: Mapping[str, pd.DataFrame], counts: scoring.Counts,
           definitions: Definitions) -> pd.DataFrame:
    """Return units' and pools' cells summed over each span of the block: a pool's as its units were pooled when
    the span's last period was released."""
    measures = scoring.MEASURES + scoring.PROTECTION
    units = cells[cells["level"] == "unit"]
    parts = []
    for end, periods, window in _windows(rounds):
        allowed = _spannable(counts, definitions, window)
        chosen = units[units["round_id"].isin(window) & (units["dimension"] == "all")]
        chosen = chosen[np.array([(k, i) in allowed for k, i in zip(chosen["kind"], chosen["item"])], dtype=bool)]
        key = ["group_id", "dimension", "category", "kind", "item"]
        summed = chosen.groupby(key, as_index=False)[measures].sum()
        pool_of = members[end].set_index("unit_id")["pool_id"].dropna()
        pooled = summed.assign(group_id=summed["group_id"].map(pool_of)).dropna(subset=["group_id"])
        pooled = pooled.groupby(key, as_index=False)[measures].sum()
        parts += [summed.assign(round_id=end, level=span_level("unit", periods)),
                  pooled.assign(round_id=end, level=span_level("pool", periods))]
    return pd.concat(parts, ignore_index=True) if parts else cells.iloc[:0]


def _constraints(rounds: list[str], members: Mapping[str, pd.DataFrame]) -> list[Constraint]:
    """Return the sums within every period (with the pools it was released with), and of each span over its
    periods."""
    found: list[Constraint] = []
    for round_id in rounds:
        found += [Constraint((round_id, *cast("tuple", c.total)), tuple((round_id, *cast("tuple", p)) for p in c.parts))
                  for c in scoring.constraints(members[round_id])]
    for end, periods, window in _windows(rounds):
        pooled = members[end].dropna(subset=["pool_id"])
        in_pool: dict[str, list[str]] = {}
        for unit, pool in zip(pooled["unit_id"], pooled["pool_id"]):
            in_pool.setdefault(pool, []).append(unit)
        found += [Constraint((end, span_level("unit", periods), u, "all", "all"),
                             tuple((r, "unit", u, "all", "all") for r in window)) for u in members[end]["unit_id"]]
        found += [Constraint((end, span_level("pool", periods), p, "all", "all"),
                             tuple((r, "unit", u, "all", "all") for r in window for u in us))
                  for p, us in in_pool.items()]
    return found


def _hidden(cells: pd.DataFrame, rules: list[Constraint], sources: dict[str, set[str]], threshold: int,
            current: str, earlier: Mapping[str, Earlier]) -> set[tuple[str, str, Cell]]:
    """Suppress each question over all periods (earlier releases frozen), then each flag likewise."""
    published = {k: v for e in earlier.values() for k, v in e.hidden.items()}
    blocks: dict[tuple[str, str], tuple[dict[Hashable, int], dict[Hashable, int]]] = {}
    for (kind, item), b in cells.groupby(["kind", "item"], sort=False):
        where = list(zip(b["round_id"], b["level"], b["group_id"], b["dimension"], b["category"]))
        keep = [w[0] == current or (kind, item, w) in published for w in where]  # earlier: what was published
        where = [w for w, k in zip(where, keep) if k]
        counted = [v for v, k in zip(b["verified"], keep) if k]
        about = [v for v, k in zip(b["people"], keep) if k]
        blocks[(str(kind), str(item))] = (dict(zip(where, counted)), dict(zip(where, about)))
    found: dict[tuple[str, str], set] = {}
    for kind in ("question", "flag"):
        for (k, item), (verified, people) in blocks.items():
            if k != kind:
                continue
            before = {w for w in verified if cast("Cell", w)[0] != current}
            fixed = {w for w in before if published.get((kind, item, cast("Cell", w)))}
            under = set().union(*(found.get(("question", q), set()) for q in sources.get(item, ()))) \
                if kind == "flag" else set()
            found[(kind, item)] = suppress(verified, rules, threshold, also=fixed | (under - before),
                                           present=people, cost=scoring.cost_in(verified),
                                           frozen=before - fixed,
                                           restore=_pooled_now(verified, current))
    return {(kind, item, cell) for (kind, item), cells_hidden in found.items() for cell in cells_hidden}


LADDER_ORDER = {"pool": 0, span_level("unit", 2): 1, span_level("unit", 3): 2, span_level("pool", 2): 3,
                span_level("pool", 3): 4}  # as the pooling ladder tries them (survey/analysis/service.py)


def _pooled_now(counts: Mapping[Hashable, int], current: str) -> list[Cell]:
    """Return this period's pooled cells in the order they are shown again wherever the audit allows: overall
    before breakdowns, by the ladder's steps, the smallest groups first (those whose own figures are hidden)."""
    pooled = [cell for cell in (cast("Cell", key) for key in counts) if cell[0] == current and _pooled(cell[1])]
    return sorted(pooled, key=lambda c: (c[3] != "all", LADDER_ORDER.get(c[1], 9), counts[c], repr(c)))


def _pooled(level: str) -> bool:
    """Whether a level is a stand-in for small units: a pool, or a group over several periods."""
    return level == "pool" or ":" in level


def _names(units: pd.DataFrame) -> pd.DataFrame:
    """Readable names for every group, pooled levels too."""
    names = scoring._names(units)
    pooled = [names[names["level"] == level].assign(level=span_level(level, periods))
              for level in POOLED_LEVELS for periods in SPANS]
    return pd.concat([names, *pooled], ignore_index=True)
