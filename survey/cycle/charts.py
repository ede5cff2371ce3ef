"""The cycle's pages of measurement over time, on the cycle blueprint: a flag's questions as run charts at a unit,
confirming a phase from an action's start, a group's p-charts, and a funnel plot of units in one release.

Figures come from releases only (survey/cycle/series.py through measurement.py); a unit in a pool is charted
through its pool.
"""
from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from survey.analysis import service as analysis
from survey.cycle import funnel_chart, measurement, phases, rules, series
from survey.cycle.views import CYCLE_ROLES, GROUP_ROLES, _flag, _unit, bp
from survey.db import db
from survey.db.models import Organisation
from survey.staff import accounts
from survey.staff.auth import role_required
from survey.web.i18n import current_language, text_in

GROUP_LEVELS = ("area", "service_type", "organisation")


@bp.get("/unit/<unit_id>/flag/<flag_id>/questions")
@role_required(*CYCLE_ROLES)
def flag_questions(unit_id: str, flag_id: str):
    """Show a run chart of each question that informs the flag, at the unit (or its pool)."""
    found = _unit(unit_id)
    area, flag = _flag(flag_id)
    subject = series.subject_for_unit(found)
    return render_template("cycle/questions.html", unit=found, area=area, flag=flag, subject=subject,
                           charts=measurement.question_charts(subject, flag_id, current_language()))


@bp.post("/unit/<unit_id>/flag/<flag_id>/phases")
@role_required(*CYCLE_ROLES)
def confirm_phase(unit_id: str, flag_id: str):
    """Confirm a new phase on the flag's charts from the start of one of its actions (never done automatically)."""
    found = _unit(unit_id)
    _flag(flag_id)
    subject = series.subject_for_unit(found)
    form = phases.phase_form(phases.offers(found.id, subject, flag_id))
    if not form.validate_on_submit():
        flash(_l("Choose the action, say who confirms the phase, and how many points its baseline has (1 to 24)."),
              "error")
    else:
        try:
            phases.confirm(found.id, subject, flag_id, form.action_id.data,
                           form.confirmed_by.data, form.baseline.data, dt.date.today())
        except rules.CycleError as err:
            flash(str(err), "error")
        else:
            flash(_l("The new phase is confirmed. Its baseline is frozen."), "info")
    return redirect(url_for(".flag", unit_id=found.id, flag_id=flag_id) + "#over-time")


def group_subject(level: str, group_id: str) -> series.Subject:
    """Return an area, service type or the organisation as a chart's subject (404 if there is no such group)."""
    if level not in GROUP_LEVELS:
        abort(404)
    if level == "organisation":
        name = db.session.scalar(select(Organisation.name).limit(1)) if group_id == "all" else None
    else:
        name = analysis.group_name(level, group_id)
    if name is None:
        abort(404)
    return series.subject_for_group(level, group_id, name)


@bp.get("/group/<level>/<group_id>/flag/<flag_id>")
@role_required(*GROUP_ROLES)
def group_flag(level: str, group_id: str, flag_id: str):
    """Show a flag over time for an area, service type or the organisation as p-charts (p′ for large groups)."""
    subject = group_subject(level, group_id)
    area, flag = _flag(flag_id)
    charts = measurement.flag_charts(subject, flag_id, f"{text_in(flag.name)} · {subject.name}", current_language(),
                                     kind="p")
    return render_template("cycle/group_chart.html", subject=subject, area=area, flag=flag, charts=charts,
                           rounds=analysis.rounds_for("user"))


@bp.get("/funnel/<flag_id>")
@role_required(*GROUP_ROLES)
def funnel(flag_id: str):
    """Show a funnel plot of the units' figures for a flag in one release, against the organisation's share."""
    area, flag = _flag(flag_id)
    selection = analysis.select_round(request.args.get("questionnaire"), request.args.get("round"))
    if selection is None or selection.release is None:
        abort(404)
    units = list(db.session.scalars(accounts.visible_units(current_user)))
    rows = series.release_units(selection.release, "flag", flag_id, units)
    lang = current_language()
    title = f"{text_in(flag.name)} · {selection.round.name}"
    plotted = funnel_chart.funnel_of(rows)
    return render_template("cycle/funnel.html", area=area, flag=flag, selection=selection, rows=rows,
                           plotted=plotted, svg=funnel_chart.funnel_svg(plotted, rows, title, lang) if rows else None,
                           questionnaires=list(analysis.library().questionnaires.values()),
                           rounds=analysis.rounds_for(selection.questionnaire.id))
