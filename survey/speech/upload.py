"""Staff upload a person's recording of a question or option; it is heard instead of synthesis."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from survey.questionnaires import library
from survey.speech import recordings
from survey.speech.forms import RecordingForm
from survey.staff.accounts import ADMINISTRATOR
from survey.staff.auth import role_required

bp = Blueprint("recordings", __name__, url_prefix="/admin/recordings")
MAX_UPLOAD = 4 * 1024 * 1024


@bp.route("/", methods=["GET", "POST"])
@role_required(ADMINISTRATOR)
def upload():
    """Take one MP3 recording for a question or option in a language."""
    loaded = library()
    form = RecordingForm()
    form.questionnaire_id.choices = [SelectChoice(q.id, q.id) for q in loaded.questionnaires.values()]
    if form.validate_on_submit():
        data = form.audio.data.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            form.audio.errors.append("The file is larger than 4 MB.")
        else:
            try:
                recordings.record(loaded, form.questionnaire_id.data, form.item.data.strip(), form.lang.data, data,
                                  current_app.extensions["survey.speech"].folder)
            except recordings.BadRecording as err:
                form.audio.errors.append(str(err))
            else:
                flash(_l("The recording is saved and is heard instead of synthesis."), "info")
                return redirect(url_for(".upload"))
    return render_template("admin/recording.html", form=form)
