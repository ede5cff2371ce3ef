"""The easy-read results page and poster, read as a service user and a printer would: words, people drawn, the group
that stands in for a small unit, speech, the poster's text and QR code."""
from __future__ import annotations

import datetime as dt
import re
import subprocess

import miniaudio
import pytest
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Action, Unit
from tests.conftest import build_org
from tests.helpers import make_unit
from tests.speech.helpers import fetch


def text(html: str) -> str:
    """The page's main content as a reader meets it (tags removed, spaces joined)."""
    main = html.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize(("lang", "said", "nobody"), [("sv", "6 av 8 sa ja.", "Ingen svarade"),
                                                      ("nb", "6 av 8 sa ja.", "Ingen svarte"),
                                                      ("en", "6 of 8 said yes.", "Nobody answered")])
def test_a_unit_reads_how_many_said_yes_in_words_and_people(org, client, lang, said, nobody):
    page = client.get(f"/u/bjorken/results?lang={lang}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert said in text(html) and "8 av 8" not in text(html).replace("8 av 8 sa ja", "")
    assert nobody in text(html)  # questions nobody at Björken answered
    assert "%" not in text(html)  # never a percentage
    first = html.split('class="people"', 1)[1].split("</svg>", 1)[0]
    assert first.count('class="said"') == 6 and first.count('class="other"') == 2


def test_a_small_unit_is_told_whose_answers_it_sees(org, client):
    reader = text(client.get("/u/eken/results?lang=sv").get_data(as_text=True))
    assert "Få svarade här. Det här är svaren från Norr." in reader
    assert "av 3 " not in reader  # Eken's own three are never shown


def test_no_results_before_the_release_says_so_kindly(app, client):
    build_org(app, released=False)
    page = client.get("/u/bjorken/results?lang=sv")
    assert page.status_code == 404
    assert "Här finns inga resultat än." in page.get_data(as_text=True)


def test_a_unit_that_did_not_take_part_has_no_results(org, app, client):
    make_unit(app, "nyborg", "Nyborg", questionnaires=())
    assert client.get("/u/nyborg/results").status_code == 404


def test_every_sentence_can_be_heard(org, client):
    html = client.get("/u/bjorken/results?lang=sv").get_data(as_text=True)
    said = re.search(r'data-speak="6 av 8 sa ja\."[^>]*data-audio="([^"]+)"', html)
    assert said, "the answer's speaker button has a clip"
    clip = fetch(client, said.group(1))
    assert clip.status_code == 200 and clip.mimetype == "audio/mpeg"
    sound = miniaudio.mp3_read_s16(clip.data)
    assert 1.0 < sound.num_frames / sound.sample_rate < 10  # "6 av 8 sa ja", said by espeak-ng


def test_the_poster_prints_the_same_and_its_code_opens_the_page(org, client, tmp_path):
    poster = client.get("/u/bjorken/results/poster.pdf?lang=sv")
    assert poster.status_code == 200 and poster.mimetype == "application/pdf"
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(poster.data)
    words = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Det här svarade ni" in words and "6 av 8 sa ja." in words and "%" not in words
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\n", pages), "one A4 sheet"
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "poster")], check=True)
    found = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "poster-1.png")], capture_output=True,
                           text=True, check=True).stdout.strip()
    assert re.search(r"/u/bjorken/results\?round=\w+&lang=sv$", found)
    assert client.get(found[found.index("/u/"):]).status_code == 200


def test_the_units_actions_are_told_in_easy_words(org, app, client):
    with app.app_context():
        unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.slug == "bjorken"))
        common = {"unit_id": unit_id, "flag_ids": ["self_determination"], "owner": "enhetschef",
                  "created_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC).replace(tzinfo=None)}
        db.session.add_all([
            Action(**common, title="Brukarråd", status="ongoing", easy_read="Vi ska prata mer om vad du vill göra.",
                   responsible_role="Enhetschefen", due_on=dt.date(2027, 3, 31)),
            Action(**common, title="Schema", status="done", easy_read="Vi ska göra ett schema med bilder.",
                   easy_read_done="Nu finns ett schema med bilder i köket."),
            Action(**common, title="Internt", status="ongoing"),  # nothing written for the users: not shown
        ])
        db.session.commit()
    reader = text(client.get("/u/bjorken/results?lang=sv").get_data(as_text=True))
    assert ("Vi ska göra så här Vi ska prata mer om vad du vill göra. Enhetschefen är ansvarig. "
            "Det ska vara klart 31 mars 2027.") in reader
    assert "Det här har vi gjort Nu finns ett schema med bilder i köket." in reader
    assert "Internt" not in reader and "Vi ska göra ett schema" not in reader
