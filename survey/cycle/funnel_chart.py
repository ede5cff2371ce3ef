"""A funnel plot as SVG (matplotlib): units' shares against their number of respondents in one release, the
overall share, and the 95 % and 99.8 % limits as funnels; shapes as well as colours, so it reads without colour.

Only shown figures are plotted: a hidden unit has no point (it is counted as left out), and pooled units are one
point, their pool's.
"""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from markupsafe import Markup
from matplotlib.lines import Line2D

from survey.analysis.charts import svg_image
from survey.cycle.series import FunnelRow
from survey.cycle.spc_charts import CENTRE, LIMITS, LINE, OUTSIDE
from survey.cycle.spc_proportions import Funnel, funnel

WORDS: dict[str, dict[str, str]] = {
    "sv": {"n": "Svarande med giltigt svar (n)", "centre": "Alla enheter som visas", "inner": "95 %-gränser",
           "outer": "99,8 %-gränser", "unit": "Enhet", "outside": "Utanför 99,8 %-gränserna", "kind": "Trattdiagram",
           "left_out": "Utelämnade (för få svar): {count}.", "table": "Samma siffror finns i tabellen.",
           "shown": "Enheter i diagrammet: {count}. Andel för alla som visas: {share} %."},
    "nb": {"n": "Svarende med gyldig svar (n)", "centre": "Alle enheter som vises", "inner": "95 %-grenser",
           "outer": "99,8 %-grenser", "unit": "Enhet", "outside": "Utenfor 99,8 %-grensene", "kind": "Traktdiagram",
           "left_out": "Utelatt (for få svar): {count}.", "table": "De samme tallene står i tabellen.",
           "shown": "Enheter i diagrammet: {count}. Andel for alle som vises: {share} %."},
    "en": {"n": "Respondents with a valid answer (n)", "centre": "All units shown", "inner": "95 % limits",
           "outer": "99.8 % limits", "unit": "Unit", "outside": "Outside the 99.8 % limits", "kind": "Funnel plot",
           "left_out": "Left out (too few answers): {count}.", "table": "The same figures are in the table.",
           "shown": "Units in the chart: {count}. Share of all shown: {share} %."},
}


def funnel_of(rows: Sequence[FunnelRow]) -> Funnel:
    """Compare the shown units of one release; hidden ones have no figures and are only counted as left out."""
    return funnel([(row.key, row.positive, row.valid) for row in rows])


def funnel_svg(plotted: Funnel, rows: Sequence[FunnelRow], title: str, lang: str) -> Markup:
    """Draw the funnel plot: one numbered point per shown unit, the centre line, and both funnels."""
    words = WORDS[lang]
    numbers = {row.key: i for i, row in enumerate(rows, 1)}
    with plt.rc_context({"text.parse_math": False}):
        figure, axes = plt.subplots(figsize=(8, 4.2))
        if plotted.centre is not None and plotted.units:
            top = max(unit.total for unit in plotted.units)
            sizes = list(range(1, max(top, 10) + 1))
            curve = plotted.curve(sizes)
            axes.axhline(plotted.centre * 100, color=CENTRE, linewidth=1.5)
            for index, style in ((0, "--"), (1, ":")):
                for side in (0, 1):
                    axes.plot([n for n, _ in curve], [bands[index][side] * 100 for _, bands in curve], color=LIMITS,
                              linestyle=style, linewidth=1.2)
            inside = [u for u in plotted.units if not u.outside[1]]
            outside = [u for u in plotted.units if u.outside[1]]
            for gid, shown, marker, colour in (("units", inside, "o", LINE), ("outside", outside, "D", OUTSIDE)):
                if shown:
                    axes.plot([u.total for u in shown], [u.share * 100 for u in shown], linestyle="none",
                              marker=marker, markersize=8, markerfacecolor=colour, markeredgecolor="#000000", gid=gid)
            for unit in plotted.units:
                axes.annotate(str(numbers[unit.key]), (unit.total, unit.share * 100), textcoords="offset points",
                              xytext=(6, 4), fontsize=8)
        axes.set_xlabel(words["n"])
        axes.set_ylabel("%")
        axes.set_ylim(-2, 102)
        axes.set_title(title, fontsize=11, loc="left")
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(handles=_legend(words), fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        figure.tight_layout()
        return svg_image(figure, alt_text(plotted, title, lang))


def alt_text(plotted: Funnel, title: str, lang: str) -> str:
    """Return the plot's alt text: what it is, how many units it shows and leaves out, where the figures are."""
    words = WORDS[lang]
    parts = [f"{words['kind']}: {title}."]
    if plotted.centre is not None:
        share = f"{plotted.centre * 100:.0f}"
        parts.append(words["shown"].format(count=len(plotted.units), share=share))
    if plotted.missing:
        parts.append(words["left_out"].format(count=plotted.missing))
    return " ".join([*parts, words["table"]])


def _legend(words: dict[str, str]) -> list[Line2D]:
    return [Line2D([], [], label=words["unit"], color=LINE, marker="o", linestyle="none", markeredgecolor="#000000"),
            Line2D([], [], label=words["outside"], color=OUTSIDE, marker="D", linestyle="none",
                   markeredgecolor="#000000"),
            Line2D([], [], label=words["centre"], color=CENTRE),
            Line2D([], [], label=words["inner"], color=LIMITS, linestyle="--"),
            Line2D([], [], label=words["outer"], color=LIMITS, linestyle=":")]
