"""Charts as SVG (matplotlib), each drawn with colour, a pattern and the number, for any colour vision."""
from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from markupsafe import Markup

from survey.questionnaires.quality import GREEN, RED, YELLOW

# Fill, hatch pattern and edge per colour: told apart by pattern as well as by hue.
STYLE = {GREEN: ("#8fd19e", "", "#1d5c2c"), YELLOW: ("#ffe08a", "..", "#6b5200"), RED: ("#f4a3a3", "xx", "#7a1212"),
         None: ("#dddddd", "//", "#444444")}


def profile_chart(rows: list[dict], title: str, lang: str, for_print: bool = False) -> Markup:
    """Draw a group's flags (rows from analysis.profile) in the current locale's words (a PNG when for print)."""
    from flask_babel import gettext as _

    from survey.analysis import service as analysis
    from survey.web.i18n import text_in
    flags = {flag.id: flag for _area, flag in analysis.quality_model().flags()}
    bars = [_bar(r, text_in(flags[r["item"]].name, lang)) for r in rows]
    return flag_bars(bars, title=title, too_few=_("too few answers"), alt=_("Chart of the figures in the table below."),
                     for_print=for_print)


def _bar(row: dict, label: str) -> dict:
    """One flag's bar: its own figure, or the pooled one standing in for it (labelled, and drawn hollow)."""
    own, pooled = row["own"], row.get("pooled")
    if own and own["hidden"] and pooled:
        return {"label": f"{label} ({pooled['label']})", "colour": pooled["colour"], "share": pooled["share"],
                "hidden": False, "pooled": True}
    return {"label": label, "colour": own["colour"] if own else None,
            "share": None if not own or own["hidden"] else own["share"], "hidden": bool(own and own["hidden"])}


def flag_bars(rows: list[dict], title: str, too_few: str, alt: str, for_print: bool = False) -> Markup:
    """Draw one horizontal bar per flag: rows have label, share (0-1 or None), colour, hidden."""
    height = 0.45 * len(rows) + 1.2
    figure, axes = plt.subplots(figsize=(8, height))
    labels = [row["label"] for row in rows]
    positions = list(range(len(rows)))[::-1]
    for y, row in zip(positions, rows):
        fill, hatch, edge = STYLE[row["colour"] if row["share"] is not None else None]
        value = row["share"] * 100 if row["share"] is not None else 0
        pooled = row.get("pooled", False)  # a stand-in drawn hollow, striped: not the unit's own figure
        axes.barh(y, value, color="white" if pooled else fill, hatch=(hatch or "--") if pooled else hatch,
                  edgecolor=edge, linewidth=1.2)
        text = f"{value:.0f} %" if row["share"] is not None else too_few if row.get("hidden") else "–"
        axes.text(min(value, 80) + 1.5, y, text, va="center", fontsize=9, color="#111111")
    axes.set_yticks(positions, labels, fontsize=9)
    axes.set_xlim(0, 100)
    axes.set_xlabel("%")
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return png_image(figure, alt) if for_print else svg_image(figure, alt)


def png_image(figure, alt: str, dpi: int = 200) -> Markup:
    """Return the figure as an <img> with a PNG data URI: for PDFs, where WeasyPrint draws a chart's SVG paths one
    by one (0.6 s of a report's 1.2 s) and 200 dpi prints sharp."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Markup('<img class="chart" src="data:image/png;base64,{}" alt="{}">').format(encoded, alt)


def svg_image(figure, alt: str) -> Markup:
    """Return the figure as an <img> with an SVG data URI.

    An image, not inline SVG: matplotlib styles its SVG with style attributes, which the pages'
    Content-Security-Policy (no unsafe-inline) would strip from inline markup but not from an image.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    # format() escapes both: base64 text has no character that escaping changes, and alt is escaped as it must be.
    return Markup('<img class="chart" src="data:image/svg+xml;base64,{}" alt="{}">').format(encoded, alt)
