"""Statistical process control, pure: the Anhøj rules as qicharts2 applies them, phases, p and p′ charts, funnels."""
import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from survey.cycle.spc import (
    MIN_USEFUL_POINTS,
    RULE_SET,
    RULE_SET_VERSION,
    anhoej,
    can_signal,
    crossings_limit,
    longest_run_limit,
    run_chart,
)
from survey.cycle.spc_proportions import FUNNEL_METHOD, choose_method, funnel, funnel_limits, p_chart

ABOVE, BELOW = 9, 1  # around a median of 5


def values_of(sides: str) -> list[int]:
    """Turn "AAB" into values above and below a median of 5 (a baseline of A B pairs fixes that median)."""
    return [ABOVE if side == "A" else BELOW for side in sides]


@pytest.mark.parametrize(("n", "run_limit", "crossings_min"), [(10, 6, 2), (20, 7, 6), (30, 8, 10)])
def test_the_limits_the_issue_names(n, run_limit, crossings_min):
    assert longest_run_limit(n) == run_limit
    assert crossings_limit(n) == crossings_min


def test_the_limits_from_2_to_100_agree_with_scipy_and_the_log2_formula():
    for n in range(2, 101):
        assert crossings_limit(n) == int(binom.ppf(0.05, n - 1, 0.5)), n
        assert binom.cdf(crossings_limit(n), n - 1, 0.5) >= 0.05 > binom.cdf(crossings_limit(n) - 1, n - 1, 0.5)
        assert longest_run_limit(n) == math.floor(math.log2(n) + 0.5) + 3, n


def test_no_sequence_shorter_than_the_minimum_can_signal_and_one_of_the_minimum_can():
    for n in range(1, MIN_USEFUL_POINTS + 4):
        possible = False
        for sides in itertools.product((1, -1), repeat=n):
            runs = anhoej(sides)
            assert runs.signal == (runs.longest_run > longest_run_limit(n) or runs.crossings < crossings_limit(n))
            possible |= runs.signal
        assert possible == (n >= MIN_USEFUL_POINTS) == can_signal(n), n
    assert MIN_USEFUL_POINTS == 6  # six points on one side: no crossing, and at least one is expected


def test_a_run_of_8_above_the_median_among_20_points_signals():
    # A frozen baseline of ten alternating points fixes the median at 5; then 8 above, one below, one above.
    chart = run_chart(values_of("ABABABABAB" + "AAAAAAAA" + "BA"), baseline=10)
    runs = chart.phases[0].runs
    assert chart.phases[0].centre == 5
    assert (runs.useful, runs.longest_run, runs.longest_run_side, runs.run_limit) == (20, 8, 1, 7)
    assert (runs.crossings, runs.crossings_min) == (12, 6)
    assert runs.long_run and not runs.few_crossings and chart.signal
    assert [p.period for p in chart.points if p.long_run] == list(range(10, 18))
    assert chart.explain("en") == ("8 points in a row above the median: more than 7 would rarely happen by chance.",)
    assert chart.explain("sv")[0].startswith("8 punkter i rad över medianen: fler än 7")
    assert chart.explain("nb")[0].startswith("8 punkter på rad over medianen: flere enn 7")
    assert (chart.rule_set, chart.rule_set_version) == (RULE_SET, RULE_SET_VERSION)


def test_a_run_of_7_among_20_points_does_not():
    chart = run_chart(values_of("ABABABABAB" + "AAAAAAA" + "BAB"), baseline=10)
    assert chart.phases[0].runs.longest_run == 7 and not chart.signal


def test_an_alternating_series_has_no_run_signal():
    chart = run_chart([1, 9] * 10)
    runs = chart.phases[0].runs
    assert (runs.longest_run, runs.crossings) == (1, 19)
    assert not runs.signal and not any(point.signal for point in chart.points)
    assert chart.explain("en")[-1] == "No signal: the variation looks random."


def test_too_few_crossings_signal():
    chart = run_chart(values_of("AAAAABBBBBAAAAABBBBB"))  # 4 runs of 5: 3 crossings among 20, fewer than 6
    runs = chart.phases[0].runs
    assert (runs.crossings, runs.longest_run, runs.few_crossings, runs.long_run) == (3, 5, True, False)
    assert chart.explain("en") == ("Crossings of the median: 3. Fewer than 6 would rarely happen by chance.",)


def test_points_on_the_median_are_skipped_for_runs_and_crossings():
    # median of 1, 1, 5, 5, 5, 9, 9 is 5: sides B 0 B A 0 A 0, so two runs of two and one crossing
    runs = run_chart([1, 5, 1, 9, 5, 9, 5]).phases[0].runs
    assert (runs.useful, runs.on_centre, runs.longest_run, runs.crossings) == (4, 3, 2, 1)
    # a point on the median between two sides is no crossing of its own: B 0 A is one crossing
    runs = run_chart([1, 5, 9]).phases[0].runs
    assert (runs.useful, runs.crossings) == (2, 1)


def test_a_frozen_baseline_is_never_rebased():
    chart = run_chart([1, 2, 3, 4] + [10] * 6, baseline=4)
    assert chart.phases[0].centre == 2.5 and chart.phases[0].baseline_end == 4
    runs = chart.phases[0].runs
    assert (runs.useful, runs.longest_run, runs.run_limit, runs.long_run) == (10, 8, 6, True)
    assert run_chart([1, 2, 3, 4] + [10] * 6).phases[0].centre == 10  # without a baseline all points count


def test_each_phase_has_its_own_median_and_analysis():
    values = [1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16]
    whole = run_chart(values)
    assert whole.phases[0].runs.few_crossings  # one crossing among 12: fewer than 3
    split = run_chart(values, phase_starts=[6])
    assert [(p.number, p.start, p.end, p.centre) for p in split.phases] == [(1, 0, 6, 3.5), (2, 6, 12, 13.5)]
    assert all(p.runs.useful == 6 and p.runs.crossings == 1 and not p.runs.signal for p in split.phases)
    assert [point.phase for point in split.points] == [1] * 6 + [2] * 6
    assert split.explain("en")[0].startswith("Phase 1: Longest run: 3")


def test_a_baseline_applies_within_each_phase():
    chart = run_chart([1, 3, 9, 9, 20, 30, 40, 40], phase_starts=[4], baseline=2)
    assert [(p.baseline_end, p.centre) for p in chart.phases] == [(2, 2), (6, 25)]


@pytest.mark.parametrize("starts", [[-1], [8], [3, 99]])
def test_a_phase_outside_the_chart_is_refused(starts):
    with pytest.raises(ValueError, match="phase"):
        run_chart([1, 2, 3, 4, 5, 6, 7, 8], phase_starts=starts)


def test_too_few_points_say_how_many_a_signal_needs():
    flat = run_chart([9, 9, 9, 9, 9, 9, 9])
    assert flat.phases[0].runs.useful == 0 and not flat.signal  # every point on its own median
    chart = run_chart([1, 2, 9, 9, 9], baseline=2)  # 5 points off a median of 1.5: too few to say anything
    runs = chart.phases[0].runs
    assert runs.useful == 5 and runs.points_needed == MIN_USEFUL_POINTS and not runs.enough_points
    assert not chart.signal
    assert chart.explain("en") == ("Points not on the median: 5. The rules need at least 6 before they can show a "
                                   "signal.",)
    assert "minst 6" in chart.explain("sv")[0] and "minst 6" in chart.explain("nb")[0]


def test_missing_periods_are_neither_plotted_nor_counted():
    chart = run_chart([1, None, 9, float("nan"), 1, 9, None])
    assert chart.missing == 3
    assert [p.period for p in chart.points if p.value is not None] == [0, 2, 4, 5]
    assert chart.phases[0].centre == 5 and chart.phases[0].runs.useful == 4
    assert chart.explain("en")[-1] == "Periods left out (too few answers): 3."
    assert chart.explain("sv")[-1] == "Perioder som utelämnats (för få svar): 3."
    empty = run_chart([None, None])
    assert empty.phases[0].centre is None and not empty.signal and empty.missing == 2


def test_a_missing_period_does_not_break_a_run():
    chart = run_chart(values_of("ABABABABAB") + values_of("AAAA") + [None] + values_of("AAAAB"), baseline=10)
    assert chart.phases[0].runs.longest_run == 8 and chart.phases[0].runs.long_run


def test_a_p_chart_worked_by_hand():
    # p̄ = (9 + 16 + 2) / (10 + 20 + 15) = 27/45 = 0.6; σ_i = sqrt(0.24 / n_i) = 0.15492, 0.10954, 0.12649
    chart = p_chart([9, 16, 2], [10, 20, 15])
    assert chart.kind == "p" and chart.method_reason == "small_subgroups"
    assert chart.phases[0].centre == pytest.approx(0.6)
    expected = [(0.9, 0.13524, 1.0), (0.8, 0.27137, 0.92863), (2 / 15, 0.22053, 0.97947)]  # 1.06476 clipped to 1
    for point, (share, lower, upper) in zip(chart.points, expected):
        assert (point.value, point.lower, point.upper) == pytest.approx((share, lower, upper), abs=5e-6)
    assert [p.outside for p in chart.points] == [False, False, True]  # 0.133 is below 0.221
    assert chart.signal
    assert chart.explain("en")[:2] == ("p-chart: control limits from the binomial distribution.",
                                       "Points outside the control limits: 1. Deviations that large rarely happen "
                                       "by chance.")


def test_a_p_chart_leaves_out_missing_and_empty_periods():
    chart = p_chart([9, None, 16, 0], [10, 12, 20, 0])
    assert chart.missing == 2 and chart.phases[0].centre == pytest.approx(25 / 30)
    assert [p.lower is None for p in chart.points] == [False, True, False, True]
    with pytest.raises(ValueError, match="impossible"):
        p_chart([11], [10])


def test_laney_sigma_z_on_a_small_example_worked_by_hand():
    # p̄ = 200/400 = 0.5, σ_i = sqrt(0.25/100) = 0.05, z = -1, 1, -2, 2; moving ranges 2, 3, 4: mean 3
    chart = p_chart([45, 55, 40, 60], [100] * 4, method="p_prime")
    assert chart.kind == "p_prime" and chart.method_reason == "chosen"
    sigma_z = chart.phases[0].sigma_z
    assert sigma_z == pytest.approx(3 / 1.128)
    assert (chart.points[0].lower, chart.points[0].upper) == pytest.approx((0.5 - 0.15 * sigma_z, 0.5 + 0.15 * sigma_z))
    assert chart.explain("en")[0].startswith("Laney's p′ chart")


def test_laney_skips_moving_ranges_across_a_missing_period():
    chart = p_chart([45, 55, None, 40, 60], [100] * 5, method="p_prime")
    assert chart.phases[0].sigma_z == pytest.approx((2 + 4) / 2 / 1.128)


def test_p_or_p_prime_is_chosen_by_the_median_subgroup_size():
    assert choose_method([20, 30, 25]) == ("p", "small_subgroups")
    assert choose_method([900, 1200, 1500]) == ("p_prime", "large_subgroups")
    assert p_chart([1200, 1300, 1250], [2000, 2100, 2050]).kind == "p_prime"
    with pytest.raises(ValueError, match="method"):
        choose_method([10], "q")


def test_p_chart_runs_are_judged_against_the_centre_line():
    chart = p_chart([8] * 8 + [2] * 8, [10] * 16)  # 8 above p̄ = 0.5, then 8 below
    assert chart.phases[0].runs.longest_run == 8 and chart.phases[0].runs.long_run
    assert "the centre line" in chart.explain("en")[-1]


def exact_binomial_limit(p: Fraction, n: int, q: Fraction) -> float:
    """Spiegelhalter's interpolated quantile, worked with exact fractions: (r − α)/n."""
    cdf = list(itertools.accumulate(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)))
    r = next(k for k in range(n + 1) if cdf[k] >= q)
    below = cdf[r - 1] if r else Fraction(0)
    return float(min(max((r - (cdf[r] - q) / (cdf[r] - below)) / n, 0), 1))


@pytest.mark.parametrize(("p", "n"), [(Fraction(1, 2), 10), (Fraction(4, 5), 12), (Fraction(7, 10), 40),
                                      (Fraction(9, 10), 5)])
def test_funnel_limits_are_the_interpolated_exact_binomial(p, n):
    for coverage, tail in ((0.95, Fraction(25, 1000)), (0.998, Fraction(1, 1000))):
        lower, upper = funnel_limits(float(p), n, coverage)
        assert lower == pytest.approx(exact_binomial_limit(p, n, tail), abs=1e-9)
        assert upper == pytest.approx(exact_binomial_limit(p, n, 1 - tail), abs=1e-9)
        assert 0 <= lower <= float(p) <= upper <= 1


def test_funnel_limits_for_half_out_of_10_by_hand():
    # F(1) = 11/1024, F(2) = 56/1024: r = 2, α = (56/1024 − 0.025)/(45/1024) = 30.4/45, limit (2 − α)/10
    assert funnel_limits(0.5, 10, 0.95) == pytest.approx(((2 - 30.4 / 45) / 10, (8 - 14.6 / 45) / 10))


def test_funnel_marks_the_units_outside_and_leaves_out_the_hidden():
    result = funnel([("a", 8, 10), ("b", 50, 100), ("hidden", None, None), ("c", 2, 30)])
    assert result.centre == pytest.approx(60 / 140) and result.missing == 1 and result.method == FUNNEL_METHOD
    assert {unit.key: unit.outside for unit in result.units} == {"a": (1, 0), "b": (0, 0), "c": (-1, -1)}
    assert funnel([("x", None, 0)]).units == ()
    curve = result.curve([0, 10, 1000])
    assert [n for n, _limits in curve] == [10, 1000]
    assert curve[0][1][0] == pytest.approx(funnel_limits(60 / 140, 10, 0.95))
    narrow, wide = curve[1][1]
    assert wide[0] < narrow[0] < 60 / 140 < narrow[1] < wide[1]  # 99.8 % outside 95 %
    assert curve[1][1][0][1] - curve[1][1][0][0] < curve[0][1][0][1] - curve[0][1][0][0]  # narrower at larger n


def test_funnel_with_no_positive_answers_anywhere():
    result = funnel([("a", 0, 10), ("b", 0, 40)])
    assert result.centre == 0 and all(unit.outside == (0, 0) for unit in result.units)
    assert all(limits == (0.0, 0.0) for unit in result.units for limits in unit.limits)


@st.composite
def series(draw):
    """A short series of small values (ties with the median are common), some periods missing, phases, baseline."""
    values = draw(st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=1, max_size=30))
    starts = draw(st.lists(st.integers(0, len(values) - 1), max_size=3))
    baseline = draw(st.one_of(st.none(), st.integers(1, 12)))
    return values, starts, baseline


def reference(values, starts, baseline):
    """The rules, written out plainly: per phase (long run?, too few crossings?, periods of the long runs)."""
    bounds = sorted({0, *starts}) + [len(values)]
    result = []
    for start, end in itertools.pairwise(bounds):
        stop = end if baseline is None else min(end, start + baseline)
        base = sorted(v for v in values[start:stop] if v is not None)
        if not base:
            result.append((False, False, set()))
            continue
        median = (base[(len(base) - 1) // 2] + base[len(base) // 2]) / 2
        useful = [(i, "+" if values[i] > median else "-") for i in range(start, end)
                  if values[i] is not None and values[i] != median]
        text = "".join(side for _i, side in useful)
        n = len(text)
        runs = [(i, j) for i in range(n) for j in range(i + 1, n + 1) if len(set(text[i:j])) == 1
                and (i == 0 or text[i - 1] != text[i]) and (j == n or text[j] != text[i])]
        longest = max((j - i for i, j in runs), default=0)
        crossings = sum(a != b for a, b in itertools.pairwise(text))
        limit = math.floor(math.log2(n) + 0.5) + 3 if n else n
        fewest = int(binom.ppf(0.05, n - 1, 0.5)) if n > 1 else 0
        marked = {useful[k][0] for i, j in runs if j - i > limit for k in range(i, j)}
        result.append((longest > limit, crossings < fewest, marked))
    return result


@settings(max_examples=400, deadline=None)
@given(series())
def test_signals_agree_with_a_plain_reference(case):
    values, starts, baseline = case
    chart = run_chart(values, phase_starts=starts, baseline=baseline)
    got = [(p.runs.long_run, p.runs.few_crossings,
            {q.period for q in chart.points if q.phase == p.number and q.long_run}) for p in chart.phases]
    assert got == reference(values, starts, baseline)
    assert chart.missing == values.count(None)
