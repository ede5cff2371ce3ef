"""Counting answers in the database (GROUP BY), for the pure scoring in survey/scoring.py."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import String, case, distinct, func, literal, select, union_all

from survey.db import db, frame
from survey.models import Answer, Area, Response, Round, Unit
from survey.questionnaires import DONT_KNOW, Questionnaire

CELL = ["unit_id", "round_id", "sex", "helped"]


@dataclass(frozen=True)
class Counts:
    """Everything scoring needs, counted per unit, round, sex and who helped."""

    options: pd.DataFrame      # CELL + question_key, option, answers
    questions: pd.DataFrame    # CELL + question_key, respondents, completed_respondents
    flags: pd.DataFrame        # CELL + flag, respondents (who gave a valid answer to any of its questions)
    completed: pd.DataFrame    # CELL + completed
    units: pd.DataFrame        # unit_id, unit, area_id, area, service_type
    rounds: pd.DataFrame       # round_id, round, questionnaire_id, opens_on, closes_on


def count(questionnaire: Questionnaire, round_ids: list[str]) -> Counts:
    """Count the answers to one questionnaire in these rounds; the heavy work is GROUP BY in SQL."""
    base = (Response.round_id.in_(round_ids), Response.questionnaire_id == questionnaire.id)
    cell = [Response.unit_id, Response.round_id, Response.sex, Response.helped]
    answered = select().select_from(Answer).join(Response, Response.id == Answer.response_id).where(*base)
    grouped = frame(answered.add_columns(*cell, Response.completed, Answer.question_key, Answer.option, func.count())
                     .group_by(*cell, Response.completed, Answer.question_key, Answer.option),
                     CELL + ["completed", "question_key", "option", "answers"])
    options = grouped[grouped["option"] != ""].groupby(CELL + ["question_key", "option"], dropna=False,
                                                       as_index=False)["answers"].sum()
    questions = _respondents(grouped, questionnaire, answered, cell)
    mapping = _flag_mapping(questionnaire)
    flags = frame(answered.join(mapping, mapping.c.question_key == Answer.question_key)
                   .add_columns(*cell, mapping.c.flag, func.count(distinct(Response.id)))
                   .where(Answer.option != DONT_KNOW).group_by(*cell, mapping.c.flag),
                   CELL + ["flag", "respondents"]) if mapping is not None else \
        pd.DataFrame(columns=CELL + ["flag", "respondents"])
    completed = frame(select(*cell, func.count()).where(*base, Response.completed).group_by(*cell),
                       CELL + ["completed"])
    units = frame(select(Unit.id, Unit.name, Unit.area_id, Area.name, Unit.service_type)
                   .outerjoin(Area, Area.id == Unit.area_id), ["unit_id", "unit", "area_id", "area", "service_type"])
    rounds = frame(select(Round.id, Round.name, Round.questionnaire_id, Round.opens_on, Round.closes_on)
                    .where(Round.id.in_(round_ids)), ["round_id", "round", "questionnaire_id", "opens_on", "closes_on"])
    return Counts(options, questions, flags, completed, units, rounds)


def _respondents(grouped: pd.DataFrame, questionnaire: Questionnaire, answered, cell) -> pd.DataFrame:
    """Respondents per question: one answer row each, except multiple choice, counted DISTINCT in SQL."""
    multiple = [q.key for q in questionnaire.questions if q.type.value == "multiple_choice"]
    single = grouped[~grouped["question_key"].isin(multiple)]
    single = single.assign(completed_answers=single["answers"].where(single["completed"].astype(bool), 0))
    found = single.groupby(CELL + ["question_key"], dropna=False, as_index=False)[["answers", "completed_answers"]].sum()
    found.columns = CELL + ["question_key", "respondents", "completed_respondents"]
    if multiple:
        counted = frame(answered.add_columns(*cell, Answer.question_key, func.count(distinct(Response.id)),
                                              func.count(distinct(case((Response.completed, Response.id)))))
                         .where(Answer.question_key.in_(multiple)).group_by(*cell, Answer.question_key),
                         CELL + ["question_key", "respondents", "completed_respondents"])
        found = pd.concat([found, counted], ignore_index=True)
    return found


def _flag_mapping(questionnaire: Questionnaire):
    """Return the (question_key, flag) pairs of the questionnaire as an inline table, or None."""
    pairs = [(question.key, flag) for question in questionnaire.questions for flag in question.flags]
    if not pairs:
        return None
    rows = [select(literal(key, String).label("question_key"), literal(flag, String).label("flag"))
            for key, flag in pairs]
    return union_all(*rows).cte("flag_map")
