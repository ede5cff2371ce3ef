"""Storing answers. This module alone decides what is stored about a respondent: see new_response()."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from survey.answers import BadAnswer, Given
from survey.db import db
from survey.models import Answer, Response, Round, Unit, round_unit
from survey.questionnaires import Questionnaire

CHANNELS = ("link", "qr", "tablet", "council")


class SurveyError(Exception):
    """A respondent-facing problem; `reason` is a key of the catalogue in survey/errors.py."""

    def __init__(self, reason: str, status: int = 400):
        self.reason, self.status = reason, status
        super().__init__(reason)


def find_unit(slug: str) -> Unit:
    """Return the unit behind a unit link, or raise unknown_unit."""
    unit = db.session.scalar(select(Unit).where(Unit.slug == slug))
    if unit is None:
        raise SurveyError("unknown_unit", 404)
    return unit


def open_rounds(unit: Unit, today: dt.date) -> list[Round]:
    """Return the rounds open today at this unit."""
    query = (select(Round).join(round_unit).where(round_unit.c.unit_id == unit.id,
                                                  Round.opens_on <= today, Round.closes_on >= today)
             .order_by(Round.questionnaire_id))
    return list(db.session.scalars(query))


def open_round(unit: Unit, questionnaire_id: str, today: dt.date) -> Round:
    """Return the open round for this unit and questionnaire, or raise round_closed."""
    for survey_round in open_rounds(unit, today):
        if survey_round.questionnaire_id == questionnaire_id:
            return survey_round
    raise SurveyError("round_closed", 404)


def new_response(unit: Unit, survey_round: Round, questionnaire: Questionnaire, language: str,
                 channel: str, today: dt.date) -> Response:
    """Build the row for a new response: unit, round, questionnaire version, language, channel, date.

    This is the one place that decides what a response records. Never add a name, IP address,
    user agent, device id or time of day: the random id and the date alone must not single anyone out.
    """
    if language not in questionnaire.languages or channel not in CHANNELS:
        raise SurveyError("bad_request")
    return Response(unit_id=unit.id, round_id=survey_round.id, questionnaire_id=questionnaire.id,
                    questionnaire_version=questionnaire.version, language=language, channel=channel,
                    completed=False, submitted_on=today)


def start_response(unit: Unit, survey_round: Round, questionnaire: Questionnaire, language: str,
                   channel: str, today: dt.date) -> str:
    """Create an empty, incomplete response and return its id."""
    response = new_response(unit, survey_round, questionnaire, language, channel, today)
    db.session.add(response)
    db.session.commit()
    return response.id


def current_response(response_id: str | None, today: dt.date) -> Response:
    """Return the response being answered, if its round is still open; else raise."""
    if not response_id:
        raise SurveyError("no_response")
    # One query on the path every answer takes; the second only tells a closed round from an ended response.
    response = db.session.scalar(select(Response).join(Round, Round.id == Response.round_id)
                                 .where(Response.id == response_id, Response.completed.is_(False),
                                        Round.opens_on <= today, Round.closes_on >= today))
    if response is not None:
        return response
    ended = db.session.get(Response, response_id)
    raise SurveyError("no_response" if ended is None or ended.completed else "round_closed")


def given_answers(response: Response, questionnaire: Questionnaire) -> dict[str, Given]:
    """Return what has been answered so far, by question key (background answers included)."""
    rows = db.session.execute(select(Answer.question_key, Answer.option, Answer.text)
                              .where(Answer.response_id == response.id)).all()
    found: dict[str, Given] = {}
    for question in questionnaire.questions:
        value = getattr(response, question.background) if question.background else None
        if value:
            found[question.key] = Given(options=(value,))
    for key, option, text in rows:
        before = found.get(key, Given())
        found[key] = Given(options=before.options + ((option,) if option else ()), text=text or before.text)
    return found


def record_answer(response: Response, question_key: str, given: Given, background: str | None,
                  today: dt.date) -> None:
    """Replace the stored answer to one question; saving the same answer twice changes nothing."""
    for attempt in (1, 2):
        try:
            _replace(response, question_key, given, background, today)
            db.session.commit()
            return
        except IntegrityError:  # the same answer arrived twice at once: the other request stored it
            db.session.rollback()
            if attempt == 2:
                raise


def _replace(response: Response, question_key: str, given: Given, background: str | None,
             today: dt.date) -> None:
    response.submitted_on = today
    if background:
        if len(given.options) > 1:
            raise BadAnswer(question_key)
        setattr(response, background, given.options[0] if given.options else None)
        return
    db.session.execute(delete(Answer).where(Answer.response_id == response.id,
                                            Answer.question_key == question_key))
    if given.text:
        db.session.add(Answer(response_id=response.id, question_key=question_key, option="", text=given.text))
    for option in given.options:
        db.session.add(Answer(response_id=response.id, question_key=question_key, option=option))


def complete(response: Response, today: dt.date) -> None:
    """Mark a response as completed."""
    response.completed = True
    response.submitted_on = today
    db.session.commit()
