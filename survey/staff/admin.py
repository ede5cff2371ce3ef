"""Administrators' pages: areas, units, rounds, continuous surveys and accounts."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.exceptions import NotFound
from wtforms import SelectChoice

from survey.db import db
from survey.db.models import Account, Area, Pool, Round, Unit
from survey.questionnaires import library
from survey.staff import accounts, organisation, series
from survey.staff.accounts import ADMINISTRATOR, AccountError
from survey.staff.auth import role_required
from survey.staff.forms import AccountForm, AreaForm, PoolForm, RoundForm, SeriesForm, UnitForm
from survey.staff.organisation import OrganisationError

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _get(model, object_id: str):
    found = db.session.get(model, object_id)
    if found is None:
        raise NotFound()
    return found


def _all_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).order_by(Unit.name)))


def _chosen_units(ids: list[str]) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)))) if ids else []


def _saved(what: str, endpoint: str):
    db.session.commit()
    flash(_l("%(what)s saved.", what=what), "info")
    return redirect(url_for(endpoint))


@bp.get("/")
@role_required(ADMINISTRATOR)
def home():
    """List areas, units, rounds and accounts."""
    rounds = list(db.session.scalars(select(Round).order_by(Round.opens_on.desc())))
    return render_template("admin/home.html", areas=organisation.areas(), units=_all_units(),
                           pools=organisation.pools(), rounds=rounds,
                           series=[(s, series.periods(s)) for s in series.all_series()],
                           accounts=list(db.session.scalars(select(Account).order_by(Account.email))))


@bp.route("/areas/new", methods=["GET", "POST"], defaults={"area_id": None})
@bp.route("/areas/<area_id>", methods=["GET", "POST"])
@role_required(ADMINISTRATOR)
def area(area_id: str | None):
    """Create or rename an area."""
    found = _get(Area, area_id) if area_id else None
    form = AreaForm(obj=found)
    if form.validate_on_submit():
        try:
            organisation.save_area(form.name.data, found)
            return _saved(form.name.data, ".home")
        except OrganisationError as err:
            form.name.errors.append(str(err))
    return render_template("admin/form.html", form=form, title=_l("Area"))


@bp.route("/units/new", methods=["GET", "POST"], defaults={"unit_id": None})
@bp.route("/units/<unit_id>", methods=["GET", "POST"])
@role_required(ADMINISTRATOR)
def unit(unit_id: str | None):
    """Create or change a unit."""
    found = _get(Unit, unit_id) if unit_id else None
    form = UnitForm(obj=found)
    form.area_id.choices = [SelectChoice("", "–")] + [SelectChoice(a.id, a.name) for a in organisation.areas()]
    if form.validate_on_submit():
        try:
            organisation.save_unit(form.name.data, form.slug.data, form.service_type.data, form.area_id.data, found)
            return _saved(form.name.data, ".home")
        except OrganisationError as err:
            form.slug.errors.append(str(err))
    return render_template("admin/form.html", form=form, title=_l("Unit"))


@bp.route("/pools/new", methods=["GET", "POST"], defaults={"pool_id": None})
@bp.route("/pools/<pool_id>", methods=["GET", "POST"])
@role_required(ADMINISTRATOR)
def pool(pool_id: str | None):
    """Create or change a pool of small units whose figures are shown together where their own would be hidden."""
    found = _get(Pool, pool_id) if pool_id else None
    form = PoolForm(obj=found)
    form.unit_ids.choices = [SelectChoice(u.id, f"{u.name} ({u.service_type.replace('_', ' ')})")
                             for u in _all_units()]
    if found is not None and not form.is_submitted():
        form.unit_ids.data = [u.id for u in _all_units() if u.pool_id == found.id]
    if form.validate_on_submit():
        try:
            organisation.save_pool(form.name.data, form.service_type.data, _chosen_units(form.unit_ids.data), found)
            return _saved(form.name.data, ".home")
        except OrganisationError as err:
            form.unit_ids.errors.append(str(err))
    return render_template("admin/form.html", form=form, title=_l("Pool"))


@bp.route("/rounds/new", methods=["GET", "POST"], defaults={"round_id": None})
@bp.route("/rounds/<round_id>", methods=["GET", "POST"])
@role_required(ADMINISTRATOR)
def survey_round(round_id: str | None):
    """Create or change a round: a questionnaire, the units it is open for, and the period."""
    found = _get(Round, round_id) if round_id else None
    form = RoundForm(obj=found)
    loaded = library()
    form.questionnaire_id.choices = [SelectChoice(q.id, f"{q.title.get('sv', q.id)} ({q.id} v{q.version})")
                                     for q in loaded.questionnaires.values() if q.status == "published"]
    form.unit_ids.choices = [SelectChoice(u.id, u.name) for u in _all_units()]
    if found is not None and not form.is_submitted():
        form.unit_ids.data = [u.id for u in found.units]
    if form.validate_on_submit():
        try:
            organisation.save_round(form.name.data, form.questionnaire_id.data, form.opens_on.data,
                                    form.closes_on.data, _chosen_units(form.unit_ids.data), found)
            return _saved(form.name.data, ".home")
        except OrganisationError as err:
            form.closes_on.errors.append(str(err))
    return render_template("admin/form.html", form=form, title=_l("Round"))


@bp.route("/series/new", methods=["GET", "POST"])
@role_required(ADMINISTRATOR)
def continuous():
    """Start a continuous survey: a round per month or quarter, optionally a short rotating pulse."""
    form = SeriesForm()
    loaded = library()
    published = [q for q in loaded.questionnaires.values() if q.status == "published"]
    form.questionnaire_id.choices = [SelectChoice(q.id, f"{q.title.get('sv', q.id)} ({q.id} v{q.version})")
                                     for q in published]
    form.unit_ids.choices = [SelectChoice(u.id, u.name) for u in _all_units()]
    form.pulse.choices = [SelectChoice(f"{q.id}:{question.key}", f"{q.id}: {question.text.get('sv', question.key)}")
                          for q in published for question in q.questions if not question.background]
    if form.validate_on_submit():
        chosen = loaded.published(form.questionnaire_id.data)
        pulse = [q.key for q in chosen.questions if f"{chosen.id}:{q.key}" in form.pulse.data]  # in its order
        if len(pulse) != len(form.pulse.data):
            form.pulse.errors.append(_l("Choose pulse questions of the chosen questionnaire."))
        else:
            try:
                series.start_series(form.name.data, chosen, form.period.data, form.starts_on.data,
                                    form.ends_on.data, _chosen_units(form.unit_ids.data), pulse,
                                    int(form.pulse_size.data), dt.date.today())
                return _saved(form.name.data, ".home")
            except OrganisationError as err:
                form.pulse.errors.append(str(err))
    return render_template("admin/form.html", form=form, title=_l("Continuous survey"))


@bp.route("/accounts/new", methods=["GET", "POST"], defaults={"account_id": None})
@bp.route("/accounts/<account_id>", methods=["GET", "POST"])
@role_required(ADMINISTRATOR)
def account(account_id: str | None):
    """Create or change a staff account: role, units, password, active."""
    found = _get(Account, account_id) if account_id else None
    form = AccountForm(obj=found)
    form.unit_ids.choices = [SelectChoice(u.id, u.name) for u in _all_units()]
    if found is not None and not form.is_submitted():
        form.unit_ids.data = [u.id for u in found.units]
    if form.validate_on_submit():
        try:
            accounts.save_account(found, form.email.data, form.name.data or "", form.role.data,
                                  _chosen_units(form.unit_ids.data), form.password.data or "", form.active.data)
            return _saved(form.email.data, ".home")
        except AccountError as err:
            form.password.errors.append(str(err))
    return render_template("admin/form.html", form=form, title=_l("Account"))
