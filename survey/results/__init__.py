"""Results back to the people who answered: an easy-read page per unit and release, its A4 poster, and the unit's
tablet showing it.

Layers: `easyread` (pure: an answer as "7 of 10 said yes", the people drawn, what the run chart allows us to say
about the change), `views` (the page and the poster, reading released figures through survey/analysis/service.py
only).
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the easy-read results pages."""
    from survey.results import staff, views
    app.register_blueprint(views.bp)
    app.register_blueprint(staff.bp)
