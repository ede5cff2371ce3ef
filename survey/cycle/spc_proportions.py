"""Proportions over time and across units, pure: p-charts, Laney's p′ charts and funnel plots.

p-chart (qicharts2's `qic.p`): per phase the centre p̄ = Σpositive / Σn over its baseline periods and the limits
p̄ ± 3·sqrt(p̄(1 − p̄)/n_i), clipped to [0, 1]. Laney's p′ chart (qicharts2's `qic.pp`, without its optional
screening of large moving ranges): z_i = (p_i − p̄)/σ_i over the baseline periods, σ_z = the mean moving range of
z between adjacent periods / 1.128, limits p̄ ± 3·σ_i·σ_z. Which: p′ when the median subgroup size is at least
LANEY_MIN_SUBGROUP (then binomial limits are so narrow that ordinary differences between periods, other people
answering, fall outside them), else p; a caller may choose either. A p′ phase whose σ_z cannot be worked out (fewer
than two adjacent baseline periods, or p̄ of 0 or 1) keeps p limits and says so (sigma_z None). Signals: points
beyond the limits, and the Anhøj rules on the same series against the centre line p̄ (as qicharts2 does).

Funnel plot: one period, one point per unit (share against its n), the overall share of the units shown, and
limits as functions of n from the exact binomial distribution with Spiegelhalter's interpolation (Statistics in
Medicine 2005, 24:1185), not the normal approximation, which is poor for the small n of units.
"""
from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy.stats import binom

from survey.cycle.spc import Chart, Phase, Point, anhoej, mark_long_runs, phase_bounds, side_of

LANEY_MIN_SUBGROUP = 1000
D2 = 1.128  # the mean moving range of two standard normal values, in standard deviations
METHODS = ("auto", "p", "p_prime")
FUNNEL_METHOD = "exact binomial, interpolated (Spiegelhalter 2005)"
FUNNEL_COVERAGES = (0.95, 0.998)


def p_chart(positives: Sequence[int | None], totals: Sequence[int | None], phase_starts: Sequence[int] = (),
            baseline: int | None = None, method: str = "auto") -> Chart:
    """Analyse proportions with varying n as a p- or p′-chart: per phase p̄, limits per point, and signals."""
    shares = _shares(positives, totals)
    kind, reason = choose_method([n for n, share in zip(totals, shares) if share is not None and n], method)
    points: list[Point] = []
    phases: list[Phase] = []
    for number, (start, end, baseline_end) in enumerate(phase_bounds(len(shares), phase_starts, baseline), 1):
        base = [i for i in range(start, baseline_end) if shares[i] is not None]
        centre = sum(positives[i] or 0 for i in base) / sum(totals[i] or 0 for i in base) if base else None
        pairs = [(shares[i], totals[i] or 0) for i in range(start, baseline_end)]
        sigma_z = laney_sigma_z(pairs, centre) if kind == "p_prime" and centre is not None else None
        phase_points = [_p_point(i, shares[i], totals[i], number, centre, sigma_z) for i in range(start, end)]
        runs = anhoej([point.side for point in phase_points if point.value is not None])
        points += mark_long_runs(phase_points, runs)
        phases.append(Phase(number, start, end, baseline_end, centre, runs, sigma_z))
    return Chart(kind, tuple(points), tuple(phases), reason)


def choose_method(subgroup_sizes: Sequence[int], method: str = "auto") -> tuple[str, str]:
    """Return the chart kind ("p" or "p_prime") and the reason: the caller's choice, or the median subgroup size."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}")
    if method != "auto":
        return method, "chosen"
    if subgroup_sizes and statistics.median(subgroup_sizes) >= LANEY_MIN_SUBGROUP:
        return "p_prime", "large_subgroups"
    return "p", "small_subgroups"


def laney_sigma_z(periods: Sequence[tuple[float | None, int]], centre: float) -> float | None:
    """Return Laney's σ_z: the mean moving range of z between adjacent present periods, over 1.128."""
    if not 0 < centre < 1:
        return None
    z = [None if share is None else (share - centre) / math.sqrt(centre * (1 - centre) / n) for share, n in periods]
    ranges = [abs(b - a) for a, b in pairwise(z) if a is not None and b is not None]
    return statistics.fmean(ranges) / D2 if ranges else None


def p_limits(centre: float, total: int, sigma_z: float | None = None) -> tuple[float, float]:
    """Return the 3-sigma limits around p̄ for a subgroup of `total`, widened by σ_z for p′, clipped to [0, 1]."""
    sigma = math.sqrt(centre * (1 - centre) / total) * (1.0 if sigma_z is None else sigma_z)
    return max(centre - 3 * sigma, 0.0), min(centre + 3 * sigma, 1.0)


def _shares(positives: Sequence[int | None], totals: Sequence[int | None]) -> list[float | None]:
    """Return each period's share, None where it is missing (no count, or no one counted)."""
    if len(positives) != len(totals):
        raise ValueError("positives and totals must have one entry per period")
    shares: list[float | None] = []
    for positive, total in zip(positives, totals):
        if positive is None or not total:
            shares.append(None)
        elif not 0 <= positive <= total:
            raise ValueError(f"a count of {positive} positive out of {total} is impossible")
        else:
            shares.append(positive / total)
    return shares


def _p_point(period: int, share: float | None, total: int | None, phase: int, centre: float | None,
             sigma_z: float | None) -> Point:
    """Make one p-chart point with its limits; a missing period has none."""
    if share is None or total is None or centre is None:
        return Point(period, share, phase, 0, total=total if share is not None else None)
    lower, upper = p_limits(centre, total, sigma_z)
    return Point(period, share, phase, side_of(share, centre), outside=not lower <= share <= upper, total=total,
                 lower=lower, upper=upper)


@dataclass(frozen=True)
class FunnelUnit:
    """One unit in a funnel plot: its share and, per coverage, its limits and whether it lies outside them."""

    key: str
    positive: int
    total: int
    share: float
    limits: tuple[tuple[float, float], ...]  # (lower, upper) per coverage in FUNNEL_COVERAGES
    outside: tuple[int, ...]                 # per coverage: +1 above, -1 below, 0 inside


@dataclass(frozen=True)
class Funnel:
    """Units compared in one period against the overall share; units without figures are left out and counted."""

    centre: float | None
    units: tuple[FunnelUnit, ...]
    missing: int
    method: str = FUNNEL_METHOD
    coverages: tuple[float, ...] = FUNNEL_COVERAGES

    def curve(self, totals: Sequence[int]) -> list[tuple[int, tuple[tuple[float, float], ...]]]:
        """Return the limits at each subgroup size in `totals`, for drawing the funnel."""
        if self.centre is None:
            return []
        sizes = np.array([n for n in totals if n > 0])
        bands = [funnel_bands(self.centre, sizes, coverage) for coverage in self.coverages]
        return [(int(n), tuple((float(lower[i]), float(upper[i])) for lower, upper in bands))
                for i, n in enumerate(sizes)]


def funnel(units: Sequence[tuple[str, int | None, int | None]]) -> Funnel:
    """Compare units' (key, positive, total) in one period: the overall share, each unit's limits, who is outside."""
    shares = _shares([positive for _key, positive, _total in units], [total for _key, _positive, total in units])
    shown = [(key, positive or 0, total or 0, share) for (key, positive, total), share in zip(units, shares)
             if share is not None]
    if not shown:
        return Funnel(None, (), len(units))
    centre = sum(row[1] for row in shown) / sum(row[2] for row in shown)
    sizes = np.array([row[2] for row in shown])
    bands = [funnel_bands(centre, sizes, coverage) for coverage in FUNNEL_COVERAGES]
    rows = []
    for i, (key, positive, total, share) in enumerate(shown):
        limits = tuple((float(lower[i]), float(upper[i])) for lower, upper in bands)
        outside = tuple((share > upper) - (share < lower) for lower, upper in limits)
        rows.append(FunnelUnit(key, positive, total, share, limits, outside))
    return Funnel(centre, tuple(rows), len(units) - len(shown))


def funnel_limits(centre: float, total: int, coverage: float) -> tuple[float, float]:
    """Return the lower and upper limits for a share out of `total` around `centre`, by the exact binomial."""
    lower, upper = funnel_bands(centre, np.array([total]), coverage)
    return float(lower[0]), float(upper[0])


def funnel_bands(centre: float, totals: np.ndarray, coverage: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the lower and upper limits for every subgroup size in `totals` at once."""
    tail = (1 - coverage) / 2
    return binomial_limits(centre, totals, tail), binomial_limits(centre, totals, 1 - tail)


def binomial_limits(centre: float, totals: np.ndarray, probability: float) -> np.ndarray:
    """Return the interpolated binomial quantiles as shares: (r_p − α)/n, clipped to [0, 1] (Spiegelhalter)."""
    r = binom.ppf(probability, totals, centre)
    while (down := (r > 0) & (binom.cdf(r - 1, totals, centre) >= probability)).any():
        r = r - down  # guard the numerical quantile: r_p is the smallest r with P(R <= r) >= probability
    while (up := (r < totals) & (binom.cdf(r, totals, centre) < probability)).any():
        r = r + up
    at, below = binom.cdf(r, totals, centre), binom.cdf(r - 1, totals, centre)
    jump = np.where(at > below, at - below, 1.0)
    alpha = np.where(at > below, (at - probability) / jump, 0.0)
    return np.clip((r - alpha) / totals, 0.0, 1.0)
