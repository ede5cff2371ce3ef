"""The editor's forms over a draft's YAML (pure): which fields a page shows, writing them back, errors per field.

Every field is named by its place in the file (`questions/3/text/sv`), so the problems the parser
finds there (with the same words as for the files) land beside the field they are about."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from survey.questionnaires.files import Loc, Problem


@dataclass(frozen=True)
class Field:
    """One input of an editor form."""

    loc: Loc
    label: str
    kind: str = "text"  # text, textarea, select, checkboxes, checkbox, number
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True
    group: str = ""

    @property
    def name(self) -> str:
        return "/".join(str(part) for part in self.loc)


def value_at(raw: Any, loc: Loc) -> Any:
    """Return what the YAML holds at loc, or None."""
    node = raw
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def texts(loc: Loc, label: str, languages, names: dict[str, str], kind="text", required=True, group="") -> list[Field]:
    """Return one field per language for a text."""
    return [Field(loc + (lang,), f"{label} ({names[lang]})", kind, required=required, group=group)
            for lang in languages]


def question_fields(raw: Any, index: int, languages, names: dict[str, str], pictograms: list[str],
                    flags: list[tuple[str, str]], words: dict[str, str]) -> list[Field]:
    """Return the fields of one question: texts, speech, pictogram, flags, "don't know", meaning, and its options."""
    loc: Loc = ("questions", index)
    question = value_at(raw, loc)
    found = texts(loc + ("text",), words["question"], languages, names, "textarea")
    found += texts(loc + ("spoken",), words["spoken"], languages, names, required=False)
    found += [Field(loc + ("pictogram",), words["pictogram"], "select", tuple((p, p) for p in pictograms)),
              Field(loc + ("flags",), words["flags"], "checkboxes", tuple(flags), required=False),
              Field(loc + ("meaning",), words["meaning"], "number", required=False)]
    if question.get("type") == "free_text":
        return found
    found.append(Field(loc + ("dont_know",), words["dont_know"], "checkbox", required=False))
    options_loc = ("scales", question["scale"]) if question.get("scale") else loc + ("options",)
    for i, _option in enumerate(value_at(raw, options_loc) or []):
        group = f"{words['option']} {i + 1}"
        found += texts(options_loc + (i, "text"), words["option_text"], languages, names, group=group)
        found += [Field(options_loc + (i, "pictogram"), words["pictogram"], "select",
                        tuple((p, p) for p in pictograms), group=group),
                  Field(options_loc + (i, "positive"), words["positive"], "checkbox", required=False, group=group)]
    return found


def form_value(field: Field, raw: Any) -> Any:
    """Return what a field shows: the text, the chosen names, or the tick."""
    value = value_at(raw, field.loc)
    if field.kind == "checkboxes":
        return list(value or [])
    if field.kind == "checkbox":
        return bool(value)
    return "" if value is None else str(value)


def apply(raw: Any, fields: list[Field], form) -> None:
    """Write what a form sent into the YAML, in place: empty optional texts and default values are left out."""
    for field in fields:
        if field.kind == "checkboxes":
            chosen = [value for value in form.getlist(field.name) if value in dict(field.choices)]
            _put(raw, field.loc, _flow(CommentedSeq(chosen)) if chosen else None)
        elif field.kind == "checkbox":
            _put(raw, field.loc, True if form.get(field.name) else None)
        elif field.kind == "number":
            text = (form.get(field.name) or "").strip()
            _put(raw, field.loc, None if text in ("", "1") else int(text) if text.isdigit() else text)
        else:
            text = (form.get(field.name) or "").replace("\r\n", "\n").strip()
            _put(raw, field.loc, text if text or field.required else None)


def _flow(node):
    node.fa.set_flow_style()
    return node


def _put(raw: Any, loc: Loc, value: Any) -> None:
    """Set (or, for None, remove) the value at loc, making mappings on the way."""
    node = raw
    for part in loc[:-1]:
        if isinstance(node, dict) and part not in node:
            if value is None:
                return
            node[part] = _flow(CommentedMap())
        node = node[part]
    last = loc[-1]
    if value is None:
        if isinstance(node, dict):
            node.pop(last, None)
            if not node and len(loc) > 1 and isinstance(value_at(raw, loc[:-1]), dict):
                value_at(raw, loc[:-2]).pop(loc[-2], None)
        return
    node[last] = value


def errors_by_field(problems: list[Problem], fields: list[Field]) -> tuple[dict[str, list[str]], list[str]]:
    """Attach each problem to the field it is about; return (name -> messages, problems about nothing shown)."""
    by_field: dict[str, list[str]] = {}
    other: list[str] = []
    for found in problems:
        loc = found.loc
        inside = [f for f in fields if loc and f.loc[:len(loc)] == loc]
        named = [f for f in inside if f"'{f.loc[-1]}'" in found.message] or inside[:1]
        around = [f for f in fields if loc and loc[:len(f.loc)] == f.loc]
        target = (named or around)[:1]
        if target:
            by_field.setdefault(target[0].name, []).append(found.message)
        else:
            other.append(str(found))
    return by_field, other
