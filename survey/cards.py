"""Printable invitation cards and posters (WeasyPrint), with QR codes as inline SVG."""
from __future__ import annotations

import re
from pathlib import Path

import qrcode
import qrcode.image.svg
from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup
from weasyprint import HTML

CARDS_PER_PAGE = 8
STEPS = ("scan", "answer", "thanks")  # pictogram names, in the order of the printed steps


def qr_svg(data: str) -> Markup:
    """Return a QR code for data as inline SVG that scales to its box."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    svg = image.to_string(encoding="unicode")
    return Markup(re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg class="qr"', svg))


def _pictogram_uris(names: tuple[str, ...]) -> dict[str, str]:
    library = current_app.extensions["survey.library"]
    folder = Path(current_app.config["PICTOGRAM_DIR"])
    return {name: library.pictograms[name].path(folder).as_uri() for name in names}


def render_cards(unit_name: str, codes: list[str], code_url: str, entry_url: str, lang: str) -> bytes:
    """Render A4 sheets of cut-out cards: each with its code, a QR code of code_url + code, and steps."""
    cards = [{"code": code, "qr": qr_svg(code_url + code)} for code in codes]
    pages = [cards[i:i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)]
    with force_locale(lang):
        html = render_template("print/cards.html", unit_name=unit_name, pages=pages, entry_url=entry_url,
                               steps=_pictogram_uris(STEPS), lang=lang)
    return HTML(string=html, base_url=str(Path(current_app.root_path))).write_pdf()


def render_poster(unit_name: str, questionnaire_title: str, link: str, lang: str) -> bytes:
    """Render a one-page A4 poster with the unit's open-link QR code."""
    with force_locale(lang):
        html = render_template("print/poster.html", unit_name=unit_name, title=questionnaire_title, link=link,
                               qr=qr_svg(link), steps=_pictogram_uris(STEPS), lang=lang)
    return HTML(string=html, base_url=str(Path(current_app.root_path))).write_pdf()
