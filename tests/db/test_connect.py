"""A database server that never answers fails a connection after survey.db.CONNECT_TIMEOUT seconds: it must not hold a
worker (or gunicorn's master, which compares the questionnaires before its first fork) for as long as TCP keeps
trying."""
import socket
import threading

import sqlalchemy as sa

import survey.db
from survey.db import engine_options


def test_a_database_server_that_never_answers_fails_the_connection_instead_of_holding_it(monkeypatch):
    silent = socket.create_server(("127.0.0.1", 0))  # the kernel completes the handshake; nobody ever answers
    monkeypatch.setattr(survey.db, "CONNECT_TIMEOUT", 1)
    url = f"postgresql+psycopg://survey@127.0.0.1:{silent.getsockname()[1]}/survey"
    engine = sa.create_engine(url, **engine_options(url))
    failed = []

    def connect():
        try:
            engine.connect()
        except sa.exc.OperationalError as err:
            failed.append(err)

    attempt = threading.Thread(target=connect, daemon=True)
    attempt.start()
    attempt.join(timeout=60)  # sixty times the timeout: a loaded machine does not make this fail
    silent.close()
    assert failed, "still waiting for the database server after 60 s"
