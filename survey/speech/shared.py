"""Speech clips shared by every instance: made once by one of them, kept in the database (table speech_clip), and
copied into an instance's own clip folder the first time that instance serves them.

On PostgreSQL an advisory lock per clip makes sure one instance synthesises while the others wait and then copy;
SQLite runs on one machine, where the clip folder's own lock (survey/speech/cache.py) does it.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from survey.db.models import SpeechClip
from survey.speech.cache import Maker


def once(engine: sa.Engine, key: str, make: Maker) -> Maker:
    """Return a maker that copies the clip from the database, or else makes it with `make` (one instance at a time
    per clip) and keeps it there for every other instance."""
    def write(path: Path) -> None:
        with engine.connect() as connection:
            if _copied(connection, key, path):
                return
            with _clip_lock(connection, key):
                if _copied(connection, key, path):  # made by another instance while this one waited
                    return
                make(path)
                _keep(connection, key, path.read_bytes())
    return write


def stored(engine: sa.Engine, key: str) -> bool:
    """Say whether the database holds this clip."""
    with engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(SpeechClip).filter_by(key=key)) > 0


def _copied(connection: sa.Connection, key: str, path: Path) -> bool:
    """Write the stored clip to path; say whether there was one."""
    audio = connection.scalar(sa.select(SpeechClip.audio).filter_by(key=key))
    connection.rollback()  # end the read: the next one (after the lock) must see what others committed since
    if audio is None:
        return False
    path.write_bytes(audio)
    return True


def _keep(connection: sa.Connection, key: str, audio: bytes) -> None:
    """Store a clip just made (if another instance stored it first, theirs stays: the same key is the same sound)."""
    try:
        connection.execute(sa.insert(SpeechClip).values(key=key, audio=audio))
        connection.commit()
    except sa.exc.IntegrityError:
        connection.rollback()


@contextmanager
def _clip_lock(connection: sa.Connection, key: str) -> Iterator[None]:
    """Hold a lock for this clip across instances (PostgreSQL's advisory lock; nothing needed on SQLite)."""
    if connection.dialect.name != "postgresql":
        yield
        return
    number = int(key[:15], 16)  # 60 bits of the key: fits PostgreSQL's bigint
    connection.execute(sa.select(sa.func.pg_advisory_lock(number)))
    try:
        yield
    finally:
        connection.rollback()
        connection.execute(sa.select(sa.func.pg_advisory_unlock(number)))
        connection.commit()
