"""Questionnaires and the quality model as data: parsed once, versioned, edited as drafts, tested, published.

Layers: `files` (reading YAML with precise problems), `model`, `quality`, `pictograms` (the canonical
structures, pure), `versions` and `comparability` (the files' layout and fingerprints, which results compare; pure),
`store` (every version in the database, shared by all instances; the files are imported once and exported),
`drafts` (the one place that changes versions), `import_warnings` (what an XLSForm import left
out, kept per draft in the database), `xlsform/` (XLSForm in and out), `editor` and `forms` (the web editor),
`cli`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app, has_request_context

if TYPE_CHECKING:
    from survey.questionnaires.model import Library

LIBRARY = "survey.library"  # where the app keeps the loaded Library (app.extensions)


def library() -> Library:
    """Return the questionnaires, quality model and pictograms the app has loaded (reloaded when they change in the
    database: before every request, and here the first time outside one, as in a command)."""
    from survey.questionnaires import drafts
    app = current_app._get_current_object()
    if drafts.STAMP in app.extensions and app.extensions[drafts.STAMP] is None and not has_request_context():
        drafts.sync(app)  # in a request, refresh_if_changed compared already (or could not: the database is down)
    return app.extensions[LIBRARY]


def init_app(app: Flask) -> None:
    """Keep the questionnaires current with the database's revision, and add the editor's pages (whose
    XLSForm import takes uploads up to XLSFORM_UPLOAD_LIMIT)."""
    from survey.questionnaires import drafts, editor
    from survey.web.security import allow_upload
    drafts.init_app(app)
    app.register_blueprint(editor.bp)
    allow_upload(app, "editor.import_xlsform", "XLSFORM_UPLOAD_LIMIT")


def commands() -> list:
    """Return the questionnaires' commands: check, draft, publish, export, XLSForm in and out."""
    from survey.questionnaires import cli
    return list(cli.COMMANDS)
