"""User councils try the easy-read results page: with demo figures or the newest release's (the organisation's
shown figures only), and say for each part whether it was easy to understand (yes, partly, no).

What testers say is kept in `council_results_feedback`, beside their feedback on questions; the figures shown come
from survey/results/ and are never changed by it."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import pandas as pd
from sqlalchemy import select

from survey.analysis import service as analysis
from survey.council.store import current_session
from survey.db import db
from survey.db.models import CouncilResultsFeedback, CouncilSession, Organisation, ReleaseCell
from survey.questionnaires.model import Questionnaire
from survey.results import choice
from survey.results.easyread import Answer
from survey.web.i18n import text_in

UNDERSTOOD = ("yes", "partly", "no")
FIGURES = ("demo", "release")
# Demo figures, one kind of sentence each: said of few, about n of 10, through another group, too few, a change.
DEMO = ((6, 8, False, "more"), (9, 14, False, None), (3, 5, True, "same"), None, (4, 10, False, "fewer"))


@dataclass
class PartFeedback:
    """What testers said about one part of the results page."""

    part: str
    text: str
    said: dict[str, int] = field(default_factory=lambda: dict.fromkeys(UNDERSTOOD, 0))


def rows(questionnaire: Questionnaire, figures: str, through: str) -> tuple[list[dict], str | None]:
    """Return the page's rows for a questionnaire version, with demo or released figures, and the released round's
    name (None for demo figures)."""
    questions = [q for q in questionnaire.questions if choice.can_go_back(q)]
    shown, round_name = {}, None
    if figures == "release":
        selection = analysis.select_round(questionnaire.id, None)
        if selection is not None and selection.release is not None:
            shown = _organisation(selection)
            round_name = selection.round.name
    found = []
    for i, question in enumerate(questions):
        figure = None
        if figures == "demo" and DEMO[i % len(DEMO)] is not None:
            said, answered, stand_in, changed = DEMO[i % len(DEMO)]  # type: ignore[misc]
            figure = {"answer": Answer(said, answered), "through": through if stand_in else None, "change": changed}
        elif question.key in shown:
            figure = {"answer": shown[question.key], "through": None, "change": None}
        word = " / ".join(text_in(o.text) for o in question.options if o.positive).lower()
        found.append({"question": question, "figure": figure, "word": word, "nobody": False,
                      "questionnaire": questionnaire})
    return found, round_name


def _organisation(selection: analysis.Selection) -> dict[str, Answer]:
    """Return the organisation's shown figure per question of a release."""
    cells = analysis.cells(selection, ReleaseCell.level == "organisation", ReleaseCell.periods == 1,
                           ReleaseCell.kind == "question", ReleaseCell.dimension == "all",
                           ReleaseCell.hidden.is_(False))
    return {row["item"]: Answer(int(row["positive"]), int(row["valid"]))
            for row in analysis.records(cells) if row["valid"]}


def organisation_name() -> str:
    return db.session.scalar(select(Organisation.name)) or ""


def page(questionnaire: Questionnaire, figures: str, demo_names: dict[str, str]) -> dict:
    """Return what results/page.html needs to show the page in test mode."""
    found, round_name = rows(questionnaire, figures, demo_names["through"])
    unit = SimpleNamespace(name=organisation_name() if round_name else demo_names["unit"], slug="")
    selection = SimpleNamespace(round=SimpleNamespace(name=round_name or demo_names["round"]))
    return {"unit": unit, "selection": selection, "actions": {"will": [], "did": []}, "text_in": text_in,
            "sections": [{"questionnaire_id": "user", "selection": selection, "results": found}]}


def given(session_id: str | None) -> dict[str, str]:
    """Return what this tester said so far, per part."""
    if not session_id:
        return {}
    return dict(db.session.execute(select(CouncilResultsFeedback.part, CouncilResultsFeedback.understood)
                                   .where(CouncilResultsFeedback.session_id == session_id)).all())


def record(session_id: str | None, part: str, understood: str, wording: str) -> None:
    """Store (or change) whether a tester understood one part of the page; commit."""
    found = current_session(session_id)
    if understood not in UNDERSTOOD:
        return
    row = db.session.get(CouncilResultsFeedback, (found.id, part))
    if row is None:
        row = CouncilResultsFeedback(session_id=found.id, part=part[:140], understood=understood, wording=wording)
        db.session.add(row)
    row.understood, row.wording = understood, wording
    db.session.commit()


def summary(questionnaire: Questionnaire, lang: str, intro: str) -> list[PartFeedback]:
    """Count, per part of the results page, how many testers of a version said yes, partly and no (previews left
    out)."""
    parts = {"intro": PartFeedback("intro", intro)}
    for question in questionnaire.questions:
        if choice.can_go_back(question):
            key = f"{questionnaire.id}:{question.key}"
            parts[key] = PartFeedback(key, question.text.get(lang) or next(iter(question.text.values())))
    for part, understood in db.session.execute(
            select(CouncilResultsFeedback.part, CouncilResultsFeedback.understood)
            .join(CouncilSession, CouncilSession.id == CouncilResultsFeedback.session_id)
            .where(CouncilSession.questionnaire_id == questionnaire.id,
                   CouncilSession.version == questionnaire.version, CouncilSession.link_token.is_not(None))):
        if part in parts and understood in UNDERSTOOD:
            parts[part].said[understood] += 1
    return list(parts.values())


def summary_table(parts: list[PartFeedback]) -> pd.DataFrame:
    """Return the results-page feedback as a table (one row per part), for the Excel download."""
    return pd.DataFrame([{"part": p.part, "text": p.text, **p.said} for p in parts],
                        columns=["part", "text", *UNDERSTOOD])
