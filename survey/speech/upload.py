"""Staff upload a person's recording of a question or option; it is heard instead of synthesis."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from survey.speech import recordings
from survey.staff.accounts import ADMINISTRATOR
from survey.staff.auth import role_required
from survey.config import LANGUAGES
from survey.web.i18n import NATIVE_NAMES
from survey.questionnaires import library

bp = Blueprint("recordings", __name__, url_prefix="/admin/recordings")
MAX_UPLOAD = 4 * 1024 * 1024


class RecordingForm(FlaskForm):
    questionnaire_id = SelectField(_l("Questionnaire"), choices=[])
    item = StringField(_l("Question key, or QUESTION.OPTION for an answer option"),
                       validators=[DataRequired(), Length(max=130)])
    lang = SelectField(_l("Language"), choices=[SelectChoice(c, NATIVE_NAMES[c]) for c in LANGUAGES])
    audio = FileField(_l("Recording (MP3, at most 4 MB and 120 seconds)"), validators=[FileRequired()])


@bp.route("/", methods=["GET", "POST"])
@role_required(ADMINISTRATOR)
def upload():
    """Take one MP3 recording for a question or option in a language."""
    loaded = library()
    form = RecordingForm()
    form.questionnaire_id.choices = [SelectChoice(q.id, q.id) for q in loaded.questionnaires.values()]
    if form.validate_on_submit():
        data = form.audio.data.read(MAX_UPLOAD + 1)
        try:
            if len(data) > MAX_UPLOAD:
                raise recordings.BadRecording("The file is larger than 4 MB.")
            recordings.record(loaded, form.questionnaire_id.data, form.item.data.strip(), form.lang.data, data,
                              current_app.extensions["survey.speech"].folder)
        except recordings.BadRecording as err:
            form.audio.errors.append(str(err))
        else:
            flash(_l("The recording is saved and is heard instead of synthesis."), "info")
            return redirect(url_for(".upload"))
    return render_template("admin/recording.html", form=form)
