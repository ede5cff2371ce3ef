"""Questionnaire versions on disk: where each one lives, and the fingerprints that freeze published ones (pure).

`questionnaires/<id>.yaml` is the current published version. Every other version lives in
`questionnaires/versions/<id>/v<N>.yaml`: drafts (at most one, numbered above every published one) and
retired versions (published once, kept because responses answered them). `versions/published.yaml`
holds the fingerprint of every version ever published; a published file whose content no longer
matches its fingerprint is refused.
"""
from __future__ import annotations

import hashlib
import json
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from survey.questionnaires.files import DataFileError, Problem, line_of, read_yaml

VERSIONS_DIR = "versions"
REGISTER_FILE = "published.yaml"
FROZEN = ("published", "retired")
REGISTER_HEADER = ("Fingerprints (SHA-256 of the content, status left out) of every questionnaire version ever\n"
                   "published. Written when a version is published; never edit it by hand.\n")


def fingerprint(questionnaire) -> str:
    """Return the SHA-256 of everything a version says except its status (retiring it changes nothing)."""
    content = questionnaire.model_dump(mode="json", exclude={"status"}, exclude_defaults=True)
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def published_path(folder: Path, questionnaire_id: str) -> Path:
    """Return where the current published version of a questionnaire lives."""
    return folder / f"{questionnaire_id}.yaml"


def version_path(folder: Path, questionnaire_id: str, version: int) -> Path:
    """Return where a draft or retired version lives."""
    return folder / VERSIONS_DIR / questionnaire_id / f"v{version}.yaml"


def version_files(folder: Path) -> list[Path]:
    """Return every draft and retired version file under versions/."""
    return sorted((folder / VERSIONS_DIR).glob("*/v*.yaml"))


def display_name(folder: Path, path: Path) -> str:
    """Name a file as staff see it: relative to the questionnaire folder when it is inside it."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.name


def read_register(folder: Path) -> dict[str, dict[int, str]]:
    """Return id -> version -> fingerprint of every published version; raise DataFileError if unreadable."""
    path = folder / VERSIONS_DIR / REGISTER_FILE
    if not path.exists():
        return {}
    raw = read_yaml(path) or {}
    name = f"{VERSIONS_DIR}/{REGISTER_FILE}"
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise DataFileError([Problem(name, None, "", "must map each questionnaire id to {version: fingerprint}")])
    return {str(qid): {int(v): str(fp) for v, fp in entries.items()} for qid, entries in raw.items()}


def register_text(register: dict[str, dict[int, str]]) -> str:
    """Return the register as YAML text, sorted, with its header comment."""
    yaml = YAML()
    out = StringIO()
    out.write("".join(f"# {line}\n" for line in REGISTER_HEADER.splitlines()))
    yaml.dump({qid: dict(sorted(register[qid].items())) for qid in sorted(register)}, out)
    return out.getvalue()


def layout_problems(folder: Path, found: list[tuple[Path, Any, Any]], register: dict[str, dict[int, str]],
                    whole_folder: bool) -> list[Problem]:
    """Check where each version lives, that frozen versions are unchanged, and each questionnaire's versions fit."""
    problems: list[Problem] = []
    by_id: dict[str, list[tuple[str, Any]]] = {}
    for path, raw, q in found:
        name = display_name(folder, path)
        by_id.setdefault(q.id, []).append((name, q))
        if whole_folder:
            problems += _place_problems(name, path, raw, q, folder)
        if q.status in FROZEN:
            known = register.get(q.id, {}).get(q.version)
            if known is not None and known != fingerprint(q):
                problems.append(Problem(name, line_of(raw, ("version",)), "version",
                                        f"version {q.version} of '{q.id}' was published with other content, and a "
                                        "published version never changes: put the change in a new draft "
                                        f"(`survey draft {q.id}` or the editor) and publish that"))
            elif known is None and whole_folder:
                problems.append(Problem(name, line_of(raw, ("status",)), "status",
                                        f"version {q.version} of '{q.id}' is marked {q.status} but was never "
                                        f"published: make it a draft (status: draft, in "
                                        f"{VERSIONS_DIR}/{q.id}/v{q.version}.yaml) and publish it "
                                        f"with `survey publish {q.id}` or the editor"))
    if whole_folder:
        for qid, versions in by_id.items():
            problems += family_problems(qid, versions)
        for qid, entries in register.items():
            have = {q.version for _, q in by_id.get(qid, [])}
            problems += [Problem(f"{VERSIONS_DIR}/{REGISTER_FILE}", None, qid,
                                 f"version {v} of '{qid}' was published but its file is missing "
                                 f"({VERSIONS_DIR}/{qid}/v{v}.yaml): the rounds that answered it need it")
                         for v in sorted(entries) if v not in have]
    return problems


def _place_problems(name: str, path: Path, raw: Any, q, folder: Path) -> list[Problem]:
    """Check that a version's file is where its id, version and status say it belongs."""
    top_level = path.parent.resolve() == folder.resolve()
    if top_level and path.name != f"{q.id}.yaml":
        return [Problem(name, line_of(raw, ("id",)), "id",
                        f"the published file of '{q.id}' must be called {q.id}.yaml")]
    if top_level and q.status != "published":
        return [Problem(name, line_of(raw, ("status",)), "status",
                        f"a file in the questionnaire folder is the published version; a {q.status} version "
                        f"lives in {VERSIONS_DIR}/{q.id}/v{q.version}.yaml")]
    if not top_level and (path.parent.name != q.id or path.name != f"v{q.version}.yaml"):
        return [Problem(name, line_of(raw, ("version",)), "version",
                        f"version {q.version} of '{q.id}' must be in {VERSIONS_DIR}/{q.id}/v{q.version}.yaml")]
    if not top_level and q.status == "published":
        return [Problem(name, line_of(raw, ("status",)), "status",
                        f"the published version lives in {q.id}.yaml; older ones here are `status: retired`")]
    return []


def family_problems(qid: str, versions: list[tuple[str, Any]]) -> list[Problem]:
    """Check one questionnaire's versions together: no number twice, one published, one draft above it."""
    problems: list[Problem] = []
    seen: dict[int, str] = {}
    for name, q in versions:
        if q.version in seen:
            problems.append(Problem(name, None, "version",
                                    f"version {q.version} of '{qid}' is also in {seen[q.version]}"))
        seen[q.version] = name
    published = [q.version for _, q in versions if q.status == "published"]
    frozen = [q.version for _, q in versions if q.status in FROZEN]
    drafts = [(name, q) for name, q in versions if q.status == "draft"]
    if len(published) > 1:
        problems.append(Problem(f"{qid}.yaml", None, "status", f"'{qid}' has {len(published)} published versions"))
    for name, q in versions:
        if q.status == "retired" and published and q.version > max(published):
            problems.append(Problem(name, None, "version",
                                    f"retired version {q.version} is newer than the published version "
                                    f"{max(published)}"))
    for name, _q in drafts[1:]:
        problems.append(Problem(name, None, "status", f"'{qid}' already has a draft ({drafts[0][0]}): one at a time"))
    for name, q in drafts:
        if frozen and q.version <= max(frozen):
            problems.append(Problem(name, None, "version",
                                    f"draft version {q.version} must be above every published version "
                                    f"(now {max(frozen)})"))
    return problems
