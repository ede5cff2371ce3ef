"""Results: counted in SQL, scored and suppressed in pure code, released once, then shown, exported, reported.

Layers: `counting` (GROUP BY in the database), `scoring`, `suppression` and `microdata` (pure: figures per
question and flag, which of them may be shown, and the rows microdata may hold), `exports` (tables for CSV and
Excel; pure), `releases` (a closed round's figures computed once, audited and stored), `service` (the one way to
released figures: pages, API, reports and the command line all call it), `charts` and `reports` (SVG and PDF),
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
    """Return the results' commands: `survey release`, `survey export ...`."""
    from survey.analysis import cli
    return [cli.release_command, cli.export]
