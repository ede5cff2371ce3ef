"""Answering: the respondent's pages, from a unit link, a code or a tablet to the thank-you page.

Layers: `answers` (one answer checked against its question; pure), `store` (the one place that decides what a
response records, and stores answers), `invitations` (single-use codes), `views` and `tablet` (pages), `cli`.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the respondent's pages and tablet mode."""
    from survey.respond import tablet, views
    app.register_blueprint(views.bp)
    app.register_blueprint(tablet.bp)


def commands() -> list:
    """Return the answering side's commands: invitation cards."""
    from survey.respond import cli
    return list(cli.COMMANDS)
