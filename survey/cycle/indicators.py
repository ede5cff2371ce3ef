"""The quality model's other indicators at units: values entered by staff or imported from CSV, and their figures.

An indicator (questionnaires/quality_model.yaml) is a count of a denominator about a unit's work, for a period. A
CSV file (columns unit, indicator, period, count, denominator; measured_by and note optional; comma or semicolon)
is saved whole or not at all: every bad row is named by file, row, column and problem, and nothing of it is saved.
A value is never changed: a corrected figure is a new row, and the newest entered per unit and period counts.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from survey.cycle import rules
from survey.cycle.store import now
from survey.db import db
from survey.db.models import IndicatorValue
from survey.questionnaires.quality import Indicator, QualityModel

CSV_COLUMNS = ("unit", "indicator", "period", "count", "denominator")
OPTIONAL_COLUMNS = ("measured_by", "note")
MAX_ROWS = 5000
# What can be wrong, by code (pages show each in the reader's language: survey/cycle/forms.py IMPORT_PROBLEMS).
PROBLEMS = {
    "missing_column": "the column is missing",
    "unknown_column": "unknown column (the columns are {columns}, and optionally {optional})",
    "too_many_rows": "a file may have at most {most} rows",
    "no_rows": "the file has no rows of values",
    "not_utf8": "the file is not UTF-8 text: save it as CSV UTF-8",
    "same_as": "the same unit, indicator and period as row {row}",
    "unknown_unit": "no unit '{unit}' that you may work on (write the unit's link name, such as bjorken)",
    "not_whole": "'{written}' is not a whole number, such as 14",
    "unknown_indicator": "unknown indicator '{indicator}' (one of {known})",
    "period": "give the period, such as 2026 or 2026-Q3 (at most 40 characters)",
    "count_missing": "a count needs both the number and what it is out of",
    "not_a_count": "{count} of {denominator} is not a count: it must be between 0 and a denominator of 1 or more",
    "measured_by": "say who measured it, by role (at most 200 characters)",
    "personal": "the text looks like it holds a personal identity number: write about the unit's work, never "
                "about one person",
}


@dataclass(frozen=True)
class NewValue:
    """An indicator's count of its denominator at a unit for a period, as staff give it."""

    unit_id: str
    indicator_id: str
    period: str
    count: int | None
    denominator: int | None
    measured_by: str
    note: str = ""


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell of an imported file, said so staff can find and fix it."""

    file: str
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    code: str  # a key of PROBLEMS
    params: tuple[tuple[str, str], ...] = ()

    @property
    def problem(self) -> str:
        """Return what is wrong, in English (pages translate it by code)."""
        return PROBLEMS[self.code].format(**dict(self.params))

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, column {self.column}: {self.problem}"


class ImportRefused(rules.CycleError):
    """A file with bad rows: nothing of it is saved; problems name each one."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:20]))
        self.problems = problems


Said = tuple[str, str, dict]  # column, code of the problem, its parameters


def value_problems(new: NewValue, model: QualityModel) -> list[Said]:
    """Return (column, problem code, parameters) for each thing wrong with a value; none if it can be saved."""
    problems: list[Said] = []
    if model.indicator(new.indicator_id) is None:
        problems.append(("indicator", "unknown_indicator", {"indicator": new.indicator_id,
                                                            "known": ", ".join(i.id for i in model.indicators)}))
    if not new.period.strip() or len(new.period.strip()) > 40:
        problems.append(("period", "period", {}))
    if new.count is None or new.denominator is None:
        problems.append(("count" if new.count is None else "denominator", "count_missing", {}))
    elif new.denominator < 1 or not 0 <= new.count <= new.denominator:
        problems.append(("denominator" if new.denominator < 1 else "count", "not_a_count",
                         {"count": str(new.count), "denominator": str(new.denominator)}))
    if not new.measured_by.strip() or len(new.measured_by) > 200:
        problems.append(("measured_by", "measured_by", {}))
    if rules.looks_like_personal_number(new.note):
        problems.append(("note", "personal", {}))
    return problems


def _problem(file_name: str, row: int, said: Said) -> Problem:
    column, code, params = said
    return Problem(file_name, row, column, code, tuple(params.items()))


def _row(new: NewValue, imported_from: str = "") -> IndicatorValue:
    return IndicatorValue(unit_id=new.unit_id, indicator_id=new.indicator_id, period=new.period.strip(),
                          count=new.count, denominator=new.denominator, measured_by=new.measured_by.strip(),
                          note=new.note.strip(), imported_from=imported_from, created_at=now())


def add_value(new: NewValue, model: QualityModel) -> IndicatorValue:
    """Store one indicator value and commit; raise CycleError for what is refused."""
    problems = value_problems(new, model)
    if problems:
        raise rules.CycleError(_problem("", 0, problems[0]).problem)
    row = _row(new)
    db.session.add(row)
    db.session.commit()
    return row


def _whole(written: str) -> int | None:
    written = written.strip().replace("\u00a0", "").replace(" ", "")
    return int(written) if written.isascii() and written.isdigit() else None


def parse_csv(file_name: str, text: str, units: dict[str, str], model: QualityModel) -> tuple[list[NewValue],
                                                                                              list[Problem]]:
    """Read a CSV file of indicator values; units maps the slugs this account may work on to unit ids."""
    lines = text.splitlines()
    delimiter = ";" if lines and lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    problems = [Problem(file_name, 1, column, "missing_column") for column in CSV_COLUMNS if column not in header]
    known = (("columns", ", ".join(CSV_COLUMNS)), ("optional", ", ".join(OPTIONAL_COLUMNS)))
    problems += [Problem(file_name, 1, column, "unknown_column", known)
                 for column in header if column not in CSV_COLUMNS + OPTIONAL_COLUMNS]
    if problems:
        return [], problems
    found: list[NewValue] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, raw in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            return [], [Problem(file_name, number, "unit", "too_many_rows", (("most", str(MAX_ROWS)),))]
        cells = {name: (value or "").strip() for name, value in raw.items() if name is not None}
        if not any(cells.values()):
            continue
        row_problems, new = _parse_row(cells, units, model)
        problems += [_problem(file_name, number, said) for said in row_problems]
        key = (cells.get("unit", ""), cells.get("indicator", ""), cells.get("period", ""))
        if key in seen:
            problems.append(Problem(file_name, number, "period", "same_as", (("row", str(seen[key])),)))
        seen.setdefault(key, number)
        if new is not None:
            found.append(new)
    if not found and not problems:
        problems.append(Problem(file_name, 2, "unit", "no_rows"))
    return found, problems


def _parse_row(cells: dict[str, str], units: dict[str, str], model: QualityModel):
    problems: list[Said] = []
    unit_id = units.get(cells["unit"])
    if unit_id is None:
        problems.append(("unit", "unknown_unit", {"unit": cells["unit"]}))
    numbers = {column: _whole(cells[column]) for column in ("count", "denominator")}
    unreadable = [column for column, number in numbers.items() if number is None]
    problems += [(column, "not_whole", {"written": cells[column]}) for column in unreadable]
    indicator = model.indicator(cells["indicator"])
    measured_by = cells.get("measured_by") or (default_measured_by(indicator) if indicator else "-")
    new = NewValue(unit_id or "", cells["indicator"], cells["period"], numbers["count"], numbers["denominator"],
                   measured_by, cells.get("note", ""))
    problems += [said for said in value_problems(new, model)
                 if not (unreadable and said[0] in ("count", "denominator"))]
    return problems, None if problems else new


def default_measured_by(indicator: Indicator) -> str:
    """Return who measures an indicator as the model names it (Swedish first)."""
    return indicator.measured_by.get("sv") or next(iter(indicator.measured_by.values()), "")


def import_csv(file_name: str, data: bytes, units: dict[str, str], model: QualityModel) -> list[IndicatorValue]:
    """Save every row of a CSV file in one commit, or none: raise ImportRefused naming each bad row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([Problem(file_name, 1, "unit", "not_utf8")]) from None
    found, problems = parse_csv(file_name, text, units, model)
    if problems:
        raise ImportRefused(problems)
    rows = [_row(new, file_name[:200]) for new in found]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def values(unit_ids: Iterable[str], indicator_ids: Iterable[str] | None = None) -> list[IndicatorValue]:
    """Return the indicator values of these units (of these indicators, or all), newest entered first."""
    query = select(IndicatorValue).where(IndicatorValue.unit_id.in_(list(unit_ids)))
    if indicator_ids is not None:
        query = query.where(IndicatorValue.indicator_id.in_(list(indicator_ids)))
    return list(db.session.scalars(query.order_by(IndicatorValue.created_at.desc())))


@dataclass(frozen=True)
class Figure:
    """An indicator's value for a period, summed over the units of a group (one unit: its own value)."""

    indicator: Indicator
    period: str
    count: int
    denominator: int
    units: int
    colour: str

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.denominator)


def figures(model: QualityModel, flag_id: str, unit_ids: list[str]) -> list[Figure]:
    """Return each indicator feeding a flag per period (newest first), from each unit's newest value."""
    return summed(model, model.indicators_for(flag_id), unit_ids)


def summed(model: QualityModel, feeding: Iterable[Indicator], unit_ids: list[str]) -> list[Figure]:
    """Return these indicators per period (newest first), summed over the units from each one's newest value."""
    feeding = list(feeding)
    newest: dict[tuple[str, str, str], IndicatorValue] = {}
    for row in values(unit_ids, [i.id for i in feeding]):
        newest.setdefault((row.indicator_id, row.period, row.unit_id), row)
    shown = []
    for indicator in feeding:
        periods = sorted({period for (i, period, _) in newest if i == indicator.id}, reverse=True)
        for period in periods:
            rows = [row for (i, p, _), row in newest.items() if i == indicator.id and p == period]
            count, denominator = sum(r.count for r in rows), sum(r.denominator for r in rows)
            colour = model.thresholds_for(indicator).colour(indicator.good_share(count, denominator))
            shown.append(Figure(indicator, period, count, denominator, len(rows), colour))
    return shown


def newest_colours(shown: list[Figure]) -> list[str]:
    """Return the colour of each indicator's newest period (what a suggested verdict reads)."""
    colours: dict[str, str] = {}
    for figure in shown:
        colours.setdefault(figure.indicator.id, figure.colour)
    return list(colours.values())
