"""Drafts and publishing: the one place that changes questionnaire versions, and keeps every instance's library current.

Every change validates with the same parser as `survey check-questionnaires`, is made in one transaction that first
moves the revision counter (survey/questionnaires/store.py: on PostgreSQL that row lock makes changes one at a
time across instances), and then reloads the library. Every other instance compares the counter before its next
request (an answer's at most once a second: see ANSWER_PAGES) and reloads too.
"""
from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, request
from ruamel.yaml import YAML

from survey.council import store as council
from survey.db import db
from survey.db.models import DraftRecording, QuestionnaireVersion
from survey.questionnaires import LIBRARY, import_warnings, library, store, versions
from survey.questionnaires.files import DataFileError, Problem, read_yaml_text
from survey.questionnaires.model import Library, Questionnaire, parse_questionnaire
from survey.questionnaires.xlsform.parse import parse_workbook
from survey.questionnaires.xlsform.read import Findings
from survey.speech import recordings
from survey.speech import views as speech

log = logging.getLogger(__name__)
STAMP = "survey.library_revision"  # the revision the loaded library is at (None: not yet compared)
UNCHECKED = "survey.library_unchecked"  # the last comparison failed (warned once until one succeeds)


class DraftError(DataFileError):
    """A draft that cannot be written or published; `problems` say why, in the files' own words."""


def folder() -> Path:
    """Return the questionnaire folder: the shipped versions, imported once into an empty database."""
    return Path(current_app.config["QUESTIONNAIRE_DIR"])


def _editing_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True  # "no" and "yes" stay quoted for readers that still speak YAML 1.1
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_text(text: str) -> Any:
    """Load a version's YAML text for editing, keeping comments, order and quotes."""
    return _editing_yaml().load(text)


def dump_text(raw: Any) -> str:
    """Write loaded (and edited) YAML back to text."""
    out = StringIO()
    _editing_yaml().dump(raw, out)
    return out.getvalue()


def text_of(questionnaire_id: str, version: int) -> str:
    """Return a version's YAML text as stored (comments kept)."""
    found = store.row(questionnaire_id, version)
    if found is None:
        raise DraftError([Problem(questionnaire_id, None, "", f"'{questionnaire_id}' has no version {version}")])
    return found.text


def name_of(q: Questionnaire) -> str:
    """Name a version as messages and exports do (versions/ID/vN.yaml)."""
    return store.name_of(q.id, q.version, q.status)


@contextmanager
def writing() -> Iterator[Library]:
    """Take the questionnaires' lock, yield the library as the database holds it now, and commit what the block
    changed (or nothing, if it raised); reload afterwards."""
    sync(current_app._get_current_object())
    try:
        store.bump()
        try:
            stored = store.load(library())
        except DataFileError as err:  # a frozen version changed in the database: write nothing until it is fixed
            raise DraftError(err.problems) from None
        yield stored
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        reload(current_app._get_current_object())


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
        raw = load_text(text_of(questionnaire_id, base.version))
        raw["version"], raw["status"] = next_version(lib, questionnaire_id), "draft"
        db.session.add(QuestionnaireVersion(questionnaire_id=questionnaire_id, version=raw["version"],
                                            status="draft", text=dump_text(raw)))
        import_warnings.forget(questionnaire_id, raw["version"])  # none, unless a deletion failed to forget them
    return library().version(questionnaire_id, raw["version"])


def save_draft(questionnaire_id: str, version: int, text: str) -> Questionnaire:
    """Replace a draft's text after checking it with the files' own rules; its id, version and status stay."""
    with writing() as lib:
        old = lib.version(questionnaire_id, version)
        if old is None or old.status != "draft":
            raise DraftError([Problem(questionnaire_id, None, "", f"version {version} is not a draft: "
                                      "a published version never changes")])
        name = store.name_of(questionnaire_id, version, "draft")
        _raw, parsed = check(name, text, lib)
        fixed = {"id": questionnaire_id, "version": version, "status": "draft"}
        wrong = [Problem(name, None, key, f"must stay {value!r} (a draft keeps its id and number)")
                 for key, value in fixed.items() if getattr(parsed, key) != value]
        if wrong:
            raise DraftError(wrong)
        store.row(questionnaire_id, version).text = text
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
        text = dump_text(raw)
        check(store.name_of(qid, raw["version"], "draft"), text, lib)
        import_warnings.keep(qid, raw["version"], [str(w) for w in warnings.listed] if warnings else [],
                             warnings.unlisted if warnings else 0)
        db.session.add(QuestionnaireVersion(questionnaire_id=qid, version=raw["version"], status="draft", text=text))
        db.session.add_all(DraftRecording(questionnaire_id=qid, version=raw["version"], item=item, lang=lang,
                                          audio=data) for (item, lang), data in audio.items())
    return library().version(qid, raw["version"])


def draft_recordings(questionnaire_id: str, version: int) -> dict[tuple[str, str], bytes]:
    """Return the recordings waiting with a draft: (item, language) -> MP3."""
    rows = db.session.scalars(sa.select(DraftRecording).filter_by(questionnaire_id=questionnaire_id, version=version))
    return {(r.item, r.lang): r.audio for r in rows}


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
    """Freeze a draft as the published version, with its fingerprint; the one it replaces is kept, retired, for
    its old responses. A draft numbered at or below a version already published is refused."""
    with writing() as lib:
        draft, current = lib.version(questionnaire_id, version), lib.published(questionnaire_id)
        if draft is None or draft.status != "draft":
            raise DraftError([Problem(questionnaire_id, None, "", f"version {version} is not a draft")])
        frozen = [q.version for q in lib.answered_versions(questionnaire_id).values()]
        if frozen and version <= max(frozen):
            raise DraftError([Problem(questionnaire_id, None, "", f"version {max(frozen)} is published already: "
                                      f"version {version} cannot be published over it")])
        if current is not None:
            _restate(store.row(questionnaire_id, current.version), "retired")
        _restate(store.row(questionnaire_id, version), "published").fingerprint = versions.fingerprint(draft)
        import_warnings.forget(questionnaire_id, version)
    return library().published(questionnaire_id)


def _restate(stored: QuestionnaireVersion, status: str) -> QuestionnaireVersion:
    """Give a stored version another status, in its row and its text (comments kept; the fingerprint leaves the
    status out, so retiring a version changes nothing it said)."""
    raw = load_text(stored.text)
    raw["status"] = status
    stored.status, stored.text = status, dump_text(raw)
    return stored


def delete_draft(questionnaire_id: str, version: int) -> None:
    """Delete a draft and the recordings waiting with it (its test answers and feedback stay in the database)."""
    with writing() as lib:
        draft = lib.version(questionnaire_id, version)
        if draft is None or draft.status != "draft":
            raise DraftError([Problem(questionnaire_id, None, "", f"version {version} is not a draft")])
        db.session.delete(store.row(questionnaire_id, version))
        db.session.execute(sa.delete(DraftRecording).filter_by(questionnaire_id=questionnaire_id, version=version))
        import_warnings.forget(questionnaire_id, version)


def reload(app: Flask) -> None:
    """Load the questionnaires from the database again (keeping the old ones, with an error in the log, if a version
    is broken or was changed since publishing)."""
    app.extensions[STAMP] = store.revision()
    recordings.forget_found(app)
    try:
        app.extensions[LIBRARY] = store.load(app.extensions[LIBRARY])
    except DataFileError as err:
        # error, not exception: a problem in the data, which the message lists; a traceback would bury it
        log.error("questionnaires changed in the database but have problems; "  # noqa: TRY400
                  "still using the ones loaded before:\n%s", err)
        return
    speech.learn(app)


def sync(app: Flask) -> None:
    """Bring the library to the database's revision: import the shipped files into an empty database, or reload
    when another instance (or this one) changed a version since it was loaded."""
    now = store.revision()
    if now is None:
        now = store.import_library(app, Path(app.config["QUESTIONNAIRE_DIR"]))
        if now is not None:  # what was loaded from the files is what the database holds now
            app.extensions[STAMP] = now
            return
    if now is None or now != app.extensions.get(STAMP):
        reload(app)


# The answer pages compare at most once a second: they ask for the version their response began with, which never
# changes once published, and refresh at once when this instance has not seen it yet (`refresh`); a recording made
# through another instance is heard here within the second. That saves a query on the path every answer takes; the
# start of a response, where the newest version is chosen, and every other page still compare first.
ANSWER_PAGES = frozenset({"respond.question", "respond.answer"})
ANSWER_PAGES_COMPARE_EVERY = 1.0  # seconds
COMPARED_AT = "survey.library_compared_at"  # time.monotonic() of this instance's last comparison


def refresh_if_changed() -> None:
    """Before a request: reload the questionnaires if their revision moved (one small query)."""
    if request.endpoint == "static":
        return
    if request.endpoint in ANSWER_PAGES and \
            time.monotonic() - current_app.extensions.get(COMPARED_AT, -math.inf) < ANSWER_PAGES_COMPARE_EVERY:
        return
    refresh()


def refresh() -> None:
    """Bring the library to the database's revision now. If the database cannot answer (down, or not migrated
    yet), the request goes on with the questionnaires loaded before: a page that needs the database says "try
    again soon" itself."""
    app = current_app._get_current_object()
    try:
        sync(app)
    except sa.exc.DBAPIError as err:
        db.session.rollback()
        if not app.extensions.get(UNCHECKED):
            log.warning("could not compare the questionnaires with the database (%s); using those loaded before",
                        type(err.orig).__name__)
        app.extensions[UNCHECKED] = True
    else:
        app.extensions[UNCHECKED] = False
        app.extensions[COMPARED_AT] = time.monotonic()


def init_app(app: Flask) -> None:
    """Compare the library with the database's revision before every request."""
    app.extensions[STAMP] = None
    app.before_request(refresh_if_changed)
