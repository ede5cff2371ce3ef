"""Pages around the questionnaires: home, about (with attributions), pictogram files."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from survey.questionnaires import library
from survey.web.i18n import text_in

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    """Say what this service is and how respondents reach their questionnaire."""
    return render_template("home.html")


@bp.get("/about")
def about():
    """Show what the service stores, and credit the pictograms."""
    return render_template("about.html")


@bp.get("/pictograms/<name>.svg")
def pictogram(name: str):
    """Serve a pictogram named in the catalogue (never an arbitrary file)."""
    found = library().pictograms.get(name)
    if found is None:
        abort(404)
    response = Response(_svg_bytes(found.path(Path(current_app.config["PICTOGRAM_DIR"]))), mimetype="image/svg+xml")
    response.cache_control.public, response.cache_control.max_age = True, 86400
    response.add_etag()
    return response.make_conditional(request)


@lru_cache(maxsize=512)
def _svg_bytes(path: Path) -> bytes:
    """Read a pictogram once; they are small, and a file left open by an aborted download leaks."""
    return path.read_bytes()


@bp.app_context_processor
def pictogram_helpers() -> dict:
    """Give templates the URL and text alternative of a catalogue pictogram."""

    def pictogram_info(name: str) -> dict:
        found = library().pictograms[name]
        return {"url": url_for("site.pictogram", name=name), "alt": text_in(found.alt)}

    return {"pictogram_info": pictogram_info}
