"""SPC charts as SVG images and as table rows: well formed, every present point drawn, signals by shape."""
import base64
import re
import xml.etree.ElementTree as ET

import pytest

from survey.cycle.spc import run_chart
from survey.cycle.spc_charts import chart_rows, chart_svg
from survey.cycle.spc_proportions import p_chart

SVG = "{http://www.w3.org/2000/svg}"


def svg_of(image) -> str:
    """Decode the SVG from an <img> with a data URI."""
    match = re.fullmatch(r'<img class="chart" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="[^"]*">',
                         str(image))
    assert match, str(image)[:200]
    return base64.b64decode(match.group(1)).decode("utf-8")


def markers(svg: str) -> dict[str, int]:
    """Count the markers in each named set of points (points, long-run, outside)."""
    root = ET.fromstring(svg)  # noqa: S314 -- our own SVG; parsing it checks that it is well formed
    return {group.get("id"): len(list(group.iter(f"{SVG}use"))) for group in root.iter(f"{SVG}g")
            if group.get("id") in ("points", "long-run", "outside")}


def test_a_run_chart_draws_every_present_point_and_marks_the_long_run():
    values = [5, 9, 1, 9, 1, 9, 1, 9, 1, 9] + [9] * 8 + [None, 1, 9]
    chart = run_chart(values, baseline=10)
    image = chart_svg(chart, [f"P{i}" for i in range(len(values))], "Trygghet", "en")
    assert markers(svg_of(image)) == {"points": 20, "long-run": 9}
    assert 'alt="Run chart: Trygghet. 9 points in a row above the median' in str(image)


def test_phases_and_missing_periods():
    chart = run_chart([1, None, 3, 4, None, 6, 7, 8], phase_starts=[4], baseline=2)
    svg = svg_of(chart_svg(chart, list("abcdefgh"), "Phases", "sv"))
    assert markers(svg) == {"points": 6}


def test_a_p_chart_marks_the_point_outside_its_limits():
    chart = p_chart([9, 16, 2, None], [10, 20, 15, 4])
    image = chart_svg(chart, ["Q1", "Q2", "Q3", "Q4"], "Område Norr", "nb")
    assert markers(svg_of(image)) == {"points": 3, "outside": 1}
    assert "p-diagram: Område Norr. p-diagram: kontrollgrenser" in str(image)


def test_names_with_dollar_signs_are_text_not_math():
    chart = run_chart([1, 2, 3])
    svg = svg_of(chart_svg(chart, ["$a$", "b", "c"], "Enhet $x$", "en"))
    assert "Oblique" not in svg  # mathtext would set $x$ in an oblique face


def test_alt_text_is_escaped():
    image = chart_svg(run_chart([1, 2, 3]), ["a", "b", "c"], 'Unit "A" <b>', "en")
    assert 'Unit &#34;A&#34; &lt;b&gt;' in str(image)


def test_one_label_per_period():
    with pytest.raises(ValueError, match="label"):
        chart_svg(run_chart([1, 2, 3]), ["a", "b"], "Title", "en")


def test_table_rows_match_the_input():
    positives, totals = [9, 16, None, 2], [10, 20, 3, 15]
    labels = ["2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4"]
    rows = chart_rows(p_chart(positives, totals), labels, "en")
    assert [row["period"] for row in rows] == labels
    assert [row["value"] for row in rows] == pytest.approx([0.9, 0.8, None, 2 / 15])
    assert [row["total"] for row in rows] == [10, 20, None, 15]
    assert [row["note"] for row in rows] == ["", "", "left out (too few answers)", "outside the control limits"]
    assert [row["centre"] for row in rows] == pytest.approx([27 / 45] * 4)
    run_rows = chart_rows(run_chart([3, 1, None, 2], phase_starts=[2]), list("abcd"), "sv")
    assert [(row["value"], row["phase"], row["centre"]) for row in run_rows] == [
        (3, 1, 2), (1, 1, 2), (None, 2, 2), (2, 2, 2)]
