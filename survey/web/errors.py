"""Every respondent-facing error, in easy-read words and with a pictogram; never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from survey.respond.answers import BadAnswer
from survey.respond.store import SurveyError
from survey.web import redaction

log = logging.getLogger(__name__)

# reason -> (heading, what to do). Easy-read: short sentences, no blame, a way forward.
CATALOGUE = {
    "unknown_unit": (_l("We cannot find this questionnaire."),
                     _l("Check the link or the code. Ask the staff for help.")),
    "round_closed": (_l("This questionnaire is closed now."),
                     _l("You cannot answer it right now. Thank you for wanting to answer!")),
    "no_response": (_l("Your questionnaire has ended."),
                    _l("Your answers are saved. You can start again from the beginning.")),
    "bad_answer": (_l("Something went wrong with your answer."),
                   _l("Nothing you answered before is lost. Please try the question again.")),
    "bad_request": (_l("Something went wrong."),
                    _l("Nothing you answered before is lost. Please try again.")),
    "expired": (_l("The page was open for too long."),
                _l("Nothing you answered before is lost. Please try again.")),
    "too_large": (_l("Your answer was too long."),
                  _l("Please write a shorter answer. Nothing you answered before is lost.")),
    "code_invalid": (_l("We do not know this code."),
                     _l("Check that you typed the code right. If it still does not work, "
                        "ask the staff for a new card.")),
    "code_used": (_l("This code has already been used."),
                  _l("Each card can be used once. Ask the staff for a new card.")),
    "tablet_ended": (_l("The tablet needs to be started by the staff."),
                     _l("Ask the staff for help.")),
    "too_many": (_l("You have tried many times."),
                 _l("Wait a few minutes and try again. Ask the staff for help.")),
    "no_results": (_l("There are no results here yet."),
                   _l("The results come after the questionnaire has closed. Ask the staff when.")),
    "not_found": (_l("We cannot find this page."),
                  _l("Check the link. Ask the staff for help.")),
    "server_error": (_l("Something went wrong on our side."),
                     _l("Please try again soon. Nothing you answered before is lost.")),
}


# How each reason is answered over HTTP (any other: 400).
STATUS = {"unknown_unit": 404, "round_closed": 404, "no_results": 404, "code_invalid": 404, "not_found": 404,
          "code_used": 409, "too_large": 413, "too_many": 429, "server_error": 500}

STAFF_BLUEPRINTS = {"staff", "admin", "auth", "editor", "council_admin", "recordings", "analysis", "cycle",
                    "cycle_levels", "results_staff"}
STAFF_MESSAGES = {
    403: (_l("No access"), _l("Your account's role does not give access to this page.")),
    404: (_l("Not found"), _l("There is no such page, or it belongs to a unit your account does not have.")),
    400: (_l("The request could not be handled"),
          _l("The form was out of date or incomplete. Go back, reload the page and try again.")),
    413: (_l("The upload is too large"),
          _l("This page takes at most %(size)s at once. Nothing was saved: choose a smaller file, or fewer "
             "recordings, and try again.")),
    429: (_l("Too many attempts"), _l("Wait a few minutes before you try again.")),
    409: (_l("The service's public address is not set"),
          _l("Cards and posters carry the address people reach the service at. An administrator sets it as "
             "PUBLIC_URL (for example https://enkat.kommun.se); then print again.")),
}


def render_staff_error(status: int):
    """Render a precise error page for staff."""
    heading, detail = STAFF_MESSAGES.get(status, STAFF_MESSAGES[400])
    if status == 413:
        limit = request.max_content_length or 0
        detail = str(detail) % {"size": f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"}
    return render_template("staff/error.html", heading=heading, detail=detail), status


def render_error(reason: str, status: int):
    """Render the easy-read error page for a reason in the catalogue."""
    heading, advice = CATALOGUE.get(reason, CATALOGUE["bad_request"])
    restart = url_for("tablet.next_person") if "tablet" in session else session.get("start_url")
    return render_template("error.html", heading=heading, advice=advice, restart=restart), status


def init_app(app: Flask) -> None:
    """Answer every error with the easy-read page; keep addresses and query strings out of library logs."""
    redaction.install()

    @app.errorhandler(SurveyError)
    def survey_error(err: SurveyError):
        return render_error(err.reason, STATUS.get(err.reason, 400))

    @app.errorhandler(BadAnswer)
    def bad_answer(err: BadAnswer):
        log.info("refused answer: %s", err)
        return render_error("bad_answer", 400)

    @app.errorhandler(CSRFError)
    def csrf_error(_err):
        if request.blueprint in STAFF_BLUEPRINTS:
            return render_staff_error(400)
        return render_error("expired", 400)

    @app.errorhandler(SQLAlchemyError)
    def database_error(err):
        log.error("database error: %s", type(err).__name__)
        return render_error("server_error", 503)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if request.blueprint in STAFF_BLUEPRINTS and err.code in STAFF_MESSAGES:
            return render_staff_error(err.code)
        reason = {404: "not_found", 413: "too_large", 429: "too_many"}.get(err.code or 400, "bad_request")
        return render_error(reason, err.code or 400)

    @app.errorhandler(Exception)
    def unexpected(_err: Exception):
        log.exception("unexpected error")
        return render_error("server_error", 500)
