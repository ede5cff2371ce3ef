"""Run charts judged by the Anhøj rules, exactly as the runs analysis of Jacob Anhøj's qicharts2 (R) does.

Pure: numbers in, frozen dataclasses out; no Flask, no database. A series has one value per period; None (or
NaN) is a missing period, hidden by small-group suppression: never plotted nor counted, only reported as left
out. A chart may be split into phases at given periods (an action's start, confirmed by a person); each phase
has its own centre line, taken from its baseline (its first `baseline` periods, default all of them) and frozen:
later points are judged against it, never rebased. A phase's runs analysis covers all its points (qicharts2's
`part`, and its `freeze` applied within each part).

The rules (qicharts2 `runs.analysis`): points exactly on the centre line are ignored; n is the number of useful
points (the rest); a run is a sequence of consecutive useful points on the same side; a crossing is a change of
side between consecutive useful points. An unusually long run: longest run > round(log2(n)) + 3. Too few
crossings: crossings < qbinom(0.05, n - 1, 0.5), the smallest k with P(X <= k) >= 0.05 for X ~ Bin(n - 1, 0.5).
"""
from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import count

RULE_SET = "Anhøj"
RULE_SET_VERSION = "qicharts2 0.7 runs.analysis"


@cache
def longest_run_limit(useful: int) -> int:
    """Return the longest run expected by chance among `useful` points: round(log2(useful)) + 3."""
    return round(math.log2(useful)) + 3


@cache
def crossings_limit(useful: int) -> int:
    """Return the fewest crossings expected by chance among `useful` points: R's qbinom(0.05, useful - 1, 0.5)."""
    trials = max(useful - 1, 0)
    below = 0
    for k in range(trials + 1):
        below += math.comb(trials, k)
        if 20 * below >= 2**trials:  # P(X <= k) >= 1/20, in integers: no rounding at the boundary
            return k
    return trials


def can_signal(useful: int) -> bool:
    """Tell whether either rule can fire at all among `useful` points (a run of all of them, or no crossing)."""
    return useful > 0 and (useful > longest_run_limit(useful) or crossings_limit(useful) > 0)


# The fewest useful points at which a signal is possible (6: then no crossing at all is too few); below it the
# rules cannot fire, and a chart says how many points a signal needs instead.
MIN_USEFUL_POINTS = next(n for n in count(1) if can_signal(n))


@dataclass(frozen=True)
class Runs:
    """The Anhøj rules applied to one phase: what was counted, the limits, and which signals fired."""

    useful: int              # points not on the centre line
    on_centre: int           # points exactly on it, ignored
    longest_run: int         # 0 when no point is useful
    longest_run_side: int    # +1 above, -1 below, 0 when no point is useful
    crossings: int
    run_limit: int | None    # a run longer than this signals; None when no point is useful
    crossings_min: int | None  # fewer crossings than this signal
    long_run: bool
    few_crossings: bool

    @property
    def points_needed(self) -> int:
        """Return how many useful points a signal needs at least (the same for every phase)."""
        return MIN_USEFUL_POINTS

    @property
    def enough_points(self) -> bool:
        """Tell whether the phase has enough useful points for a signal to be possible."""
        return self.useful >= self.points_needed

    @property
    def signal(self) -> bool:
        """Tell whether either rule fired."""
        return self.long_run or self.few_crossings


def anhoej(sides: Sequence[int]) -> Runs:
    """Apply the Anhøj rules to the sides of a phase's points: +1 above, -1 below, 0 on the centre line."""
    useful = [side for side in sides if side != 0]
    lengths = _run_lengths(useful)
    if not useful:
        return Runs(0, len(sides), 0, 0, 0, None, None, long_run=False, few_crossings=False)
    longest = max(lengths)
    side = useful[sum(lengths[:lengths.index(longest)])]
    n, crossings = len(useful), len(lengths) - 1
    enough = n >= MIN_USEFUL_POINTS
    return Runs(n, len(sides) - n, longest, side, crossings, longest_run_limit(n), crossings_limit(n),
                long_run=enough and longest > longest_run_limit(n),
                few_crossings=enough and crossings < crossings_limit(n))


def _run_lengths(useful: Sequence[int]) -> list[int]:
    """Return the lengths of the runs of equal sides, in order (R's rle)."""
    lengths: list[int] = []
    for i, side in enumerate(useful):
        if i and side == useful[i - 1]:
            lengths[-1] += 1
        else:
            lengths.append(1)
    return lengths


@dataclass(frozen=True)
class Point:
    """One period of a chart. A missing period has value None and is neither plotted nor counted."""

    period: int
    value: float | None
    phase: int              # 1-based
    side: int               # +1 above the centre line, -1 below, 0 on it (or missing)
    long_run: bool = False  # part of a run longer than its phase's limit
    outside: bool = False   # beyond the control limits (control charts only)
    total: int | None = None  # the denominator of a proportion (p-charts)
    lower: float | None = None  # control limits (p-charts)
    upper: float | None = None

    @property
    def signal(self) -> bool:
        """Tell whether this point is part of a signal."""
        return self.long_run or self.outside


@dataclass(frozen=True)
class Phase:
    """A part of a chart with its own centre line, frozen from its baseline periods, and its own runs analysis."""

    number: int
    start: int               # first period
    end: int                 # one past the last period
    baseline_end: int        # periods start..baseline_end - 1 formed the centre line
    centre: float | None     # None when no baseline period has a value
    runs: Runs
    sigma_z: float | None = None  # Laney's between-period factor (p′ charts)


@dataclass(frozen=True)
class Chart:
    """A run chart (kind "run": centre line is the median) or a p-chart (kind "p" or "p_prime": the mean)."""

    kind: str
    points: tuple[Point, ...]
    phases: tuple[Phase, ...]
    method_reason: str = ""  # why p or p′ was chosen (p-charts): a key of spc_texts' catalogue
    rule_set: str = RULE_SET
    rule_set_version: str = RULE_SET_VERSION

    @property
    def missing(self) -> int:
        """Return how many periods were left out (missing or hidden)."""
        return sum(point.value is None for point in self.points)

    @property
    def signal(self) -> bool:
        """Tell whether any phase signals, by a rule or by a point beyond its limits."""
        return any(phase.runs.signal for phase in self.phases) or any(point.outside for point in self.points)

    def explain(self, lang: str) -> tuple[str, ...]:
        """Say in plain words, in sv, nb or en, what the chart shows: one line per phase, then what was left out."""
        from survey.cycle.spc_texts import explain
        return explain(self, lang)


def present(value: float | None) -> bool:
    """Tell whether a period has a value (None and NaN are missing)."""
    return value is not None and not math.isnan(value)


def phase_bounds(periods: int, phase_starts: Sequence[int], baseline: int | None) -> list[tuple[int, int, int]]:
    """Return (start, end, baseline_end) per phase; periods are 0-based, phase 1 starts at period 0."""
    if any(not 0 <= start < periods for start in phase_starts):
        raise ValueError(f"a phase must start at a period from 0 to {periods - 1}")
    if baseline is not None and baseline < 1:
        raise ValueError("a baseline needs at least one period")
    starts = sorted({0, *phase_starts}) if periods else []
    ends = [*starts[1:], periods]
    return [(start, end, end if baseline is None else min(end, start + baseline)) for start, end in zip(starts, ends)]


def run_chart(values: Sequence[float | None], phase_starts: Sequence[int] = (), baseline: int | None = None) -> Chart:
    """Analyse a run chart: per phase the median of its baseline periods and the Anhøj rules over all its points."""
    points: list[Point] = []
    phases: list[Phase] = []
    for number, (start, end, baseline_end) in enumerate(phase_bounds(len(values), phase_starts, baseline), 1):
        base = [float(v) for v in values[start:baseline_end] if v is not None and present(v)]
        centre = statistics.median(base) if base else None
        phase_points = [_point(period, values[period], number, centre) for period in range(start, end)]
        runs = anhoej([point.side for point in phase_points if point.value is not None])
        points += mark_long_runs(phase_points, runs)
        phases.append(Phase(number, start, end, baseline_end, centre, runs))
    return Chart("run", tuple(points), tuple(phases))


def side_of(value: float, centre: float) -> int:
    """Return +1 above the centre line, -1 below, 0 exactly on it."""
    return (value > centre) - (value < centre)


def _point(period: int, value: float | None, phase: int, centre: float | None) -> Point:
    """Make one run-chart point; missing values and phases without a centre line have no side."""
    if value is None or not present(value):
        return Point(period, None, phase, 0)
    return Point(period, float(value), phase, 0 if centre is None else side_of(float(value), centre))


def mark_long_runs(points: Sequence[Point], runs: Runs) -> list[Point]:
    """Mark the points of every run longer than the phase's limit, once the rule fired."""
    if not runs.long_run or runs.run_limit is None:
        return list(points)
    marked = list(points)
    run: list[int] = []
    for i, point in enumerate([*points, None]):
        if point is not None and (point.value is None or point.side == 0):
            continue  # missing and on-centre points neither extend nor break a run
        if run and (point is None or point.side != marked[run[0]].side):
            if len(run) > runs.run_limit:
                for j in run:
                    marked[j] = replace(marked[j], long_run=True)
            run = []
        if point is not None:
            run.append(i)
    return marked
