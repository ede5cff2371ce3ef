"""Test mode for user councils: the same one-question pages, with "was it easy to understand?" on each.

Test answers and feedback go to the council_* tables (survey/council.py), never to responses."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l

from survey.council import results as tried
from survey.council import store as council
from survey.questionnaires import library
from survey.questionnaires.model import Questionnaire
from survey.respond.answers import clean_answer
from survey.respond.store import SurveyError
from survey.speech import recordings
from survey.web.caching import no_store
from survey.web.i18n import text_in

bp = Blueprint("council", __name__, url_prefix="/council")
bp.after_request(no_store)  # like the respondent's pages



def version_of(questionnaire_id: str, version: int) -> Questionnaire:
    questionnaire = library().version(questionnaire_id, version)
    if questionnaire is None:
        raise SurveyError("unknown_unit")
    return questionnaire


def flow(token: str | None = None) -> dict:
    """Tell the shared respondent templates where test mode's pages are."""
    return {"start": lambda lang: url_for(".start", token=token, lang=lang),
            "begin": url_for(".begin", token=token) if token else "",
            "question": lambda position: url_for(".question", position=position),
            "answer": lambda position: url_for(".answer", position=position),
            "stop": url_for(".done")}


@bp.get("/<token>")
def start(token: str):
    """Open a questionnaire version in test mode: choose a language, then the introduction."""
    link = council.find_link(token)
    questionnaire = version_of(link.questionnaire_id, link.version)
    lang = request.args.get("lang")
    shared = {"questionnaire": questionnaire, "flow": flow(token), "test_mode": True, "place": link.name}
    if lang not in questionnaire.languages and len(questionnaire.languages) > 1:
        return render_template("languages.html", **shared)
    lang = lang if lang in questionnaire.languages else questionnaire.languages[0]
    session["lang"] = lang
    return render_template("intro.html", lang=lang, **shared)


@bp.post("/<token>")
def begin(token: str):
    """Start one tester's pass through the questionnaire."""
    link = council.find_link(token)
    questionnaire = version_of(link.questionnaire_id, link.version)
    lang = request.form.get("lang", "")
    session["council"] = council.start_session(questionnaire, lang, link, dt.date.today())
    session["council_link"] = token
    session["lang"] = lang
    return redirect(url_for(".question", position=1))


def preview(questionnaire: Questionnaire, lang: str) -> str:
    """Start an editor's preview of any version (feedback from previews stays out of the summary)."""
    session["council"] = council.start_session(questionnaire, lang, None, dt.date.today())
    session.pop("council_link", None)
    session["lang"] = lang
    return url_for("council.question", position=1)


def _testing(position: int):
    found = council.current_session(session.get("council"))
    questionnaire = version_of(found.questionnaire_id, found.version)
    if not 1 <= position <= len(questionnaire.questions):
        raise SurveyError("not_found")
    return found, questionnaire, questionnaire.questions[position - 1]


@bp.get("/q/<int:position>")
def question(position: int):
    """Show one question in test mode, with the feedback buttons and comment box."""
    found, questionnaire, shown = _testing(position)
    return render_template("council/question.html", questionnaire=questionnaire, question=shown,
                           given=council.given(found, shown.key), feedback=council.feedback(found, shown.key),
                           recorded=recordings.recorded(questionnaire, found.language), position=position,
                           total=len(questionnaire.questions), flow=flow(), test_mode=True,
                           max_comment=council.MAX_COMMENT)


@bp.post("/q/<int:position>")
def answer(position: int):
    """Store feedback (and stay) or a test answer (and go on); a comment is kept either way."""
    found, questionnaire, shown = _testing(position)
    wording = text_in(shown.text, found.language)
    comment = request.form.get("comment")
    if "feedback" in request.form:
        understood = {"easy": True, "hard": False}.get(request.form["feedback"], council.UNCHANGED)
        council.record_feedback(found, shown.key, wording, understood, comment)
        return redirect(url_for(".question", position=position, _anchor="feedback"))
    council.record_feedback(found, shown.key, wording, comment=comment)
    if "keep" not in request.form:
        given = clean_answer(shown, request.form.getlist("answer"), request.form.get("text"),
                             current_app.config["MAX_FREE_TEXT"])
        council.record_answer(found, shown.key, given)
    if position < len(questionnaire.questions):
        return redirect(url_for(".question", position=position + 1))
    return redirect(url_for(".done"))


@bp.get("/done")
def done():
    """Thank the tester; the next tester starts again from the same link."""
    session.pop("council", None)
    token = session.get("council_link")
    return render_template("council/done.html", again=url_for(".start", token=token) if token else None,
                           results=url_for(".results", token=token) if token else None, test_mode=True)


@bp.route("/<token>/results", methods=["GET", "POST"])
def results(token: str):
    """Let a council try the easy-read results page (demo or released figures) and say, part by part, whether it
    was easy to understand."""
    link = council.find_link(token)
    questionnaire = version_of(link.questionnaire_id, link.version)
    figures = request.values.get("figures") if request.values.get("figures") in tried.FIGURES else "demo"
    lang = request.args.get("lang") or session.get("lang")
    lang = lang if lang in questionnaire.languages else questionnaire.languages[0]
    session["lang"] = lang
    if session.get("council_results_link") != token or "council_results" not in session:
        session["council_results"] = council.start_session(questionnaire, lang, link, dt.date.today())
        session["council_results_link"] = token
    if request.method == "POST":
        part = request.form.get("part", "")
        tried.record(session["council_results"], part, request.form.get("understood", ""),
                     request.form.get("wording", "")[:2000])
        return redirect(url_for(".results", token=token, figures=figures, _anchor=f"part-{part}"))
    context = tried.page(questionnaire, figures, {"unit": str(_l("Demo home")), "round": str(_l("the demo round")),
                                                  "through": str(_l("the homes near you"))})
    asking = {"given": tried.given(session["council_results"]), "figures": figures,
              "action": url_for(".results", token=token, figures=figures)}
    return render_template("results/page.html", **context, lang=lang, test_mode=True, council=asking,
                           here=lambda code: url_for(".results", token=token, figures=figures, lang=code),
                           figures_link=lambda kind: url_for(".results", token=token, figures=kind))
