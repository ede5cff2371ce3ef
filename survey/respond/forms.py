"""The forms of tablet mode: starting it (unit, questionnaire and a PIN) and leaving it (the PIN)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, Regexp

PIN = [DataRequired(), Regexp(r"^\d{4,8}$", message=_l("The PIN is 4 to 8 digits."))]


class StartForm(FlaskForm):
    target = SelectField(_l("Unit and questionnaire"), validators=[DataRequired()])
    pin = PasswordField(_l("PIN for leaving tablet mode"), validators=PIN)


class LeaveForm(FlaskForm):
    pin = PasswordField(_l("PIN"), validators=PIN)
