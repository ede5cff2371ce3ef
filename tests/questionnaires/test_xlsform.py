"""XLSForm: every questionnaire goes out and comes back the same; broken workbooks say sheet, row and column."""
from pathlib import Path

import openpyxl
import pytest

from survey.cli import main
from survey.config import Defaults
from survey.questionnaires import drafts
from survey.questionnaires.model import load_library
from survey.questionnaires.xlsform import parse as xlsform_import
from survey.questionnaires.xlsform import write as xlsform
from survey.speech import recordings
from tests.questionnaires.helpers import (
    CHOICES,
    FLAGS,
    PICTOGRAMS,
    SETTINGS,
    SURVEY,
    TINY,
    cells,
    parse,
    stored_versions,
    workbook,
)
from tests.speech.helpers import mp3

LIBRARY = load_library(Path(Defaults.QUESTIONNAIRE_DIR), Path(Defaults.PICTOGRAM_DIR))
EVERYTHING = TINY.replace("thanks: {sv: Tack, en: Thanks}",
                          "thanks: {sv: Tack, en: Thanks}\nspeech_rate: {sv: 140}").replace(
    "    dont_know: true\n", "    dont_know: true\n    meaning: 3\n    spoken: {en: Do you feel safe at home?}\n"
    "    speech_rate: {en: 130}\n", 1) + """\
  - key: activities
    type: multiple_choice
    text: {sv: Vad gör du?, en: What do you do?}
    pictogram: home
    options:
      - {key: walk, text: {sv: Promenerar, en: Walk}, pictogram: happy, spoken: {sv: Går ut och går}}
      - {key: read, text: {sv: Läser, en: Read}, pictogram: sad, speech_rate: {en: 120}}
  - key: sex
    type: single_choice
    background: sex
    text: {sv: Är du kvinna eller man?, en: Are you a woman or a man?}
    pictogram: home
    options:
      - {key: woman, text: {sv: Kvinna, en: Woman}, pictogram: happy}
      - {key: man, text: {sv: Man, en: Man}, pictogram: sad}
"""


def round_trip(questionnaire, flags, pictograms, audio=None):
    data = xlsform.workbook_bytes(xlsform.to_workbook(questionnaire, audio or {}))
    raw, book, named = xlsform_import.read_workbook(data, "form.xlsx", pictograms)
    parsed, problems = xlsform_import.check(raw, book, flags, pictograms)
    assert book.problems.listed == [] and problems.listed == [] and book.warnings.listed == []
    return parsed, named


@pytest.mark.parametrize("questionnaire_id", ["user", "staff"])
def test_shipped_questionnaires_go_to_xlsform_and_back_unchanged(questionnaire_id):
    questionnaire = LIBRARY.published(questionnaire_id)
    parsed, _ = round_trip(questionnaire, LIBRARY.quality_model.flag_ids(), set(LIBRARY.pictograms))
    assert parsed == questionnaire


def test_everything_we_support_survives_a_round_trip(tmp_path):
    questionnaire = parse(tmp_path, EVERYTHING)
    audio = {("safe", "sv"): "safe-sv.mp3", ("activities.walk", "en"): "walk.mp3"}
    parsed, named = round_trip(questionnaire, FLAGS, PICTOGRAMS, audio)
    assert parsed == questionnaire and parsed.question("safe").meaning == 3
    assert {key: name for key, (name, _cell) in named.items()} == audio


def test_a_workbook_from_another_tool_becomes_a_draft(editable_app, tmp_path):
    path = tmp_path / "trygghet.xlsx"
    path.write_bytes(workbook(SURVEY, CHOICES, SETTINGS))
    result = editable_app.test_cli_runner().invoke(main, ["import-xlsform", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported as draft council_test version 1" in result.output
    draft = editable_app.extensions["survey.library"].draft("council_test")
    assert draft.title == {"sv": "Trygghet", "en": "Safety"} and draft.intro["en"] == "Hello! Some questions."
    safe = draft.question("safe_home")
    assert (safe.pictogram, safe.flags, safe.dont_know, safe.scale) == ("safe", ("relationships", "staff_approach"),
                                                                        True, "trygg")
    assert [(o.key, o.positive) for o in safe.options] == [("yes", True), ("no", False)]
    assert ("council_test", 1, "draft") in stored_versions(editable_app)


@pytest.mark.parametrize(("survey", "choices", "settings", "expected"), [
    (None, CHOICES, SETTINGS, "sheet 'survey': the workbook has no 'survey' sheet"),
    (cells(SURVEY, 4, "name", "safe_home"), CHOICES, SETTINGS,
     "survey row 4, column name: the name 'safe_home' is used twice (first on row 3)"),
    (SURVEY, CHOICES + [["trygg", "no", "Nej igen", "No again", "face_sad.svg", None]], SETTINGS,
     "choices row 4, column name: the name 'no' is used twice in list 'trygg' (first on row 3)"),
    (cells(SURVEY, 3, "type", "select_one safe_scale"), CHOICES, SETTINGS,
     "survey row 3, column type: unknown choice list 'safe_scale' (not on the choices sheet)"),
    (cells(SURVEY, 3, "flags", "relationships safty"), CHOICES, SETTINGS,
     "survey row 3, column flags: unknown flag 'safty' (not in quality_model.yaml)"),
    (cells(SURVEY, 4, "relevant", "${safe_home} = 'no'"), CHOICES, SETTINGS,
     "survey row 4, column relevant: conditions are not supported: every question is shown to everyone"),
    (cells(SURVEY, 3, "choice_filter", "positive = 'yes'"), CHOICES, SETTINGS,
     "survey row 3, column choice_filter: choice filters are not supported: every question shows all its options"),
    (SURVEY[:2] + [["begin repeat", "r1"]] + SURVEY[2:4] + [["end repeat"]] + SURVEY[4:], CHOICES, SETTINGS,
     "survey row 3, column type: repeats are not supported: each question is asked once"),
    (SURVEY[:2] + [["begin group", "g1"]] + SURVEY[2:], CHOICES, SETTINGS,
     "survey row 3, column type: this group is never ended: add an 'end group' row after its last question"),
    (cells(SURVEY, 3, "type", "geopoint"), CHOICES, SETTINGS,
     "survey row 3, column type: 'geopoint' questions have no equivalent here"),
    (cells(SURVEY, 3, "type", "select_won trygg"), CHOICES, SETTINGS,
     "survey row 3, column type: unknown type 'select_won trygg'"),
    (cells(SURVEY, 3, "label::English (en)", None), CHOICES, SETTINGS,
     "survey row 3, column label::English (en): missing text in language 'en'"),
    (cells(SURVEY, 4, "label::English (en)", "Anything more than ${safe_home}?"), CHOICES, SETTINGS,
     "survey row 4, column label::English (en): this text shows another answer"),
])
def test_a_broken_workbook_says_sheet_row_and_column_and_nothing_is_imported(editable_app, tmp_path, survey, choices,
                                                                             settings, expected):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook(survey, choices, settings))
    before = stored_versions(editable_app)
    result = editable_app.test_cli_runner().invoke(main, ["import-xlsform", str(path)])
    assert result.exit_code == 1 and f"broken.xlsx: {expected}" in result.output, result.output
    assert "nothing was changed" in result.output
    assert stored_versions(editable_app) == before


def test_export_then_import_gives_the_next_draft_with_the_recordings(editable_app, tmp_path):
    data = mp3()
    with editable_app.app_context():
        recordings.record(editable_app.extensions["survey.library"], "user", "decide_important", "sv", data,
                          tmp_path / "speech")
    runner = editable_app.test_cli_runner()
    out = tmp_path / "export" / "user.xlsx"
    out.parent.mkdir()
    result = runner.invoke(main, ["export-xlsform", "user", "--out", str(out)])
    assert result.exit_code == 0 and "with 1 recording(s)" in result.output, result.output
    header = [c.value for c in openpyxl.load_workbook(out)["survey"][1]]
    assert {"label::Svenska (sv)", "label::Norsk bokmål (nb)", "media::image::Svenska (sv)",
            "media::audio::Svenska (sv)", "flags"} <= set(header)
    assert (out.parent / xlsform.audio_name(data)).read_bytes() == data
    result = runner.invoke(main, ["import-xlsform", str(out)])
    assert result.exit_code == 0, result.output
    library = editable_app.extensions["survey.library"]
    draft = library.draft("user")
    assert (draft.version == 2
            and draft.model_copy(update={"version": 1, "status": "published"}) == library.published("user"))
    with editable_app.app_context():
        assert drafts.draft_recordings("user", 2) == {("decide_important", "sv"): data}
