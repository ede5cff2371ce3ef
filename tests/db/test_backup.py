"""`survey backup` copies a consistent snapshot while answers are written; `survey restore` checks before it writes."""
import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa

from survey import create_app
from survey.cli import main
from survey.db import db
from survey.db.models import Answer, Response, Round, Unit
from tests.helpers import make_unit

ANSWERS_PER_RESPONSE = 5


@pytest.fixture
def sqlite_only(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL is backed up with pg_dump (see test_backup_on_postgresql_points_to_pg_dump)")


def write_responses(app, stop: threading.Event, written: list) -> None:
    """Keep adding responses of exactly five answers each, one transaction per response."""
    with app.app_context():
        unit_id, round_id = db.session.execute(sa.select(Unit.id, Round.id).join(Round.units)).one()
        while not stop.is_set():
            response = Response(unit_id=unit_id, round_id=round_id, questionnaire_id="user", questionnaire_version=1,
                                language="sv", channel="link", completed=True)
            db.session.add(response)
            db.session.flush()
            db.session.add_all(Answer(response_id=response.id, question_key=f"q{i}", option="yes")
                               for i in range(ANSWERS_PER_RESPONSE))
            db.session.commit()
            written.append(response.id)


def rows(url_or_path) -> dict[str, list]:
    """Every row of the anonymous tables and units, sorted, from a database URL or file."""
    engine = sa.create_engine(url_or_path if "://" in str(url_or_path) else f"sqlite:///{url_or_path}")
    with engine.connect() as connection:
        found = {t: sorted(connection.execute(sa.text(f"SELECT * FROM {t}")).all())
                 for t in ("unit", "survey_round", "response", "answer")}
    engine.dispose()
    return found


def test_backup_during_writes_is_a_consistent_snapshot_that_restores_exactly(app, runner, database_url, tmp_path,
                                                                            sqlite_only):
    make_unit(app)
    stop, written = threading.Event(), []
    writer = threading.Thread(target=write_responses, args=(app, stop, written))
    writer.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        result = runner.invoke(main, ["backup", "--out", str(tmp_path / "backup.sqlite")])
        during = len(written)
        while len(written) < during + 20:  # the writer was never blocked
            time.sleep(0.01)
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0 and "integrity ok" in result.output, result.output
    copy = rows(tmp_path / "backup.sqlite")
    per_response = {}
    for answer in copy["answer"]:
        per_response[answer[0]] = per_response.get(answer[0], 0) + 1
    assert {r[0] for r in copy["response"]} == set(per_response)  # no response torn from its answers
    assert set(per_response.values()) == {ANSWERS_PER_RESPONSE}
    assert 20 <= len(copy["response"]) < len(written)
    live = rows(database_url)
    assert set(copy["response"]) <= set(live["response"]) and set(copy["answer"]) <= set(live["answer"])

    fresh = create_app({"SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite'}"})
    restored = restore(fresh, tmp_path / "backup.sqlite")
    assert restored.exit_code == 0 and "integrity ok" in restored.output, restored.output
    assert rows(tmp_path / "fresh.sqlite") == copy
    with fresh.app_context():
        db.engine.dispose()


def script_info(app):
    from flask.cli import ScriptInfo
    return ScriptInfo(create_app=lambda: app)


def restore(app, path, *flags):
    from survey.cli import main
    return app.test_cli_runner().invoke(main, ["restore", str(path), *flags], obj=script_info(app))


def test_restore_refuses_to_overwrite_data_without_force(app, runner, tmp_path, sqlite_only):
    make_unit(app)
    assert runner.invoke(main, ["backup", "--out", str(tmp_path / "b.sqlite")]).exit_code == 0
    refused = runner.invoke(main, ["restore", str(tmp_path / "b.sqlite")])
    assert refused.exit_code != 0 and "--force" in refused.output
    assert runner.invoke(main, ["restore", str(tmp_path / "b.sqlite"), "--force"]).exit_code == 0


def test_restore_refuses_a_damaged_file_and_an_unknown_schema(app, runner, tmp_path, sqlite_only):
    make_unit(app)
    runner.invoke(main, ["backup", "--out", str(tmp_path / "b.sqlite")])
    damaged = bytearray((tmp_path / "b.sqlite").read_bytes())
    damaged[4096:8192] = b"\xde\xad" * 2048
    (tmp_path / "damaged.sqlite").write_bytes(bytes(damaged))
    (tmp_path / "garbage.sqlite").write_bytes(b"not a database at all" * 100)
    connection = sqlite3.connect(tmp_path / "b.sqlite")
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.close()
    for name, expected in (("damaged.sqlite", "damaged"), ("garbage.sqlite", "not a database"),
                           ("b.sqlite", "unknown schema revision '9999_future'")):
        result = runner.invoke(main, ["restore", str(tmp_path / name), "--force"])
        assert result.exit_code != 0 and expected in result.output, (name, result.output)
    with app.app_context():
        assert db.session.scalar(sa.select(Unit.slug)) == "bjorken"  # untouched


def test_backup_on_postgresql_points_to_pg_dump(runner, database_url, tmp_path):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite is backed up by `survey backup`")
    result = runner.invoke(main, ["backup", "--out", str(tmp_path / "b")])
    assert result.exit_code != 0 and "pg_dump" in result.output
