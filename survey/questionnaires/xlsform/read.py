"""XLSForm in, the reading: a workbook's sheets as rows, its columns and languages, and the cells nobody may use.

Every problem is said with its sheet, row and column; survey/xlsform_import.py turns the rows into a draft."""
from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath
from typing import Any

from openpyxl import load_workbook

from survey.config import LANGUAGES
from survey.questionnaires.files import Problem
from survey.questionnaires.xlsform.write import LANGUAGE_HEADER

PER_LANGUAGE = {"label", "spoken", "speech_rate", "media::audio", "title"}
UNSUPPORTED = {
    "relevant": "conditions are not supported: every question is shown to everyone",
    "constraint": "constraints are not supported", "constraint_message": "constraints are not supported",
    "calculation": "calculations are not supported", "choice_filter": "choice filters are not supported",
    "repeat_count": "repeats are not supported", "default": "default answers are not supported",
    "read_only": "read-only questions are not supported", "trigger": "triggers are not supported",
    "hint": "hints are not supported: put what matters into the question, or into what speech says (spoken::…)",
    "guidance_hint": "hints are not supported", "appearance": "appearances are not supported: every question is "
    "shown the same accessible way", "required": "required answers are not supported: a respondent may always skip",
    "required_message": "required answers are not supported", "parameters": "parameters are not supported",
    "media::video": "videos are not supported", "media::big-image": "big images are not supported",
}
TYPE_MESSAGES = {"begin_group": "groups are not supported: one question per screen",
                 "end_group": "groups are not supported: one question per screen",
                 "begin_repeat": "repeats are not supported", "end_repeat": "repeats are not supported"}
SURVEY_COLUMNS = {"type", "name", "media::image", "flags", "dont_know", "meaning", "question_type", "background"}
CHOICE_COLUMNS = {"list_name", "name", "media::image", "positive"}
SETTINGS_COLUMNS = {"form_id", "version", "form_title", "default_language", "audience"}
TRUE = {"yes", "true", "1", "ja"}


class Workbook:
    """A workbook being read: its rows by sheet, the problems found, and where each value came from."""

    def __init__(self, file: str, data: bytes):
        self.file, self.problems, self.where = file, [], {}
        self.sheets: dict[str, tuple[list[str], list[tuple[int, dict]]]] = {}
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            self.problems.append(Problem(file, None, "", "is not an Excel workbook (.xlsx)"))
            return
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            head = [str(c).strip() if c is not None else "" for c in (rows[0] if rows else ())]
            body = [(n, {h: _clean(v) for h, v in zip(head, row) if h and _clean(v) is not None})
                    for n, row in enumerate(rows[1:], start=2)]
            self.sheets[sheet.title.strip().lower()] = (head, [(n, r) for n, r in body if r])
        book.close()

    def bad(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        where = f"{sheet} row {row}" if row else f"sheet '{sheet}'"
        self.problems.append(Problem(self.file, None, f"{where}, column {column}" if column else where, message))

    def at(self, loc: tuple, sheet: str, row: int, column: str) -> None:
        self.where[loc] = (sheet, row, column)

    def cell_of(self, loc: tuple) -> tuple | None:
        """Return the cell a value at loc came from (or the nearest one around it)."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.where:
                return self.where[loc[:end]]
        return None


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


def split_column(book: Workbook, sheet: str, column: str, default_lang: str | None) -> tuple[str, str | None]:
    """Return (base, language) of a column: label::Svenska (sv) -> (label, sv); plain label -> default language."""
    parts = column.split("::")
    base = "::".join(parts[:2]) if parts[0] == "media" else parts[0]
    rest = parts[2:] if parts[0] == "media" else parts[1:]
    if base not in PER_LANGUAGE:
        return column, None
    if not rest:
        if default_lang is None:
            book.bad(sheet, 1, column, f"say which language, like {base}::Svenska (sv)")
        return base, default_lang
    found = LANGUAGE_HEADER.match("::".join(rest))
    if found is None:
        book.bad(sheet, 1, column, f"write the language as its name and code, like {base}::Svenska (sv)")
        return column, None
    code = found.group("code").strip()
    if code not in LANGUAGES:
        book.bad(sheet, 1, column, f"unknown language '{code}' (supported: {', '.join(LANGUAGES)})")
        return column, None
    return base, code


def columns(book: Workbook, sheet: str, default_lang: str | None) -> dict[str, tuple[str, str | None]]:
    """Return column -> (base, language) for a sheet's header, reporting what cannot be read."""
    head = book.sheets[sheet][0]
    found = {}
    for column in head:
        if not column:
            continue
        base, lang = split_column(book, sheet, column, default_lang)
        if head.count(column) > 1:
            book.bad(sheet, 1, column, "this column is in the sheet twice")
        found[column] = (base, lang)
    return found


def unsupported(book: Workbook, sheet: str, number: int, row: dict, columns: dict, known: set[str]) -> None:
    for column, value in row.items():
        base, lang = columns.get(column, (column, None))
        key = base.split("::")[0] if base.split("::")[0] in UNSUPPORTED else base
        if base in known or (base in PER_LANGUAGE and lang):
            continue
        if key == "required" and str(value).lower() in ("no", "false", "0"):
            continue
        book.bad(sheet, number, column, UNSUPPORTED.get(key, f"the column '{column}' is not supported"))


def truthy(value: Any) -> bool:
    """Read a yes/no cell."""
    return value is True or str(value).strip().lower() in TRUE


def picture(value: Any) -> str | None:
    """Read a media::image cell as a pictogram name: decide.svg (or images/decide.png) -> decide."""
    return PurePosixPath(str(value).replace("\\", "/")).stem if value is not None else None
