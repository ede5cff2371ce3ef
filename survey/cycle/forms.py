"""The cycle's forms: a valuation, an action and its status, other evidence, indicator values and their CSV import,
sharing. Each refusal says what to fix."""
from __future__ import annotations

import datetime as dt
import math

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    FloatField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

from survey.cycle import rules

VERDICT_NAMES = {rules.STRENGTH: _l("Strength"), rules.WATCH: _l("Watch"), rules.CHALLENGE: _l("Challenge"),
                 rules.NOT_ENOUGH: _l("Not enough evidence")}
STATUS_NAMES = {rules.PLANNED: _l("Planned"), rules.ONGOING: _l("Ongoing"), rules.DONE: _l("Done"),
                rules.STOPPED: _l("Stopped")}
LEVEL_NAMES = {"unit": _l("Unit"), "pool": _l("Pool of units"), "area": _l("Area"),
               "organisation": _l("The whole organisation")}
NUMBER = _l("Write a number, such as 60 or 72.5.")
WHOLE_NUMBER = _l("Write a whole number, such as 14.")


class NumberField(FloatField):
    """A number as people write it in Swedish or Norwegian too (72,5), refused with a message that says how."""

    def process_formdata(self, valuelist):
        written = valuelist[0].strip().replace(",", ".").replace("\u00a0", "").replace(" ", "") if valuelist else ""
        self.data = _number(written) if written else None
        if written and self.data is None:
            raise ValueError(NUMBER)


class WholeNumberField(IntegerField):
    """A whole number, refused with a message that says how to write one."""

    def process_formdata(self, valuelist):
        written = valuelist[0].strip().replace("\u00a0", "").replace(" ", "") if valuelist else ""
        self.data = int(written) if written.isascii() and written.isdigit() else None
        if written and self.data is None:
            raise ValueError(WHOLE_NUMBER)


def _number(written: str) -> float | None:
    try:
        value = float(written)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def not_in_future(_form, field) -> None:
    if field.data and field.data > dt.date.today():
        raise ValidationError(_l("The date cannot be in the future."))


def not_before_start(form, field) -> None:
    if field.data and form.starts_on.data and field.data < form.starts_on.data:
        raise ValidationError(_l("The action cannot be due before it starts."))


def needs_measure(form, field) -> None:
    if not (field.data or "").strip() and (form.from_value.data is not None or form.to_value.data is not None):
        raise ValidationError(_l("Say which measure goes from one value to the other."))


def no_personal_number(_form, field) -> None:
    if rules.looks_like_personal_number(field.data or ""):
        raise ValidationError(_l("This looks like a personal identity number. Write about the unit's work, never "
                                 "about one person."))


class ValuationForm(FlaskForm):
    verdict = SelectField(_l("Verdict"), choices=[SelectChoice(k, v) for k, v in VERDICT_NAMES.items()],
                         validators=[InputRequired(_l("Choose a verdict."))])
    reasoning = TextAreaField(_l("Reasoning: what the evidence shows, read with what you know of the unit"),
                              validators=[DataRequired(_l("Write the reasoning behind the verdict.")),
                                          Length(max=5000), no_personal_number])
    participants = StringField(_l("Who took part (roles, never names of service users)"),
                               validators=[DataRequired(_l("Say who took part, by role.")), Length(max=500)])
    decided_on = DateField(_l("Decided on"), default=dt.date.today,
                           validators=[DataRequired(_l("Give the date in the form 2026-10-31.")), not_in_future])


class ActionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the action a title.")), Length(max=200)])
    flag_ids = SelectMultipleField(_l("Flags it should improve"), choices=[],
                                   validators=[DataRequired(_l("Choose at least one flag."))])
    owner = StringField(_l("Owner (a role, such as unit manager)"),
                        validators=[DataRequired(_l("Say who owns the action, by role.")), Length(max=200)])
    status = SelectField(_l("Status"), choices=[SelectChoice(k, v) for k, v in STATUS_NAMES.items()],
                         default=rules.PLANNED)
    measure = StringField(_l("Measure (SMART goal: which measure)"), validators=[needs_measure, Length(max=500)])
    from_value = NumberField(_l("From (today's value)"), validators=[Optional()], render_kw={"inputmode": "decimal"})
    to_value = NumberField(_l("To (the goal)"), validators=[Optional()], render_kw={"inputmode": "decimal"})
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    due_on = DateField(_l("Due on (by when)"), validators=[Optional(), not_before_start])
    problem = TextAreaField(_l("Problem"), validators=[Length(max=5000)])
    current_state = TextAreaField(_l("Current state"), validators=[Length(max=5000)])
    goal = TextAreaField(_l("Goal"), validators=[Length(max=5000)])
    analysis = TextAreaField(_l("Analysis: causes"), validators=[Length(max=5000)])
    change_tried = TextAreaField(_l("The change we try"), validators=[Length(max=5000)])
    plan = TextAreaField(_l("Plan: who does what, when"), validators=[Length(max=5000)])
    follow_up = TextAreaField(_l("Follow-up: what we learnt"), validators=[Length(max=5000)])
    easy_read = TextAreaField(_l("For the users, in easy words: what we will do"), validators=[Length(max=1000)])
    easy_read_done = TextAreaField(_l("For the users, in easy words: what we did and what happened"),
                                   validators=[Length(max=1000)])
    responsible_role = StringField(_l("Who is responsible, as the users will read it (such as The unit manager)"),
                                   validators=[Length(max=200)])


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=[SelectChoice(k, v) for k, v in STATUS_NAMES.items()])



class SharedForm(FlaskForm):
    round_id = SelectField(_l("Round whose results were shown"), choices=[])
    shared_on = DateField(_l("Shown on"), default=dt.date.today,
                          validators=[DataRequired(_l("Give the date in the form 2026-10-31.")), not_in_future])
    form = StringField(_l("How (such as a meeting, a poster, on the tablet)"),
                       validators=[DataRequired(_l("Say how the results were shown.")), Length(max=200)])


def needed_for_count(form, field) -> None:
    """Stop here for an empty field: with a message if the evidence is a count (wtforms' Optional would clear it)."""
    if field.data is None:
        needed = form.kind.data == rules.COUNT and not field.errors
        raise StopValidation(_l("A count needs both the number and what it is out of.") if needed else None)


def needed_for_note(form, field) -> None:
    if form.kind.data == rules.NOTE and not (field.data or "").strip():
        raise ValidationError(_l("Write the note."))


def within_denominator(form, field) -> None:
    count, denominator = form.count.data, field.data
    if form.kind.data == rules.COUNT and denominator is not None and (
            denominator < 1 or (count is not None and not 0 <= count <= denominator)):
        raise ValidationError(_l("The number must be between 0 and what it is out of, which must be 1 or more."))


class EvidenceForm(FlaskForm):
    kind = SelectField(_l("Kind of evidence"), default=rules.COUNT,
                       choices=[SelectChoice(rules.COUNT, _l("A count, such as 14 of 20")),
                                SelectChoice(rules.NOTE, _l("A note: a story, what a conversation concluded"))])
    title = StringField(_l("What was measured or noted"),
                        validators=[DataRequired(_l("Say what was measured or noted.")), Length(max=200)])
    count = WholeNumberField(_l("Number"), validators=[needed_for_count],
                         render_kw={"inputmode": "numeric"})
    denominator = WholeNumberField(_l("Out of"), validators=[needed_for_count, within_denominator],
                               render_kw={"inputmode": "numeric"})
    text = TextAreaField(_l("Note (about the unit's work, never about one person)"),
                         validators=[needed_for_note, Length(max=5000), no_personal_number])
    source = StringField(_l("Source (such as a record review, a staff meeting)"),
                         validators=[DataRequired(_l("Say where it comes from.")), Length(max=200)])
    period = StringField(_l("Period (such as 2026 or autumn 2026)"),
                         validators=[DataRequired(_l("Say which period it covers.")), Length(max=40)])
    measured_by = StringField(_l("Measured by (a role)"),
                              validators=[DataRequired(_l("Say who measured it, by role.")), Length(max=200)])


def counted_within(form, field) -> None:
    if field.data is not None and form.count.data is not None and not 0 <= form.count.data <= field.data:
        raise ValidationError(_l("The number must be between 0 and what it is out of, which must be 1 or more."))
    if field.data is not None and field.data < 1:
        raise ValidationError(_l("The number must be between 0 and what it is out of, which must be 1 or more."))


class IndicatorForm(FlaskForm):
    indicator_id = SelectField(_l("Indicator"), choices=[])
    period = StringField(_l("Period (such as 2026 or 2026-Q3)"),
                         validators=[DataRequired(_l("Say which period it covers.")), Length(max=40)])
    count = WholeNumberField(_l("Number"), validators=[InputRequired(_l("Write the number."))],
                             render_kw={"inputmode": "numeric"})
    denominator = WholeNumberField(_l("Out of"), validators=[InputRequired(_l("Write what it is out of.")),
                                                             counted_within], render_kw={"inputmode": "numeric"})
    measured_by = StringField(_l("Measured by (a role)"),
                              validators=[DataRequired(_l("Say who measured it, by role.")), Length(max=200)])
    note = TextAreaField(_l("Note (about the unit's work, never about one person)"),
                         validators=[Length(max=2000), no_personal_number])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file (columns unit, indicator, period, count, denominator; optionally measured_by "
                        "and note)"), validators=[FileRequired(_l("Choose a CSV file."))])


# What can be wrong with an imported file, by code (survey/cycle/indicators.py PROBLEMS), in the reader's language.
IMPORT_PROBLEMS = {
    "missing_column": _l("the column is missing"),
    "unknown_column": _l("unknown column (the columns are %(columns)s, and optionally %(optional)s)"),
    "too_many_rows": _l("a file may have at most %(most)s rows"),
    "no_rows": _l("the file has no rows of values"),
    "not_utf8": _l("the file is not UTF-8 text: save it as CSV UTF-8"),
    "same_as": _l("the same unit, indicator and period as row %(row)s"),
    "unknown_unit": _l("no unit '%(unit)s' that you may work on (write the unit's link name, such as bjorken)"),
    "not_whole": _l("'%(written)s' is not a whole number, such as 14"),
    "unknown_indicator": _l("unknown indicator '%(indicator)s' (one of %(known)s)"),
    "period": _l("give the period, such as 2026 or 2026-Q3 (at most 40 characters)"),
    "count_missing": _l("a count needs both the number and what it is out of"),
    "not_a_count": _l("%(count)s of %(denominator)s is not a count: it must be between 0 and a denominator of 1 or "
                      "more"),
    "measured_by": _l("say who measured it, by role (at most 200 characters)"),
    "personal": _l("the text looks like it holds a personal identity number: write about the unit's work, never "
                   "about one person"),
}
