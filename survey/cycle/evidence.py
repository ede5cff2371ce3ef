"""A flag's evidence at a unit, pool, area or the organisation: the user and the staff questionnaire's released
figures, side by side (the other indicators' figures are in survey/cycle/indicators.py).

Every figure is a released cell read through survey/analysis/service.py; a hidden cell stays hidden, and where a
unit's own figure is hidden the pooled figure that stands in for it (its pool, periods, area) is named instead.
The staff questionnaire's round is the newest released one that opened before the user round closed.
"""
from __future__ import annotations

from dataclasses import dataclass

from survey.analysis import service as analysis
from survey.analysis.service import ReleaseCell
from survey.cycle import indicators, rules
from survey.questionnaires.model import Questionnaire

SOURCES = ("user", "staff")


@dataclass(frozen=True)
class Figure:
    """One questionnaire's released figure for a flag at a unit (own is None: the release has no such cell)."""

    questionnaire: Questionnaire
    selection: analysis.Selection | None  # None: the questionnaire has no released round to show
    informs: bool  # whether any question of the questionnaire informs this flag
    own: dict | None
    stand_in: dict | None  # where own is hidden: the pooled figure shown in its place, with its label

    @property
    def colour(self) -> str | None:
        """Return the colour of the figure shown (own, else the stand-in), or None if none is shown."""
        for cell in (self.own, self.stand_in):
            if cell and not cell["hidden"] and cell["colour"]:
                return cell["colour"]
        return None


def user_selection(round_id: str | None, unit_id: str | None = None) -> analysis.Selection | None:
    """Return the user questionnaire's chosen round (default: the newest released one, of the unit if given)."""
    return analysis.select_round("user", round_id, unit_id)


def paired(questionnaire_id: str, user: analysis.Selection | None) -> analysis.Selection | None:
    """Return the questionnaire's newest released round that opened before the user round closed."""
    for candidate in analysis.rounds_for(questionnaire_id):
        if user is not None and candidate.opens_on > user.round.closes_on:
            continue
        selection = analysis.select_round(questionnaire_id, candidate.id)
        if selection is not None and selection.release is not None:
            return selection
    return None


def _unshown(selection: analysis.Selection | None, questionnaire_id: str, flag_id: str) -> Figure | None:
    questionnaire = selection.questionnaire if selection else analysis.library().questionnaires[questionnaire_id]
    informs = flag_id in analysis.informed_flags(questionnaire)
    if selection is None or selection.release is None or not informs:
        return Figure(questionnaire, selection if selection and selection.release else None, informs, None, None)
    return None


def _cell(selection: analysis.Selection, level: str, group_id: str, flag_id: str) -> dict | None:
    found = analysis.records(analysis.cells(
        selection, ReleaseCell.level == level, ReleaseCell.group_id == group_id, ReleaseCell.kind == "flag",
        ReleaseCell.item == flag_id, ReleaseCell.dimension == "all", ReleaseCell.periods == 1))
    return found[0] if found else None


def figure(selection: analysis.Selection | None, questionnaire_id: str, unit_id: str, flag_id: str) -> Figure:
    """Return one questionnaire's released figure for a flag at a unit, and its pooled stand-in if hidden."""
    unshown = _unshown(selection, questionnaire_id, flag_id)
    if unshown is not None:
        return unshown
    assert selection is not None  # _unshown answers whenever nothing is released
    own = _cell(selection, "unit", unit_id, flag_id)
    stand_in = None
    if own is not None and own["hidden"]:
        pooled = analysis.ladder(selection, unit_id).get(("flag", flag_id))
        stand_in = pooled if pooled and pooled["step"] > 0 else None
    return Figure(selection.questionnaire, selection, True, own, stand_in)


def group_figure(selection: analysis.Selection | None, questionnaire_id: str, level: str, group_id: str,
                 flag_id: str) -> Figure:
    """Return one questionnaire's released figure for a flag at a pool, area or the organisation ("all"); a
    hidden cell stays hidden, with nothing in its place."""
    unshown = _unshown(selection, questionnaire_id, flag_id)
    if unshown is not None:
        return unshown
    assert selection is not None  # _unshown answers whenever nothing is released
    return Figure(selection.questionnaire, selection, True, _cell(selection, level, group_id, flag_id), None)


def flag_evidence(unit_id: str, flag_id: str, round_id: str | None) -> list[Figure]:
    """Return the user and the staff questionnaire's figures for a flag at a unit, user round chosen by id."""
    user = user_selection(round_id, unit_id)
    chosen = {"user": user if user and user.release else None, "staff": paired("staff", user)}
    return [figure(chosen[source], source, unit_id, flag_id) for source in SOURCES
            if source in analysis.library().questionnaires]


def group_evidence(level: str, group_id: str, flag_id: str, round_id: str | None) -> list[Figure]:
    """Return the user and the staff questionnaire's figures for a flag at a pool, area or the organisation."""
    user = user_selection(round_id)
    chosen = {"user": user if user and user.release else None, "staff": paired("staff", user)}
    return [group_figure(chosen[source], source, level, group_id, flag_id) for source in SOURCES
            if source in analysis.library().questionnaires]


def suggestion(figures: list[Figure], measured: list[indicators.Figure] | None = None) -> str:
    """Return the verdict the shown figures and the indicators' newest values suggest (people decide)."""
    return rules.suggested_verdict([f.colour for f in figures] + indicators.newest_colours(measured or []))
