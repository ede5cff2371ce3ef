"""Phases on a flag's run charts: offered from the start of an action linked to the flag, stored only when a
person confirms one (with their role), never added or moved automatically; one commit each.

A phase starts with the first period that opens on or after its date, and its first `baseline` points give its
centre line, frozen (survey/cycle/spc.py): later points are judged against it, never rebase it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from survey.cycle import rules
from survey.cycle.series import Subject, confirmed_phases
from survey.db import db
from survey.db.models import Action, ChartPhase

BASELINE = 6  # points: the fewest with which the Anhøj rules can signal (spc.MIN_USEFUL_POINTS)


@dataclass(frozen=True)
class Offer:
    """An action whose start could begin a new phase on the flag's charts."""

    action: Action
    starts_on: dt.date


def offers(unit_id: str, subject: Subject, flag_id: str) -> list[Offer]:
    """Return the unit's actions for the flag with a start date that no confirmed phase starts on yet."""
    taken = {phase.starts_on for phase in confirmed_phases(subject, flag_id)}
    found = db.session.scalars(select(Action).where(Action.unit_id == unit_id, Action.starts_on.is_not(None))
                               .order_by(Action.starts_on))
    return [Offer(a, a.starts_on) for a in found
            if flag_id in a.flag_ids and a.starts_on is not None and a.starts_on not in taken]


def confirm(unit_id: str, subject: Subject, flag_id: str, action_id: str, confirmed_by: str, baseline: int,
            today: dt.date) -> ChartPhase:
    """Store a phase from the start of one of the unit's actions for this flag, confirmed by a person; commit."""
    offer = next((o for o in offers(unit_id, subject, flag_id) if o.action.id == action_id), None)
    if offer is None:
        raise rules.CycleError("that action has no start date for this flag, or its phase is already confirmed")
    if not confirmed_by.strip():
        raise rules.CycleError("say who confirms the phase (a role)")
    if baseline < 1:
        raise rules.CycleError("a baseline needs at least one point")
    pooled = subject.level == "pool"
    phase = ChartPhase(unit_id=None if pooled else subject.group_id, pool_id=subject.group_id if pooled else None,
                       flag_id=flag_id, action_id=action_id, starts_on=offer.starts_on, baseline=baseline,
                       confirmed_by=confirmed_by.strip(), confirmed_on=today)
    db.session.add(phase)
    db.session.commit()
    return phase


def phase_form(offered: list[Offer]) -> PhaseForm:
    """Return the form to confirm a phase, offering these actions' starts."""
    form = PhaseForm(prefix="phase")
    form.action_id.choices = [(o.action.id, f"{o.action.title} ({o.starts_on.isoformat()})") for o in offered]
    return form


class PhaseForm(FlaskForm):
    """Confirm a new phase from an action's start."""

    action_id = SelectField(_l("The action whose start begins the phase"), validators=[DataRequired()])
    confirmed_by = StringField(_l("Confirmed by (your role)"), validators=[DataRequired(), Length(max=200)])
    baseline = IntegerField(_l("Points in the new phase's frozen baseline"), default=BASELINE,
                            validators=[InputRequired(), NumberRange(min=1, max=24)])
