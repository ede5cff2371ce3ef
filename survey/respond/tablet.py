"""Staff-supported tablet mode: an iPad answers for one unit and questionnaire, person after person."""
from __future__ import annotations

import datetime as dt
import secrets

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import SelectChoice

from survey.db import db
from survey.db.models import TabletSession, Unit
from survey.questionnaires import library
from survey.respond import store as responses
from survey.respond.forms import LeaveForm, StartForm
from survey.respond.store import SurveyError
from survey.results import views as results_page
from survey.staff import accounts
from survey.staff.accounts import ADMINISTRATOR, UNIT_STAFF
from survey.staff.auth import role_required
from survey.web import limits

bp = Blueprint("tablet", __name__)


def today() -> dt.date:
    return dt.date.today()


def current_tablet() -> TabletSession | None:
    """Return this device's tablet session if it is valid today; forget it otherwise."""
    tablet_id = session.get("tablet")
    tablet = db.session.get(TabletSession, tablet_id) if tablet_id else None
    if tablet is not None and tablet.valid_on == today():
        return tablet
    session.pop("tablet", None)
    return None


def begin_tablet(unit: Unit, questionnaire_id: str, pin: str) -> str:
    """Store a tablet session for today and return its id."""
    responses.unit_and_open_round(unit.slug, questionnaire_id, today())  # raises round_closed
    tablet = TabletSession(id=secrets.token_urlsafe(32), unit_id=unit.id, questionnaire_id=questionnaire_id,
                           pin_hash=generate_password_hash(pin), valid_on=today())
    db.session.add(tablet)
    db.session.commit()
    return tablet.id


@bp.route("/staff/tablet", methods=["GET", "POST"])
@role_required(ADMINISTRATOR, UNIT_STAFF)
def start():
    """Put this device into answering mode; the staff login is dropped from it."""
    units = list(db.session.scalars(accounts.visible_units(current_user)))
    loaded = library()
    choices = [SelectChoice(f"{u.id}/{r.questionnaire_id}", f"{u.name}: {r.name} ({r.questionnaire_id})")
               for u in units for r in responses.open_rounds(u, today()) if loaded.published(r.questionnaire_id)]
    form = StartForm()
    form.target.choices = choices
    if form.validate_on_submit():
        unit_id, questionnaire_id = form.target.data.split("/", 1)
        unit = accounts.unit_for(current_user, unit_id)
        if unit is None:
            abort(404)
        tablet_id = begin_tablet(unit, questionnaire_id, form.pin.data)
        logout_user()
        session.clear()
        session["tablet"] = tablet_id
        return redirect(url_for(".next_person"))
    return render_template("staff/tablet.html", form=form, has_choices=bool(choices))


@bp.get("/tablet")
def next_person():
    """Show the start page for the next person; whatever the last person answered is out of reach."""
    tablet = current_tablet()
    if tablet is None:
        raise SurveyError("tablet_ended")
    for key in ("response", "invitation", "questionnaire", "pictures", "large_text", "lang"):
        session.pop(key, None)
    unit = db.session.get(Unit, tablet.unit_id)
    return redirect(url_for("respond.start", slug=unit.slug, questionnaire_id=tablet.questionnaire_id))


@bp.get("/tablet/results")
def results():
    """Show the unit's newest easy-read results on the tablet, with a way back to the questionnaire; the device
    stays in tablet mode."""
    tablet = current_tablet()
    if tablet is None:
        raise SurveyError("tablet_ended")
    unit = db.session.get(Unit, tablet.unit_id)
    return results_page.render_page(unit, None, lambda lang: url_for(".results", lang=lang),
                                    back=url_for(".next_person"))


@bp.route("/tablet/leave", methods=["GET", "POST"])
@limits.limit("10 per 10 minutes", methods=["POST"])  # per address: several tablets on one network
@limits.limit("5 per 10 minutes", key=limits.tablet_device, methods=["POST"])  # per tablet, wherever it is
def leave():
    """Leave tablet mode with the PIN it was started with."""
    tablet = current_tablet()
    if tablet is None:
        return redirect(url_for("auth.login"))
    form = LeaveForm()
    if form.validate_on_submit():
        if check_password_hash(tablet.pin_hash, form.pin.data):
            db.session.delete(tablet)
            db.session.commit()
            session.clear()
            return redirect(url_for("auth.login"))
        flash(_l("Wrong PIN."), "error")
    return render_template("staff/leave_tablet.html", form=form)


@bp.app_context_processor
def tablet_mode_flag() -> dict:
    """Tell templates whether this device is in tablet mode, and where its unit's results are once released."""
    return {"in_tablet_mode": "tablet" in session, "tablet_results": _tablet_results}


def _tablet_results() -> str | None:
    tablet = current_tablet()
    unit = db.session.get(Unit, tablet.unit_id) if tablet is not None else None
    return url_for("tablet.results") if unit is not None and results_page.has_results(unit) else None
