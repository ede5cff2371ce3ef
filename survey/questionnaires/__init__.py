"""Questionnaires and the quality model as data: parsed once, versioned, edited as drafts, tested, published.

Layers: `files` (reading YAML with precise problems), `model`, `quality`, `pictograms` (the canonical
structures, pure), `versions` and `comparability` (where each version lives, which results compare; pure),
`drafts` (the one place that writes questionnaire files), `import_warnings` (what an XLSForm import left
out, kept per draft in the database), `xlsform/` (XLSForm in and out), `editor` and `forms` (the web editor),
`cli`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from survey.questionnaires.model import Library

LIBRARY = "survey.library"  # where the app keeps the loaded Library (app.extensions)


def library() -> Library:
    """Return the questionnaires, quality model and pictograms the app has loaded (reloaded when they change)."""
    return current_app.extensions[LIBRARY]


def init_app(app: Flask) -> None:
    """Load the questionnaires (refusing broken ones), watch them for changes, and add the editor's pages (whose
    XLSForm import takes uploads up to XLSFORM_UPLOAD_LIMIT)."""
    from survey.questionnaires import drafts, editor
    from survey.web.security import allow_upload
    drafts.init_app(app)
    app.register_blueprint(editor.bp)
    allow_upload(app, "editor.import_xlsform", "XLSFORM_UPLOAD_LIMIT")


def commands() -> list:
    """Return the questionnaires' commands: check, draft, publish, XLSForm in and out."""
    from survey.questionnaires import cli
    return list(cli.COMMANDS)
