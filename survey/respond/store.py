"""Storing answers. This module alone decides what is stored about a respondent: see new_response()."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from survey.db import db
from survey.db.models import Answer, Response, Round, SeriesPeriod, Unit, random_id, round_unit
from survey.questionnaires.model import Questionnaire
from survey.respond.answers import BadAnswer, Given

CHANNELS = ("link", "qr", "tablet", "council")
# Channels an outsider cannot use at will: a single-use code handed out by the unit, or the unit's tablet mode
# started by its staff. Figures rest on respondents who came this way (survey/analysis/scoring.py).
VERIFIED = ("qr", "tablet")


class SurveyError(Exception):
    """A respondent-facing problem; `reason` is a key of the catalogue in survey/web/errors.py, which also says
    what HTTP status it is answered with."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


# The statements every respondent's requests run are built once; only their values change per request.
_UNIT_BY_SLUG = select(Unit).where(Unit.slug == bindparam("slug"))
_OPEN_ROUNDS = (select(Round).join(round_unit).where(round_unit.c.unit_id == bindparam("unit_id"),
                                                     Round.opens_on <= bindparam("today"),
                                                     Round.closes_on >= bindparam("today"))
                .order_by(Round.questionnaire_id))
_OPEN_AT_UNIT = (select(Unit, Round).join(round_unit, round_unit.c.unit_id == Unit.id)
                 .join(Round, Round.id == round_unit.c.round_id)
                 .where(Unit.slug == bindparam("slug"), Round.questionnaire_id == bindparam("questionnaire_id"),
                        Round.opens_on <= bindparam("today"), Round.closes_on >= bindparam("today")))
_ROUND_OF_RESPONSE = select(Response.round_id).where(Response.id == bindparam("response_id"))


def find_unit(slug: str) -> Unit:
    """Return the unit behind a unit link, or raise unknown_unit."""
    unit = db.session.scalar(_UNIT_BY_SLUG, {"slug": slug})
    if unit is None:
        raise SurveyError("unknown_unit")
    return unit


def open_rounds(unit: Unit, today: dt.date) -> list[Round]:
    """Return the rounds open today at this unit."""
    return list(db.session.scalars(_OPEN_ROUNDS, {"unit_id": unit.id, "today": today}))


def unit_and_open_round(slug: str, questionnaire_id: str, today: dt.date) -> tuple[Unit, Round]:
    """Return the unit behind a unit link and its open round of this questionnaire (one query), or raise."""
    found = db.session.execute(_OPEN_AT_UNIT, {"slug": slug, "questionnaire_id": questionnaire_id,
                                               "today": today}).first()
    if found is None:
        find_unit(slug)  # raises unknown_unit when there is no such unit
        raise SurveyError("round_closed")
    return found.Unit, found.Round


def new_response(unit: Unit, survey_round: Round, questionnaire: Questionnaire, language: str,
                 channel: str, response_id: str, held: bool = False) -> Response:
    """Build the row for a new response: unit, round, questionnaire version, language, channel.

    This is the one place that decides what a response records. Never add a name, IP address,
    user agent, device id, date or time: the random id must not single anyone out, and the round is the only
    "when" (a date would tell who answered on the one day a known person sat at the tablet).
    """
    if language not in questionnaire.languages or channel not in CHANNELS:
        raise SurveyError("bad_request")
    return Response(id=response_id, unit_id=unit.id, round_id=survey_round.id, questionnaire_id=questionnaire.id,
                    questionnaire_version=questionnaire.version, language=language, channel=channel,
                    completed=False, held=held)


def over_places(unit: Unit, survey_round: Round, questionnaire: Questionnaire) -> bool:
    """Tell whether a service users' round at this unit already has as many responses as the unit has places.

    Beyond that, open-link responses are held: stored, never lost, but in no figure until an administrator counts
    them in. Anyone can use an open link; this bounds how far a stranger can stuff a unit's results."""
    if unit.places is None or questionnaire.audience != "user":
        return False
    taken = db.session.scalar(select(func.count()).select_from(Response).where(
        Response.unit_id == unit.id, Response.round_id == survey_round.id, Response.held.is_(False)))
    return taken >= unit.places


def review_held(unit: Unit, survey_round: Round, count_in: bool) -> int:
    """Count a unit's held open-link responses in (they join every figure), or discard them; return how many."""
    which = (Response.unit_id == unit.id, Response.round_id == survey_round.id, Response.held.is_(True))
    if count_in:
        done = db.session.execute(update(Response).where(*which).values(held=False)).rowcount
    else:
        done = db.session.execute(delete(Response).where(*which)).rowcount
    db.session.commit()
    return done


def start_id(start_token: str | None, secret: str) -> str:
    """Return the id for a response started from one start page: a retried Start gets the same id.

    The token lives only in the device's session; the id is as random as any other to whoever reads the database.
    """
    if not start_token:
        return random_id()
    return hmac.new(secret.encode(), f"start:{start_token}".encode(), hashlib.sha256).hexdigest()[:32]


def already_started(response_id: str, survey_round: Round) -> bool:
    """Tell whether this response exists in this round (its Start was retried or tapped twice)."""
    return db.session.scalar(_ROUND_OF_RESPONSE, {"response_id": response_id}) == survey_round.id


def start_response(unit: Unit, survey_round: Round, questionnaire: Questionnaire, language: str,
                   channel: str, response_id: str) -> str:
    """Create an empty, incomplete response with this id (once, however often Start arrives) and return the id."""
    held = channel == "link" and over_places(unit, survey_round, questionnaire)
    db.session.add(new_response(unit, survey_round, questionnaire, language, channel, response_id, held))
    try:
        db.session.commit()
    except IntegrityError:  # the same Start arrived twice at once: the other request created it
        db.session.rollback()
        if not already_started(response_id, survey_round):
            raise SurveyError("bad_request") from None
    return response_id


def answer_token(response_id: str, secret: str) -> str:
    """Sign a response id for the answer forms, so a form sent later (offline queue, retry) finds its response."""
    return URLSafeSerializer(secret, salt="answer-form").dumps(response_id)


def response_from_token(token: str, secret: str) -> str:
    """Return the response id an answer form was made for, or raise no_response for a forged token."""
    try:
        response_id = URLSafeSerializer(secret, salt="answer-form").loads(token)
    except BadSignature:
        raise SurveyError("no_response") from None
    if not isinstance(response_id, str):
        raise SurveyError("no_response")
    return response_id


@dataclass(frozen=True)
class OpenResponse:
    """What the answer pages need of a response that is being answered (read as one plain row, not an ORM object)."""

    id: str
    round_id: str
    questionnaire_id: str
    questionnaire_version: int
    language: str
    helped: str | None
    sex: str | None
    asked: list[str] | None  # a pulse period's questions (None: the whole questionnaire)
    answers: tuple[tuple[str, str | None, str | None], ...] = ()  # (question key, option, text); read to show only


# The answer path's statements are plain table statements: no ORM objects to track for rows written once.
_RESPONSES, _ROUNDS, _ANSWERS = Response.__table__, Round.__table__, Answer.__table__
_PERIODS = SeriesPeriod.__table__
_OPEN_RESPONSE = (select(*(_RESPONSES.c[name] for name in OpenResponse.__dataclass_fields__
                           if name not in ("asked", "answers")), _PERIODS.c.questions)
                  .join(_ROUNDS, _ROUNDS.c.id == _RESPONSES.c.round_id)
                  .outerjoin(_PERIODS, _PERIODS.c.round_id == _RESPONSES.c.round_id)
                  .where(_RESPONSES.c.id == bindparam("response_id"), _RESPONSES.c.completed.is_(False),
                         _ROUNDS.c.opens_on <= bindparam("today"), _ROUNDS.c.closes_on >= bindparam("today")))
# Showing a question reads its response with the answers so far: one row per answer (one without, if none).
_OPEN_RESPONSE_WITH_ANSWERS = (_OPEN_RESPONSE.add_columns(_ANSWERS.c.question_key, _ANSWERS.c.option, _ANSWERS.c.text)
                               .outerjoin(_ANSWERS, _ANSWERS.c.response_id == _RESPONSES.c.id))
# Writing locks the response's row (PostgreSQL; SQLite has one writer at a time anyway): two answers to one
# response at once take turns, so the second replaces the first instead of adding to it.
_OPEN_RESPONSE_FOR_WRITING = _OPEN_RESPONSE.with_for_update(of=_RESPONSES, key_share=True)
_UPDATE_RESPONSE = update(_RESPONSES).where(_RESPONSES.c.id == bindparam("response_id"))
_DELETE_ANSWER = delete(_ANSWERS).where(_ANSWERS.c.response_id == bindparam("response_id"),
                                        _ANSWERS.c.question_key == bindparam("question_key"))
_INSERT_ANSWER = insert(_ANSWERS)
# On PostgreSQL, replacing an answer is one statement, one round trip on the path every answer takes: delete the
# options no longer chosen, add or update the rest (they touch different rows, so their order does not matter).
# SQLite has no DELETE inside WITH; it runs the two above, on the same machine.
_REPLACE_ANSWER_PG = sa.text("""
    WITH gone AS (DELETE FROM answer WHERE response_id = :response_id AND question_key = :question_key
                  AND option <> ALL(CAST(:options AS text[])))
    INSERT INTO answer (response_id, question_key, option, text)
    SELECT :response_id, :question_key, chosen.option, chosen.text
    FROM unnest(CAST(:options AS text[]), CAST(:texts AS text[])) AS chosen(option, text)
    ON CONFLICT (response_id, question_key, option) DO UPDATE SET text = excluded.text""")


def current_response(response_id: str | None, today: dt.date, writing: bool = False) -> OpenResponse:
    """Return the response being answered, if its round is still open; else raise. Writing locks it until commit;
    reading (to show a question) brings the answers given so far with it."""
    if not response_id:
        raise SurveyError("no_response")
    # One query on the path every answer takes; the second only tells a closed round from an ended response.
    query = _OPEN_RESPONSE_FOR_WRITING if writing else _OPEN_RESPONSE_WITH_ANSWERS
    rows = db.session.execute(query, {"response_id": response_id, "today": today}).all()
    if rows:
        columns = len(OpenResponse.__dataclass_fields__) - 1
        answers = () if writing else tuple(tuple(row[columns:]) for row in rows if row[columns] is not None)
        return OpenResponse(*rows[0][:columns], answers=answers)
    ended = db.session.get(Response, response_id)
    raise SurveyError("no_response" if ended is None or ended.completed else "round_closed")


def given_answers(response: OpenResponse, questionnaire: Questionnaire) -> dict[str, Given]:
    """Return what has been answered so far, by question key (background answers included)."""
    found: dict[str, Given] = {}
    for question in questionnaire.questions:
        value = getattr(response, question.background) if question.background else None
        if value:
            found[question.key] = Given(options=(value,))
    for key, option, text in response.answers:
        before = found.get(key, Given())
        found[key] = Given(options=before.options + ((option,) if option else ()), text=text or before.text)
    return found


def record_answer(response: OpenResponse, question_key: str, given: Given, background: str | None,
                  today: dt.date, complete: bool = False) -> None:
    """Replace the stored answer to one question (saving the same answer twice changes nothing), and mark the
    response completed with it if this was the last question."""
    for attempt in (1, 2):
        try:
            _replace(response, question_key, given, background)
            if complete:
                db.session.execute(_UPDATE_RESPONSE.values(completed=True), {"response_id": response.id})
            db.session.commit()
            return
        except IntegrityError:  # the same answer arrived twice at once: the other request stored it
            db.session.rollback()
            if attempt == 2:
                raise
            response = current_response(response.id, today, writing=True)  # the rollback let go of the lock


def _replace(response: OpenResponse, question_key: str, given: Given, background: str | None) -> None:
    changed = {}
    if background:  # sex and who helped are columns of the response, not answer rows
        if len(given.options) > 1:
            raise BadAnswer(question_key)
        value = given.options[0] if given.options else None
        if getattr(response, background) != value:
            changed[background] = value
    if changed:
        db.session.execute(_UPDATE_RESPONSE.values(**changed), {"response_id": response.id})
    if background:
        return
    rows = [{"response_id": response.id, "question_key": question_key, "option": option, "text": None}
            for option in given.options]
    if given.text:
        rows.append({"response_id": response.id, "question_key": question_key, "option": "", "text": given.text})
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_REPLACE_ANSWER_PG, {"response_id": response.id, "question_key": question_key,
                                                "options": [row["option"] for row in rows],
                                                "texts": [row["text"] for row in rows]})
        return
    db.session.execute(_DELETE_ANSWER, {"response_id": response.id, "question_key": question_key})
    if rows:
        db.session.execute(_INSERT_ANSWER, rows)


def complete(response: OpenResponse) -> None:
    """Mark a response as completed."""
    db.session.execute(_UPDATE_RESPONSE.values(completed=True), {"response_id": response.id})
    db.session.commit()
