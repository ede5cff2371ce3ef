"""The questionnaire editor: versions, drafts edited field by field or as YAML, publishing, XLSForm in and out.

Administrators edit and publish; user-council members (and administrators) see every version, preview
it and run test mode (survey/council_admin.py). Every change goes through survey/questionnaires/drafts.py, which
checks it with the files' own rules and stores it in the database, the one source for every instance."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.utils import secure_filename

from survey.questionnaires import comparability, drafts, import_warnings, library
from survey.questionnaires import forms as draft_forms
from survey.questionnaires.model import Questionnaire
from survey.questionnaires.xlsform import limits
from survey.questionnaires.xlsform import write as xlsform
from survey.staff.accounts import ADMINISTRATOR, COUNCIL
from survey.staff.auth import role_required
from survey.web.i18n import NATIVE_NAMES, text_in

bp = Blueprint("editor", __name__, url_prefix="/editor")
EDITORS, VIEWERS = (ADMINISTRATOR,), (ADMINISTRATOR, COUNCIL)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORDS = {"question": _l("Question"), "spoken": _l("Said by speech instead (optional)"), "pictogram": _l("Pictogram"),
         "flags": _l("Quality flags"),
         "meaning": _l("Meaning number (raise it when a new wording asks something else)"),
         "dont_know": _l("Offer \"Don't know\""), "option": _l("Answer option"), "option_text": _l("Text"),
         "positive": _l("Counts as a positive answer")}


def version_or_404(questionnaire_id: str, version: int, draft: bool = False) -> Questionnaire:
    found = library().version(questionnaire_id, version)
    if found is None or (draft and found.status != "draft"):
        abort(404)
    return found


@bp.get("/")
@role_required(*VIEWERS)
def index():
    """List every questionnaire with its versions."""
    families = {qid: library().versions_of(qid) for qid in sorted(library().versions)}
    return render_template("editor/index.html", families=families)


@bp.post("/<questionnaire_id>/drafts")
@role_required(*EDITORS)
def new_draft(questionnaire_id: str):
    """Start a draft from the published version."""
    try:
        draft = drafts.create_draft(questionnaire_id)
    except drafts.DraftError as err:
        for problem in err.problems:
            flash(problem.message, "error")
        return redirect(url_for(".index"))
    return redirect(url_for(".version", questionnaire_id=questionnaire_id, version=draft.version))


@bp.get("/<questionnaire_id>/v<int:version>")
@role_required(*VIEWERS)
def version(questionnaire_id: str, version: int):
    """Show one version: its questions and, for a draft, how each compares with the published version."""
    shown = version_or_404(questionnaire_id, version)
    published = library().published(questionnaire_id)
    draft = shown.status == "draft"
    changes = {c.key: c for c in comparability.changes(published, shown)} if draft else {}
    warnings = import_warnings.of(questionnaire_id, version) if draft else None
    return render_template("editor/version.html", questionnaire=shown, changes=changes, published=published,
                           native_names=NATIVE_NAMES, warnings=warnings)


def _field_page(questionnaire: Questionnaire, fields_of, title: str):
    """Show and save a form of fields over a draft's YAML; problems appear beside their fields."""
    raw = drafts.load_text(drafts.text_of(questionnaire.id, questionnaire.version))
    fields = fields_of(raw)
    errors, other = {}, []
    if request.method == "POST":
        draft_forms.apply(raw, fields, request.form)
        try:
            drafts.save_draft(questionnaire.id, questionnaire.version, drafts.dump_text(raw))
            flash(_l("Saved."), "info")
            return redirect(url_for(".version", questionnaire_id=questionnaire.id, version=questionnaire.version))
        except drafts.DraftError as err:
            errors, other = draft_forms.errors_by_field(err.problems, fields)
    values = {f.name: draft_forms.form_value(f, raw) for f in fields}
    return render_template("editor/form.html", questionnaire=questionnaire, fields=fields, values=values,
                           errors=errors, other=other, title=title)


@bp.route("/<questionnaire_id>/v<int:version>/texts", methods=["GET", "POST"])
@role_required(*EDITORS)
def texts(questionnaire_id: str, version: int):
    """Edit the title, introduction and thank-you text in every language."""
    draft = version_or_404(questionnaire_id, version, draft=True)
    labels = {"title": _l("Title"), "intro": _l("Introduction"), "thanks": _l("Thank-you text")}
    return _field_page(draft, lambda _raw: [f for key, label in labels.items()
                                            for f in draft_forms.texts((key,), str(label), draft.languages,
                                                                       NATIVE_NAMES, "textarea")], _l("Texts"))


@bp.route("/<questionnaire_id>/v<int:version>/questions/<int:number>", methods=["GET", "POST"])
@role_required(*EDITORS)
def question(questionnaire_id: str, version: int, number: int):
    """Edit one question: texts, speech, pictogram, flags, meaning and its answer options."""
    draft = version_or_404(questionnaire_id, version, draft=True)
    if not 1 <= number <= len(draft.questions):
        abort(404)
    flags = [(flag.id, f"{text_in(area.name)}: {text_in(flag.name)}") for area, flag in library().quality_model.flags()]
    words = {key: str(word) for key, word in WORDS.items()}
    return _field_page(draft, lambda raw: draft_forms.question_fields(
        raw, number - 1, draft.languages, NATIVE_NAMES, sorted(library().pictograms), flags, words),
        f"{_l('Question')} {number}: {draft.questions[number - 1].key}")


@bp.route("/<questionnaire_id>/v<int:version>/yaml", methods=["GET", "POST"])
@role_required(*EDITORS)
def yaml(questionnaire_id: str, version: int):
    """Edit the whole draft as YAML (for adding, removing and reordering questions and options)."""
    draft = version_or_404(questionnaire_id, version, draft=True)
    text, problems = drafts.text_of(questionnaire_id, version), []
    if request.method == "POST":
        text = request.form.get("text", "").replace("\r\n", "\n")
        try:
            drafts.save_draft(questionnaire_id, version, text)
            flash(_l("Saved."), "info")
            return redirect(url_for(".version", questionnaire_id=questionnaire_id, version=version))
        except drafts.DraftError as err:
            problems = [str(p) for p in err.problems]
    return render_template("editor/yaml.html", questionnaire=draft, text=text, problems=problems)


@bp.post("/<questionnaire_id>/v<int:version>/publish")
@role_required(*EDITORS)
def publish(questionnaire_id: str, version: int):
    """Publish a draft after the editor confirmed the comparison with the published version."""
    version_or_404(questionnaire_id, version, draft=True)
    if request.form.get("confirm") != "yes":
        flash(_l("Tick the box to confirm that you have checked the changes."), "error")
        return redirect(url_for(".version", questionnaire_id=questionnaire_id, version=version))
    try:
        drafts.publish(questionnaire_id, version)
    except drafts.DraftError as err:
        for problem in err.problems:
            flash(str(problem), "error")
        return redirect(url_for(".version", questionnaire_id=questionnaire_id, version=version))
    flash(_l("Version %(version)s is published. New responses answer it from now on.", version=version), "info")
    return redirect(url_for(".version", questionnaire_id=questionnaire_id, version=version))


@bp.post("/<questionnaire_id>/v<int:version>/delete")
@role_required(*EDITORS)
def delete(questionnaire_id: str, version: int):
    """Delete a draft."""
    version_or_404(questionnaire_id, version, draft=True)
    drafts.delete_draft(questionnaire_id, version)
    flash(_l("The draft is deleted."), "info")
    return redirect(url_for(".index"))


@bp.get("/<questionnaire_id>/v<int:version>/xlsform.xlsx")
@role_required(*VIEWERS)
def export_xlsform(questionnaire_id: str, version: int):
    """Download any version as an XLSForm workbook."""
    shown = version_or_404(questionnaire_id, version)
    workbook = xlsform.to_workbook(shown, xlsform.recording_names(shown))
    response = Response(xlsform.workbook_bytes(workbook), mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{secure_filename(f"{shown.id}-v{version}.xlsx")}"'
    return response


@bp.route("/import", methods=["GET", "POST"])
@role_required(*EDITORS)
def import_xlsform():
    """Bring in an XLSForm workbook (and the recordings it names) as a new draft; nothing is kept unless all is
    valid. The request may be larger than elsewhere: XLSFORM_UPLOAD_LIMIT (see init_app)."""
    problems, unlisted = [], 0
    skip = request.form.get("skip_unsupported") == "yes"
    if request.method == "POST":
        upload = request.files.get("workbook")
        audio = {secure_filename(f.filename): f.read() for f in request.files.getlist("audio") if f.filename}
        if upload is None or not upload.filename:
            problems = [str(_l("Choose a workbook (.xlsx) to import."))]
        else:
            try:
                draft = drafts.add_workbook(upload.read(), secure_filename(upload.filename) or "workbook.xlsx",
                                            audio.get, skip)
            except drafts.DraftError as err:
                problems, unlisted = [str(p) for p in err.problems], err.unlisted
            else:
                flash(_l("Imported as a draft: %(id)s version %(version)s.", id=draft.id, version=draft.version),
                      "info")
                return redirect(url_for(".version", questionnaire_id=draft.id, version=draft.version))
    return render_template("editor/import.html", problems=problems, unlisted=unlisted, skip=skip,
                           workbook_limit=limits.size(limits.MAX_WORKBOOK_BYTES),
                           upload_limit=limits.size(current_app.config["XLSFORM_UPLOAD_LIMIT"]))
