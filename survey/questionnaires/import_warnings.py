"""What an XLSForm import left out or changed, kept per draft (table import_warnings) until it is published or deleted.

Only survey/questionnaires/drafts.py calls keep and forget, inside its own transaction; the editor reads."""
from __future__ import annotations

from sqlalchemy import delete

from survey.db import db
from survey.db.models import ImportWarnings


def keep(questionnaire_id: str, version: int, listed: list[str], unlisted: int) -> None:
    """Remember a draft's import warnings, replacing any an earlier draft of that number left (the caller commits)."""
    forget(questionnaire_id, version)
    if listed or unlisted:
        db.session.add(ImportWarnings(questionnaire_id=questionnaire_id, version=version, listed=list(listed),
                                      unlisted=unlisted))


def of(questionnaire_id: str, version: int) -> ImportWarnings | None:
    """Return the warnings the import of a draft left, or None."""
    return db.session.get(ImportWarnings, (questionnaire_id, version))


def forget(questionnaire_id: str, version: int) -> None:
    """Drop a draft's import warnings (the caller commits)."""
    db.session.execute(delete(ImportWarnings).filter_by(questionnaire_id=questionnaire_id, version=version))
