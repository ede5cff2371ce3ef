"""The respondent's pages: unit link, language, one question per screen, thank-you."""
from __future__ import annotations

import datetime as dt
import secrets

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from survey.questionnaires import drafts, library
from survey.questionnaires.model import DONT_KNOW, Option, Questionnaire
from survey.respond import invitations
from survey.respond import store as responses
from survey.respond.answers import clean_answer
from survey.respond.store import SurveyError
from survey.speech import recordings
from survey.staff import series
from survey.web import limits
from survey.web.caching import no_store
from survey.web.i18n import current_language

bp = Blueprint("respond", __name__)

bp.after_request(no_store)  # the next person at the tablet must not find these pages in the history



def today() -> dt.date:
    return dt.date.today()


def published(questionnaire_id: str) -> Questionnaire:
    questionnaire = library().published(questionnaire_id)
    if questionnaire is None:
        raise SurveyError("unknown_unit")
    return questionnaire


@bp.app_context_processor
def dont_know_option() -> dict:
    """Offer templates the standard "Don't know" answer, in the current language."""
    return {"dont_know": Option(key=DONT_KNOW, text={current_language(): _("Don't know")}, pictogram="dont_know")}


@bp.get("/u/<slug>")
def unit(slug: str):
    """Lead the unit link (its QR code and poster) to the service users' questionnaire.

    Staff reach theirs through its own link, /u/<slug>/<questionnaire_id>; a unit asking only its staff
    offers what it has.
    """
    found = responses.find_unit(slug)
    open_now = [library().published(r.questionnaire_id) for r in responses.open_rounds(found, today())]
    published_now = [q for q in open_now if q is not None]
    choices = [q for q in published_now if q.audience == "user"] or published_now
    if not choices:
        raise SurveyError("round_closed")
    if len(choices) == 1:
        return redirect(url_for(".start", slug=slug, questionnaire_id=choices[0].id))
    return render_template("unit.html", unit=found, choices=choices)


@bp.get("/u/<slug>/<questionnaire_id>")
def start(slug: str, questionnaire_id: str):
    """Let the respondent choose a language, then show the introduction and a start button."""
    found, _ = responses.unit_and_open_round(slug, questionnaire_id, today())
    questionnaire = published(questionnaire_id)
    session["start_url"] = request.path
    lang = request.args.get("lang")
    if lang not in questionnaire.languages and len(questionnaire.languages) > 1:
        return render_template("languages.html", unit=found, questionnaire=questionnaire)
    lang = lang if lang in questionnaire.languages else questionnaire.languages[0]
    session["lang"] = lang
    session["start"] = secrets.token_hex(16)  # a retried Start with this page's token resumes, never duplicates
    return render_template("intro.html", unit=found, questionnaire=questionnaire, lang=lang)


def _not_open_link() -> bool:
    """Tell whether this Start comes with a code or from tablet mode (not limited: neither can be used at will)."""
    return "tablet" in session or "invitation" in session


@bp.post("/u/<slug>/<questionnaire_id>")
@limits.limit(lambda: current_app.config["OPEN_LINK_STARTS"], exempt_when=_not_open_link)
def begin(slug: str, questionnaire_id: str):
    """Start a new anonymous response (using the invitation code, if one brought the respondent here)."""
    found, survey_round = responses.unit_and_open_round(slug, questionnaire_id, today())
    questionnaire = published(questionnaire_id)
    lang = request.form.get("lang", "")
    response_id = responses.start_id(session.pop("start", None), current_app.config["SECRET_KEY"])
    code_hash = session.pop("invitation", None)
    if not responses.already_started(response_id, survey_round):  # else: the same Start, retried
        channel = "tablet" if "tablet" in session else "link"
        if code_hash and channel == "link":
            channel = "qr"
            if (not invitations.use(code_hash, survey_round, found, current_app.config["SECRET_KEY"])
                    and not responses.already_started(response_id, survey_round)):  # used by our own double tap
                raise SurveyError("code_used")
        responses.start_response(found, survey_round, questionnaire, lang, channel, response_id)
    session["response"] = response_id
    session["lang"] = lang
    session["questionnaire"] = questionnaire.id
    return redirect(url_for(".question", position=1))


def _answering(position: int, response_id: str | None, writing: bool = False):
    response = responses.current_response(response_id, today(), writing)
    questionnaire = library().version(response.questionnaire_id, response.questionnaire_version)
    if questionnaire is None:  # published through another instance since this one last compared
        drafts.refresh()
        questionnaire = library().version(response.questionnaire_id, response.questionnaire_version)
    if questionnaire is None:  # a response goes on with the version it began, even after a newer one is published
        raise SurveyError("no_response")
    questionnaire = series.asked(questionnaire, response.asked)  # a pulse asks only its own questions
    if not 1 <= position <= len(questionnaire.questions):
        abort(404)
    return response, questionnaire, questionnaire.questions[position - 1]


@bp.get("/r/<int:position>")
def question(position: int):
    """Show one question, with the answer given before (if any) marked."""
    response, questionnaire, shown = _answering(position, session.get("response"))
    given = responses.given_answers(response, questionnaire).get(shown.key)
    recorded = recordings.recorded(questionnaire, response.language)
    token = responses.answer_token(response.id, current_app.config["SECRET_KEY"])
    return render_template("question.html", questionnaire=questionnaire, question=shown, given=given,
                           recorded=recorded, position=position, total=len(questionnaire.questions),
                           response_token=token)


@bp.post("/r/<int:position>")
def answer(position: int):
    """Save the answer to one question (or nothing, when skipped) and go on.

    The form names its response, so an answer sent late (kept offline, or retried) lands where it was given.
    """
    token = request.form.get("response")
    secret = current_app.config["SECRET_KEY"]
    response_id = responses.response_from_token(token, secret) if token else session.get("response")
    response, questionnaire, shown = _answering(position, response_id, writing=True)
    last = position == len(questionnaire.questions)  # its answer completes the response, in the same commit
    if "keep" not in request.form:
        chosen = request.form.getlist("answer")
        given = clean_answer(shown, chosen, request.form.get("text"), current_app.config["MAX_FREE_TEXT"])
        responses.record_answer(response, shown.key, given, shown.background, today(), complete=last)
    elif last:
        responses.complete(response)
    if not last:
        return redirect(url_for(".question", position=position + 1))
    if session.get("response") == response.id:
        session.pop("response")
    return redirect(url_for(".thanks"))


@bp.get("/r/thanks")
def thanks():
    """Thank the respondent; the questionnaire's answers can no longer be reached from this device."""
    questionnaire = library().published(session.get("questionnaire", ""))
    return render_template("thanks.html", questionnaire=questionnaire)


@bp.route("/r/stop", methods=["GET", "POST"])
def stop():
    """Ask whether to stop; stopping keeps what was answered, as an incomplete response."""
    if request.method == "GET":
        return render_template("stop.html", back=request.args.get("from", type=int) or 1)
    session.pop("response", None)
    return redirect(url_for("tablet.next_person") if "tablet" in session else url_for(".thanks"))


@bp.route("/c", methods=["GET", "POST"])
@limits.limit("20 per minute")
def code():
    """Open the questionnaire an invitation code (scanned or typed) belongs to; it is used at Start."""
    unit, survey_round, code_hash = invitations.resolve(request.values.get("code", ""),
                                                        current_app.config["SECRET_KEY"], today())
    session["invitation"] = code_hash
    return redirect(url_for(".start", slug=unit.slug, questionnaire_id=survey_round.questionnaire_id))




@bp.post("/settings")
def settings():
    """Switch pictures, larger text, sound or reading aloud on or off, then return to the same page."""
    for name in ("pictures", "large_text", "sound", "read_aloud"):
        if name in request.form:
            session[name] = request.form[name] == "on"
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("site.home")
    return redirect(target)
