"""Staff pages for user councils: test-mode links with printable QR codes, previews, and the feedback summary."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from survey.analysis import exports
from survey.council import results as tried
from survey.council import store as council
from survey.council import views as council_views
from survey.db import db
from survey.db.models import CouncilLink
from survey.questionnaires.editor import VIEWERS, version_or_404
from survey.staff import cards
from survey.staff.auth import role_required
from survey.staff.views import public_url
from survey.web.caching import attachment
from survey.web.i18n import current_language, text_in

bp = Blueprint("council_admin", __name__, url_prefix="/editor")


@bp.route("/<questionnaire_id>/v<int:version>/council", methods=["GET", "POST"])
@role_required(*VIEWERS)
def links(questionnaire_id: str, version: int):
    """List a version's test-mode links and make a new one."""
    shown = version_or_404(questionnaire_id, version)
    if request.method == "POST":
        council.create_link(shown, request.form.get("name", ""), dt.date.today())
        flash(_l("A new test-mode link is ready."), "info")
        return redirect(url_for(".links", questionnaire_id=questionnaire_id, version=version))
    return render_template("editor/council.html", questionnaire=shown, links=council.links(questionnaire_id, version),
                           base=public_url())


@bp.get("/links/<token>/poster.pdf")
@role_required(*VIEWERS)
def poster(token: str):
    """Print a test-mode link as a poster with its QR code."""
    link = db.session.get(CouncilLink, token)
    if link is None:
        abort(404)
    shown = version_or_404(link.questionnaire_id, link.version)
    lang = request.args.get("lang") if request.args.get("lang") in shown.languages else shown.languages[0]
    title = text_in(shown.title, lang) + " (" + str(_l("test, version %(version)s", version=link.version)) + ")"
    pdf = cards.render_poster(link.name, title, public_url() + url_for("council.start", token=token), lang)
    return attachment(pdf, f"test-{link.questionnaire_id}-v{link.version}.pdf", "application/pdf")


@bp.post("/links/<token>/close")
@role_required(*VIEWERS)
def close(token: str):
    """Stop a test-mode link from working (what testers said stays)."""
    link = council.close_link(token)
    if link is None:
        abort(404)
    flash(_l("The link is closed."), "info")
    return redirect(url_for(".links", questionnaire_id=link.questionnaire_id, version=link.version))


@bp.post("/<questionnaire_id>/v<int:version>/preview")
@role_required(*VIEWERS)
def preview(questionnaire_id: str, version: int):
    """Try a version in test mode yourself (previews are left out of the feedback summary)."""
    shown = version_or_404(questionnaire_id, version)
    lang = request.form.get("lang") if request.form.get("lang") in shown.languages else shown.languages[0]
    return redirect(council_views.preview(shown, lang))


@bp.get("/<questionnaire_id>/v<int:version>/feedback")
@role_required(*VIEWERS)
def feedback(questionnaire_id: str, version: int):
    """Show what testers said about each question of a version: counts and comments."""
    shown = version_or_404(questionnaire_id, version)
    return render_template("editor/feedback.html", questionnaire=shown,
                           items=council.summary(shown, current_language()),
                           results_items=tried.summary(shown, current_language(), str(_l("The introduction"))))


@bp.get("/<questionnaire_id>/v<int:version>/feedback.<fmt>")
@role_required(*VIEWERS)
def feedback_export(questionnaire_id: str, version: int, fmt: str):
    """Download the feedback summary as CSV (one row per question) or Excel (with a sheet of comments)."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    shown = version_or_404(questionnaire_id, version)
    tables = council.summary_tables(council.summary(shown, current_language()))
    tables["results_page"] = tried.summary_table(tried.summary(shown, current_language(), str(_l("The introduction"))))
    name = f"feedback-{questionnaire_id}-v{version}"
    if fmt == "csv":
        return attachment(exports.to_csv(tables["feedback"]), f"{name}.csv", "text/csv; charset=utf-8")
    return attachment(exports.to_xlsx(tables), f"{name}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
