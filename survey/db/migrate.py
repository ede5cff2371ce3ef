"""Schema migrations with Alembic, run on the app's own database connection."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from survey.db import db


def _config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade() -> None:
    """Bring the database schema up to the newest revision (call inside an app context)."""
    with db.engine.begin() as connection:
        command.upgrade(_config(connection), "head")


def revision(message: str) -> None:
    """Write a new migration from the difference between models and database (for developers)."""
    with db.engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)


def known_revisions() -> list[str]:
    """Return every revision this version of the service knows, newest first."""
    script = ScriptDirectory(str(Path(__file__).parent / "migrations"))
    return [r.revision for r in script.walk_revisions()]
