"""Run charts and p-charts as SVG (matplotlib), readable without colour vision, and the same figures as table rows.

The house style of survey.analysis.charts: an <img> with an SVG data URI (because of the Content-Security-Policy),
shapes and line styles as well as colours, and no math text parsing (unit and period names may hold `$`). Each
phase is its own line with a vertical line at its start; a missing period is a gap; a point that signals has a
shape of its own (a square in an unusual run, a diamond beyond the limits); the centre line of a phase whose runs
signal is dashed, as in qicharts2.
"""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from markupsafe import Markup
from matplotlib.lines import Line2D

from survey.analysis.charts import svg_image
from survey.cycle.spc import Chart, Phase, Point

LINE, CENTRE, SIGNAL, OUTSIDE, LIMITS = "#1f4e79", "#333333", "#c25400", "#5d3a9b", "#6b6b6b"

WORDS: dict[str, dict[str, str]] = {
    "sv": {"value": "Värde", "median": "Median", "centre": "Centrallinje", "limits": "Styrgränser",
           "long_run": "del av en ovanligt lång serie", "outside": "utanför styrgränserna", "phase": "Ny fas",
           "baseline": "Baslinjen slutar", "missing": "utelämnad (för få svar)", "run": "Seriediagram",
           "p": "p-diagram", "p_prime": "p′-diagram", "table": "Samma siffror finns i tabellen bredvid.",
           "signal": "signal"},
    "nb": {"value": "Verdi", "median": "Median", "centre": "Senterlinje", "limits": "Kontrollgrenser",
           "long_run": "del av en uvanlig lang serie", "outside": "utenfor kontrollgrensene", "phase": "Ny fase",
           "baseline": "Grunnlinjen slutter", "missing": "utelatt (for få svar)", "run": "Seriediagram",
           "p": "p-diagram", "p_prime": "p′-diagram", "table": "De samme tallene står i tabellen ved siden av.",
           "signal": "signal"},
    "en": {"value": "Value", "median": "Median", "centre": "Centre line", "limits": "Control limits",
           "long_run": "part of an unusually long run", "outside": "outside the control limits", "phase": "New phase",
           "baseline": "End of baseline", "missing": "left out (too few answers)", "run": "Run chart",
           "p": "p-chart", "p_prime": "p′ chart", "table": "The same figures are in the table beside it.",
           "signal": "signal"},
}


def chart_svg(chart: Chart, labels: Sequence[str], title: str, lang: str, percent: bool | None = None) -> Markup:
    """Draw a run chart or p-chart with one label per period; shares are shown as percent (always for p-charts)."""
    if len(labels) != len(chart.points):
        raise ValueError("a chart needs one label per period")
    words = WORDS[lang]
    scale = 100.0 if (chart.kind != "run" if percent is None else percent) else 1.0
    with plt.rc_context({"text.parse_math": False}):
        figure, axes = plt.subplots(figsize=(8, 3.8))
        for phase in chart.phases:
            _draw_phase(axes, chart, phase, scale)
        _draw_markers(axes, chart.points, scale)
        axes.set_xticks(range(len(labels)), list(labels), fontsize=8, rotation=45 if len(labels) > 8 else 0,
                        ha="right" if len(labels) > 8 else "center")
        axes.set_xlim(-0.6, len(labels) - 0.4)
        axes.set_ylabel("%" if scale == 100 else words["value"])
        axes.set_title(title, fontsize=11, loc="left")
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(handles=_legend(chart, words), fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0),
                    frameon=False)
        figure.tight_layout()
        return svg_image(figure, alt_text(chart, title, lang))


def alt_text(chart: Chart, title: str, lang: str) -> str:
    """Return the chart's alt text: what kind of chart, its title, what it shows, and where the figures are."""
    words = WORDS[lang]
    return " ".join([f"{words[chart.kind]}: {title}.", *chart.explain(lang), words["table"]])


def _draw_phase(axes, chart: Chart, phase: Phase, scale: float) -> None:
    """Draw one phase: its line with gaps, its centre line, its limits, and the lines where it and its baseline end."""
    points = [p for p in chart.points if p.phase == phase.number]
    values = [float("nan") if p.value is None else p.value * scale for p in points]
    axes.plot([p.period for p in points], values, color=LINE, linewidth=1.5, zorder=2)
    if phase.centre is not None:
        signal = phase.runs.signal
        axes.hlines(phase.centre * scale, phase.start - 0.4, phase.end - 0.6, colors=SIGNAL if signal else CENTRE,
                    linestyles="--" if signal else "-", linewidth=1.5, zorder=1)
    limited = [p for p in points if p.lower is not None and p.upper is not None]
    for bound in ("lower", "upper"):
        axes.hlines([getattr(p, bound) * scale for p in limited], [p.period - 0.45 for p in limited],
                    [p.period + 0.45 for p in limited], colors=LIMITS, linestyles=":", linewidth=1.2, zorder=1)
    if phase.number > 1:
        axes.axvline(phase.start - 0.5, color="#000000", linewidth=1.2, zorder=1)
    if phase.baseline_end < phase.end:
        axes.axvline(phase.baseline_end - 0.5, color=LIMITS, linestyle=(0, (1, 3)), linewidth=1.2, zorder=1)


def _draw_markers(axes, points: Sequence[Point], scale: float) -> None:
    """Draw every present point, then the signalling ones again with their own shape; each set named in the SVG."""
    sets = [("points", None, "o", LINE, 5), ("long-run", "long_run", "s", SIGNAL, 9),
            ("outside", "outside", "D", OUTSIDE, 9)]
    for gid, flag, marker, colour, size in sets:
        shown = [p for p in points if p.value is not None and (flag is None or getattr(p, flag))]
        if shown:
            axes.plot([p.period for p in shown], [(p.value or 0.0) * scale for p in shown], linestyle="none",
                      marker=marker, markersize=size, markerfacecolor=colour, markeredgecolor="#000000",
                      markeredgewidth=0.8, zorder=3, gid=gid)


def _legend(chart: Chart, words: dict[str, str]) -> list[Line2D]:
    """Return the legend entries the chart uses, each with its shape or line style."""
    def entry(label: str, **style) -> Line2D:
        return Line2D([], [], label=label, **style)
    handles = [entry(words["value"], color=LINE, marker="o", markeredgecolor="#000000"),
               entry(words["median" if chart.kind == "run" else "centre"], color=CENTRE)]
    if any(phase.runs.signal for phase in chart.phases):
        handles.append(entry(f"{handles[1].get_label()}: {words['signal']}", color=SIGNAL, linestyle="--"))
    if any(p.lower is not None for p in chart.points):
        handles.append(entry(words["limits"], color=LIMITS, linestyle=":"))
    if any(p.long_run for p in chart.points):
        handles.append(entry(words["long_run"].capitalize(), color=SIGNAL, marker="s", linestyle="none",
                             markeredgecolor="#000000"))
    if any(p.outside for p in chart.points):
        handles.append(entry(words["outside"].capitalize(), color=OUTSIDE, marker="D", linestyle="none",
                             markeredgecolor="#000000"))
    if len(chart.phases) > 1:
        handles.append(entry(words["phase"], color="#000000"))
    if any(phase.baseline_end < phase.end for phase in chart.phases):
        handles.append(entry(words["baseline"], color=LIMITS, linestyle=(0, (1, 3))))
    return handles


def chart_rows(chart: Chart, labels: Sequence[str], lang: str) -> list[dict]:
    """Return the chart's figures as rows for the data table beside it: one per period, missing ones said so."""
    words = WORDS[lang]
    centres = {phase.number: phase.centre for phase in chart.phases}
    rows = []
    for point, label in zip(chart.points, labels, strict=True):
        notes = [words[key] for key in ("long_run", "outside") if getattr(point, key)]
        rows.append({"period": label, "value": point.value, "total": point.total, "phase": point.phase,
                     "centre": centres[point.phase], "lower": point.lower, "upper": point.upper,
                     "signal": point.signal, "note": words["missing"] if point.value is None else ", ".join(notes)})
    return rows
