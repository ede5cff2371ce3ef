"""Every respondent-facing error, in easy-read words and with a pictogram; never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, render_template, session
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from survey.answers import BadAnswer
from survey.responses import SurveyError

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
    "not_found": (_l("We cannot find this page."),
                  _l("Check the link. Ask the staff for help.")),
    "server_error": (_l("Something went wrong on our side."),
                     _l("Please try again soon. Nothing you answered before is lost.")),
}


def render_error(reason: str, status: int):
    """Render the easy-read error page for a reason in the catalogue."""
    heading, advice = CATALOGUE.get(reason, CATALOGUE["bad_request"])
    restart = session.get("start_url")
    return render_template("error.html", heading=heading, advice=advice, restart=restart), status


def init_app(app: Flask) -> None:
    """Answer every error with the easy-read page."""

    @app.errorhandler(SurveyError)
    def survey_error(err: SurveyError):
        return render_error(err.reason, err.status)

    @app.errorhandler(BadAnswer)
    def bad_answer(err: BadAnswer):
        log.info("refused answer: %s", err)
        return render_error("bad_answer", 400)

    @app.errorhandler(CSRFError)
    def csrf_error(_err):
        return render_error("expired", 400)

    @app.errorhandler(SQLAlchemyError)
    def database_error(err):
        log.error("database error: %s", type(err).__name__)
        return render_error("server_error", 503)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        reason = {404: "not_found", 413: "too_large"}.get(err.code or 400, "bad_request")
        return render_error(reason, err.code or 400)

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        log.exception("unexpected error")
        return render_error("server_error", 500)
