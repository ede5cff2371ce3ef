"""A user council tries the easy-read results page in test mode (demo figures or the newest release's) and says
for each part whether it was easy to understand; staff read it beside the feedback on questions."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest
import sqlalchemy as sa

from survey.db import db
from survey.db.models import CouncilResultsFeedback, Response
from tests.conftest import build_org
from tests.council.test_council import make_link
from tests.helpers import add_response, csrf_token, login, make_account, make_unit, release
from tests.results.test_results_pages import text
from tests.speech.helpers import fetch


def say(client, token: str, part: str, understood: str, figures: str = "demo"):
    page = client.get(f"/council/{token}/results?figures={figures}&lang=sv").get_data(as_text=True)
    return client.post(f"/council/{token}/results",
                       data={"part": part, "understood": understood, "figures": figures, "wording": "",
                             "csrf_token": csrf_token(page)})


def test_the_council_tries_the_page_with_demo_figures(app, client):
    make_unit(app)
    token = make_link(app)
    page = client.get(f"/council/{token}/results?lang=sv")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    reader = text(page.get_data(as_text=True))
    assert "Testläge" in reader and "6 av 8 sa ja." in reader and "Få svarade här" in reader
    assert reader.count("Var det här lätt att förstå?") >= 2  # the introduction and each question
    for label in ("Var det här lätt att förstå?", "Ja", "Delvis", "Nej"):
        heard = re.search(rf'data-speak="{re.escape(label)}"[^>]*data-audio="([^"]+)"', page.get_data(as_text=True))
        assert heard, f"{label}: its speaker button has a clip"
        assert fetch(client, heard.group(1)).mimetype == "audio/mpeg"


def test_what_the_council_says_is_kept_and_counted_for_staff(app, client):
    make_unit(app)
    token = make_link(app)
    assert say(client, token, "user:decide_important", "partly").status_code == 302
    assert say(client, token, "user:decide_important", "no").status_code == 302  # changed, not added
    assert say(client, token, "intro", "yes").status_code == 302
    assert say(client, token, "intro", "maybe").status_code == 302  # not an answer: ignored
    page = client.get(f"/council/{token}/results?lang=sv").get_data(as_text=True)
    part = page.split('id="part-user:decide_important"', 1)[1].split("</form>", 1)[0]
    assert 'value="no" class="option chosen" aria-pressed="true"' in part
    with app.app_context():
        said = db.session.execute(sa.select(CouncilResultsFeedback.part, CouncilResultsFeedback.understood)
                                  .order_by(CouncilResultsFeedback.part)).all()
        assert said == [("intro", "yes"), ("user:decide_important", "no")]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0  # never a response
    other = app.test_client()  # a second tester
    assert say(other, token, "user:decide_important", "no").status_code == 302
    login(client, make_account(app, "council"))
    feedback = client.get("/editor/user/v1/feedback").get_data(as_text=True)
    results = feedback.split('id="results-page"', 1)[1]
    row = results.split("Får du bestämma om saker som är viktiga för dig?</th>", 1)[1].split("</tr>", 1)[0]
    assert [cell.strip() for cell in row.split("<td>")[1:]] == ["0</td>", "0</td>", "2</td>"]


def test_the_council_can_try_the_page_with_the_newest_release(app, client):
    build_org(app)
    token = make_link(app)
    reader = text(client.get(f"/council/{token}/results?figures=release&lang=sv").get_data(as_text=True))
    # the organisation's released figure: 9 of the 17 at Björken, Linden and Eken said yes
    assert "Ungefär 5 av 10 sa ja. 17 personer svarade." in reader and "Testkommunen" in reader


def test_released_figures_in_test_mode_never_show_a_hidden_one(app, client):
    """The attacker's view: only three answered in the whole organisation; the release hides the figure, and the
    council's page says "too few" instead of the three answers."""
    make_unit(app)
    for _ in range(3):
        add_response(app, "bjorken", {"decide_important": "no"})
    release(app)
    token = make_link(app)
    reader = text(client.get(f"/council/{token}/results?figures=release&lang=sv").get_data(as_text=True))
    assert "av 3" not in reader and "0 av" not in reader
    assert "För få svarade på den här frågan." in reader


@pytest.mark.parametrize("figures", ["demo", "release"])
def test_a_closed_link_shows_nothing(app, client, figures):
    make_unit(app)
    token = make_link(app)
    login(client, make_account(app, "council"))
    page = client.get("/editor/user/v1/council").get_data(as_text=True)
    assert f"/council/{token}/results" in page
    client.post(f"/editor/links/{token}/close", data={"csrf_token": csrf_token(page)})
    assert client.get(f"/council/{token}/results?figures={figures}").status_code == 404


def test_the_excel_download_has_a_sheet_for_the_results_page(app, client):
    make_unit(app)
    token = make_link(app)
    say(client, token, "user:safe_here", "partly")
    login(client, make_account(app, "council"))
    workbook = client.get("/editor/user/v1/feedback.xlsx").data
    sheet = pd.read_excel(io.BytesIO(workbook), sheet_name="results_page")
    row = sheet[sheet["part"] == "user:safe_here"].iloc[0]
    assert (row["yes"], row["partly"], row["no"]) == (0, 1, 0)
    assert sheet["part"].iloc[0] == "intro"
