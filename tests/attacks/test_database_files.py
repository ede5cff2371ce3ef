"""Attack 5: an insider with a copy of the database files links an invitation code to its response and answers.

Before: using a code and creating its response were written together, and reading SQLite's WAL frame by frame gave
code hash → response → answers, in order; the files were world-readable. Now SQLite keeps no log once a write is
done (a rollback journal, deleted at commit), every code of the round is sealed anew at each use (a keyed hash over
its state and a fresh nonce), no response holds a date, and the files and backups are the owner's alone."""
from __future__ import annotations

import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Invitation, Response
from survey.respond import invitations
from tests.helpers import Respondent, issue_codes, make_unit


def seals(app) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(sa.select(Invitation.code_hash, Invitation.seal)).all())


def use_code(app, code: str) -> None:
    person = Respondent(app.test_client(), "bjorken")
    person.get(f"/c?code={code}", follow_redirects=True)
    person.start()
    person.answer(1, "yes")


def test_a_code_use_rewrites_every_code_of_the_round_so_none_is_told_apart(app):
    make_unit(app)
    codes = issue_codes(app, count=8)
    for code in codes[:3]:
        use_code(app, code)
    before = seals(app)
    use_code(app, codes[5])
    after = seals(app)
    assert set(before) == set(after) and all(before[h] != after[h] for h in before)  # every row changed
    # Without the app's secret, a seal says nothing: it verifies as neither used nor unused.
    for code_hash, sealed in after.items():
        nonce, _, tag = sealed.partition(":")
        assert tag not in (invitations._tag(code_hash, used, nonce, "guess") for used in (True, False))
    with app.app_context():
        assert sum(invitations.is_used(h, s, app.config["SECRET_KEY"]) for h, s in after.items()) == 4
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("response")}
        assert not {"submitted_on", "created", "date", "time"} & columns
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 4


def test_sqlite_keeps_no_log_of_writes_and_the_files_are_private(app, database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's files")
    make_unit(app)
    use_code(app, issue_codes(app)[0])
    path = Path(database_url.removeprefix("sqlite:///"))
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "delete"
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-journal").exists()  # nothing after the commit
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    from survey.cli import main
    result = app.test_cli_runner().invoke(main, ["backup", "--out", str(tmp_path / "copy.sqlite")])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "copy.sqlite").stat().st_mode) == 0o600


def test_postgresql_stamps_every_code_of_the_round_with_one_transaction(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's row versions")
    make_unit(app)
    codes = issue_codes(app, count=6)
    use_code(app, codes[2])
    with app.app_context():
        stamps = set(db.session.scalars(sa.text("SELECT xmin::text FROM invitation")))
    assert len(stamps) == 1  # one rewrite of all of them: the row versions do not say which code was used
