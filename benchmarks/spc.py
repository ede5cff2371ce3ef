"""SPC at scale: run charts of 300 units x 12 periods analysed and drawn, beside bare numpy in the same run.

Generates shares for UNITS units over PERIODS periods (seeded; about 10 % of periods hidden by small-group
suppression, a shift in a tenth of the units half-way), then times, in the same process:
  baseline   bare numpy per series: the median, the sides, the longest run and the crossings (no limits, no texts)
  analyse    survey.cycle.spc.run_chart per series, and its explanation in Swedish
  model      the same for every flag of the quality model (FLAGS series per unit): what a whole-model page
             over all units needs
  p-chart    survey.cycle.spc_proportions.p_chart per unit (counts), and one funnel of all units in one period
  draw       survey.cycle.spc_charts.chart_svg: one SVG per unit (per chart: median and slowest)
Goal (issue 18): the whole-model page and a run chart <= 1 s at 300 units with 12 periods.
Usage: python benchmarks/spc.py [--units 300] [--periods 12] [--flags 20] [--rounds 3] [--draw 300]
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import binom

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survey.cycle.spc import run_chart
from survey.cycle.spc_charts import chart_svg
from survey.cycle.spc_proportions import funnel, p_chart

GOAL_SECONDS = 1.0


def generate(units: int, periods: int, seed: int = 1) -> tuple[list[list[int | None]], list[list[int | None]]]:
    """Positive answers and answers per unit and period; None where suppression hid the period."""
    rng = np.random.default_rng(seed)
    totals = rng.integers(3, 40, size=(units, periods))
    shares = np.clip(rng.normal(0.7, 0.08, size=(units, 1)) + rng.normal(0, 0.05, size=(units, periods)), 0, 1)
    shifted = rng.random(units) < 0.1
    shares[shifted, periods // 2:] = np.clip(shares[shifted, periods // 2:] + 0.15, 0, 1)
    positives = rng.binomial(totals, shares)
    hidden = totals < 5

    def as_list(a: np.ndarray) -> list[list[int | None]]:
        return [[None if hidden[u, p] else int(a[u, p]) for p in range(periods)] for u in range(units)]
    return as_list(positives), as_list(totals)


def bare_numpy(series: list[list[float | None]], fewest: np.ndarray) -> int:
    """Count the series with a long run or too few crossings, by plain numpy (crossing limits from a table)."""
    signals = 0
    for values in series:
        y = np.array([v for v in values if v is not None], dtype=float)
        sides = np.sign(y - np.median(y))
        sides = sides[sides != 0]
        if len(sides) == 0:
            continue
        changes = np.flatnonzero(np.diff(sides)) + 1
        lengths = np.diff(np.concatenate(([0], changes, [len(sides)])))
        signals += int(lengths.max() > round(np.log2(len(sides))) + 3 or len(changes) < fewest[len(sides)])
    return signals


def timed(function, *args) -> tuple[float, object]:
    """Run once; return seconds and the result."""
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def analyse(series: list[list[float | None]]) -> int:
    """Analyse every series as a run chart and explain it; return how many signal."""
    signals = 0
    for values in series:
        chart = run_chart(values)
        chart.explain("sv")
        signals += chart.signal
    return signals


def proportions(positives: list[list[int | None]], totals: list[list[int | None]]) -> int:
    """A p-chart per unit and a funnel of all units in the last period; return how many p-charts signal."""
    signals = sum(p_chart(p, n).signal for p, n in zip(positives, totals))
    funnel([(str(u), p[-1], n[-1]) for u, (p, n) in enumerate(zip(positives, totals))])
    return signals


def draw(series: list[list[float | None]], labels: list[str]) -> list[float]:
    """Draw one run chart per series; return the seconds each took."""
    seconds = []
    for unit, values in enumerate(series):
        start = time.perf_counter()
        chart_svg(run_chart(values), labels, f"Enhet {unit}", "sv", percent=True)
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--periods", type=int, default=12)
    parser.add_argument("--flags", type=int, default=20, help="series per unit for the whole-model figure")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--draw", type=int, default=300, help="charts to draw (the slow part)")
    args = parser.parse_args()
    positives, totals = generate(args.units, args.periods)
    series = [[None if p is None or not n else p / n for p, n in zip(ps, ns)] for ps, ns in zip(positives, totals)]
    model = [values for flag in range(args.flags) for values in
             [[None if p is None or not n else p / n for p, n in zip(ps, ns)]
              for ps, ns in zip(*generate(args.units, args.periods, seed=flag + 2))]]
    labels = [f"P{p + 1}" for p in range(args.periods)]
    missing = sum(v is None for values in series for v in values)
    print(f"{dt.date.today()}  {args.units} units x {args.periods} periods ({missing} periods hidden), "
          f"{args.flags} flags for the whole model")
    fewest = np.array([0, *binom.ppf(0.05, np.arange(args.periods), 0.5)])  # qbinom(0.05, n - 1, 0.5) by n
    draw(series[:3], labels)  # matplotlib's first figure loads fonts: not part of any chart
    for round_ in range(1, args.rounds + 1):
        base, base_signals = timed(bare_numpy, series, fewest)
        spc, spc_signals = timed(analyse, series)
        whole, _ = timed(analyse, model)
        prop, _ = timed(proportions, positives, totals)
        print(f"round {round_}: baseline numpy {base * 1000:7.1f} ms ({base_signals} signal) | run_chart + texts "
              f"{spc * 1000:7.1f} ms ({spc_signals} signal, {spc / base:.1f}x baseline) | whole model "
              f"{len(model)} series {whole * 1000:7.1f} ms | p-charts + funnel {prop * 1000:7.1f} ms")
    seconds = draw(series[:args.draw], labels)
    print(f"draw {len(seconds)} run charts: {sum(seconds):.1f} s in all, per chart median "
          f"{statistics.median(seconds) * 1000:.0f} ms, slowest {max(seconds) * 1000:.0f} ms "
          f"(goal per chart <= {GOAL_SECONDS:.0f} s: {'met' if max(seconds) <= GOAL_SECONDS else 'NOT met'})")


if __name__ == "__main__":
    main()
