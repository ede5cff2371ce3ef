"""Results for analysts: fetch the rounds, count in SQL, score and suppress; the one way to get figures."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from flask import current_app
from sqlalchemy import case, func, select

from survey.analysis import counting as results
from survey.analysis import exports, scoring
from survey.db import db, frame
from survey.db.models import Response, Round
from survey.questionnaires import comparability, library
from survey.questionnaires.model import Questionnaire
from survey.questionnaires.quality import QualityModel

KEY_NO_ROUND = [k for k in scoring.KEY if k != "round_id"]


@dataclass(frozen=True)
class Selection:
    """What an analyst looks at: one questionnaire in one round (and the round before, to compare).

    `questionnaire` is the newest version answered in the round; `definitions` holds every version
    responses can have answered, so each response is scored by its own."""

    questionnaire: Questionnaire
    round: Round
    previous: Round | None
    definitions: dict[int, Questionnaire] = field(default_factory=dict)
    answered: tuple[int, ...] = ()           # versions answered in the round
    previous_answered: tuple[int, ...] = ()  # versions answered in the round before

    def since(self, kind: str, item: str) -> int | None:
        """Return the oldest version from which this question or flag is comparable with the one shown."""
        return comparability.comparable_since(self.definitions, kind, item, self.questionnaire.version)



def quality_model() -> QualityModel:
    return library().quality_model


def rounds_for(questionnaire_id: str) -> list[Round]:
    """Return the rounds of a questionnaire, newest first."""
    return list(db.session.scalars(select(Round).where(Round.questionnaire_id == questionnaire_id)
                                   .order_by(Round.opens_on.desc(), Round.name)))


def select_round(questionnaire_id: str | None, round_id: str | None) -> Selection | None:
    """Resolve the analyst's choice, defaulting to the user questionnaire's newest round."""
    current = library().questionnaires.get(questionnaire_id or "user") or next(iter(library().questionnaires.values()))
    rounds = rounds_for(current.id)
    chosen = next((r for r in rounds if r.id == round_id), rounds[0] if rounds else None)
    if chosen is None:
        return None
    earlier = [r for r in rounds if r.closes_on < chosen.opens_on]
    previous = earlier[0] if earlier else None
    definitions = library().answered_versions(current.id)
    answered = answered_versions(chosen)
    shown = definitions.get(max(answered)) if answered else current
    return Selection(shown or current, chosen, previous, definitions, answered,
                     answered_versions(previous) if previous else ())


def answered_versions(survey_round: Round) -> tuple[int, ...]:
    """Return the questionnaire versions the responses of a round answered."""
    return tuple(sorted(db.session.scalars(select(Response.questionnaire_version).distinct()
                                           .where(Response.round_id == survey_round.id))))


def figures(selection: Selection, compare: bool = True) -> scoring.Results:
    """Return the suppressed results of the chosen round, and of the one before when compare (for change)."""
    round_ids = [selection.round.id] + ([selection.previous.id] if selection.previous and compare else [])
    definitions = selection.definitions or selection.questionnaire
    counts = results.count(definitions, round_ids)
    return scoring.score(counts, definitions, quality_model(), current_app.config["MIN_GROUP_SIZE"])


def aggregate_table(selection: Selection, lang: str) -> pd.DataFrame:
    """Return every published cell of the chosen round as the export table (pages, API and command line)."""
    scored = figures(selection, compare=False)
    return exports.aggregate_table(scored, selection.questionnaire, quality_model(),
                                   {selection.round.id: selection.round.name}, lang, selection.since)


def with_change(scored: scoring.Results, selection: Selection) -> pd.DataFrame:
    """Return the chosen round's cells with the change in share since the previous round, where both are shown
    and the question or flag means the same in every version the two rounds answered."""
    cells = scored.cells
    now = cells[cells["round_id"] == selection.round.id]
    if selection.previous is None:
        return now.assign(change=float("nan"))
    before = cells.loc[cells["round_id"] == selection.previous.id, KEY_NO_ROUND + ["share"]]
    merged = now.merge(before.rename(columns={"share": "previous_share"}), on=KEY_NO_ROUND, how="left")
    versions = set(selection.answered) | set(selection.previous_answered)
    same = {(kind, item): comparability.comparable(selection.definitions, kind, item, versions)
            for kind, item in set(zip(merged["kind"], merged["item"]))} if selection.definitions else {}
    alike = [same.get((kind, item), True) for kind, item in zip(merged["kind"], merged["item"])]
    change = (merged["share"] - merged["previous_share"]).where(pd.Series(alike, index=merged.index))
    return merged.assign(change=change).drop(columns="previous_share")


def group_name(level: str, group_id: str) -> str | None:
    """Return the name of a unit or group, or None if there is no such group."""
    from survey.db.models import Area, Unit
    from survey.staff.organisation import SERVICE_TYPES
    if level == "unit":
        return db.session.scalar(select(Unit.name).where(Unit.id == group_id))
    if level == "area":
        return db.session.scalar(select(Area.name).where(Area.id == group_id))
    if level == "service_type":
        return group_id.replace("_", " ") if group_id in SERVICE_TYPES else None
    return "all" if level == "organisation" and group_id == "all" else None


def unit_ids_of_type(service_type: str) -> set[str]:
    """Return the ids of the units of one service type."""
    from survey.db.models import Unit
    return set(db.session.scalars(select(Unit.id).where(Unit.service_type == service_type)))


def informed_flags(questionnaire: Questionnaire) -> set[str]:
    return {flag for question in questionnaire.questions for flag in question.flags}


def distribution(scored: scoring.Results, selection: Selection, level: str, group_id: str) -> dict:
    """Return (question key, option) -> answers for one group in the chosen round (shown cells only)."""
    options = scored.options
    options = options[(options["round_id"] == selection.round.id) & (options["level"] == level)
                      & (options["group_id"] == group_id) & (options["dimension"] == "all")]
    return {(row["item"], row["option"]): int(row["answers"]) for row in options.to_dict("records")}


def records(frame: pd.DataFrame) -> list[dict]:
    """Return rows as dicts, with None where a figure is missing or hidden (never NaN)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _share(cells: pd.DataFrame, level: str, group_id: str, dimension: str, category: str) -> dict:
    rows = cells[(cells["level"] == level) & (cells["group_id"] == group_id) & (cells["dimension"] == dimension)
                 & (cells["category"] == category)]
    return {(row["kind"], row["item"]): row for row in records(rows)}


def profile(cells: pd.DataFrame, level: str, group_id: str, questionnaire: Questionnaire, kind: str = "flag",
            items: list[str] | None = None) -> list[dict]:
    """Return one row per flag (or question): the group's figures beside the organisation and breakdowns."""
    lookups = {"own": _share(cells, level, group_id, "all", "all"),
               "organisation": _share(cells, "organisation", "all", "all", "all")}
    for dimension, categories in scoring.DIMENSIONS.items():
        for category in categories if dimension != "all" else ():
            lookups[category] = _share(cells, level, group_id, dimension, category)
    if kind == "flag":
        informed = informed_flags(questionnaire)
        order = [(area, flag.id) for area, flag in quality_model().flags() if flag.id in informed]
    else:
        order = [(None, key) for key in items or []]
    found = []
    for area, item in order:
        row = {"area": area, "item": item}
        for name, lookup in lookups.items():
            row[name] = lookup.get((kind, item))
        found.append(row)
    return found


def free_texts(selection: Selection, cells: pd.DataFrame, level: str, group_id: str) -> dict[str, list[str]]:
    """Return the free-text answers of a group, per question, only where that cell is shown."""
    from survey.db.models import Answer, Response, Unit
    shown = cells[(cells["level"] == level) & (cells["group_id"] == group_id) & (cells["dimension"] == "all")
                  & (cells["kind"] == "question") & ~cells["hidden"] & (cells["n"] > 0)]
    keys = [q.key for q in selection.questionnaire.questions
            if q.type.value == "free_text" and q.key in set(shown["item"])]
    if not keys:
        return {}
    query = (select(Answer.question_key, Answer.text).join(Response, Response.id == Answer.response_id)
             .join(Unit, Unit.id == Response.unit_id)
             .where(Response.round_id == selection.round.id, Response.questionnaire_id == selection.questionnaire.id,
                    Answer.question_key.in_(keys), Answer.text.is_not(None))
             .order_by(Answer.text))  # alphabetical: never the order they were given in
    column = {"unit": Unit.id, "area": Unit.area_id, "service_type": Unit.service_type}.get(level)
    if column is not None:
        query = query.where(column == group_id)
    texts: dict[str, list[str]] = {}
    for key, text in db.session.execute(query):
        texts.setdefault(key, []).append(text)
    return texts


# A response's answers travel from SQL as one string: "key<US>value<RS>key<US>value...". Answers never hold
# these two control characters (answers.clean_text strips them from free text; option keys are identifiers).
_PAIR, _NEXT = "\x1f", "\x1e"


def microdata(selection: Selection, include_free_text: bool) -> pd.DataFrame:
    """One row per response, one column per question; units under the threshold and free text left out.

    No id, date, time, language or channel: nothing in a row says who answered or when.
    Rows come in random order, never the order the answers were given in.
    """
    from survey.db.models import Answer, Area, Response, Unit
    threshold = current_app.config["MIN_GROUP_SIZE"]
    keys = [q.key for q in selection.questionnaire.questions if not q.background
            and (include_free_text or q.type.value != "free_text")]
    # All of a response's answers come in one string, from one aggregate per response (several times faster
    # than a conditional aggregate per question). Free text is an answer without an option: unless asked for,
    # it is never read.
    if include_free_text:
        value, which = case((Answer.option == "", Answer.text), else_=Answer.option), ()
    else:
        value, which = Answer.option, (Answer.option != "",)
    packed = (select(func.aggregate_strings(Answer.question_key + _PAIR + value, _NEXT))
              .where(Answer.response_id == Response.id, *which).scalar_subquery())
    table = frame(select(Unit.id, Unit.name, Area.name, Unit.service_type, Response.questionnaire_version,
                         Response.sex, Response.helped, Response.completed, packed)
                  .join(Unit, Unit.id == Response.unit_id).outerjoin(Area, Area.id == Unit.area_id)
                  .where(Response.round_id == selection.round.id,
                         Response.questionnaire_id == selection.questionnaire.id),
                  ["unit_id", "unit", "area", "service_type", "version", "sex", "helped", "completed", "answers"],
                  jit=False)  # one small aggregate per response: compiling it cost 0.2 s of 0.5 s
    # Units under the threshold (counted by id: two units may share a name) go first, then the rows are shuffled,
    # so the answers are unpacked once, straight into their final order.
    table = table[table.groupby("unit_id")["unit_id"].transform("size") >= threshold]
    table = table.sample(frac=1).drop(columns="unit_id").reset_index(drop=True)
    table.insert(0, "round", selection.round.name)
    # Columns for the questions of the version shown (answers to questions it no longer has are left out).
    answers = pd.DataFrame([_unpack(packed) for packed in table.pop("answers")], columns=keys, index=table.index)
    return pd.concat([table, answers], axis=1)


def _unpack(packed: str | None) -> dict[str, str]:
    """Return question key -> answer from one packed string; several options of one question joined by ";"."""
    if not packed:
        return {}
    parts = packed.replace(_NEXT, _PAIR).split(_PAIR)  # key, answer, key, answer, ...
    found = dict(zip(parts[::2], parts[1::2]))
    if 2 * len(found) < len(parts):  # a multiple-choice question: its options in a steady order
        chosen: dict[str, list[str]] = {}
        for key, option in zip(parts[::2], parts[1::2]):
            chosen.setdefault(key, []).append(option)
        found = {key: ";".join(sorted(options)) for key, options in chosen.items()}
    return found
