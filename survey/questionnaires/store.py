"""Questionnaire versions in the database, shared by every instance; the YAML files are the import/export format.

Every version (draft, published, retired) is a row holding its YAML text; a frozen one also holds the fingerprint it
was published with, and a row whose text no longer matches it is refused on loading. One counter row
(questionnaire_revision) moves with every change: each instance compares it with the revision it loaded before
every request, and reloads when it moved. The shipped files are imported once, when the table is still empty.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from survey.db import db
from survey.db.models import QuestionnaireRevision, QuestionnaireVersion
from survey.questionnaires import versions
from survey.questionnaires.files import DataFileError, Problem, line_of, read_yaml_text
from survey.questionnaires.model import Library, Questionnaire, parse_questionnaire

REVISION_ROW = 1


def name_of(questionnaire_id: str, version: int, status: str) -> str:
    """Name a version as staff see it in messages: where it lives in an export of the questionnaire folder."""
    if status == "published":
        return f"{questionnaire_id}.yaml"
    return f"{versions.VERSIONS_DIR}/{questionnaire_id}/v{version}.yaml"


def revision() -> int | None:
    """Return the questionnaires' revision now, or None when nothing was ever stored."""
    return db.session.scalar(sa.select(QuestionnaireRevision.revision).filter_by(id=REVISION_ROW))


def bump() -> None:
    """Move the revision on (the caller commits); on PostgreSQL this also locks the row until the commit, so that
    changes to the questionnaires are made one at a time across every instance."""
    moved = db.session.execute(sa.update(QuestionnaireRevision).filter_by(id=REVISION_ROW)
                               .values(revision=QuestionnaireRevision.revision + 1))
    if not moved.rowcount:
        db.session.add(QuestionnaireRevision(id=REVISION_ROW, revision=1))
        db.session.flush()


def row(questionnaire_id: str, version: int) -> QuestionnaireVersion | None:
    """Return one version's row, or None."""
    return db.session.get(QuestionnaireVersion, (questionnaire_id, version))


def load(base: Library) -> Library:
    """Load every version from the database, checked with the files' rules against the quality model and pictograms
    of `base`; raise DataFileError listing every problem (a frozen version changed since publishing among them)."""
    rows = db.session.scalars(sa.select(QuestionnaireVersion)).all()
    flag_ids, pictograms = base.quality_model.flag_ids(), set(base.pictograms)
    problems: list[Problem] = []
    found: dict[str, list[tuple[str, Questionnaire]]] = {}
    for stored in rows:
        name = name_of(stored.questionnaire_id, stored.version, stored.status)
        try:
            raw = read_yaml_text(name, stored.text)
            q = parse_questionnaire(name, raw, flag_ids, pictograms)
        except DataFileError as err:
            problems += err.problems
            continue
        problems += _row_problems(name, raw, stored, q)
        found.setdefault(q.id, []).append((name, q))
    for qid, family in found.items():
        problems += versions.family_problems(qid, family)
    if problems:
        raise DataFileError(problems)
    every = {qid: {q.version: q for _, q in family} for qid, family in found.items()}
    published = {q.id: q for family in found.values() for _, q in family if q.status == "published"}
    return Library(published, base.quality_model, base.pictograms, every)


def _row_problems(name: str, raw, stored: QuestionnaireVersion, q: Questionnaire) -> list[Problem]:
    """Check that a row's text says what the row says, and that a frozen version is as it was published."""
    said = (stored.questionnaire_id, stored.version, stored.status)
    if (q.id, q.version, q.status) != said:
        return [Problem(name, None, "", f"the text says {q.id} version {q.version} ({q.status}), "
                                        f"the database {said[0]} version {said[1]} ({said[2]})")]
    if q.status in versions.FROZEN and stored.fingerprint != versions.fingerprint(q):
        return [Problem(name, line_of(raw, ("version",)), "version",
                        f"version {q.version} of '{q.id}' was published with other content, and a published "
                        "version never changes: put the change in a new draft and publish that")]
    return []


def import_library(app: Flask, folder: Path) -> int | None:
    """Store every version of the library loaded from the questionnaire folder when the database holds none yet;
    return the new revision, or None when another instance was first (or the database holds versions already)."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(QuestionnaireVersion)):
        return None
    from survey.questionnaires import LIBRARY
    for q in app.extensions[LIBRARY].all_versions():
        path = (versions.published_path(folder, q.id) if q.status == "published"
                else versions.version_path(folder, q.id, q.version))
        db.session.add(QuestionnaireVersion(
            questionnaire_id=q.id, version=q.version, status=q.status, text=path.read_text(encoding="utf-8"),
            fingerprint=versions.fingerprint(q) if q.status in versions.FROZEN else None))
    bump()
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # another instance imported them at the same moment
        db.session.rollback()
        return None
    return revision()


def export_folder(folder: Path) -> list[Path]:
    """Write every version as the files' layout (published files, versions/, the fingerprint register); return the
    files written. The folder loads with `load_library` (and imports into an empty database) as it is."""
    rows = db.session.scalars(sa.select(QuestionnaireVersion).order_by(QuestionnaireVersion.questionnaire_id,
                                                                       QuestionnaireVersion.version)).all()
    written, register = [], {}
    for stored in rows:
        path = (versions.published_path(folder, stored.questionnaire_id) if stored.status == "published"
                else versions.version_path(folder, stored.questionnaire_id, stored.version))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(stored.text, encoding="utf-8")
        written.append(path)
        if stored.fingerprint:
            register.setdefault(stored.questionnaire_id, {})[stored.version] = stored.fingerprint
    path = folder / versions.VERSIONS_DIR / versions.REGISTER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(versions.register_text(register), encoding="utf-8")
    return [*written, path]
