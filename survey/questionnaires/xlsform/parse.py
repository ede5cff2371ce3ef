"""XLSForm in (pure): read a workbook (openpyxl) into questionnaire data, or say what is wrong by sheet, row and column.

Everything is checked before anything is kept: the workbook's own structure here, then the same
parser and rules as the YAML files, whose problems are mapped back to the cell they came from.
XLSForm features we do not support are reported cell by cell, never dropped."""
from __future__ import annotations

import re
from collections.abc import Callable

from survey.questionnaires.files import DataFileError, Problem
from survey.questionnaires.model import parse_questionnaire
from survey.questionnaires.xlsform.read import (
    CHOICE_COLUMNS,
    SETTINGS_COLUMNS,
    SURVEY_COLUMNS,
    TYPE_MESSAGES,
    Workbook,
    columns,
    picture,
    truthy,
    unsupported,
    whole,
)
from survey.questionnaires.xlsform.write import LANGUAGE_HEADER, NOTES


def read_workbook(data: bytes, file: str) -> tuple[dict, Workbook, dict[tuple[str, str], tuple[str, tuple]]]:
    """Read a workbook into questionnaire data; return it, the reader (problems, cells) and the recordings it names."""
    book = Workbook(file, data)
    if book.problems:
        return {}, book, {}
    for sheet in ("survey", "choices", "settings"):
        if sheet not in book.sheets:
            book.bad(sheet, None, None, f"the workbook has no '{sheet}' sheet")
    if book.problems:
        return {}, book, {}
    settings = dict(book.sheets["settings"][1][0][1]) if book.sheets["settings"][1] else {}
    default = LANGUAGE_HEADER.match(str(settings.get("default_language", "")))
    default_lang = (default.group("code") if default else settings.get("default_language")) or None
    raw, audio = _settings(book, settings, default_lang), {}
    lists = _lists(book, default_lang)
    raw["questions"], used = _questions(book, raw, lists, default_lang, audio)
    raw["scales"] = _options(book, raw["questions"], lists, used, default_lang, audio)
    return raw, book, audio


def _settings(book: Workbook, settings: dict, default_lang: str | None) -> dict:
    """Read the settings sheet: id, version, audience, the title in each language and speech rates."""
    number = book.sheets["settings"][1][0][0] if book.sheets["settings"][1] else 2
    found = columns(book, "settings", default_lang)
    unsupported(book, "settings", number, settings, found, SETTINGS_COLUMNS)
    labels = [c for c, (base, lang) in columns(book, "survey", default_lang).items() if base == "label" and lang]
    languages = list(dict.fromkeys(columns(book, "survey", default_lang)[c][1] for c in labels))
    raw = {"id": settings.get("form_id"), "version": whole(settings.get("version", 1)),
           "audience": settings.get("audience", "user"), "languages": languages, "title": {}, "intro": {}, "thanks": {}}
    for loc, column in ((("id",), "form_id"), (("version",), "version"), (("audience",), "audience"),
                        (("title",), "form_title")):
        book.at(loc, "settings", number, column)
    book.at(("languages",), "survey", 1, labels[0] if labels else "type")
    if default_lang and settings.get("form_title"):
        raw["title"][default_lang] = str(settings["form_title"])
        book.at(("title", default_lang), "settings", number, "form_title")
    for column, (base, lang) in found.items():
        if lang and base == "title":
            book.at(("title", lang), "settings", number, column)
            if column in settings:
                raw["title"][lang] = str(settings[column])
        elif lang and base == "speech_rate" and column in settings:
            raw.setdefault("speech_rate", {})[lang] = whole(settings[column])
            book.at(("speech_rate", lang), "settings", number, column)
    return raw


def _lists(book: Workbook, default_lang: str | None) -> dict[str, list[tuple[int, dict]]]:
    """Read the choices sheet into its lists, in order; a name twice in one list is a problem."""
    found = columns(book, "choices", default_lang)
    lists: dict[str, list[tuple[int, dict]]] = {}
    seen: dict[tuple, int] = {}
    for number, row in book.sheets["choices"][1]:
        unsupported(book, "choices", number, row, found, CHOICE_COLUMNS)
        name, key = row.get("list_name"), row.get("name")
        if name is None or key is None:
            book.bad("choices", number, "list_name" if name is None else "name", "is required but missing")
        elif (name, key) in seen:
            book.bad("choices", number, "name", f"the name '{key}' is used twice in list '{name}' "
                                                f"(first on row {seen[(name, key)]})")
        else:
            seen[(name, key)] = number
            lists.setdefault(str(name), []).append((number, row))
    return lists


def _texts(book: Workbook, sheet: str, number: int, row: dict, found: dict, target: dict, loc: tuple,
           audio: dict, item: str | None) -> None:
    """Read the per-language cells of a row: label, spoken, speech_rate and media::audio."""
    for column, (base, lang) in found.items():
        if not lang:
            continue
        field = {"label": "text"}.get(base, base)
        if field in ("text", "spoken", "speech_rate"):
            book.at(loc + (field, lang), sheet, number, column)
            book.where.setdefault(loc + (field,), (sheet, number, column))
        if column not in row:
            continue
        value = row[column]
        if field == "text":
            target["text"][lang] = str(value)
        elif field in ("spoken", "speech_rate"):
            target.setdefault(field, {})[lang] = str(value) if field == "spoken" else whole(value)
        elif field == "media::audio" and item:
            audio[(item, lang)] = (str(value), (sheet, number, column))
        elif field == "media::audio":
            book.bad(sheet, number, column, "recordings of a shared list's options are made per question: "
                                            "record them with `survey speech record`")


def _questions(book: Workbook, raw: dict, lists: dict, default_lang: str | None, audio: dict):
    """Read the survey sheet: intro and thanks notes, and one question per row."""
    found = columns(book, "survey", default_lang)
    questions, used, names = [], {}, {}
    for number, row in book.sheets["survey"][1]:
        unsupported(book, "survey", number, row, found, SURVEY_COLUMNS)
        kind, name = str(row.get("type", "")).split(), row.get("name")
        word = "_".join(kind[:2]).lower() if kind and kind[0].lower() in ("begin", "end") else (kind or [""])[0].lower()
        if not kind:
            book.bad("survey", number, "type", "is required but missing")
        elif word == "note" and name in NOTES:
            _texts(book, "survey", number, row, found, {"text": raw[name]}, (name,), audio, None)
            book.at((name,), "survey", number, "type")
            for lang in raw["languages"]:
                book.where[(name, lang)] = book.where.pop((name, "text", lang), ("survey", number, "type"))
        elif word not in ("select_one", "select_multiple", "text"):
            book.bad("survey", number, "type",
                     TYPE_MESSAGES.get(word, f"'{kind[0]}' is not supported (only select_one, select_multiple, "
                                             "text, and notes named intro and thanks)"))
        elif (word == "text") != (len(kind) == 1) or len(kind) > 2:
            book.bad("survey", number, "type", f"write '{word} LIST' with one choice list" if word != "text"
                     else "'text' takes no list")
        elif name in names:
            book.bad("survey", number, "name", f"the name '{name}' is used twice (first on row {names[name]})")
        else:
            names[name] = number
            if word != "text" and kind[1] not in lists:
                book.bad("survey", number, "type", f"unknown choice list '{kind[1]}' (not on the choices sheet)")
            elif word != "text":
                used.setdefault(kind[1], []).append(len(questions))
            questions.append(_question(book, number, row, word, found, len(questions), audio))
    return questions, used


def _question(book: Workbook, number: int, row: dict, word: str, found: dict, index: int, audio: dict) -> dict:
    loc = ("questions", index)
    kinds = {"select_one": row.get("question_type") or "single_choice", "select_multiple": "multiple_choice",
             "text": "free_text"}
    question = {"key": row.get("name"), "type": kinds[word], "text": {}, "pictogram": picture(row.get("media::image"))}
    for field, column in (("", "type"), ("key", "name"), ("pictogram", "media::image"), ("flags", "flags"),
                          ("dont_know", "dont_know"), ("meaning", "meaning"), ("background", "background"),
                          ("options", "type"), ("scale", "type")):
        book.at(loc + ((field,) if field else ()), "survey", number, column)
    book.at(loc + ("type",), "survey", number, "question_type" if row.get("question_type") else "type")
    if row.get("flags"):
        question["flags"] = str(row["flags"]).split()
    if truthy(row.get("dont_know")):
        question["dont_know"] = True
    for field in ("meaning", "background"):
        if row.get(field) is not None:
            question[field] = whole(row[field]) if field == "meaning" else row[field]
    _texts(book, "survey", number, row, found, question, loc, audio, question["key"])
    return question


def _options(book: Workbook, questions: list, lists: dict, used: dict, default_lang: str | None, audio: dict) -> dict:
    """Give each question its list: its own options (a list named after it and used by it alone), or a scale."""
    found = columns(book, "choices", default_lang)
    scales = {}
    for name, rows in lists.items():
        users = used.get(name, [])
        own = len(users) == 1 and questions[users[0]]["key"] == name
        loc = ("questions", users[0], "options") if own else ("scales", name)
        options = []
        for i, (number, row) in enumerate(rows):
            option = {"key": str(row["name"]), "text": {}, "pictogram": picture(row.get("media::image"))}
            for field, column in (("", "name"), ("key", "name"), ("pictogram", "media::image"),
                                  ("positive", "positive")):
                book.at(loc + (i,) + ((field,) if field else ()), "choices", number, column)
            if truthy(row.get("positive")):
                option["positive"] = True
            _texts(book, "choices", number, row, found, option, loc + (i,), audio,
                   f"{name}.{row['name']}" if own else None)
            options.append(option)
        book.at(loc, "choices", rows[0][0], "list_name")
        if own:
            questions[users[0]]["options"] = options
        else:
            scales[name] = options
            for index in users:
                questions[index]["scale"] = name
    return scales


MISSING_LANGUAGE = re.compile(r"language '([a-z]+)'")


def _map_problems(book: Workbook, problems: list[Problem]) -> list[Problem]:
    """Say where in the workbook each of the parser's problems is."""
    found = []
    for problem in problems:
        language = MISSING_LANGUAGE.search(problem.message)
        cell = book.where.get(problem.loc + (language.group(1),)) if language else None
        cell = cell or book.cell_of(problem.loc)
        item = f"{cell[0]} row {cell[1]}, column {cell[2]}" if cell else problem.item
        found.append(Problem(book.file, None, item, problem.message, problem.loc))
    return found


def check(raw: dict, book: Workbook, flag_ids: set[str], pictograms: set[str]):
    """Check questionnaire data from a workbook with the files' own rules; return the problems in workbook terms."""
    try:
        return parse_questionnaire(book.file, raw, flag_ids, pictograms), []
    except DataFileError as err:
        return None, _map_problems(book, err.problems)


def parse_workbook(data: bytes, file: str, flag_ids: set[str], pictograms: set[str],
                   find_audio: Callable[[str], bytes | None],
                   check_audio: Callable[[bytes], None]) -> tuple[dict, dict[tuple[str, str], bytes]]:
    """Read a workbook into questionnaire data and its recordings; raise DataFileError listing every problem.

    find_audio(name) returns the bytes of a recording the workbook names (or None); check_audio(data) raises
    ValueError saying why a recording cannot be used."""
    raw, book, audio_refs = read_workbook(data, file)
    problems = list(book.problems)
    if not problems:
        _parsed, problems = check({**raw, "version": 1}, book, flag_ids, pictograms)
    audio = {}
    for (item, lang), (name, cell) in audio_refs.items():
        sound = find_audio(name)
        where = f"{cell[0]} row {cell[1]}, column {cell[2]}"
        if sound is None:
            problems.append(Problem(file, None, where, f"the recording '{name}' was not found: put it beside the "
                                                       "workbook, or choose it together with the workbook"))
            continue
        try:
            check_audio(sound)
            audio[(item, lang)] = sound
        except ValueError as err:
            problems.append(Problem(file, None, where, f"'{name}': {err}"))
    if problems:
        raise DataFileError(problems)
    return raw, audio
