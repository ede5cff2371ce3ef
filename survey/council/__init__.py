"""User councils' test mode: testers go through a questionnaire version and say what was hard to understand.

Layers: `store` (test sessions, answers and feedback in their own tables, never responses; the summary),
`views` (the testers' pages), `admin` (staff pages: links, posters, previews, the feedback summary).
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the testers' pages and the staff pages for test mode."""
    from survey.council import admin, views
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
