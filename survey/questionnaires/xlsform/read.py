"""XLSForm in, the reading: a workbook's sheets as rows, within bounds, with every problem and warning at its cell.

Nothing is read past the bounds in limits.py, and the workbook is refused before openpyxl opens it if its
zip says it is too large. Columns are read by their canonical names (terms.py); parse.py turns the rows
into questionnaire data."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath
from typing import Any

from openpyxl import load_workbook

from survey.questionnaires.files import Problem
from survey.questionnaires.xlsform import limits
from survey.questionnaires.xlsform.terms import HELPING, MEANING, OURS, Column, column, language_code

SHEETS = ("survey", "choices", "settings")
READ_PER_LANGUAGE = {"label", "spoken", "speech_rate", "media::image", "media::audio", "title", "translated_title"}


class Findings:
    """Problems (or warnings) in the order found: the first MAX_LISTED kept, the rest only counted."""

    def __init__(self) -> None:
        self.listed: list[Problem] = []
        self.unlisted = 0

    def add(self, found: Problem) -> None:
        if len(self.listed) < limits.MAX_LISTED:
            self.listed.append(found)
        else:
            self.unlisted += 1

    def __len__(self) -> int:
        return len(self.listed) + self.unlisted


@dataclass
class Sheet:
    """One sheet as read: its columns by header as written, its non-empty rows, and which columns hold values."""

    title: str
    columns: dict[str, Column]
    languages: dict[str, str] = field(default_factory=dict)  # header -> language code of columns we read
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    filled: set[str] = field(default_factory=set)  # headers with a value in some row
    known: set[str] = field(default_factory=set)  # headers of columns that mean something here (not comments)

    def meaningful(self, row: dict[str, Any]) -> bool:
        """Tell whether a row has a value outside comment columns."""
        return any(h in self.known for h in row)

    @cached_property
    def by_base(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for header, col in self.columns.items():
            found.setdefault(col.base, []).append(header)
        return found

    def headers(self, base: str) -> list[str]:
        """Return the headers of the columns with this canonical name, in sheet order."""
        return self.by_base.get(base, [])

    def get(self, row: dict[str, Any], base: str) -> Any:
        """Return a row's value in the (single) column with this canonical name, or None."""
        return next((row[h] for h in self.headers(base) if h in row), None)


class Workbook:
    """A workbook being read: its sheets, the problems and warnings found, and where each value came from."""

    def __init__(self, file: str, data: bytes, organisation_language: str):
        self.file = file
        self.where: dict[tuple, tuple[str, int | None, str | None]] = {}
        self.problems, self.warnings = Findings(), Findings()
        self.sheets: dict[str, Sheet] = {}
        self.default_language: str | None = organisation_language
        for refused in limits.check_archive(data, file):
            self.problems.add(refused)
        if not self.problems:
            self._open(data)
        if not self.problems:
            self._default_language()
            for name in SHEETS:
                if name in self.sheets:
                    self._languages(self.sheets[name], name)

    def bad(self, sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        """Note a problem at a cell (or row, or sheet): nothing is imported."""
        self.problems.add(Problem(self.file, None, self.place(sheet, row, column), message))

    def warn(self, sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        """Note what was left out or changed at a cell: the draft remembers it."""
        self.warnings.add(Problem(self.file, None, self.place(sheet, row, column), message))

    @staticmethod
    def place(sheet: str | None, row: int | None, column: str | None) -> str:
        """Name a cell (sheet row, column), a row, a sheet, or (without a sheet) the workbook as a whole."""
        if sheet is None:
            return ""
        where = f"{sheet} row {row}" if row else f"sheet '{sheet}'"
        return f"{where}, column {column}" if column else where

    def at(self, loc: tuple, sheet: str, row: int, column: str) -> None:
        self.where[loc] = (sheet, row, column)

    def cell_of(self, loc: tuple) -> tuple | None:
        """Return the cell a value at loc came from (or the nearest one around it)."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.where:
                return self.where[loc[:end]]
        return None

    def _open(self, data: bytes) -> None:
        """Read the sheets we know; note the others. openpyxl raises many kinds of errors on a damaged file."""
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # zip, XML, key and value errors alike: the file cannot be read
            self.problems.add(Problem(self.file, None, "", "is not an Excel workbook (.xlsx) or is damaged: open it "
                                                           "in Excel or LibreOffice, save it as .xlsx and try again"))
            return
        try:
            for sheet in book.worksheets:
                name = sheet.title.strip().lower()
                if name not in SHEETS:
                    self._other_sheet(sheet)
                elif name in self.sheets:
                    self.bad(sheet.title, None, None, f"a second sheet named '{name}': keep one")
                else:
                    read = self._read(sheet, name)
                    if read is None:
                        return
                    self.sheets[name] = read
        except Exception:  # the sheets' XML is read lazily: damage shows here
            self.problems.add(Problem(self.file, None, "", "is damaged: a sheet cannot be read. Open it in Excel "
                                                           "or LibreOffice, save it as .xlsx and try again"))
        finally:
            book.close()

    def _other_sheet(self, sheet) -> None:
        first = next(sheet.iter_rows(max_row=2, max_col=2, values_only=True), ())
        if any(v is not None for v in first):
            self.warn(sheet.title, None, None, "this sheet is not read here (only survey, choices and settings): "
                                               "it was left out")

    def _read(self, sheet, name: str) -> Sheet | None:
        """Read one sheet's rows within the bounds; return None (after saying why) if it is beyond them."""
        claimed_rows, claimed_columns = sheet.max_row or 0, sheet.max_column or 0
        if claimed_rows > limits.MAX_ROWS or claimed_columns > limits.MAX_COLUMNS:
            self.bad(sheet.title, None, None, f"the sheet says it has {claimed_rows} rows and {claimed_columns} "
                                              f"columns; at most {limits.MAX_ROWS} rows and {limits.MAX_COLUMNS} "
                                              "columns are read. Delete the empty rows and columns after your "
                                              "form (or copy the form into a new workbook) and import again")
            return None
        rows = sheet.iter_rows(max_row=limits.MAX_ROWS + 1, max_col=limits.MAX_COLUMNS + 1, values_only=True)
        head = [str(c).strip() if c is not None else "" for c in next(rows, ())]
        if len(head) > limits.MAX_COLUMNS and head[limits.MAX_COLUMNS]:
            self.bad(sheet.title, 1, None, f"more than {limits.MAX_COLUMNS} columns: delete the ones the "
                                           "questionnaire does not need and import again")
            return None
        read = Sheet(sheet.title, self._columns(sheet.title, name, head))
        width = len(head)
        for number, row in enumerate(rows, start=2):
            values = {head[i]: clean for i, value in enumerate(row[:width])
                      if value is not None and head[i] and (clean := _clean(value)) is not None}
            if number > limits.MAX_ROWS and values:
                self.bad(sheet.title, number, None, f"more than {limits.MAX_ROWS} rows: a questionnaire here is "
                                                    "far shorter. Split the form, or delete the rows it does not need")
                return None
            if values:
                read.rows.append((number, values))
                read.filled.update(values)
        return read

    def _columns(self, title: str, name: str, head: list[str]) -> dict[str, Column]:
        double = any("::" in h for h in head)
        found: dict[str, Column] = {}
        for header in head:
            if not header:
                continue
            if header in found:
                self.bad(title, 1, header, "this column is in the sheet twice: keep one")
            found[header] = column(header, name, double)
        return found

    def _default_language(self) -> None:
        """Take the language of columns without one from settings' default_language, else the organisation's."""
        settings = self.sheets.get("settings")
        if settings is None or not settings.rows:
            return
        number, row = settings.rows[0]
        written = settings.get(row, "default_language")
        if written is not None:
            self.default_language = language_code(str(written))
            if self.default_language is None:
                self.warn(settings.title, number, settings.headers("default_language")[0],
                          f"'{written}' is not a language here (Svenska (sv), Norsk bokmål (nb), English (en)): "
                          "columns without a language are left out")

    def _languages(self, sheet: Sheet, name: str) -> None:
        """Give each per-language column we read its language; warn once about every column left out."""
        seen: dict[tuple[str, str | None], str] = {}
        for header, col in sheet.columns.items():
            known = col.base in OURS[name] or col.base in HELPING or col.base in MEANING
            if known:
                sheet.known.add(header)
            elif header in sheet.filled:
                self.warn(sheet.title, 1, header, "this column is not read here: it was left out")
            if col.base not in READ_PER_LANGUAGE or not known:
                continue
            code = language_code(col.language) if col.language else self.default_language
            if code is None:
                if header in sheet.filled:
                    self.warn(sheet.title, 1, header, _unknown_language(col))
                continue
            sheet.languages[header] = code
            if (col.base, code) in seen:
                self.bad(sheet.title, 1, header, f"gives the same as column '{seen[(col.base, code)]}' "
                                                 f"({col.base} in {code}): keep one")
            seen[(col.base, code)] = header


def _unknown_language(col: Column) -> str:
    if col.language is None:
        return "this column has no language, and the form's default_language is not a language here: it was left out"
    return (f"'{col.language}' is not a language here (Svenska (sv), Norsk bokmål (nb), English (en)): the column "
            f"was left out. If it is one of them, write it like {col.base}::Svenska (sv)")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def whole(value: Any) -> Any:
    """Return an int for a whole number (as text or number); anything else as it is, for the parser to refuse."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def picture(value: Any) -> str | None:
    """Read a media::image cell as a pictogram name: decide.svg (or images/decide.png) -> decide."""
    return PurePosixPath(str(value).replace("\\", "/")).stem if value is not None else None
