"""Drafts and publishing: the one place that writes questionnaire files, and keeps every process's library current.

Every write validates with the same parser as `survey check-questionnaires`, holds one lock across
processes, replaces files atomically, and then reloads the library. Other processes notice the
change (the folders' modification times) before their next request and reload too.
"""
from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from ruamel.yaml import YAML

from survey.council import store as council
from survey.db import db
from survey.questionnaires import LIBRARY, import_warnings, library, versions
from survey.questionnaires.files import DataFileError, Problem, read_yaml_text
from survey.questionnaires.model import Library, Questionnaire, load_library, parse_questionnaire
from survey.questionnaires.xlsform.parse import parse_workbook
from survey.questionnaires.xlsform.read import Findings
from survey.speech import recordings
from survey.speech import views as speech

log = logging.getLogger(__name__)
STAMP = "survey.library_stamp"


class DraftError(DataFileError):
    """A draft that cannot be written or published; `problems` say why, in the files' own words."""


def folder() -> Path:
    return Path(current_app.config["QUESTIONNAIRE_DIR"])


def _editing_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True  # "no" and "yes" stay quoted for readers that still speak YAML 1.1
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_text(path: Path) -> Any:
    """Load a questionnaire file for editing, keeping comments, order and quotes."""
    return _editing_yaml().load(path.read_text(encoding="utf-8"))


def dump_text(raw: Any) -> str:
    """Write loaded (and edited) YAML back to text."""
    out = StringIO()
    _editing_yaml().dump(raw, out)
    return out.getvalue()


def file_of(q: Questionnaire) -> Path:
    """Return the file a version lives in."""
    if q.status == "published":
        return versions.published_path(folder(), q.id)
    return versions.version_path(folder(), q.id, q.version)


def audio_folder(questionnaire_id: str, version: int) -> Path:
    """Return where recordings brought in with a draft wait until it is published."""
    return folder() / versions.VERSIONS_DIR / questionnaire_id / f"v{version}.audio"


@contextmanager
def writing() -> Iterator[Library]:
    """Hold the questionnaire folder's lock and yield the library as it is on disk now; reload afterwards."""
    lock_dir = folder() / versions.VERSIONS_DIR
    lock_dir.mkdir(parents=True, exist_ok=True)
    with (lock_dir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            try:
                on_disk = load_library(folder(), Path(current_app.config["PICTOGRAM_DIR"]))
            except DataFileError as err:  # broken by hand: say so, and write nothing until it is fixed
                raise DraftError(err.problems) from None
            yield on_disk
        finally:
            reload(current_app)


def write_atomically(path: Path, text: str | bytes) -> None:
    """Replace a file in one step: readers see the old content or the new, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(text.encode("utf-8") if isinstance(text, str) else text)
    Path(tmp).replace(path)


def check(name: str, text: str, lib: Library) -> tuple[Any, Questionnaire]:
    """Parse and validate a questionnaire's text exactly as a file is checked; raise DraftError with every problem."""
    try:
        raw = read_yaml_text(name, text)
        return raw, parse_questionnaire(name, raw, lib.quality_model.flag_ids(), set(lib.pictograms))
    except DataFileError as err:
        raise DraftError(err.problems) from None


def next_version(lib: Library, questionnaire_id: str) -> int:
    """Return the number a new draft gets: above every version, and every number tested before (deleted drafts:
    what user councils said about a number must never be read as said about another questionnaire)."""
    return max({0, *lib.versions.get(questionnaire_id, {}), *council.tested_versions(questionnaire_id)}) + 1


def create_draft(questionnaire_id: str) -> Questionnaire:
    """Copy the published version into a new draft numbered above every version (comments kept)."""
    with writing() as lib:
        base, draft = lib.published(questionnaire_id), lib.draft(questionnaire_id)
        if base is None or draft is not None:
            why = "has no published version" if base is None else f"already has a draft (version {draft.version})"
            raise DraftError([Problem(questionnaire_id, None, "", f"'{questionnaire_id}' {why}")])
        raw = load_text(versions.published_path(folder(), questionnaire_id))
        raw["version"], raw["status"] = next_version(lib, questionnaire_id), "draft"
        write_atomically(versions.version_path(folder(), questionnaire_id, raw["version"]), dump_text(raw))
        import_warnings.forget(questionnaire_id, raw["version"])  # none, unless a deletion failed to forget them
        db.session.commit()
    return library().version(questionnaire_id, raw["version"])


def save_draft(questionnaire_id: str, version: int, text: str) -> Questionnaire:
    """Replace a draft's text after checking it with the files' own rules; its id, version and status stay."""
    with writing() as lib:
        old = lib.version(questionnaire_id, version)
        if old is None or old.status != "draft":
            raise DraftError([Problem(questionnaire_id, None, "", f"version {version} is not a draft: "
                                      "a published version never changes")])
        name = versions.display_name(folder(), versions.version_path(folder(), questionnaire_id, version))
        _raw, parsed = check(name, text, lib)
        fixed = {"id": questionnaire_id, "version": version, "status": "draft"}
        wrong = [Problem(name, None, key, f"must stay {value!r} (a draft keeps its id and number)")
                 for key, value in fixed.items() if getattr(parsed, key) != value]
        if wrong:
            raise DraftError(wrong)
        write_atomically(versions.version_path(folder(), questionnaire_id, version), text)
    return library().version(questionnaire_id, version)


def add_draft(raw: dict, audio: dict[tuple[str, str], bytes], warnings: Findings | None = None) -> Questionnaire:
    """Store a questionnaire brought in from elsewhere (XLSForm) as a new draft, with its recordings and the
    warnings its import gave; if any of it cannot be kept, none of it is."""
    with writing() as lib:
        qid = raw.get("id")
        if lib.draft(qid) is not None:
            raise DraftError([Problem(str(qid), None, "", f"'{qid}' already has a draft "
                                      f"(version {lib.draft(qid).version}): publish or delete it first")])
        raw = {**raw, "version": next_version(lib, qid), "status": "draft"}
        path = versions.version_path(folder(), qid, raw["version"])
        text = dump_text(raw)
        check(versions.display_name(folder(), path), text, lib)
        try:
            import_warnings.keep(qid, raw["version"], [str(w) for w in warnings.listed] if warnings else [],
                                 warnings.unlisted if warnings else 0)
            write_atomically(path, text)
            for (item, lang), data in audio.items():
                write_atomically(audio_folder(qid, raw["version"]) / f"{item}.{lang}.mp3", data)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            path.unlink(missing_ok=True)
            shutil.rmtree(audio_folder(qid, raw["version"]), ignore_errors=True)
            raise
    return library().version(qid, raw["version"])


SHA_NAME = re.compile(r"^[0-9a-f]{64}\.mp3$")  # how an exported workbook names a recording kept in the database


def add_workbook(data: bytes, file: str, find_audio: Callable[[str], bytes | None],
                 skip_unsupported: bool = False) -> Questionnaire:
    """Import an XLSForm workbook as a new draft with its recordings and warnings; raise DraftError listing the
    problems (rows of types with no equivalent are left out, each with a warning, only when skip_unsupported)."""
    def audio(name: str) -> bytes | None:
        return find_audio(name) or (recordings.audio(name[:-4]) if SHA_NAME.match(name) else None)

    lib = library()
    try:
        found = parse_workbook(data, file, lib.quality_model.flag_ids(), set(lib.pictograms), audio,
                               recordings.check_audio, current_app.config["DEFAULT_LANGUAGE"], skip_unsupported)
    except DataFileError as err:
        raise DraftError(err.problems, err.unlisted) from None
    return add_draft(found.raw, found.audio, found.warnings)


def publish(questionnaire_id: str, version: int) -> Questionnaire:
    """Freeze a draft as the published version; the one it replaces is kept, retired, for its old responses."""
    with writing() as lib:
        draft, current = lib.version(questionnaire_id, version), lib.published(questionnaire_id)
        if draft is None or draft.status != "draft":
            raise DraftError([Problem(questionnaire_id, None, "", f"version {version} is not a draft")])
        register = versions.read_register(folder())
        register.setdefault(questionnaire_id, {})[version] = versions.fingerprint(draft)
        write_atomically(folder() / versions.VERSIONS_DIR / versions.REGISTER_FILE, versions.register_text(register))
        if current is not None:
            retired = load_text(versions.published_path(folder(), questionnaire_id))
            retired["status"] = "retired"
            write_atomically(versions.version_path(folder(), questionnaire_id, current.version), dump_text(retired))
        source = versions.version_path(folder(), questionnaire_id, version)
        raw = load_text(source)
        raw["status"] = "published"
        write_atomically(versions.published_path(folder(), questionnaire_id), dump_text(raw))
        source.unlink()
        import_warnings.forget(questionnaire_id, version)
        db.session.commit()
    return library().published(questionnaire_id)


def delete_draft(questionnaire_id: str, version: int) -> None:
    """Delete a draft and the recordings waiting with it (its test answers and feedback stay in the database)."""
    with writing() as lib:
        draft = lib.version(questionnaire_id, version)
        if draft is None or draft.status != "draft":
            raise DraftError([Problem(questionnaire_id, None, "", f"version {version} is not a draft")])
        versions.version_path(folder(), questionnaire_id, version).unlink()
        shutil.rmtree(audio_folder(questionnaire_id, version), ignore_errors=True)
        import_warnings.forget(questionnaire_id, version)
        db.session.commit()


def stamp(app: Flask) -> tuple:
    """Return the modification times of the questionnaire folders: every write through here changes one."""
    root = Path(app.config["QUESTIONNAIRE_DIR"])
    dirs = [root, root / versions.VERSIONS_DIR]
    if dirs[1].is_dir():
        dirs += sorted(p for p in dirs[1].iterdir() if p.is_dir())
    return tuple((p.name, p.stat().st_mtime_ns) for p in dirs if p.exists())


def reload(app: Flask) -> None:
    """Load the questionnaires again (keeping the old ones, with an error in the log, if they are broken)."""
    app.extensions[STAMP] = stamp(app)
    try:
        app.extensions[LIBRARY] = load_library(Path(app.config["QUESTIONNAIRE_DIR"]),
                                                        Path(app.config["PICTOGRAM_DIR"]))
    except DataFileError as err:
        # error, not exception: a problem in the data files, which the message lists; a traceback would bury it
        log.error("questionnaires changed on disk but have problems; "  # noqa: TRY400
                  "still using the ones loaded before:\n%s", err)
        return
    speech.learn(app)


def refresh_if_changed() -> None:
    """Reload before a request when another process (or a person) changed the questionnaire folders."""
    app = current_app._get_current_object()
    if app.extensions.get(STAMP) != stamp(app):
        reload(app)


def init_app(app: Flask) -> None:
    """Remember the folders' state as loaded, and check it before every request."""
    app.extensions[STAMP] = stamp(app)
    app.before_request(refresh_if_changed)
