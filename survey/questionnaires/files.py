"""Read YAML data files and turn every problem in them into a precise, staff-readable message."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

Loc = tuple[str | int, ...]

# Pydantic's error types, said in words a questionnaire author understands.
FRIENDLY = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a known field (check the spelling)",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a mapping of language to text, like {sv: ..., nb: ..., en: ...}",
    "model_type": "must be a mapping of fields",
    "literal_error": "must be one of {expected}",
    "enum": "must be one of {expected}",
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be greater than {gt}",
    "string_pattern_mismatch": "may only use lowercase letters a-z, digits and _ (and must start with a letter)",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one data file."""

    file: str
    line: int | None
    item: str
    message: str
    loc: Loc = field(default=(), compare=False)  # where in the data, for forms and workbooks that show it elsewhere

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.item}: {self.message}" if self.item else f"{where}: {self.message}"


class DataFileError(Exception):
    """Raised with every problem found in one or more data files (or the first ones, and how many more)."""

    def __init__(self, problems: Iterable[Problem], unlisted: int = 0):
        self.problems = list(problems)
        self.unlisted = unlisted  # problems found beyond those listed (a workbook lists at most 100)
        super().__init__("\n".join(str(p) for p in self.problems))


def read_yaml(path: Path) -> Any:
    """Load YAML 1.2 (so `no` stays text) keeping line numbers; raise DataFileError if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError([Problem(path.name, None, "", "file not found")]) from None
    except UnicodeDecodeError:
        raise DataFileError([Problem(path.name, None, "", "is not UTF-8 text")]) from None
    return read_yaml_text(path.name, text)


def read_yaml_text(name: str, text: str) -> Any:
    """Load YAML 1.2 text (a file's, or a form's) keeping line numbers; raise DataFileError naming `name`."""
    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else None
        raise DataFileError([Problem(name, line, "", f"not valid YAML: {err.problem}")]) from None
    except YAMLError as err:
        raise DataFileError([Problem(name, None, "", f"not valid YAML: {err}")]) from None


def line_of(raw: Any, loc: Loc) -> int | None:
    """Return the 1-based line in the YAML source closest to the item at loc."""
    line, node = None, raw
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and part in node:
                line = lc.key(part)[0] + 1 if lc else line
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                line = lc.item(part)[0] + 1 if lc else line
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
        node = node[part]
    return line


def describe(raw: Any, loc: Loc) -> str:
    """Name an item by its path, using a list entry's key where it has one: questions[3] 'safe'."""
    parts, node = [], raw
    for part in loc:
        if isinstance(part, int):
            label = f"[{part + 1}]"
            if isinstance(node, list) and part < len(node) and isinstance(node[part], dict):
                key = node[part].get("key") or node[part].get("id")
                if isinstance(key, str):
                    label += f" '{key}'"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(part))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts)


def problem(file: str, raw: Any, loc: Loc, message: str) -> Problem:
    """Make a Problem at loc in a loaded file."""
    return Problem(file, line_of(raw, loc), describe(raw, loc), message, tuple(loc))


def validation_problems(file: str, raw: Any, error: pydantic.ValidationError) -> list[Problem]:
    """Turn pydantic's errors into Problems with line numbers and friendly wording."""
    problems = []
    for err in error.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        template = FRIENDLY.get(err["type"])
        ctx = dict((err.get("ctx") or {}).items())
        message = template.format(**ctx) if template and _fits(template, ctx) else err["msg"]
        problems.append(problem(file, raw, loc, message))
    return problems


def _fits(template: str, ctx: dict) -> bool:
    try:
        template.format(**ctx)
        return True
    except KeyError:
        return False
