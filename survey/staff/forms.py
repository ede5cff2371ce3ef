"""The forms staff fill in: log-in, invitation cards, areas, units, rounds, continuous surveys and accounts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from survey.config import LANGUAGES
from survey.staff.accounts import ROLES
from survey.staff.organisation import SERVICE_TYPES
from survey.web.i18n import NATIVE_NAMES


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class AreaForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


class UnitForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Link name (used in the unit's link)"), validators=[DataRequired(), Length(max=64)])
    service_type = SelectField(_l("Service type"),
                               choices=[SelectChoice(t, t.replace("_", " ")) for t in SERVICE_TYPES])
    area_id = SelectField(_l("Area"), choices=[])


class PoolForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    service_type = SelectField(_l("Service type"),
                               choices=[SelectChoice(t, t.replace("_", " ")) for t in SERVICE_TYPES])
    unit_ids = SelectMultipleField(_l("Units (at least two, of this service type)"), choices=[],
                                   validators=[DataRequired()])


class RoundForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    questionnaire_id = SelectField(_l("Questionnaire"), choices=[])
    opens_on = DateField(_l("Opens on"), validators=[DataRequired()])
    closes_on = DateField(_l("Closes on (last day)"), validators=[DataRequired()])
    unit_ids = SelectMultipleField(_l("Units"), choices=[], validators=[DataRequired()])


class SeriesForm(FlaskForm):
    name = StringField(_l("Name (each period's round is named after it, e.g. Brukarenkät 2027-01)"),
                       validators=[DataRequired(), Length(max=180)])
    questionnaire_id = SelectField(_l("Questionnaire"), choices=[])
    period = SelectField(_l("Period"), choices=[SelectChoice("month", _l("Monthly")),
                                                SelectChoice("quarter", _l("Quarterly"))])
    starts_on = DateField(_l("Starts on (its month or quarter is the first period)"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends on (empty: goes on)"), validators=[Optional()])
    unit_ids = SelectMultipleField(_l("Units"), choices=[], validators=[DataRequired()])
    pulse = SelectMultipleField(_l("Pulse: the questions to rotate through, in the questionnaire's order (none: the "
                                   "whole questionnaire every period)"), choices=[])
    pulse_size = SelectField(_l("Pulse questions a period"), choices=[SelectChoice(str(n), str(n)) for n in (1, 2, 3)],
                             default="1")


class AccountForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r, r.replace("_", " ")) for r in ROLES])
    unit_ids = SelectMultipleField(_l("Units (for unit staff)"), choices=[])
    password = PasswordField(_l("New password (at least 12 characters; empty keeps the old one)"),
                             validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)


class CardsForm(FlaskForm):
    count = IntegerField("count", default=24, validators=[NumberRange(1, 2000)])
    lang = SelectField("lang", choices=[SelectChoice(code, NATIVE_NAMES[code]) for code in LANGUAGES])
