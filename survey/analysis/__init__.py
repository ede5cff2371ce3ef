"""Results: counted in SQL, scored and suppressed in pure code, shown, exported and reported.

Layers: `counting` (GROUP BY in the database), `scoring` and `suppression` (pure: figures per question and
flag, and which of them may be shown), `exports` (tables for CSV and Excel; pure), `service` (the one way to
get figures: pages, API, reports and the command line all call it), `charts` and `reports` (SVG and PDF),
`views` and `api` (pages and JSON), `cli`.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the analysts' pages and the JSON API."""
    from survey.analysis import api, views
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)


def commands() -> list:
    """Return the results' commands: `survey export ...`."""
    from survey.analysis import cli
    return [cli.export]
