"""Invitation cards: print, scan every QR code, follow it; codes are single-use and stored only hashed."""
import datetime as dt
import re
import subprocess
import threading

import pytest
import sqlalchemy as sa

from survey.cli import main
from survey.db import db
from survey.db.models import Invitation, Response, Round, Unit
from survey.respond import invitations
from tests.helpers import Respondent, csrf_token, login, make_account, make_unit


def unit_and_round(app, slug="bjorken"):
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.slug == slug))
        survey_round = db.session.scalar(sa.select(Round).where(Round.units.any(Unit.id == unit.id)))
        return unit.id, survey_round.id


def print_cards(app, client, count=10, lang="sv") -> bytes:
    """Log in as unit staff and download a PDF of cards, as staff would."""
    login(client, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    unit_id, round_id = unit_and_round(app)
    url = f"/staff/units/{unit_id}/rounds/{round_id}/cards"
    page = client.get(url).get_data(as_text=True)
    pdf = client.post(url, data={"count": count, "lang": lang, "csrf_token": csrf_token(page)})
    assert pdf.mimetype == "application/pdf"
    client.post("/staff/logout", data={"csrf_token": csrf_token(page)})
    return pdf.data


def scan(pdf: bytes, tmp_path) -> list[str]:
    """Turn every page into an image and decode every QR code on it, with poppler and zbar."""
    (tmp_path / "cards.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "cards.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    out = subprocess.run(["zbarimg", "--quiet", "--raw", *map(str, pages)], capture_output=True, text=True)
    return out.stdout.split()


def pdf_text(pdf: bytes, tmp_path) -> str:
    (tmp_path / "text.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "text.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(text.split())


@pytest.fixture
def unit(app):
    make_unit(app, name="Gruppbostad Åkerö Björkängen")


def test_every_printed_qr_code_opens_the_right_unit_once(app, client, unit, tmp_path):
    pdf = print_cards(app, client, count=10)
    urls = scan(pdf, tmp_path)
    assert len(urls) == 10 and len(set(urls)) == 10
    text = pdf_text(pdf, tmp_path)
    assert "Gruppbostad Åkerö Björkängen" in text and "Skanna med kameran" in text
    for url in urls:
        assert url.startswith("http://localhost/c?code=")
        code = url.split("code=")[1]
        assert code in text  # the same code is printed for typing
        person = Respondent(app.test_client(), "bjorken")
        assert person.get(url.replace("http://localhost", "")).headers["Location"] == "/u/bjorken/user"
        person.get("/u/bjorken/user?lang=sv")
        assert person.post("/u/bjorken/user", {"lang": "sv"}).headers["Location"] == "/r/1"
        again = Respondent(app.test_client(), "bjorken").get(url.replace("http://localhost", ""))
        assert again.status_code == 404 and "Vi känner inte igen koden" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(sa.select(Response.channel)).scalars().all() == ["qr"] * 10


def test_codes_are_stored_only_as_hashes(app, client, unit, tmp_path):
    pdf = print_cards(app, client, count=3)
    codes = [u.split("code=")[1] for u in scan(pdf, tmp_path)]
    with app.app_context():
        stored = " ".join(h for (h,) in db.session.execute(sa.select(Invitation.code_hash)))
    for code in codes:
        assert code not in stored and invitations.normalise(code) not in stored


def test_typed_code_works_like_a_scanned_one(app, client, unit, tmp_path):
    code = scan(print_cards(app, client, count=1), tmp_path)[0].split("code=")[1]
    person = Respondent(app.test_client(), "bjorken")
    person.get("/")
    typed = code.lower().replace("-", " ")
    assert person.post("/c", {"code": f"  {typed} "}).headers["Location"] == "/u/bjorken/user"


def test_a_code_used_in_between_is_refused_at_start(app, client, unit, tmp_path):
    code = scan(print_cards(app, client, count=1), tmp_path)[0].split("code=")[1]
    first, second = Respondent(app.test_client(), "bjorken"), Respondent(app.test_client(), "bjorken")
    for person in (first, second):
        person.get(f"/c?code={code}")
        person.get("/u/bjorken/user?lang=sv")
    assert first.post("/u/bjorken/user", {"lang": "sv"}).status_code == 302
    refused = second.post("/u/bjorken/user", {"lang": "sv"})
    assert refused.status_code == 409 and "redan använts" in refused.get_data(as_text=True)


def test_two_simultaneous_uses_exactly_one_succeeds(app, unit):
    unit_id, round_id = unit_and_round(app)
    with app.app_context():
        survey_unit, survey_round = db.session.get(Unit, unit_id), db.session.get(Round, round_id)
        code = invitations.issue(survey_unit, survey_round, 1, app.config["SECRET_KEY"])[0]
        code_hash = invitations.code_hash(invitations.normalise(code), app.config["SECRET_KEY"])
    results, barrier = [], threading.Barrier(8)

    def use():
        with app.app_context():
            barrier.wait()
            ok = invitations.use(code_hash, db.session.get(Round, round_id), db.session.get(Unit, unit_id),
                                 app.config["SECRET_KEY"])
            db.session.commit()
            results.append(ok)

    threads = [threading.Thread(target=use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]


@pytest.mark.parametrize("typed", ["", "ABCD", "ABCD-EFG0", "IIII-OOOO", "ABCD-EFGH-JKMN", "ÅÄÖÅ-ÄÖÅÄ", "' OR 1=1 --"])
def test_wrong_codes_get_an_easy_read_page(client, app, unit, typed):
    result = client.get("/c", query_string={"code": typed})
    page = result.get_data(as_text=True)
    assert result.status_code == 404 and "/pictograms/error.svg" in page and 'class="speak"' in page


def test_guessing_codes_is_rate_limited(client, app, unit):
    statuses = [client.get("/c?code=ABCD-EFGH").status_code for _ in range(25)]
    assert statuses[:20] == [404] * 20 and statuses[-1] == 429
    assert "försökt många gånger" in client.get("/c?code=ABCD-EFGH").get_data(as_text=True)


def test_code_of_a_closed_round_is_refused(app, client, unit, tmp_path):
    code = scan(print_cards(app, client, count=1), tmp_path)[0].split("code=")[1]
    with app.app_context():
        db.session.execute(sa.update(Round).values(opens_on=dt.date(2000, 1, 1), closes_on=dt.date(2000, 2, 1)))
        db.session.commit()
    assert "stängd" in client.get(f"/c?code={code}").get_data(as_text=True)


def test_codes_use_only_unambiguous_characters():
    codes = [invitations.new_code() for _ in range(200)]
    assert all(re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", c) for c in codes)
    assert not set("".join(codes)) & set("0O1IL5S2Z")


def test_poster_has_the_units_open_link(app, client, unit, tmp_path):
    login(client, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    unit_id, round_id = unit_and_round(app)
    pdf = client.get(f"/staff/units/{unit_id}/rounds/{round_id}/poster.pdf?lang=nb").data
    assert scan(pdf, tmp_path) == ["http://localhost/u/bjorken/user"]
    assert "Hva synes du?" in pdf_text(pdf, tmp_path)


def test_invitations_command_writes_scannable_cards(app, runner, unit, tmp_path):
    out = tmp_path / "kort.pdf"
    result = runner.invoke(main, ["invitations", "bjorken", "--round", "Hösten", "--count", "9", "--out", str(out),
                                 "--lang", "en", "--base-url", "https://enkat.example.se"])
    assert result.exit_code == 0, result.output
    urls = scan(out.read_bytes(), tmp_path)
    assert len(urls) == 9 and all(u.startswith("https://enkat.example.se/c?code=") for u in urls)
    assert "Scan with the camera" in pdf_text(out.read_bytes(), tmp_path)


def test_simultaneous_uses_of_different_codes_in_one_round_all_succeed(app, unit):
    unit_id, round_id = unit_and_round(app)
    with app.app_context():
        survey_unit, survey_round = db.session.get(Unit, unit_id), db.session.get(Round, round_id)
        codes = invitations.issue(survey_unit, survey_round, 6, app.config["SECRET_KEY"])
        hashes = [invitations.code_hash(invitations.normalise(c), app.config["SECRET_KEY"]) for c in codes]
    results, barrier = [], threading.Barrier(len(hashes))

    def use(code_hash):  # each use rewrites every code of the round: they take turns, none deadlocks
        with app.app_context():
            barrier.wait()
            ok = invitations.use(code_hash, db.session.get(Round, round_id), db.session.get(Unit, unit_id),
                                 app.config["SECRET_KEY"])
            db.session.commit()
            results.append(ok)

    threads = [threading.Thread(target=use, args=(h,)) for h in hashes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * len(hashes)
    assert invitations_used(app, unit_id, round_id) == (6, 6)


def invitations_used(app, unit_id, round_id):
    with app.app_context():
        return invitations.issued_and_used(unit_id, round_id, app.config["SECRET_KEY"])
