"""The unit's tablet shows the easy-read results after a release: a button on the start page, the page in the
respondent's style, a way back to the questionnaire, and tablet mode kept (leaving still needs the PIN)."""
from __future__ import annotations

import re

import sqlalchemy as sa

from survey.db import db
from survey.db.models import Round
from tests.helpers import add_response, release
from tests.respond.test_tablet import start_tablet
from tests.results.test_results_pages import text
from tests.speech.helpers import fetch


def released_last_year(app) -> None:
    """Björken's user round of last year, answered by 8 (6 said yes to the first question), released; this year's
    round stays open for the tablet."""
    import datetime as dt
    today = dt.date.today()
    with app.app_context():
        unit = db.session.scalar(sa.select(Round).where(Round.name == "Hösten")).units[0]
        db.session.add(Round(name="Förra året", questionnaire_id="user", units=[unit],
                             opens_on=today - dt.timedelta(days=400), closes_on=today - dt.timedelta(days=300)))
        db.session.commit()
    for i in range(8):
        add_response(app, "bjorken", {"decide_important": "yes" if i < 6 else "no"}, round_name="Förra året")
    release(app, "Förra året")


def test_no_results_button_before_a_release(app, client):
    ipad = start_tablet(app, client)
    start = ipad.get("/tablet", follow_redirects=True).get_data(as_text=True)
    assert "Visa resultaten" not in start and "/tablet/results" not in start


def test_the_tablet_shows_the_results_and_goes_back(app, client):
    ipad = start_tablet(app, client)
    released_last_year(app)
    start = ipad.get("/u/bjorken/user?lang=sv").get_data(as_text=True)
    assert 'action="/tablet/results"' in start and "Visa resultaten" in start
    shown = ipad.get("/tablet/results")
    assert shown.status_code == 200
    reader = text(shown.get_data(as_text=True))
    assert "6 av 8 sa ja." in reader and "%" not in reader
    assert 'href="/tablet"' in shown.get_data(as_text=True) and "Tillbaka till enkäten" in reader
    assert 'href="/tablet/leave"' in shown.get_data(as_text=True)  # the staff's way out, with the PIN
    assert ipad.get("/tablet").headers["Location"] == "/u/bjorken/user"  # still in tablet mode
    assert client.get("/staff/").status_code == 302  # and still logged out: leaving needs the PIN


def test_the_results_on_the_tablet_keep_their_language(app, client):
    ipad = start_tablet(app, client)
    released_last_year(app)
    page = ipad.get("/tablet/results?lang=nb").get_data(as_text=True)
    assert "6 av 8 sa ja." in text(page) and 'href="/tablet/results?lang=sv"' in page


def test_the_results_page_needs_tablet_mode(app, client):
    assert client.get("/tablet/results").status_code in (400, 404, 410)


def test_the_button_and_the_way_back_can_be_heard(app, client):
    ipad = start_tablet(app, client)
    released_last_year(app)
    pages = (ipad.get("/u/bjorken/user?lang=sv").get_data(as_text=True),
             ipad.get("/tablet/results").get_data(as_text=True))
    for page, said in zip(pages, ("Visa resultaten", "Tillbaka till enkäten"), strict=True):
        heard = re.search(rf'data-speak="{re.escape(said)}"[^>]*data-audio="([^"]+)"', page)
        assert heard, f"{said}: its speaker button has a clip"
        clip = fetch(client, heard.group(1))
        assert clip.status_code == 200 and clip.mimetype == "audio/mpeg"
