"""Staff pages for giving results back: which questions a unit's page and poster show, and marking that the
results were shown to the users (recorded in the quality cycle, survey/cycle/store.py)."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired

from survey.cycle import rules
from survey.cycle import store as cycle
from survey.db import db
from survey.db.models import Release, Round, Unit
from survey.results import choice
from survey.staff import accounts
from survey.staff.accounts import ADMINISTRATOR, QUALITY_DEVELOPER, UNIT_STAFF
from survey.staff.auth import role_required

bp = Blueprint("results_staff", __name__, url_prefix="/staff/results")
CHOOSERS = (ADMINISTRATOR, QUALITY_DEVELOPER, UNIT_STAFF)
SHOWN_AS = {"meeting": _l("at a meeting"), "poster": _l("on a poster"), "tablet": _l("on the unit's tablet")}


class SharedForm(FlaskForm):
    round_id = SelectField(_l("Round whose results were shown"), choices=[])
    shared_on = DateField(_l("Shown on"), default=dt.date.today,
                          validators=[DataRequired(_l("Give the date in the form 2026-10-31."))])
    form = RadioField(_l("How"), choices=[SelectChoice(k, v) for k, v in SHOWN_AS.items()],
                      validators=[DataRequired(_l("Say how the results were shown."))])


def link_for(unit: Unit, survey_round: Round) -> str | None:
    """Return the staff page of a unit's results, for an account that may choose them; None for everyone else."""
    if not current_user.is_authenticated or current_user.role not in CHOOSERS \
            or accounts.unit_for(current_user, unit.id) is None:
        return None
    return url_for("results_staff.unit", unit_id=unit.id, round=survey_round.id)


def _unit(unit_id: str) -> Unit:
    found = accounts.unit_for(current_user, unit_id)
    if found is None:
        abort(404)
    return found


def _released_rounds(unit: Unit) -> list[Round]:
    return list(db.session.scalars(select(Round).join(Release, Release.round_id == Round.id)
                                   .where(Round.units.any(Unit.id == unit.id), Round.questionnaire_id == "user")
                                   .order_by(Round.closes_on.desc(), Round.name)))


def _shared_form(unit: Unit) -> SharedForm:
    form = SharedForm(prefix="shared")
    form.round_id.choices = [SelectChoice(r.id, r.name) for r in _released_rounds(unit)]
    if request.method == "GET" and request.args.get("round"):
        form.round_id.data = request.args["round"]
    return form


def _page(unit: Unit, shared_form: SharedForm | None = None):
    return render_template("results/staff.html", unit=unit, choosable=choice.choosable(),
                           chosen=set(choice.chosen(unit.id)), shared=cycle.shared(unit.id),
                           shared_form=shared_form or _shared_form(unit), rounds=_released_rounds(unit))


@bp.route("/<unit_id>", methods=["GET", "POST"])
@role_required(*CHOOSERS)
def unit(unit_id: str):
    """Show (and on POST, store) which questions the unit's results page and poster show."""
    found = _unit(unit_id)
    if request.method == "POST":
        choice.choose(found.id, request.form.getlist("question"), dt.date.today())
        flash(_l("Saved: the results page and the poster show the questions you chose."), "info")
        return redirect(url_for(".unit", unit_id=found.id))
    return _page(found)


@bp.post("/<unit_id>/shared")
@role_required(*CHOOSERS)
def mark_shared(unit_id: str):
    """Record in the quality cycle that the results were shown to the unit's users: when and how."""
    found = _unit(unit_id)
    form = _shared_form(found)
    if not form.validate_on_submit():
        return _page(found, form)
    try:
        cycle.add_shared(found.id, form.round_id.data, form.shared_on.data, str(SHOWN_AS[form.form.data]),
                         dt.date.today())
    except rules.CycleError as err:
        form.shared_on.errors = [str(err)]
        return _page(found, form)
    flash(_l("Saved: the results were shown to the users."), "info")
    return redirect(url_for(".unit", unit_id=found.id))
