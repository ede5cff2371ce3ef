"""The quality cycle of a pool, an area and the whole organisation: each flag's released figures at that level and
the indicators summed over its units, beside the joint valuations of it (the history kept), with a form to add one.

Only those who work the whole cycle (administrators, analysts, quality developers) see these pages: unit staff
work their own units (survey/cycle/views.py). Figures are released cells at the level itself; a hidden one stays
hidden, with nothing in its place (survey/cycle/evidence.py).
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from survey.analysis import service as analysis
from survey.cycle import evidence, indicators, rules, store
from survey.cycle.forms import ValuationForm
from survey.cycle.views import GROUP_ROLES
from survey.staff.auth import role_required

bp = Blueprint("cycle_levels", __name__, url_prefix="/cycle/level")
LEVELS = (store.POOL, store.AREA, store.ORGANISATION)


def _group(level: str, group_id: str) -> store.Group:
    found = store.group_of(level, group_id) if level in LEVELS else None
    if found is None:
        abort(404)
    return found


def _flags() -> dict:
    return {flag.id: (area, flag) for area, flag in analysis.quality_model().flags()}


@bp.get("/<level>/<group_id>")
@role_required(*GROUP_ROLES)
def group(level: str, group_id: str):
    """Show every area and flag of a pool, area or the organisation with its current valuation."""
    found = _group(level, group_id)
    return render_template("cycle/group.html", group=found, model=analysis.quality_model(),
                           latest=store.latest_group_valuations(level, found.id if level != store.ORGANISATION
                                                                else None))


@bp.route("/<level>/<group_id>/flag/<flag_id>", methods=["GET", "POST"])
@role_required(*GROUP_ROLES)
def flag(level: str, group_id: str, flag_id: str):
    """Show one flag of a pool, area or the organisation, and add a joint valuation of it (earlier ones stay)."""
    found = _group(level, group_id)
    area, flag_ = _flags().get(flag_id) or abort(404)
    round_id = request.args.get("round")
    figures = evidence.group_evidence(level, found.id, flag_id, round_id)
    measured = indicators.figures(analysis.quality_model(), flag_id, found.unit_ids)
    suggested = evidence.suggestion(figures, measured)
    form = ValuationForm(prefix="valuation", verdict=suggested)
    if form.validate_on_submit():
        user = next((f.selection for f in figures if f.questionnaire.id == "user"), None)
        new = store.NewValuation(flag_id=flag_id, verdict=form.verdict.data, reasoning=form.reasoning.data,
                                 participants=form.participants.data, decided_on=form.decided_on.data,
                                 suggested=suggested, round_id=user.round.id if user else None,
                                 release_id=user.release.id if user and user.release else None,
                                 **found.valuation_of())
        try:
            store.add_valuation(new, set(_flags()), dt.date.today())
        except rules.CycleError as err:
            form.verdict.errors = [str(err)]
        else:
            flash(_l("The valuation is saved. Earlier valuations stay in the history."), "info")
            return redirect(url_for(".flag", level=level, group_id=found.id, flag_id=flag_id, round=round_id))
    history = store.group_valuations(level, found.id if level != store.ORGANISATION else None, flag_id)
    return render_template("cycle/group_flag.html", group=found, area=area, flag=flag_, figures=figures,
                           measured=measured, suggested=suggested, history=history, valuation_form=form,
                           round_id=round_id, rounds=analysis.rounds_for("user"))
