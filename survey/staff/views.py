"""Unit staff's pages: their units and rounds with live response rates, cards and posters, tablet mode."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from survey.config import LANGUAGES
from survey.db import db
from survey.db.models import Release, Round
from survey.questionnaires import library
from survey.respond import invitations
from survey.respond import store as responses
from survey.staff import accounts, cards, rates
from survey.staff.accounts import ADMINISTRATOR, ANALYST, QUALITY_DEVELOPER, UNIT_STAFF
from survey.staff.auth import role_required
from survey.staff.forms import CardsForm
from survey.web.caching import attachment
from survey.web.i18n import text_in
from survey.web.proxy import public_url

bp = Blueprint("staff", __name__, url_prefix="/staff")
STAFF = (ADMINISTRATOR, UNIT_STAFF)


def unit_round(unit_id: str, round_id: str):
    """Return a unit the current account may see and one of its rounds, or 404."""
    unit = accounts.unit_for(current_user, unit_id)
    survey_round = db.session.get(Round, round_id)
    if unit is None or survey_round is None or unit not in survey_round.units:
        raise NotFound()
    return unit, survey_round


@bp.get("/")
@role_required(ADMINISTRATOR, UNIT_STAFF, ANALYST, QUALITY_DEVELOPER)
def home():
    """Show the account's units with each round's response rate (the page refreshes itself)."""
    units = list(db.session.scalars(accounts.visible_units(current_user)))
    found = rates.rates(units)
    released = set(db.session.scalars(select(Release.round_id).where(
        Release.round_id.in_({rate.round.id for rate in found})))) if found else set()
    return render_template("staff/home.html", rates=found, today=dt.date.today(), released=released)


@bp.post("/units/<unit_id>/rounds/<round_id>/held")
@role_required(ADMINISTRATOR)
def held(unit_id: str, round_id: str):
    """Count held open-link responses in, or discard them (more came through the open link than the unit has places)."""
    unit, survey_round = unit_round(unit_id, round_id)
    decision = request.form.get("decision")
    if decision not in ("count", "discard"):
        flash(_l("Choose whether to count the held responses in or to discard them."), "error")
        return redirect(url_for(".home"))
    done = responses.review_held(unit, survey_round, count_in=decision == "count")
    flash(_l("%(n)s held responses counted in.", n=done) if decision == "count"
          else _l("%(n)s held responses discarded.", n=done), "info")
    return redirect(url_for(".home"))


@bp.route("/units/<unit_id>/rounds/<round_id>/cards", methods=["GET", "POST"])
@role_required(*STAFF)
def invitation_cards(unit_id: str, round_id: str):
    """Make N single-use invitation cards as a PDF (the codes exist in clear text only in it)."""
    unit, survey_round = unit_round(unit_id, round_id)
    form = CardsForm()
    if form.validate_on_submit():
        codes = invitations.issue(unit, survey_round, form.count.data, current_app.config["SECRET_KEY"])
        pdf = cards.render_cards(unit.name, codes, f"{public_url()}/c?code=", public_url(), form.lang.data)
        return attachment(pdf, f"kort-{unit.slug}.pdf", "application/pdf")
    return render_template("staff/cards.html", form=form, unit=unit, survey_round=survey_round)


@bp.get("/units/<unit_id>/rounds/<round_id>/poster.pdf")
@role_required(*STAFF)
def poster(unit_id: str, round_id: str):
    """Make a one-page poster with the unit's open-link QR code."""
    unit, survey_round = unit_round(unit_id, round_id)
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else "sv"
    questionnaire = library().questionnaires.get(survey_round.questionnaire_id)
    title = text_in(questionnaire.title, lang) if questionnaire else survey_round.name
    link = public_url() + url_for("respond.start", slug=unit.slug, questionnaire_id=survey_round.questionnaire_id)
    return attachment(cards.render_poster(unit.name, title, link, lang), f"affisch-{unit.slug}.pdf", "application/pdf")

