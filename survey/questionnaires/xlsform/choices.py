"""XLSForm in, the choices sheet (pure): its lists, and which become a question's own options or a shared scale."""
from __future__ import annotations

from typing import Any

from survey.questionnaires.xlsform import limits
from survey.questionnaires.xlsform.rows import OPTION_PICTOGRAM, Reader, examine, name_key, pictogram, texts
from survey.questionnaires.xlsform.terms import truthy

Rows = dict[str, list[tuple[int, dict[str, Any], str]]]  # list name -> (row number, row, option key)


def lists(r: Reader) -> Rows:
    """Read the choices sheet into its lists, in order; a name twice in one list is a problem."""
    sheet = r.book.sheets.get("choices")
    found: Rows = {}
    if sheet is None:
        return found
    taken: dict[str, dict[str, tuple[int, str]]] = {}
    for number, row in sheet.rows:
        if not sheet.meaningful(row):
            continue
        if sum(len(listed) for listed in found.values()) >= limits.MAX_OPTIONS:
            r.book.bad(sheet.title, number, None, f"more than {limits.MAX_OPTIONS} answer options: a questionnaire "
                                                  "here offers a few to each question. Delete the lists no question "
                                                  "uses, or shorten the long ones")
            return found
        name = sheet.get(row, "list_name")
        if name is None:
            r.book.bad(sheet.title, number, (sheet.headers("list_name") or ["list_name"])[0], "is required but missing")
            continue
        examine(r, sheet, number, row)
        key = name_key(r, sheet, number, row, taken.setdefault(str(name), {}), f" in list '{name}'")
        if key is not None:
            found.setdefault(str(name), []).append((number, row, key))
    return found


def options(r: Reader, questions: list[dict], rows: Rows, used: dict[str, list[int]]) -> dict[str, list[dict]]:
    """Give each question its list: its own options (a list named after it and used by it alone), or a scale."""
    sheet = r.book.sheets.get("choices")
    scales = {}
    for name, listed in rows.items():
        users = used.get(name, [])
        if sheet is None or not users:
            if sheet is not None:
                r.book.warn(sheet.title, listed[0][0], (sheet.headers("list_name") or ["list_name"])[0],
                            f"no question imported uses the list '{name}': it was left out")
            continue
        own = len(users) == 1 and questions[users[0]]["key"] == name
        loc = ("questions", users[0], "options") if own else ("scales", name)
        found = []
        for i, (number, row, key) in enumerate(listed):
            option: dict[str, Any] = {"key": key, "text": {},
                                      "pictogram": pictogram(r, sheet, number, row, OPTION_PICTOGRAM)}
            for part, base in (("", "name"), ("key", "name"), ("pictogram", "media::image"), ("positive", "positive")):
                r.book.at(loc + (i,) + ((part,) if part else ()), sheet.title, number,
                          (sheet.headers(base) or sheet.headers("name") or ["name"])[0])
            if truthy(sheet.get(row, "positive")):
                option["positive"] = True
            texts(r, sheet, number, row, option, loc + (i,), f"{name}.{key}" if own else None)
            found.append(option)
        r.book.at(loc, sheet.title, listed[0][0], (sheet.headers("list_name") or ["list_name"])[0])
        if own:
            questions[users[0]]["options"] = found
        else:
            scales[name] = found
            for index in users:
                questions[index]["scale"] = name
    if scales or any("options" in q for q in questions):
        _missing_pictures(r)
    return scales


def _missing_pictures(r: Reader) -> None:
    sheet = r.book.sheets.get("choices")
    if sheet is not None and not sheet.headers("media::image"):
        r.book.warn(sheet.title, None, None, f"no media::image column: every answer option shows the pictogram "
                                             f"'{OPTION_PICTOGRAM}' until you choose one in the editor")
