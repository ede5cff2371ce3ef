"""The `survey` command: set up, demo data, questionnaire checks, administrators."""
import shutil
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from survey.cli import main
from survey.db import db
from survey.db.models import Account, Release, Round, Unit
from survey.staff import accounts
from tests.helpers import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_demo_adds_units_with_open_rounds_and_a_released_history_and_is_safe_to_run_twice(app, runner):
    first = runner.invoke(main, ["demo"])
    assert first.exit_code == 0 and "/u/bjorken" in first.output and "/u/eken" in first.output, first.output
    assert "24 earlier quarters answered and released" in first.output
    assert "6 months of Pulsen i Ateljén (a monthly pulse of two questions) answered and released" in first.output
    again = runner.invoke(main, ["demo"])
    assert again.exit_code == 0 and "earlier quarters" not in again.output and "months of" not in again.output
    with app.app_context():
        # with two pooled small homes, and Ateljén's monthly pulse
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 8
        assert {r.questionnaire_id for r in db.session.scalars(sa.select(Round))} == {"user", "staff"}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Release)) == 24 + 6
        open_round = db.session.scalar(sa.select(Round).where(Round.closes_on >= sa.func.current_date(),
                                                              Round.name.startswith("Demo")))
        assert len(open_round.units) == 7
    client = app.test_client()
    verkstan = client.get("/u/verkstan/results?lang=sv").get_data(as_text=True)
    # Its improvement is two years old and has held: its run chart shows no new change since
    assert "Ungefär lika många sa ja som förut." in verkstan and "Fler sa ja än förut." not in verkstan
    eken = client.get("/u/eken/results?lang=sv").get_data(as_text=True)
    assert "Det här är svaren från Gruppbostäderna i Norra området" in eken
    assert client.get("/u/ateljen").headers["Location"] == "/u/ateljen/user"  # this month's pulse is open
    ateljen = client.get("/u/ateljen/results?lang=sv").get_data(as_text=True)  # last month's pulse: two questions
    assert ateljen.count('class="result"') == 2, ateljen


def test_create_admin_hashes_the_password(app, runner):
    result = runner.invoke(main, ["create-admin", "Chef@Kommun.se", "--name", "Chef"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        account = db.session.scalar(sa.select(Account))
        assert account.email == "chef@kommun.se" and account.role == "administrator"
        assert PASSWORD not in account.password_hash and account.password_hash.startswith("scrypt:")
        assert accounts.authenticate("chef@kommun.se", PASSWORD) is not None
        assert accounts.authenticate("chef@kommun.se", PASSWORD + "x") is None


def test_create_admin_refuses_a_short_password(runner):
    result = runner.invoke(main, ["create-admin", "a@b.se"], input="short\nshort\n")
    assert result.exit_code != 0 and "at least 12 characters" in result.output


def check(*files: str):
    return subprocess.run([sys.executable, "-m", "survey.cli", "check-questionnaires", *files],
                          capture_output=True, text=True, cwd=ROOT)


def test_check_questionnaires_passes_the_shipped_files():
    result = check()
    assert result.returncode == 0 and "ok  user v1" in result.stdout and "ok  staff v1" in result.stdout


def test_check_questionnaires_names_file_line_and_item_and_exits_non_zero(tmp_path):
    broken = tmp_path / "broken.yaml"
    text = (ROOT / "questionnaires/user.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("pictogram: decide", "pictogram: no_such_picture", 1), encoding="utf-8")
    result = check(str(broken))
    assert result.returncode == 1
    assert "broken.yaml:" in result.stderr and "unknown pictogram 'no_such_picture'" in result.stderr
    assert "1 problem(s) found." in result.stderr


def test_app_refuses_to_start_with_a_broken_published_questionnaire(tmp_path):
    folder = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", folder)
    user = folder / "user.yaml"
    user.write_text(user.read_text(encoding="utf-8").replace("flags: [staff_approach, staff_able]", "flags: [nope]", 1))
    code = ("from survey import create_app; "
            f"create_app({{'SECRET_KEY': 'x', 'QUESTIONNAIRE_DIR': {str(folder)!r}}})")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and "unknown flag 'nope'" in result.stderr


def test_demo_makes_one_administrator_and_prints_the_password_once(app, runner):
    first = runner.invoke(main, ["demo", "--no-history"])
    assert "admin@demo.example / " in first.output
    password = first.output.split("admin@demo.example / ")[1].split()[0]
    with app.app_context():
        assert accounts.authenticate("admin@demo.example", password) is not None
    assert "admin@demo.example" not in runner.invoke(main, ["demo", "--no-history"]).output
