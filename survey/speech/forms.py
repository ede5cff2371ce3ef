"""The form administrators upload a person's recording with."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from survey.config import LANGUAGES
from survey.web.i18n import NATIVE_NAMES


class RecordingForm(FlaskForm):
    questionnaire_id = SelectField(_l("Questionnaire"), choices=[])
    item = StringField(_l("Question key, or QUESTION.OPTION for an answer option"),
                       validators=[DataRequired(), Length(max=130)])
    lang = SelectField(_l("Language"), choices=[SelectChoice(c, NATIVE_NAMES[c]) for c in LANGUAGES])
    audio = FileField(_l("Recording (MP3, at most 4 MB and 120 seconds)"), validators=[FileRequired()])
