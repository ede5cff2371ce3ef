"""Analysis: flag and question scores per unit and group, suppression on every page, export and API."""
import io
import json

import pandas as pd
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Unit
from tests.helpers import add_response, login, make_account, make_unit


def analyst(app, client):
    login(client, make_account(app, "analyst"))
    return client


def test_question_share_counts_valid_answers_only(org, client):
    page = analyst(org, client).get("/analysis/organisation/all/flags/staff_approach").get_data(as_text=True)
    assert "Får du bestämma om saker som är viktiga för dig?" in page


def test_overview_shows_a_shown_unit_and_hides_the_small_one(org, client):
    page = analyst(org, client).get("/analysis/").get_data(as_text=True)
    assert "Björken" in page and "Eken" in page
    assert "för få svar" in page and "%" in page


def test_small_unit_cannot_be_worked_out_from_area_and_other_unit(org, client):
    cells = pd.read_csv(io.BytesIO(analyst(org, client).get("/analysis/export.csv").data))
    question = cells[(cells["item"] == "decide_important") & (cells["dimension"] == "all")
                     & (cells["kind"] == "question")]
    by_level = {(r.level, r.group): r for r in question.itertuples()}
    assert by_level[("unit", "Eken")].status == "too few answers"
    shown = [r for r in question.itertuples() if r.status == "shown"]
    # Eken (3) hidden; if Björken and the area were both shown, 11 - 8 = 3 would give Eken away.
    assert not ({("unit", "Björken"), ("area", "Norr")} <= {(r.level, r.group) for r in shown})


def test_exports_never_show_a_figure_from_fewer_than_five(org, client):
    data = analyst(org, client).get("/analysis/export.xlsx").data
    for sheet in ("flags", "questions"):
        frame = pd.read_excel(io.BytesIO(data), sheet_name=sheet)
        shown = frame[frame["status"] == "shown"]
        assert ((shown["respondents"] >= 5) | (shown["respondents"] == 0)).all()
        assert frame.loc[frame["status"] != "shown", ["respondents", "positive_share"]].isna().all().all()
    explanation = pd.read_excel(io.BytesIO(data), sheet_name="explanation")
    assert "suppression" in set(explanation["column"])


def test_api_answers_json_with_suppression_behind_login(org, client):
    assert client.get("/api/v1/results").status_code == 302
    body = json.loads(analyst(org, client).get("/api/v1/results").data)
    hidden = [c for c in body["cells"] if c["status"] == "too few answers"]
    assert hidden and all(c["respondents"] is None and c["positive_share"] is None for c in hidden)


def test_microdata_leaves_out_small_units_and_free_text(org, client):
    table = pd.read_csv(io.BytesIO(analyst(org, client).get("/analysis/microdata.csv").data))
    assert set(table["unit"]) == {"Björken"} and len(table) == 8
    assert "more" not in table.columns and "id" not in table.columns
    with_text = pd.read_csv(io.BytesIO(client.get("/analysis/microdata.csv?free_text=1").data))
    assert "Svar nummer 3" in set(with_text["more"])


def test_microdata_counts_units_by_id_not_by_name(org, client):
    make_unit(org, "eken-syd", "Eken")  # another unit with the same name, also with too few answers
    for _ in range(3):
        add_response(org, "eken-syd", {"decide_important": "yes"})
    table = pd.read_csv(io.BytesIO(analyst(org, client).get("/analysis/microdata.csv").data))
    assert set(table["unit"]) == {"Björken"} and len(table) == 8  # 3 + 3 answers from two units are not 6


def test_microdata_rows_hold_each_responses_own_answers(org, client):
    table = pd.read_csv(io.BytesIO(analyst(org, client).get("/analysis/microdata.csv?free_text=1").data))
    assert table["decide_important"].value_counts().to_dict() == {"yes": 6, "no": 2}
    assert table["safe_with_staff"].value_counts().to_dict() == {"yes": 7, "dont_know": 1}
    assert table["sex"].value_counts().to_dict() == {"woman": 5, "man": 3}
    assert set(table["more"]) == {f"Svar nummer {i}" for i in range(8)}
    assert table["staff_care"].isna().all()  # nobody answered it
    # each row is one person: the one who said "no" to the first question is among the men (i = 6, 7)
    assert set(table.loc[table["decide_important"] == "no", "sex"]) == {"man"}


def test_aggregate_export_tells_apart_units_that_share_a_name(org, client):
    make_unit(org, "eken-syd", "Eken")
    add_response(org, "eken-syd", {"decide_important": "yes"})
    table = pd.read_csv(io.BytesIO(analyst(org, client).get("/analysis/export.csv").data))
    with org.app_context():
        ids = set(db.session.scalars(sa.select(Unit.id).where(Unit.name == "Eken")))
    assert len(ids) == 2 and set(table.loc[(table["level"] == "unit") & (table["group"] == "Eken"), "group_id"]) == ids


def test_packed_answers_unpack_with_several_options_in_a_steady_order():
    from survey.analysis.service import _NEXT, _PAIR, _unpack
    packed = _NEXT.join([f"a{_PAIR}yes", f"pick{_PAIR}walk", f"pick{_PAIR}cook", f"more{_PAIR}Hej; då"])
    assert _unpack(packed) == {"a": "yes", "pick": "cook;walk", "more": "Hej; då"}
    assert _unpack(None) == {} and _unpack("") == {}


def test_free_text_is_shown_only_where_enough_answered(org, client):
    analyst(org, client)
    assert "Svar nummer 3" in client.get("/analysis/organisation/all").get_data(as_text=True)
    with org.app_context():
        eken = db.session.scalar(sa.select(Unit.id).where(Unit.slug == "eken"))
    assert "Svar nummer" not in client.get(f"/analysis/unit/{eken}").get_data(as_text=True)


def test_pdf_report_has_the_figures(org, client, tmp_path):
    import subprocess
    with org.app_context():
        bjorken = db.session.scalar(sa.select(Unit.id).where(Unit.slug == "bjorken"))
    pdf = analyst(org, client).get(f"/analysis/unit/{bjorken}/report.pdf?lang=nb")
    assert pdf.mimetype == "application/pdf"
    (tmp_path / "r.pdf").write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Björken" in text and "Får du bestemme over ting som er viktige for deg?" in " ".join(text.split())


def test_unit_staff_and_council_cannot_see_results(org, client):
    login(client, make_account(org, "unit_staff", unit_slugs=("bjorken",)))
    assert client.get("/analysis/").status_code == 403
    assert client.get("/api/v1/results").status_code == 403


def test_export_command_writes_aggregates_microdata_and_report(org, tmp_path):
    from survey.cli import main
    runner = org.test_cli_runner()
    result = runner.invoke(main, ["export", "aggregates", "--round", "Hösten", "--format", "csv",
                                  "--out", str(tmp_path / "a.csv")])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "a.csv")
    assert "too few answers" in set(table["status"]) and "Björken" in set(table["group"])
    result = runner.invoke(main, ["export", "microdata", "--round", "Hösten", "--format", "xlsx",
                                  "--out", str(tmp_path / "m.xlsx")])
    assert result.exit_code == 0, result.output
    assert len(pd.read_excel(tmp_path / "m.xlsx")) == 8
    result = runner.invoke(main, ["export", "report", "--round", "Hösten", "--level", "unit", "--group", "bjorken",
                                  "--lang", "en", "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert runner.invoke(main, ["export", "aggregates", "--round", "Nope"]).exit_code != 0


def test_the_command_line_exports_the_same_table_as_the_page(org, client, tmp_path):
    from survey.cli import main
    page = pd.read_csv(io.BytesIO(analyst(org, client).get("/analysis/export.csv?lang=en").data))
    result = org.test_cli_runner().invoke(main, ["export", "aggregates", "--round", "Hösten", "--format", "csv",
                                                 "--lang", "en", "--out", str(tmp_path / "a.csv")])
    assert result.exit_code == 0, result.output
    command = pd.read_csv(tmp_path / "a.csv")
    assert "comparable_since_version" in command.columns
    pd.testing.assert_frame_equal(command, page)
