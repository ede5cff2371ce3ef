"""Staff: accounts and roles, log-in, the organisation's units and rounds, response rates, cards and posters.

Layers: `accounts` (roles, and which units an account may see), `organisation` (areas, units, rounds), `series`
(continuous surveys: a round per month or quarter, and their pulse; `schedule` their periods, pure),
`rates` (live response counts), `cards` (printed cards and posters), `demo`, `demo_history`, `demo_pulse` (a demo
organisation) hold the rules and storage; `auth`, `views` and `admin` are pages, with their forms in `forms`; `cli`.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Set up log-in and add the staff and administration pages."""
    from survey.staff import admin, auth, views
    auth.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)


def commands() -> list:
    """Return the staff side's commands: demo data, the first administrator."""
    from survey.staff import cli
    return list(cli.COMMANDS)
