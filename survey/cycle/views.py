"""The quality cycle's pages: a unit's flags with their valuations and actions, and one flag's evidence (both
questionnaires, the other indicators, notes) beside the valuation history and the unit's actions for it, with forms
to add them; and the import of indicator values from CSV. Pools, areas and the organisation: survey/cycle/levels.py.

Figures come from releases only (survey/cycle/evidence.py); valuations and actions from survey/cycle/store.py;
indicator values from survey/cycle/indicators.py. Unit staff work the cycle of their own units only: every unit is
looked up through accounts.unit_for, so another unit is not found (404).
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from survey.analysis import service as analysis
from survey.cycle import evidence, indicators, measurement, rules, store
from survey.cycle.forms import (
    IMPORT_PROBLEMS,
    LEVEL_NAMES,
    STATUS_NAMES,
    VERDICT_NAMES,
    ActionForm,
    EvidenceForm,
    ImportForm,
    IndicatorForm,
    SharedForm,
    StatusForm,
    ValuationForm,
)
from survey.db import db
from survey.staff import accounts
from survey.staff.accounts import ADMINISTRATOR, ANALYST, QUALITY_DEVELOPER, UNIT_STAFF
from survey.staff.auth import role_required
from survey.web.i18n import current_language, text_in

bp = Blueprint("cycle", __name__, url_prefix="/cycle")
GROUP_ROLES = (ADMINISTRATOR, ANALYST, QUALITY_DEVELOPER)  # every unit, and pools, areas, the organisation
CYCLE_ROLES = (*GROUP_ROLES, UNIT_STAFF)  # unit staff: their own units only


@bp.app_context_processor
def names() -> dict:
    return {"verdict_name": lambda v: VERDICT_NAMES.get(v, v), "status_name": lambda s: STATUS_NAMES.get(s, s),
            "level_name": lambda level: LEVEL_NAMES.get(level, level)}


def _unit(unit_id: str):
    found = accounts.unit_for(current_user, unit_id)
    if found is None:
        abort(404)
    return found


def _flags() -> dict:
    return {flag.id: (area, flag) for area, flag in analysis.quality_model().flags()}


def _flag(flag_id: str):
    found = _flags().get(flag_id)
    if found is None:
        abort(404)
    return found


@bp.get("/")
@role_required(*CYCLE_ROLES)
def index():
    """List the units (and, for those who work the whole cycle, the pools, areas and organisation) whose quality
    cycle this account may work on."""
    return render_template("cycle/index.html", units=list(db.session.scalars(accounts.visible_units(current_user))),
                           groups=store.groups() if current_user.role in GROUP_ROLES else [])


@bp.get("/unit/<unit_id>")
@role_required(*CYCLE_ROLES)
def unit(unit_id: str):
    """Show every area and flag of a unit with its current valuation and open actions, and all its actions."""
    return _unit_page(_unit(unit_id))


def _unit_page(found, shared_form: SharedForm | None = None):
    actions = store.actions(found.id)
    open_by_flag: dict[str, list] = {}
    for action in actions:
        if action.status in rules.OPEN_STATUSES:
            for flag_id in action.flag_ids:
                open_by_flag.setdefault(flag_id, []).append(action)
    return render_template("cycle/unit.html", unit=found, model=analysis.quality_model(),
                           latest=store.latest_valuations(found.id), open_by_flag=open_by_flag, actions=actions,
                           flags=_flags(), shared=store.shared(found.id), released=_released_user_round(),
                           status_forms={a.id: StatusForm(prefix=f"status-{a.id}", status=a.status) for a in actions},
                           shared_form=shared_form or _shared_form(found.id))


@bp.get("/unit/<unit_id>/flag/<flag_id>")
@role_required(*CYCLE_ROLES)
def flag(unit_id: str, flag_id: str):
    """Show one flag at a unit: both questionnaires' released figures, the valuations, the actions."""
    return _flag_page(_unit(unit_id), flag_id)


@bp.post("/unit/<unit_id>/flag/<flag_id>/valuations")
@role_required(*CYCLE_ROLES)
def add_valuation(unit_id: str, flag_id: str):
    """Add a valuation of the flag (earlier ones stay, as its history)."""
    found, _ = _unit(unit_id), _flag(flag_id)
    form = ValuationForm(prefix="valuation")
    if not form.validate_on_submit():
        return _flag_page(found, flag_id, valuation_form=form)
    figures = evidence.flag_evidence(found.id, flag_id, request.args.get("round"))
    measured = indicators.figures(analysis.quality_model(), flag_id, [found.id])
    user = next((f.selection for f in figures if f.questionnaire.id == "user"), None)
    new = store.NewValuation(unit_id=found.id, flag_id=flag_id, verdict=form.verdict.data,
                             reasoning=form.reasoning.data, participants=form.participants.data,
                             decided_on=form.decided_on.data, suggested=evidence.suggestion(figures, measured),
                             round_id=user.round.id if user else None,
                             release_id=user.release.id if user and user.release else None)
    try:
        store.add_valuation(new, set(_flags()), dt.date.today())
    except rules.CycleError as err:
        form.verdict.errors = [str(err)]
        return _flag_page(found, flag_id, valuation_form=form)
    flash(_l("The valuation is saved. Earlier valuations stay in the history."), "info")
    return redirect(url_for(".flag", unit_id=found.id, flag_id=flag_id, round=request.args.get("round")))


@bp.post("/unit/<unit_id>/flag/<flag_id>/actions")
@role_required(*CYCLE_ROLES)
def add_action(unit_id: str, flag_id: str):
    """Add an action for the unit, linked to this flag and any others chosen."""
    form = _action_form()
    return _save_from_flag(unit_id, flag_id, "action_form", form, form.title,
                           lambda found: store.add_action(_new_action(found.id, form), set(_flags())),
                           _l("The action is saved."))


def _save_from_flag(unit_id: str, flag_id: str, form_name: str, form, error_field, save, saved: str):
    """Save what a form on a flag's page gives and go back to the page; or show the page again, saying why not."""
    found, _ = _unit(unit_id), _flag(flag_id)
    if not form.validate_on_submit():
        return _flag_page(found, flag_id, **{form_name: form})
    try:
        save(found)
    except rules.CycleError as err:
        error_field.errors = [str(err)]
        return _flag_page(found, flag_id, **{form_name: form})
    flash(saved, "info")
    return redirect(url_for(".flag", unit_id=found.id, flag_id=flag_id, round=request.args.get("round")))


@bp.route("/unit/<unit_id>/actions/<action_id>", methods=["GET", "POST"])
@role_required(*CYCLE_ROLES)
def edit_action(unit_id: str, action_id: str):
    """Change an action: its plan, its status, and later what was done and what the users are told."""
    found = _unit(unit_id)
    action = store.action_of(found.id, action_id)
    if action is None:
        abort(404)
    form = _action_form(obj=action)
    if form.validate_on_submit():
        try:
            store.change_action(action.id, _new_action(found.id, form), set(_flags()))
        except rules.CycleError as err:
            form.title.errors = [str(err)]
        else:
            flash(_l("The action is saved."), "info")
            return redirect(url_for(".unit", unit_id=found.id))
    return render_template("cycle/action.html", unit=found, action=action, action_form=form,
                           measured=measurement.before_and_after(found, action.flag_ids, action.starts_on))


def _new_action(unit_id: str, form: ActionForm) -> store.NewAction:
    return store.NewAction(unit_id=unit_id, flag_ids=form.flag_ids.data, title=form.title.data, owner=form.owner.data,
                           status=form.status.data, from_value=form.from_value.data, to_value=form.to_value.data,
                           starts_on=form.starts_on.data, due_on=form.due_on.data,
                           texts={name: getattr(form, name).data for name in store.ACTION_TEXTS})


@bp.post("/unit/<unit_id>/flag/<flag_id>/evidence")
@role_required(*CYCLE_ROLES)
def add_evidence(unit_id: str, flag_id: str):
    """Add other evidence for the flag: a count with its denominator, or a note."""
    form = EvidenceForm(prefix="evidence")

    def save(found) -> None:
        store.add_evidence(store.NewEvidence(
            unit_id=found.id, flag_id=flag_id, kind=form.kind.data, title=form.title.data, source=form.source.data,
            period=form.period.data, measured_by=form.measured_by.data, count=form.count.data,
            denominator=form.denominator.data, text=form.text.data or ""), set(_flags()))
    return _save_from_flag(unit_id, flag_id, "evidence_form", form, form.title, save, _l("The evidence is saved."))


@bp.post("/unit/<unit_id>/flag/<flag_id>/indicators")
@role_required(*CYCLE_ROLES)
def add_indicator(unit_id: str, flag_id: str):
    """Add a value of one of the indicators feeding the flag: a count of its denominator, for a period."""
    form = _indicator_form(flag_id)

    def save(found) -> None:
        indicators.add_value(indicators.NewValue(found.id, form.indicator_id.data, form.period.data, form.count.data,
                                                 form.denominator.data, form.measured_by.data, form.note.data or ""),
                             analysis.quality_model())
    return _save_from_flag(unit_id, flag_id, "indicator_form", form, form.indicator_id, save,
                           _l("The indicator's value is saved."))


@bp.route("/indicators/import", methods=["GET", "POST"])
@role_required(*CYCLE_ROLES)
def import_indicators():
    """Import indicator values from a CSV file: all its rows, or none and every bad row named."""
    form, problems = ImportForm(), []
    if form.validate_on_submit():
        upload = form.file.data
        units = {unit.slug: unit.id for unit in db.session.scalars(accounts.visible_units(current_user))}
        try:
            saved = indicators.import_csv(upload.filename or "file.csv", upload.read(), units,
                                          analysis.quality_model())
        except indicators.ImportRefused as err:
            problems = [(p, IMPORT_PROBLEMS[p.code] % dict(p.params)) for p in err.problems]
        else:
            flash(_l("%(count)s values saved from %(file)s.", count=len(saved), file=upload.filename), "info")
            return redirect(url_for(".import_indicators"))
    return render_template("cycle/import.html", form=form, problems=problems, model=analysis.quality_model())


def _indicator_form(flag_id: str) -> IndicatorForm:
    form = IndicatorForm(prefix="indicator")
    feeding = analysis.quality_model().indicators_for(flag_id)
    form.indicator_id.choices = [SelectChoice(i.id, text_in(i.name)) for i in feeding]
    if request.method == "GET" and feeding:
        form.measured_by.data = text_in(feeding[0].measured_by)
    return form


@bp.post("/unit/<unit_id>/actions/<action_id>/status")
@role_required(*CYCLE_ROLES)
def action_status(unit_id: str, action_id: str):
    """Change an action's status."""
    found = _unit(unit_id)
    form = StatusForm(prefix=f"status-{action_id}")
    if form.validate_on_submit() and store.set_status(found.id, action_id, form.status.data) is not None:
        flash(_l("The status is changed."), "info")
    elif not form.errors:
        abort(404)
    else:
        flash(_l("Choose one of the statuses."), "error")
    return redirect(url_for(".unit", unit_id=found.id))


@bp.post("/unit/<unit_id>/shared")
@role_required(*CYCLE_ROLES)
def add_shared(unit_id: str):
    """Record that a round's results were shown to the unit's users, and how."""
    found = _unit(unit_id)
    form = _shared_form(found.id)
    if not form.validate_on_submit():
        return _unit_page(found, shared_form=form)
    try:
        store.add_shared(found.id, form.round_id.data, form.shared_on.data, form.form.data, dt.date.today())
    except rules.CycleError as err:
        form.round_id.errors = [str(err)]
        return _unit_page(found, shared_form=form)
    flash(_l("Saved: the results were shown to the users."), "info")
    return redirect(url_for(".unit", unit_id=found.id))


def _shared_form(unit_id: str) -> SharedForm:
    form = SharedForm(prefix="shared")
    form.round_id.choices = [SelectChoice(r.id, r.name) for r in store.unit_rounds(unit_id, dt.date.today())]
    return form


def _released_user_round() -> bool:
    selection = evidence.user_selection(None)
    return selection is not None and selection.release is not None


def _action_form(obj=None) -> ActionForm:
    form = ActionForm(prefix="action", obj=obj)
    form.flag_ids.choices = [SelectChoice(flag.id, text_in(flag.name)) for _, flag in analysis.quality_model().flags()]
    return form


def _flag_page(found, flag_id: str, valuation_form: ValuationForm | None = None,
               action_form: ActionForm | None = None, evidence_form: EvidenceForm | None = None,
               indicator_form: IndicatorForm | None = None):
    area, flag_ = _flag(flag_id)
    round_id = request.args.get("round")
    figures = evidence.flag_evidence(found.id, flag_id, round_id)
    measured = indicators.figures(analysis.quality_model(), flag_id, [found.id])
    suggested = evidence.suggestion(figures, measured)
    flag_series = measurement.flag_measurement(found, flag_id, text_in(flag_.name), current_language())
    if action_form is None:
        action_form = _action_form()
        action_form.flag_ids.data = [flag_id]
    if valuation_form is None:
        valuation_form = ValuationForm(prefix="valuation", verdict=suggested)
    return render_template("cycle/flag.html", unit=found, area=area, flag=flag_, figures=figures,
                           suggested=suggested, history=store.valuations(found.id, flag_id),
                           actions=store.actions(found.id, flag_id), valuation_form=valuation_form,
                           action_form=action_form, round_id=round_id, flags=_flags(),
                           rounds=analysis.rounds_for("user"), other=store.other_evidence(found.id, flag_id),
                           evidence_form=evidence_form or EvidenceForm(prefix="evidence"), measured=measured,
                           indicator_form=indicator_form or _indicator_form(flag_id), flag_series=flag_series)
