"""The baseline: a bare Flask + SQLAlchemy endpoint that inserts one row per request."""
import os
import secrets

from flask import Flask, request
from sqlalchemy import String, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class Row(Base):
    __tablename__ = "bare_answer"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(64))


def create_app() -> Flask:
    engine = create_engine(os.environ["BARE_DATABASE_URL"])
    if engine.url.get_backend_name() == "sqlite":
        @event.listens_for(engine, "connect")
        def _wal(conn, _):
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("PRAGMA synchronous=NORMAL")
    Base.metadata.create_all(engine)
    app = Flask(__name__)

    @app.post("/answer")
    def answer():
        with Session(engine) as session:
            session.add(Row(id=secrets.token_hex(16), value=request.form.get("answer", "")))
            session.commit()
        return "", 204

    return app
