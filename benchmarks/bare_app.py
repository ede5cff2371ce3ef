"""The baseline: a bare Flask + SQLAlchemy endpoint that inserts one row per request.

It connects as the service does (survey.db: on SQLite the rollback journal, busy timeout and synchronous=FULL;
on PostgreSQL a pre-ping of pooled connections), so the two endpoints are compared on the same database, equally
durable."""
import os
import secrets
import sys
from pathlib import Path

from flask import Flask, request
from sqlalchemy import String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# survey.db's connect listener gives every SQLite engine the service's settings (SQLITE_PRAGMAS), this one too.
from survey.db import engine_options


class Base(DeclarativeBase):
    pass


class Row(Base):
    __tablename__ = "bare_answer"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(64))


def create_table(url: str) -> None:
    """Create the table once, before the server starts (workers creating it at once would race)."""
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()


def create_app() -> Flask:
    url = os.environ["BARE_DATABASE_URL"]
    engine = create_engine(url, **engine_options(url))
    app = Flask(__name__)

    @app.post("/answer")
    def answer():
        with Session(engine) as session:
            session.add(Row(id=secrets.token_hex(16), value=request.form.get("answer", "")))
            session.commit()
        return "", 204

    return app
