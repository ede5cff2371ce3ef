"""XLSForm in (pure): read a workbook (openpyxl) into questionnaire data, or say what is wrong by sheet, row and column.

Everything is checked before anything is kept: the workbook's own structure here, then the same
parser and rules as the YAML files, whose problems are mapped back to the cell they came from.
What a workbook has that we do not: a feature that would change what is asked or what an answer means
stops the import, cell by cell; one that only helps is left out with a warning per cell, which the
draft keeps for the editor to show; a type with no equivalent stops the import unless the person asked
to leave such rows out (then each is a warning). At most limits.MAX_LISTED of each are listed, the rest
counted."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from survey.questionnaires.files import DataFileError, Problem
from survey.questionnaires.model import parse_questionnaire
from survey.questionnaires.xlsform import choices, rows
from survey.questionnaires.xlsform.read import Findings, Workbook, whole
from survey.questionnaires.xlsform.rows import NOTES, Reader
from survey.questionnaires.xlsform.terms import key_for

# What a questionnaire says when its workbook has no intro or thanks note: plain words, in each language.
STANDARD = {
    "intro": {"sv": "Vi vill veta vad du tycker. Du får svara på några frågor. Du kan hoppa över en fråga.",
              "nb": "Vi vil vite hva du synes. Du får svare på noen spørsmål. Du kan hoppe over et spørsmål.",
              "en": "We want to know what you think. You will answer some questions. You can skip a question."},
    "thanks": {"sv": "Tack för dina svar!", "nb": "Takk for svarene dine!", "en": "Thank you for your answers!"},
}
MISSING_LANGUAGE = re.compile(r"language '([a-z]+)'")


@dataclass(frozen=True)
class Imported:
    """A workbook read into questionnaire data: its recordings, and what was left out or changed on the way."""

    raw: dict
    audio: dict[tuple[str, str], bytes]
    warnings: Findings


def read_workbook(data: bytes, file: str, pictograms: set[str], default_language: str = "sv",
                  skip_unsupported: bool = False) -> tuple[dict, Workbook, dict[tuple[str, str], tuple[str, tuple]]]:
    """Read a workbook into questionnaire data; return it, the reader (problems, warnings, cells) and the
    recordings it names. Columns without a language are in default_language unless settings say otherwise."""
    book = Workbook(file, data, default_language)
    if book.problems:
        return {}, book, {}
    if "survey" not in book.sheets:
        book.bad("survey", None, None, "the workbook has no 'survey' sheet: the questions go on a sheet named survey")
        return {}, book, {}
    r = Reader(book, frozenset(pictograms), skip_unsupported)
    raw = _settings(r)
    if not raw["languages"]:
        book.bad("survey", 1, None, "no question text in a language used here: add a label column (label, or "
                                    "label::Svenska (sv), label::Norsk bokmål (nb), label::English (en))")
        return raw, book, r.audio
    lists = choices.lists(r)
    raw["questions"], used = rows.questions(r, raw, lists)
    raw["scales"] = choices.options(r, raw["questions"], lists, used)
    if not raw["questions"] and not book.problems:
        book.bad("survey", None, None, f"there is no question to import (here: {rows.QUESTIONS})")
    for name in NOTES:
        _standard_text(r, raw, name)
    return raw, book, r.audio


def _settings(r: Reader) -> dict:
    """Read the settings sheet (if any): id, version, audience, the title in each language and speech rates."""
    sheet = r.book.sheets.get("settings")
    number, row = sheet.rows[0] if sheet is not None and sheet.rows else (2, {})
    survey = r.book.sheets["survey"]
    languages = [lang for h, lang in survey.languages.items() if survey.columns[h].base == "label"]
    raw: dict[str, Any] = {"id": _form_id(r, row), "version": whole(sheet.get(row, "version") if sheet else None) or 1,
           "audience": (sheet.get(row, "audience") if sheet else None) or "user",
           "languages": list(dict.fromkeys(languages)), "title": {}, "intro": {}, "thanks": {}}
    title = sheet.title if sheet else "settings"
    for loc, base in ((("id",), "form_id"), (("version",), "version"), (("audience",), "audience"),
                      (("title",), "form_title")):
        r.book.at(loc, title, number, ((sheet.headers(base) if sheet else []) or [base])[0])
    label = next((h for h, lang in survey.languages.items() if survey.columns[h].base == "label"), "type")
    r.book.at(("languages",), survey.title, 1, label)
    if sheet is not None:
        _titles(r, raw, number, row)
    _fill_titles(r, raw, number)
    return raw


def _form_id(r: Reader, row: dict) -> str:
    sheet = r.book.sheets.get("settings")
    written = sheet.get(row, "form_id") if sheet is not None else None
    if written is None:
        found = key_for(PurePosixPath(r.book.file).stem) or "form"
        r.book.warn(sheet.title if sheet else None, None, None,
                    f"{'no form_id' if sheet else 'no settings sheet'}: the questionnaire's id is '{found}', "
                    "from the file name")
        return found
    found = key_for(written) or str(written)
    if found != str(written) and sheet is not None:
        r.book.warn(sheet.title, sheet.rows[0][0], sheet.headers("form_id")[0],
                    f"the form_id '{written}' is stored as '{found}' (ids here use lowercase letters a-z, "
                    "digits and _)")
    return found


def _titles(r: Reader, raw: dict, number: int, row: dict) -> None:
    """Read form_title (in the default language) and the title per language (translated_title::…, title::…)."""
    sheet = r.book.sheets["settings"]
    languages = raw["languages"]
    default = r.book.default_language if r.book.default_language in languages else next(iter(languages), None)
    form_title = sheet.get(row, "form_title")
    if default and form_title is not None:
        raw["title"][default] = str(form_title)
        r.book.at(("title", default), sheet.title, number, sheet.headers("form_title")[0])
    for header, lang in sheet.languages.items():
        base = sheet.columns[header].base
        if base in ("title", "translated_title"):
            r.book.at(("title", lang), sheet.title, number, header)
            if header in row:
                raw["title"][lang] = str(row[header])
        elif base == "speech_rate" and header in row:
            raw.setdefault("speech_rate", {})[lang] = whole(row[header])
            r.book.at(("speech_rate", lang), sheet.title, number, header)


def _fill_titles(r: Reader, raw: dict, number: int) -> None:
    """Give the title every language of the form: a title from another language, or the form id, with a warning."""
    missing = [lang for lang in raw["languages"] if not raw["title"].get(lang)]
    if not missing:
        return
    used = next(iter(raw["title"].values()), None) or raw["id"]
    raw["title"].update(dict.fromkeys(missing, used))
    settings = r.book.sheets.get("settings")
    r.book.warn(settings.title if settings else None, number if settings else None,
                next(iter(settings.headers("form_title")), None) if settings else None,
                f"no title in {', '.join(missing)}: '{used}' is used until you change it in the editor")


def _standard_text(r: Reader, raw: dict, name: str) -> None:
    """Without a note named intro (or thanks), use the standard text, and say so."""
    if raw[name] or not raw["languages"]:
        return
    raw[name] = {lang: STANDARD[name][lang] for lang in raw["languages"] if lang in STANDARD[name]}
    what = "introduction" if name == "intro" else "thank-you text"
    r.book.warn(r.book.sheets["survey"].title, None, None,
                f"no note named {name}: the standard {what} is used ('{next(iter(raw[name].values()), '')}') until "
                "you change it in the editor")


def _map_problems(book: Workbook, problems: list[Problem]) -> Findings:
    """Say where in the workbook each of the parser's problems is."""
    found = Findings()
    for problem in problems:
        language = MISSING_LANGUAGE.search(problem.message)
        cell = book.where.get(problem.loc + (language.group(1),)) if language else None
        cell = cell or book.cell_of(problem.loc)
        item = book.place(*cell) if cell else problem.item
        found.add(Problem(book.file, None, item, problem.message, problem.loc))
    return found


def check(raw: dict, book: Workbook, flag_ids: set[str], pictograms: set[str]):
    """Check questionnaire data from a workbook with the files' own rules; return the problems in workbook terms."""
    try:
        return parse_questionnaire(book.file, raw, flag_ids, pictograms), Findings()
    except DataFileError as err:
        return None, _map_problems(book, err.problems)


def parse_workbook(data: bytes, file: str, flag_ids: set[str], pictograms: set[str],
                   find_audio: Callable[[str], bytes | None], check_audio: Callable[[bytes], None],
                   default_language: str = "sv", skip_unsupported: bool = False) -> Imported:
    """Read a workbook into questionnaire data, its recordings and its warnings; raise DataFileError listing
    the problems (at most limits.MAX_LISTED, the rest counted).

    find_audio(name) returns the bytes of a recording the workbook names (or None); check_audio(data) raises
    ValueError saying why a recording cannot be used."""
    raw, book, audio_refs = read_workbook(data, file, pictograms, default_language, skip_unsupported)
    problems = book.problems
    if not problems:
        _parsed, problems = check({**raw, "version": 1}, book, flag_ids, pictograms)
    audio = {}
    for (item, lang), (name, cell) in audio_refs.items():
        sound = find_audio(name)
        where = book.place(*cell)
        if sound is None:
            problems.add(Problem(file, None, where, f"the recording '{name}' was not found: put it beside the "
                                                    "workbook, or choose it together with the workbook"))
            continue
        try:
            check_audio(sound)
            audio[(item, lang)] = sound
        except ValueError as err:
            problems.add(Problem(file, None, where, f"'{name}': {err}"))
    if problems:
        raise DataFileError(problems.listed, problems.unlisted)
    return Imported(raw, audio, book.warnings)
