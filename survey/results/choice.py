"""Which questions a unit gives back to its users on the easy-read page and poster: chosen by the unit's staff,
from the user questionnaire (the default) and the staff questionnaire. Stored in `results_choice`, one commit."""
from __future__ import annotations

import datetime as dt

from survey.db import db
from survey.db.models import ResultsChoice
from survey.questionnaires import library
from survey.questionnaires.model import Question, Questionnaire

QUESTIONNAIRES = ("user", "staff")  # the user questionnaire first: its questions are the default


def can_go_back(question: Question) -> bool:
    """Tell whether a question's answers can be said as "7 of 10 said yes": a choice with a positive answer that
    is not a background question."""
    return question.is_choice and not question.background and any(o.positive for o in question.options)


def choosable() -> list[tuple[Questionnaire, list[Question]]]:
    """Return, per published questionnaire that can be given back, the questions a unit may choose."""
    found = []
    for questionnaire_id in QUESTIONNAIRES:
        questionnaire = library().published(questionnaire_id)
        if questionnaire is not None:
            found.append((questionnaire, [q for q in questionnaire.questions if can_go_back(q)]))
    return found


def default() -> list[str]:
    """Return what a unit shows before its staff choose: every question of the user questionnaire."""
    return [f"{q.id}:{question.key}" for q, questions in choosable() if q.id == QUESTIONNAIRES[0]
            for question in questions]


def chosen(unit_id: str) -> list[str]:
    """Return the questions ("QUESTIONNAIRE:KEY") a unit shows, as chosen or by default."""
    row = db.session.get(ResultsChoice, unit_id)
    return list(row.questions) if row is not None else default()


def choose(unit_id: str, picked: list[str], today: dt.date) -> list[str]:
    """Store the questions a unit shows (unknown ones left out, in the questionnaires' order); commit."""
    known = [f"{q.id}:{question.key}" for q, questions in choosable() for question in questions]
    questions = [key for key in known if key in set(picked)]
    row = db.session.get(ResultsChoice, unit_id)
    if row is None:
        row = ResultsChoice(unit_id=unit_id, questions=questions, chosen_on=today)
        db.session.add(row)
    row.questions, row.chosen_on = questions, today
    db.session.commit()
    return questions
