"""Printable invitation cards and posters (WeasyPrint) with QR codes."""
from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path

import cairosvg
import qrcode
from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup
from weasyprint import HTML

from survey.questionnaires import library

CARDS_PER_PAGE = 8
PICTOGRAM_PX = 240  # about 550 dpi at the 11 mm a card prints them
STEPS = ("scan", "answer", "thanks")  # pictogram names, in the order of the printed steps


def qr_image(data: str) -> Markup:
    """Return a QR code for data as an <img> with a small PNG, drawn with sharp module edges and the quiet zone of
    four modules the QR standard asks for (with two, a scan of a printed sheet now and then missed a code).

    A PNG, not inline SVG: WeasyPrint lays out a page of eight PNG codes about ten times faster.
    """
    image = qrcode.make(data, border=4, box_size=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Markup('<img class="qr" alt="" src="data:image/png;base64,{}">').format(encoded)


def pictogram_uris(names: tuple[str, ...]) -> dict[str, str]:
    loaded = library()
    folder = Path(current_app.config["PICTOGRAM_DIR"])
    return {name: _png_data_uri(loaded.pictograms[name].path(folder)) for name in names}


@lru_cache(maxsize=64)
def _png_data_uri(svg: Path) -> str:
    """Rasterise a pictogram once (WeasyPrint would draw the SVG again on every card: 60 % of the time)."""
    png = cairosvg.svg2png(url=str(svg), output_width=PICTOGRAM_PX, output_height=PICTOGRAM_PX)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_cards(unit_name: str, codes: list[str], code_url: str, entry_url: str, lang: str) -> bytes:
    """Render A4 sheets of cut-out cards: each with its code, a QR code of code_url + code, and steps."""
    cards = [{"code": code, "qr": qr_image(code_url + code)} for code in codes]
    pages = [cards[i:i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)]
    with force_locale(lang):
        html = render_template("print/cards.html", unit_name=unit_name, pages=pages, entry_url=entry_url,
                               steps=pictogram_uris(STEPS), lang=lang)
    return HTML(string=html, base_url=str(Path(current_app.root_path))).write_pdf()


def render_poster(unit_name: str, questionnaire_title: str, link: str, lang: str) -> bytes:
    """Render a one-page A4 poster with the unit's open-link QR code."""
    with force_locale(lang):
        html = render_template("print/poster.html", unit_name=unit_name, title=questionnaire_title, link=link,
                               qr=qr_image(link), steps=pictogram_uris(STEPS), lang=lang)
    return HTML(string=html, base_url=str(Path(current_app.root_path))).write_pdf()
