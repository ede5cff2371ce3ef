"""XLSForm in, the rows (pure): the survey sheet's questions and notes, and the choices sheet's lists.

Each row's type says what it becomes (terms.kind_of); each cell's column says whether it is read, left
out with a warning, or stops the import. Groups become nothing (one question per screen anyway), but
must nest and close; a type with no equivalent stops the import unless the person asked to leave such
rows out, and then each one is a warning."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from survey.questionnaires.xlsform import limits
from survey.questionnaires.xlsform.read import Sheet, Workbook, picture, whole
from survey.questionnaires.xlsform.terms import HELPING, MEANING, Kind, falsy, key_for, kind_of, truthy

QUESTION_PICTOGRAM, OPTION_PICTOGRAM = "tell", "answer"  # shown until the editor chooses one
NOTES = ("intro", "thanks")
QUESTIONS = "select_one LIST, select_multiple LIST, text, and notes named intro and thanks"


@dataclass
class Reader:
    """One import: the workbook, what else it needs to know, and the recordings its cells name."""

    book: Workbook
    pictograms: frozenset[str]
    skip_unsupported: bool = False
    audio: dict[tuple[str, str], tuple[str, tuple]] = field(default_factory=dict)


def examine(r: Reader, sheet: Sheet, number: int, row: dict[str, Any]) -> None:
    """Stop the import at each cell that changes meaning; warn at each that only helps."""
    for header, value in row.items():
        base = sheet.columns[header].base
        if base == "appearance" and "search(" in str(value):
            r.book.bad(sheet.title, number, header, "search() takes the options from a file, which is not "
                                                    "supported here. Write the options in the choices sheet")
        elif base in MEANING and not (base == "read_only" and falsy(value)):
            r.book.bad(sheet.title, number, header, MEANING[base])
        elif base in HELPING and not (base == "required" and falsy(value)):
            r.book.warn(sheet.title, number, header, HELPING[base].format(value=value))


def texts(r: Reader, sheet: Sheet, number: int, row: dict, target: dict, loc: tuple, item: str | None) -> None:
    """Read the per-language cells of a row: label, spoken, speech_rate and media::audio."""
    for header, lang in sheet.languages.items():
        base = sheet.columns[header].base
        field_name = {"label": "text"}.get(base, base)
        if field_name in ("text", "spoken", "speech_rate"):
            r.book.at(loc + (field_name, lang), sheet.title, number, header)
            r.book.where.setdefault(loc + (field_name,), (sheet.title, number, header))
        if header not in row:
            continue
        value = row[header]
        if field_name in ("text", "spoken") and "${" in str(value):
            r.book.bad(sheet.title, number, header, "this text shows another answer (${…}), which is not supported "
                                                    "here: write the text out in full")
        elif field_name == "text":
            target["text"][lang] = str(value)
        elif field_name in ("spoken", "speech_rate"):
            target.setdefault(field_name, {})[lang] = str(value) if field_name == "spoken" else whole(value)
        elif field_name == "media::audio" and item:
            r.audio[(item, lang)] = (str(value), (sheet.title, number, header))
        elif field_name == "media::audio":
            r.book.bad(sheet.title, number, header, "recordings of a shared list's options are made per question: "
                                                    "record them with `survey speech record`")


def pictogram(r: Reader, sheet: Sheet, number: int, row: dict, placeholder: str) -> str:
    """Return the pictogram a row's media::image names, or the placeholder (with a warning saying so)."""
    headers = [h for h in sheet.headers("media::image") if h in sheet.languages]
    found = [(h, row[h]) for h in headers if h in row]
    if not found:
        if headers:
            r.book.warn(sheet.title, number, headers[0], f"no picture: the pictogram '{placeholder}' is shown until "
                                                         "you choose one in the editor")
        return placeholder
    header, value = found[0]
    name = picture(value)
    if any(picture(other) != name for _, other in found[1:]):
        r.book.warn(sheet.title, number, header, f"the pictures differ between languages: '{name}' is shown in "
                                                 "every language")
    if name in r.pictograms:
        return str(name)
    r.book.warn(sheet.title, number, header, f"'{value}' is not one of the pictograms here: '{placeholder}' is "
                                             "shown until you choose one in the editor")
    return placeholder


def name_key(r: Reader, sheet: Sheet, number: int, row: dict, taken: dict[str, tuple[int, str]],
             scope: str = "") -> str | None:
    """Return the key a row's name becomes (warning if it had to change), or None after saying why it cannot."""
    header = (sheet.headers("name") or ["name"])[0]
    written = sheet.get(row, "name")
    if written is None:
        r.book.bad(sheet.title, number, header, "is required but missing")
        return None
    key = key_for(written)
    if not key:
        r.book.bad(sheet.title, number, header, f"'{written}' cannot be a name here: use lowercase letters a-z, "
                                                "digits and _, starting with a letter")
        return None
    if key in taken:
        first, first_written = taken[key]
        r.book.bad(sheet.title, number, header, f"the name '{written}' is used twice{scope} (first on row {first})"
                   if first_written == str(written) else
                   f"'{written}' and '{first_written}' (row {first}) both become '{key}' here: rename one")
        return None
    taken[key] = (number, str(written))
    if key != str(written):
        r.book.warn(sheet.title, number, header, f"the name '{written}' is stored as '{key}' (names here use "
                                                 "lowercase letters a-z, digits and _)")
    return key


def questions(r: Reader, raw: dict, lists: dict) -> tuple[list[dict], dict[str, list[int]]]:
    """Read the survey sheet: intro and thanks notes, and one question per row; groups nest and close."""
    sheet = r.book.sheets["survey"]
    found: list[dict] = []
    used: dict[str, list[int]] = {}
    names: dict[str, tuple[int, str]] = {}
    groups: list[tuple[str, int]] = []
    type_header = (sheet.headers("type") or ["type"])[0]
    for number, row in sheet.rows:
        written = sheet.get(row, "type")
        if not sheet.meaningful(row):
            continue
        if written is None:
            r.book.bad(sheet.title, number, type_header, "is required but missing")
            continue
        kind = kind_of(str(written))
        if kind.word.startswith(("begin_", "end_")):
            if not _group(r, sheet, number, row, kind, groups):
                return found, used
        elif kind.word == "note" and key_for(sheet.get(row, "name") or "") in NOTES:
            _note(r, sheet, number, row, raw)
        elif kind.word in ("select_one", "select_multiple", "text") and len(found) >= limits.MAX_QUESTIONS:
            r.book.bad(sheet.title, number, type_header, f"more than {limits.MAX_QUESTIONS} questions: a "
                                                         "questionnaire here is far shorter (one question a screen). "
                                                         "Split the form into several questionnaires")
            return found, used
        elif kind.word in ("select_one", "select_multiple", "text"):
            key = name_key(r, sheet, number, row, names)
            if key is not None:
                _choose_list(r, sheet, number, kind, lists, used, key, len(found))
                found.append(_question(r, sheet, number, row, kind, len(found), key))
        else:
            _left_out(r, sheet, number, row, kind, str(written))
    for kind_word, number in groups:
        r.book.bad(sheet.title, number, type_header, f"this {kind_word} is never ended: add an 'end {kind_word}' "
                                                     "row after its last question")
    if found and not sheet.headers("media::image"):
        r.book.warn(sheet.title, None, None, f"no media::image column: every question shows the pictogram "
                                             f"'{QUESTION_PICTOGRAM}' until you choose one in the editor")
    return found, used


def _group(r: Reader, sheet: Sheet, number: int, row: dict, kind: Kind, groups: list) -> bool:
    """Open or close a group or repeat; return False (after saying why) when nesting is beyond the bound."""
    edge, what = kind.word.split("_")
    header = (sheet.headers("type") or ["type"])[0]
    if edge == "end":
        if not groups or groups[-1][0] != what:
            r.book.bad(sheet.title, number, header, f"'end {what}' without a 'begin {what}' above it")
        else:
            groups.pop()
        return True
    if len(groups) >= limits.MAX_GROUP_DEPTH:
        r.book.bad(sheet.title, number, header, f"groups are nested more than {limits.MAX_GROUP_DEPTH} deep: here "
                                                "every question is on its own screen, so remove the groups")
        return False
    groups.append((what, number))
    examine(r, sheet, number, row)
    name = sheet.get(row, "name") or ""
    if what == "repeat":
        r.book.bad(sheet.title, number, header, "repeats are not supported: each question is asked once. Remove "
                                                "the repeat (begin repeat … end repeat) and import again")
    else:
        r.book.warn(sheet.title, number, header, f"the group '{name}' was left out: its questions are asked one "
                                                 "per screen" + (", and its label is not shown"
                                                                 if sheet.headers("label") else ""))
    return True


def _left_out(r: Reader, sheet: Sheet, number: int, row: dict, kind: Kind, written: str) -> None:
    """Say what happens to a row that becomes no question: metadata, no equivalent, or a type nobody knows."""
    header = (sheet.headers("type") or ["type"])[0]
    name = sheet.get(row, "name")
    if kind.word == "metadata":
        r.book.warn(sheet.title, number, header, f"'{written}' is never collected here: answers are anonymous, so "
                                                 "nothing about the time, the device or the person is kept. "
                                                 "The row was left out")
    elif kind.word in ("no_equivalent", "note") and r.skip_unsupported:
        r.book.warn(sheet.title, number, header, f"the '{written}' row '{name}' was left out, as asked: it has no "
                                                 "equivalent here")
    elif kind.word in ("no_equivalent", "note"):
        what = "notes other than intro and thanks" if kind.word == "note" else f"'{written}' questions"
        r.book.bad(sheet.title, number, header, f"{what} have no equivalent here (only {QUESTIONS}). Remove the row, "
                                                "or import the rest of the form without such rows "
                                                "(--skip-unsupported, or the box on the import page)")
    elif kind.word == "malformed":
        r.book.bad(sheet.title, number, header, "write 'select_one LIST' (or select_multiple) with one choice "
                                                "list, and if you like 'or_other' after it")
    else:
        r.book.bad(sheet.title, number, header, f"unknown type '{written}' (here: {QUESTIONS})")


def _note(r: Reader, sheet: Sheet, number: int, row: dict, raw: dict) -> None:
    name = key_for(sheet.get(row, "name"))
    examine(r, sheet, number, row)
    texts(r, sheet, number, row, {"text": raw[name]}, (name,), None)
    r.book.at((name,), sheet.title, number, (sheet.headers("type") or ["type"])[0])
    for lang in raw["languages"]:
        r.book.where[(name, lang)] = r.book.where.pop((name, "text", lang), (sheet.title, number, "type"))


def _choose_list(r: Reader, sheet: Sheet, number: int, kind: Kind, lists: dict, used: dict, key: str,
                 index: int) -> None:
    header = (sheet.headers("type") or ["type"])[0]
    if kind.list_name is None:
        return
    if kind.list_name not in lists:
        r.book.bad(sheet.title, number, header, f"unknown choice list '{kind.list_name}' (not on the choices sheet)")
        return
    used.setdefault(kind.list_name, []).append(index)
    if kind.or_other:
        r.book.warn(sheet.title, number, header, f"'or_other' was left out: a free-text \"other, please say\" answer "
                                                 f"is not supported here, so '{key}' offers the list "
                                                 f"'{kind.list_name}' without it")


def _question(r: Reader, sheet: Sheet, number: int, row: dict, kind: Kind, index: int, key: str) -> dict:
    loc = ("questions", index)
    header = (sheet.headers("type") or ["type"])[0]
    kinds = {"select_one": sheet.get(row, "question_type") or "single_choice", "select_multiple": "multiple_choice",
             "text": "free_text"}
    examine(r, sheet, number, row)
    question: dict[str, Any] = {"key": key, "type": kinds[kind.word], "text": {},
                                "pictogram": pictogram(r, sheet, number, row, QUESTION_PICTOGRAM)}
    for part, base in (("", "type"), ("key", "name"), ("pictogram", "media::image"), ("flags", "flags"),
                       ("dont_know", "dont_know"), ("meaning", "meaning"), ("background", "background"),
                       ("options", "type"), ("scale", "type"), ("type", "question_type")):
        column = (sheet.headers(base) or [header])[0] if base != "question_type" or sheet.get(row, base) else header
        r.book.at(loc + ((part,) if part else ()), sheet.title, number, column)
    if sheet.get(row, "flags"):
        question["flags"] = str(sheet.get(row, "flags")).split()
    if truthy(sheet.get(row, "dont_know")):
        question["dont_know"] = True
    if sheet.get(row, "meaning") is not None:
        question["meaning"] = whole(sheet.get(row, "meaning"))
    if sheet.get(row, "background") is not None:
        question["background"] = sheet.get(row, "background")
    texts(r, sheet, number, row, question, loc, key)
    return question
