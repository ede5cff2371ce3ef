"""User councils' test mode: links, test sessions, test answers and feedback on each question.

Everything here lives in the council_* tables. Results, rates and exports read only `response` and
`answer`, so a test answer can never be counted; tests/test_council.py checks every result path.
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import delete, select

from survey.db import db
from survey.db.models import CouncilAnswer, CouncilFeedback, CouncilLink, CouncilSession
from survey.questionnaires.model import Questionnaire
from survey.respond.answers import Given, clean_text
from survey.respond.store import SurveyError

MAX_COMMENT = 1000
UNCHANGED = object()  # record_feedback: leave what the tester said about understanding as it was


def create_link(questionnaire: Questionnaire, name: str, today: dt.date) -> CouncilLink:
    """Make a new test-mode link for one questionnaire version."""
    link = CouncilLink(token=secrets.token_urlsafe(24), questionnaire_id=questionnaire.id,
                       version=questionnaire.version, name=name.strip()[:200] or questionnaire.id,
                       created_on=today, active=True)
    db.session.add(link)
    db.session.commit()
    return link


def links(questionnaire_id: str, version: int) -> list[CouncilLink]:
    """Return the test-mode links of a version, newest first."""
    return list(db.session.scalars(select(CouncilLink).filter_by(questionnaire_id=questionnaire_id, version=version)
                                   .order_by(CouncilLink.created_on.desc(), CouncilLink.name)))


def find_link(token: str) -> CouncilLink:
    """Return an open test-mode link, or raise unknown_unit."""
    link = db.session.get(CouncilLink, token)
    if link is None or not link.active:
        raise SurveyError("unknown_unit")
    return link


def close_link(token: str) -> CouncilLink | None:
    """Stop a link from opening test mode (its feedback stays)."""
    link = db.session.get(CouncilLink, token)
    if link is not None:
        link.active = False
        db.session.commit()
    return link


def start_session(questionnaire: Questionnaire, language: str, link: CouncilLink | None, today: dt.date) -> str:
    """Begin one tester's pass (or an editor's preview, without a link); return its id."""
    if language not in questionnaire.languages:
        raise SurveyError("bad_request")
    found = CouncilSession(link_token=link.token if link else None, questionnaire_id=questionnaire.id,
                           version=questionnaire.version, language=language, started_on=today)
    db.session.add(found)
    db.session.commit()
    return found.id


def current_session(session_id: str | None) -> CouncilSession:
    """Return the test session being answered, or raise no_response."""
    found = db.session.get(CouncilSession, session_id) if session_id else None
    if found is None:
        raise SurveyError("no_response")
    return found


def given(found: CouncilSession, question_key: str) -> Given:
    """Return the test answer given to one question so far."""
    rows = db.session.execute(select(CouncilAnswer.option, CouncilAnswer.text)
                              .filter_by(session_id=found.id, question_key=question_key)).all()
    return Given(options=tuple(o for o, _ in rows if o), text=next((t for _, t in rows if t), None))


def record_answer(found: CouncilSession, question_key: str, answer: Given) -> None:
    """Replace the test answer to one question."""
    db.session.execute(delete(CouncilAnswer).filter_by(session_id=found.id, question_key=question_key))
    if answer.text:
        db.session.add(CouncilAnswer(session_id=found.id, question_key=question_key, option="", text=answer.text))
    for option in answer.options:
        db.session.add(CouncilAnswer(session_id=found.id, question_key=question_key, option=option))
    db.session.commit()


def feedback(found: CouncilSession, question_key: str) -> CouncilFeedback | None:
    """Return what the tester said about one question, if anything."""
    return db.session.get(CouncilFeedback, (found.id, question_key))


def record_feedback(found: CouncilSession, question_key: str, wording: str, understood=UNCHANGED,
                    comment: str | None = None) -> None:
    """Store thumbs up/down and an optional comment (cleaned and bounded like a free-text answer)."""
    row = feedback(found, question_key)
    comment = clean_text(comment, MAX_COMMENT) if comment is not None else None
    if row is None:
        if understood is UNCHANGED and not comment:
            return
        row = CouncilFeedback(session_id=found.id, question_key=question_key, understood=None)
        db.session.add(row)
    if understood is not UNCHANGED:
        row.understood = understood
    if comment is not None:
        row.comment = comment or None
    row.wording = wording
    db.session.commit()


def tested_versions(questionnaire_id: str) -> set[int]:
    """Return the versions that have test-mode links or sessions (their numbers are never given again)."""
    links = db.session.scalars(select(CouncilLink.version).filter_by(questionnaire_id=questionnaire_id))
    sessions = db.session.scalars(select(CouncilSession.version).filter_by(questionnaire_id=questionnaire_id))
    return set(links) | set(sessions)


@dataclass
class QuestionFeedback:
    """What testers said about one question of one version."""

    key: str
    text: str
    easy: int = 0
    hard: int = 0
    test_answers: int = 0
    comments: list[tuple[str, bool | None, str]] = field(default_factory=list)  # (language, understood, comment)
    earlier_wording: int = 0  # feedback given while the question read differently


def summary(questionnaire: Questionnaire, lang: str, include_previews: bool = False) -> list[QuestionFeedback]:
    """Summarise the feedback on a version, question by question; comments in alphabetical order."""
    where = [CouncilSession.questionnaire_id == questionnaire.id, CouncilSession.version == questionnaire.version]
    if not include_previews:
        where.append(CouncilSession.link_token.is_not(None))
    rows = db.session.execute(select(CouncilFeedback.question_key, CouncilFeedback.understood, CouncilFeedback.comment,
                                     CouncilFeedback.wording, CouncilSession.language)
                              .join(CouncilSession, CouncilSession.id == CouncilFeedback.session_id)
                              .where(*where)).all()
    answered = db.session.execute(select(CouncilAnswer.question_key, CouncilAnswer.session_id)
                                  .join(CouncilSession, CouncilSession.id == CouncilAnswer.session_id)
                                  .where(*where).distinct()).all()
    found = {q.key: QuestionFeedback(q.key, q.text.get(lang) or next(iter(q.text.values())))
             for q in questionnaire.questions}
    for key, _session in answered:
        if key in found:
            found[key].test_answers += 1
    for key, understood, comment, wording, language in rows:
        item = found.get(key)
        if item is None:
            continue
        item.easy += understood is True
        item.hard += understood is False
        question = questionnaire.question(key)
        item.earlier_wording += wording != question.text.get(language)
        if comment:
            item.comments.append((language, understood, comment))
    for item in found.values():
        item.comments.sort(key=lambda c: c[2].casefold())
    return list(found.values())


def summary_tables(items: list[QuestionFeedback]) -> dict[str, pd.DataFrame]:
    """Return the feedback summary (one row per question) and the comments (one row each), for CSV or Excel."""
    said = {True: "easy", False: "hard", None: ""}
    questions = pd.DataFrame([{"question": i.key, "text": i.text, "easy_to_understand": i.easy,
                               "hard_to_understand": i.hard, "test_answers": i.test_answers,
                               "on_an_earlier_wording": i.earlier_wording,
                               "comments": "\n".join(c for _, _, c in i.comments)} for i in items])
    comments = pd.DataFrame([{"question": i.key, "language": lang, "understood": said[understood], "comment": text}
                             for i in items for lang, understood, text in i.comments],
                            columns=["question", "language", "understood", "comment"])
    return {"feedback": questions, "comments": comments}
