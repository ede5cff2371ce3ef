"""Counting answers in the database (GROUP BY), for the pure scoring in survey/analysis/scoring.py.

Held responses (open-link responses beyond a unit's places, awaiting review) are in no count. Every count is
split by whether the respondent came through a verified channel (a code or tablet mode): figures are shown
only where enough verified respondents stand behind them."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Integer, String, case, distinct, func, literal, select, union_all

from survey.analysis.scoring import CELL, Counts
from survey.db import frame
from survey.db.models import Answer, Area, Pool, Response, Round, Unit
from survey.questionnaires.comparability import Definitions, as_versions
from survey.questionnaires.model import DONT_KNOW, Questionnaire
from survey.respond.store import VERIFIED


def count(definitions: Questionnaire | Definitions, round_ids: list[str]) -> Counts:
    """Count the answers to one questionnaire (any of its versions) in these rounds; the heavy work is GROUP BY in SQL.

    Options and questions are counted per version, and flags through each version's own mapping, so
    every response is scored by the definition it answered."""
    definitions = as_versions(definitions)
    questionnaire_id = next(iter(definitions.values())).id
    base = (Response.round_id.in_(round_ids), Response.questionnaire_id == questionnaire_id,
            Response.held.is_(False))
    verified = case((Response.channel.in_(VERIFIED), True), else_=False)
    cell = [Response.unit_id, Response.round_id, Response.sex, Response.helped, verified]
    versioned = [*cell, Response.questionnaire_version]
    valid = case((Answer.option != DONT_KNOW, Response.id))  # a chosen option, or free text (option "")
    answered = select().select_from(Answer).join(Response, Response.id == Answer.response_id).where(*base)
    options = frame(answered.add_columns(*versioned, Answer.question_key, Answer.option, func.count())
                    .where(Answer.option != "").group_by(*versioned, Answer.question_key, Answer.option),
                    [*CELL, "version", "question_key", "option", "answers"])
    questions = frame(answered.add_columns(*versioned, Answer.question_key, func.count(distinct(Response.id)),
                                           func.count(distinct(valid)))
                      .group_by(*versioned, Answer.question_key),
                      [*CELL, "version", "question_key", "present", "valid_respondents"])
    mapping = _flag_mapping(definitions)
    flag_columns = [*CELL, "flag", "present", "valid_respondents"]
    flags = frame(answered.join(mapping, (mapping.c.question_key == Answer.question_key)
                                & (mapping.c.version == Response.questionnaire_version))
                  .add_columns(*cell, mapping.c.flag, func.count(distinct(Response.id)), func.count(distinct(valid)))
                  .group_by(*cell, mapping.c.flag), flag_columns) if mapping is not None else \
        pd.DataFrame(columns=flag_columns)
    units = frame(select(Unit.id, Unit.name, Unit.area_id, Area.name, Unit.service_type, Unit.pool_id, Pool.name)
                  .outerjoin(Area, Area.id == Unit.area_id).outerjoin(Pool, Pool.id == Unit.pool_id),
                  ["unit_id", "unit", "area_id", "area", "service_type", "pool_id", "pool"])
    rounds = frame(select(Round.id, Round.name, Round.questionnaire_id, Round.opens_on, Round.closes_on)
                   .where(Round.id.in_(round_ids)), ["round_id", "round", "questionnaire_id", "opens_on", "closes_on"])
    return Counts(options, questions, flags, units, rounds)


def _flag_mapping(definitions: Definitions):
    """Return the (version, question_key, flag) triples of every version as an inline table, or None."""
    triples = [(version, question.key, flag) for version, q in definitions.items()
               for question in q.questions for flag in question.flags]
    if not triples:
        return None
    rows = [select(literal(version, Integer).label("version"), literal(key, String).label("question_key"),
                   literal(flag, String).label("flag")) for version, key, flag in triples]
    return union_all(*rows).cte("flag_map")
