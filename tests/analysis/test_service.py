"""Results as analysts see them: figures only from a release, on every page, download, the API and the PDF."""
import datetime as dt
import io
import json
import subprocess

import pandas as pd
import pytest
import sqlalchemy as sa

from survey.analysis import releases
from survey.analysis.releases import _NEXT, _PAIR, _unpack
from survey.cli import main
from survey.db import db
from survey.db.models import Release, Round, Unit
from tests.conftest import build_org
from tests.helpers import add_response, csrf_token, login, make_account, make_unit, release


def analyst(app, client):
    login(client, make_account(app, "analyst"))
    return client


def csv(response) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(response.data))


def unit_id(app, slug: str) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Unit.id).where(Unit.slug == slug))


def test_an_open_round_shows_only_how_many_answered_and_is_released_once_after_it_closes(app, client):
    build_org(app, released=False)
    page = analyst(app, client).get("/analysis/").get_data(as_text=True)
    assert "17" in page and "%" not in page and "för få svar" not in page  # counts only, no figures
    assert client.get("/analysis/export.csv").status_code == 404
    assert client.get("/api/v1/results").status_code == 404
    with app.app_context():
        round_id = db.session.scalar(sa.select(Round.id))
    refused = client.post(f"/analysis/release?round={round_id}", data={"csrf_token": csrf_token(page)},
                          follow_redirects=True)
    assert "is open until" in refused.get_data(as_text=True)
    release(app)
    page = client.get("/analysis/").get_data(as_text=True)
    assert "%" in page and "för få svar" in page
    with pytest.raises(releases.ReleaseError, match="already released"), app.app_context():
        releases.make(db.session.get(Round, round_id), dt.date.today())


def test_a_round_nobody_answered_is_not_released_and_says_why(app, client, runner):
    make_unit(app, "tyst", "Tysta huset", opens=-30, closes=-2)
    page = analyst(app, client).get("/analysis/").get_data(as_text=True)
    with app.app_context():
        round_id = db.session.scalar(sa.select(Round.id))
    refused = client.post(f"/analysis/release?round={round_id}", data={"csrf_token": csrf_token(page)},
                          follow_redirects=True)
    assert refused.status_code == 200 and "has no answers: there is nothing to release" in refused.get_data(
        as_text=True)
    nightly = runner.invoke(main, ["release"])
    assert nightly.exit_code == 0 and "Not released: 'Hösten' has no answers" in nightly.output


def test_a_share_counts_valid_answers_only(org, client):
    cells = csv(analyst(org, client).get("/analysis/export.csv?lang=en"))
    bjorken = cells[(cells["group"] == "Björken") & (cells["dimension"] == "all") & (cells["kind"] == "question")]
    safe = bjorken[bjorken["item"] == "safe_with_staff"].iloc[0]
    assert (safe["status"], safe["respondents"], safe["dont_know"], safe["positive_share"]) == ("shown", 7, 1, 100.0)


def test_overview_shows_a_shown_unit_and_hides_the_small_one(org, client):
    page = analyst(org, client).get("/analysis/").get_data(as_text=True)
    assert "Björken" in page and "Eken" in page
    assert "för få svar" in page and "%" in page


def test_small_unit_cannot_be_worked_out_from_area_and_other_units(org, client):
    cells = csv(analyst(org, client).get("/analysis/export.csv"))
    question = cells[(cells["item"] == "decide_important") & (cells["dimension"] == "all")
                     & (cells["kind"] == "question")]
    status = {(r.level, r.group): r.status for r in question.itertuples()}
    assert status[("unit", "Eken")] == "too few answers"
    shown = {key for key, value in status.items() if value == "shown"}
    # Eken (3) hidden; with Björken, Linden and the area all shown, 17 - 8 - 6 = 3 would give Eken away.
    assert not ({("unit", "Björken"), ("unit", "Linden"), ("area", "Norr")} <= shown)
    assert ("unit", "Björken") in shown


def test_exports_never_show_a_figure_from_fewer_than_five(org, client):
    data = analyst(org, client).get("/analysis/export.xlsx").data
    for sheet in ("flags", "questions"):
        frame = pd.read_excel(io.BytesIO(data), sheet_name=sheet)
        shown = frame[frame["status"] == "shown"]
        assert ((shown["respondents"] >= 5) | (shown["respondents"] == 0)).all()
        assert frame.loc[frame["status"] != "shown", ["respondents", "positive_share"]].isna().all().all()
    explanation = pd.read_excel(io.BytesIO(data), sheet_name="explanation")
    assert "suppression" in set(explanation["column"])


def test_every_language_has_its_workbook_the_same_each_time(org, client):
    analyst(org, client)
    for lang in ("en", "nb"):  # made on first request from the stored cells, then kept
        first = client.get(f"/analysis/export.xlsx?lang={lang}").data
        assert client.get(f"/analysis/export.xlsx?lang={lang}").data == first
        questions = pd.read_excel(io.BytesIO(first), sheet_name="questions")
        text = "Do you feel safe with the staff?" if lang == "en" else "Føler du deg trygg sammen med de ansatte?"
        assert text in set(questions["text"])
        from_csv = csv(client.get(f"/analysis/export.csv?lang={lang}"))
        assert len(from_csv[from_csv["kind"] == "question"]) == len(questions)


def test_api_answers_json_from_the_release_behind_login(org, client):
    assert client.get("/api/v1/results").status_code == 302
    body = json.loads(analyst(org, client).get("/api/v1/results").data)
    hidden = [c for c in body["cells"] if c["status"] == "too few answers"]
    assert hidden and all(c["n"] is None and c["share"] is None for c in hidden)
    assert body["release"]["threshold"] == 5 and "verified" not in json.dumps(body)
    eken = unit_id(org, "eken")
    one = json.loads(client.get(f"/api/v1/results?level=unit&group_id={eken}").data)["cells"]
    assert one and all(c["group_id"] == eken and c["status"] == "too few answers" for c in one)


def test_microdata_holds_only_what_the_released_cells_show(org, client):
    table = csv(analyst(org, client).get("/analysis/microdata.csv"))
    assert set(table["unit"]) == {"Björken"} and len(table) == 8  # Linden is hidden to protect Eken
    assert not {"more", "id", "version", "language", "channel", "completed", "sex"} & set(table.columns)
    assert set(table["help"]) == {"without_help"}  # the breakdown that leaves every Björken answer shown
    assert table["decide_important"].value_counts().to_dict() == {"yes": 6, "no": 2}
    assert table["safe_with_staff"].value_counts().to_dict() == {"yes": 7, "dont_know": 1}
    assert table["staff_care"].isna().all()  # nobody answered it
    with_text = csv(client.get("/analysis/microdata.csv?free_text=1"))
    assert set(with_text["more"]) == {f"Svar nummer {i}" for i in range(8)}
    assert len(pd.read_excel(io.BytesIO(client.get("/analysis/microdata.xlsx").data))) == 8


def test_microdata_counts_units_by_id_not_by_name(app, client):
    build_org(app, released=False)
    make_unit(app, "eken-syd", "Eken")  # another unit with the same name, also with too few answers
    for _ in range(3):
        add_response(app, "eken-syd", {"decide_important": "yes", "safe_with_staff": "yes", "more": "Syd"})
    release(app)
    table = csv(analyst(app, client).get("/analysis/microdata.csv"))
    assert "Eken" not in set(table["unit"])  # 3 + 3 answers from two units are not 6


def test_aggregate_export_tells_apart_units_that_share_a_name(org, client):
    cells = csv(analyst(org, client).get("/analysis/export.csv"))
    assert set(cells["group_id"][cells["level"] == "unit"]) == {unit_id(org, s) for s in ("bjorken", "linden", "eken")}


def test_packed_answers_unpack_with_several_options_in_a_steady_order():
    packed = _NEXT.join([f"a{_PAIR}yes", f"pick{_PAIR}walk", f"pick{_PAIR}cook", f"more{_PAIR}Hej; då"])
    assert _unpack(packed) == {"a": "yes", "pick": "cook;walk", "more": "Hej; då"}
    assert _unpack(None) == {} and _unpack("") == {}


def test_free_text_is_listed_for_one_level_only_where_enough_wrote(org, client):
    analyst(org, client)
    with org.app_context():
        area = db.session.scalar(sa.select(Unit.area_id))
    page = client.get(f"/analysis/area/{area}").get_data(as_text=True)
    assert "Svar nummer 3" in page and "Eken svarar 1" in page  # the area's one list holds all its units' texts
    for slug in ("bjorken", "eken"):
        unit_page = client.get(f"/analysis/unit/{unit_id(org, slug)}").get_data(as_text=True)
        assert "Svar nummer" not in unit_page and "Eken svarar" not in unit_page
    assert "Svar nummer" not in client.get("/analysis/organisation/all").get_data(as_text=True)


def test_pdf_report_has_the_figures_and_is_kept_with_the_release(org, client, tmp_path):
    pdf = analyst(org, client).get(f"/analysis/unit/{unit_id(org, 'bjorken')}/report.pdf?lang=nb")
    assert pdf.mimetype == "application/pdf"
    (tmp_path / "r.pdf").write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Björken" in text and "Får du bestemme over ting som er viktige for deg?" in " ".join(text.split())
    again = client.get(f"/analysis/unit/{unit_id(org, 'bjorken')}/report.pdf?lang=nb")
    assert again.data == pdf.data


def test_unit_staff_and_council_cannot_see_results(org, client):
    login(client, make_account(org, "unit_staff", unit_slugs=("bjorken",)))
    assert client.get("/analysis/").status_code == 403
    assert client.get("/api/v1/results").status_code == 403


def test_release_and_export_commands(app, tmp_path):
    from survey.cli import main
    build_org(app, released=False)
    runner = app.test_cli_runner()
    refused = runner.invoke(main, ["export", "aggregates", "--round", "Hösten", "--format", "csv",
                                   "--out", str(tmp_path / "a.csv")])
    assert refused.exit_code != 0 and "not released" in refused.output
    with app.app_context():
        yesterday = dt.date.today() - dt.timedelta(days=1)
        db.session.execute(sa.update(Round).values(opens_on=yesterday - dt.timedelta(days=30), closes_on=yesterday))
        db.session.commit()
    made = runner.invoke(main, ["release"])
    assert made.exit_code == 0 and "Released user 'Hösten'" in made.output, made.output
    assert "Nothing to release" in runner.invoke(main, ["release"]).output
    result = runner.invoke(main, ["export", "aggregates", "--round", "Hösten", "--format", "csv",
                                  "--out", str(tmp_path / "a.csv")])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "a.csv")
    assert "too few answers" in set(table["status"]) and "Björken" in set(table["group"])
    assert "comparable_since_version" in table.columns
    result = runner.invoke(main, ["export", "microdata", "--round", "Hösten", "--format", "xlsx",
                                  "--out", str(tmp_path / "m.xlsx")])
    assert result.exit_code == 0, result.output
    assert len(pd.read_excel(tmp_path / "m.xlsx")) == 8
    result = runner.invoke(main, ["export", "report", "--round", "Hösten", "--level", "unit", "--group", "bjorken",
                                  "--lang", "en", "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Release)) == 1


def test_the_command_line_exports_the_same_table_as_the_page(org, client, tmp_path):
    from survey.cli import main
    page = csv(analyst(org, client).get("/analysis/export.csv?lang=en"))
    result = org.test_cli_runner().invoke(main, ["export", "aggregates", "--round", "Hösten", "--format", "csv",
                                                 "--lang", "en", "--out", str(tmp_path / "a.csv")])
    assert result.exit_code == 0, result.output
    command = pd.read_csv(tmp_path / "a.csv")
    assert "comparable_since_version" in command.columns
    pd.testing.assert_frame_equal(command, page)
