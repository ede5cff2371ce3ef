"""Microdata as a release of its own (pure): one row per respondent, holding only what the released cells show.

A row names its unit and at most one breakdown (sex, or who helped). A question's value in a row is left blank
wherever the release hides the unit's cell for that question, overall or in the row's category, so the rows
imply no figure the aggregates hide: the hidden pattern is the audited one, and the rows add only how answers
go together. A row with nothing left to show is left out (no row for a hidden group). There is no id, date,
version, language or channel, and the rows come in random order. Questions whose definition changed within the
round are left out (their values would tell who answered before the new version). Free text only when asked for,
blanked like any other answer.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

BREAKDOWNS = ("sex", "help")  # at most one is kept: a cross of both would make cells the release never audited
BLANK = ""


@dataclass(frozen=True)
class Microdata:
    """The rows, and what was chosen."""

    table: pd.DataFrame
    breakdown: str | None  # "sex", "help" or None
    blanked: int           # values left blank because their cell is hidden
    left_out: int          # respondents with nothing left to show


def build(rows: pd.DataFrame, questions: list[str], hidden: set[tuple[str, str, str, str]],
          seed: int | None = None) -> Microdata:
    """Return the microdata of a release from one row per respondent.

    rows: unit_id, unit, area, service_type, sex, help (categories as in scoring) and one column per question;
    hidden: (unit_id, item, dimension, category) of every hidden question cell at unit level."""
    best: Microdata | None = None
    for breakdown in (*BREAKDOWNS, None):
        candidate = _blank(rows, questions, hidden, breakdown)
        if best is None or candidate.blanked < best.blanked:  # the breakdown that shows the most answers
            best = candidate
    assert best is not None
    shuffled = best.table.sample(frac=1, random_state=seed).reset_index(drop=True)
    return Microdata(shuffled, best.breakdown, best.blanked, best.left_out)


def _blank(rows: pd.DataFrame, questions: list[str], hidden: set, breakdown: str | None) -> Microdata:
    """Blank every value whose unit cell (overall, or in the row's category of the breakdown) is hidden."""
    table = rows[["unit_id", "unit", "area", "service_type"] + ([breakdown] if breakdown else [])].copy()
    blanked = 0
    shown_any = np.zeros(len(rows), dtype=bool)
    for question in questions:
        column = rows[question]
        values = column.astype(object).where(column.notna(), BLANK).astype(str).to_numpy()
        keep = np.array([(unit, question, "all", "all") not in hidden for unit in rows["unit_id"]], dtype=bool)
        if breakdown:
            keep &= np.array([(unit, question, breakdown, category) not in hidden
                              for unit, category in zip(rows["unit_id"], rows[breakdown])], dtype=bool)
        answered = values != BLANK
        blanked += int((answered & ~keep).sum())
        table[question] = np.where(keep, values, BLANK)
        shown_any |= keep & answered
    return Microdata(table[shown_any], breakdown, blanked, int((~shown_any).sum()))
