"""XLSForm as the field writes it: no settings sheet, labels without a language, names in any case, hints,
required, groups, or_other, comment columns. What only helps is left out with a warning at its cell; what
changes meaning stops the import; a type with no equivalent is left out only when asked."""
from pathlib import Path

import pytest

from survey.cli import main
from survey.config import Defaults
from survey.questionnaires.files import DataFileError
from survey.questionnaires.model import load_library
from survey.questionnaires.xlsform import parse as xlsform_import
from survey.questionnaires.xlsform.terms import language_code
from tests.questionnaires.helpers import cells, workbook

LIBRARY = load_library(Path(Defaults.QUESTIONNAIRE_DIR), Path(Defaults.PICTOGRAM_DIR))
PICTOGRAMS, FLAGS = set(LIBRARY.pictograms), LIBRARY.quality_model.flag_ids()
YES_NO = [["list_name", "name", "label"], ["yes_no", "yes", "Ja"], ["yes_no", "no", "Nej"]]
QUESTION = ["select_one yes_no", "safe", "Känner du dig trygg?"]


def imported(survey, choices=YES_NO, settings=None, file="form.xlsx", **options):
    """Import a workbook as the editor does (every rule checked); return the data and the warnings staff read."""
    found = xlsform_import.parse_workbook(workbook(survey, choices, settings), file, FLAGS, PICTOGRAMS,
                                          lambda _name: None, lambda _data: None, **options)
    return found.raw, [str(w) for w in found.warnings.listed]


def problems(survey, choices=YES_NO, settings=None, **options) -> list[str]:
    """Return the problems that stop a workbook's import."""
    with pytest.raises(DataFileError) as refused:
        imported(survey, choices, settings, **options)
    return [str(p) for p in refused.value.problems]


def test_a_form_written_the_kobo_way_imports_and_says_what_it_left_out():
    survey = [["Type", "Name", "Label", "Hint", "Required", "Appearance", "Notes"],
              ["start", "start"],
              ["begin group", "home", "Om ditt hem", None, None, "field-list"],
              ["select_one yes_no", "Safe_Home", "Känner du dig trygg hemma?", "Tänk på veckan", "yes", None, "SKR"],
              [],
              ["select_one yes_no or_other", "likes", "Trivs du?", None, "no", "minimal", "check the wording"],
              [None, None, None, None, None, None, "a row with only a comment"],
              ["end group"],
              ["text", "more", "Vill du berätta mer?"]]
    choices = [["List Name", "Name", "Label", "Comment"], ["yes_no", "yes", "Ja", "x"], ["yes_no", "no", "Nej", "y"]]
    raw, warnings = imported(survey, choices, file="Trygghet i hemmet.xlsx")

    assert (raw["id"], raw["languages"], raw["title"]) == ("trygghet_i_hemmet", ["sv"], {"sv": "trygghet_i_hemmet"})
    assert [(q["key"], q["type"], q.get("scale"), q["pictogram"]) for q in raw["questions"]] == [
        ("safe_home", "single_choice", "yes_no", "tell"), ("likes", "single_choice", "yes_no", "tell"),
        ("more", "free_text", None, "tell")]
    assert [(o["key"], o["text"], o["pictogram"]) for o in raw["scales"]["yes_no"]] == [
        ("yes", {"sv": "Ja"}, "answer"), ("no", {"sv": "Nej"}, "answer")]
    assert raw["intro"] == {"sv": xlsform_import.STANDARD["intro"]["sv"]}
    file = "Trygghet i hemmet.xlsx"
    assert warnings == [
        f"{file}: survey row 1, column Notes: this column is not read here: it was left out",
        f"{file}: choices row 1, column Comment: this column is not read here: it was left out",
        f"{file}: no settings sheet: the questionnaire's id is 'trygghet_i_hemmet', from the file name",
        f"{file}: no title in sv: 'trygghet_i_hemmet' is used until you change it in the editor",
        f"{file}: survey row 2, column Type: 'start' is never collected here: answers are anonymous, so nothing "
        "about the time, the device or the person is kept. The row was left out",
        f"{file}: survey row 3, column Appearance: the appearance 'field-list' was left out: every question is shown "
        "the same accessible way, one per screen with big buttons",
        f"{file}: survey row 3, column Type: the group 'home' was left out: its questions are asked one per screen, "
        "and its label is not shown",
        f"{file}: survey row 4, column Name: the name 'Safe_Home' is stored as 'safe_home' (names here use lowercase "
        "letters a-z, digits and _)",
        f"{file}: survey row 4, column Hint: the hint was left out: put what matters into the question, or into what "
        "speech says (spoken::…)",
        f"{file}: survey row 4, column Required: 'required' was left out: every question may be skipped here",
        f"{file}: survey row 6, column Type: 'or_other' was left out: a free-text \"other, please say\" answer is not "
        "supported here, so 'likes' offers the list 'yes_no' without it",
        f"{file}: survey row 6, column Appearance: the appearance 'minimal' was left out: every question is shown the "
        "same accessible way, one per screen with big buttons",
        f"{file}: sheet 'survey': no media::image column: every question shows the pictogram 'tell' until you choose "
        "one in the editor",
        f"{file}: sheet 'choices': no media::image column: every answer option shows the pictogram 'answer' until "
        "you choose one in the editor",
        f"{file}: sheet 'survey': no note named intro: the standard introduction is used "
        f"('{xlsform_import.STANDARD['intro']['sv']}') until you change it in the editor",
        f"{file}: sheet 'survey': no note named thanks: the standard thank-you text is used ('Tack för dina svar!') "
        "until you change it in the editor",
    ]


@pytest.mark.parametrize(("written", "code"), [
    ("English (en)", "en"), ("English", "en"), ("EN", "en"), ("Engelska", "en"), ("engelsk", "en"),
    ("Svenska (sv)", "sv"), ("Swedish", "sv"), ("svenska (sv-SE)", "sv"), ("Norsk bokmål (nb)", "nb"),
    ("Norsk", "nb"), ("Norwegian (no)", "nb"), ("Bokmål", "nb"), ("Norska", "nb"), ("nb_NO", "nb"),
    ("Deutsch (de)", None), ("French", None), ("Nynorsk (nn)", None),
])
def test_a_language_is_known_by_its_name_or_code_in_swedish_norwegian_or_english(written, code):
    assert language_code(written) == code


@pytest.mark.parametrize(("header", "code"), [
    ("label::English (en)", "en"), ("Label::English", "en"), ("LABEL::EN", "en"), ("label:English", "en"),
    ("label::Norsk bokmål", "nb"), ("label", "sv"),
])
def test_label_columns_are_read_as_other_tools_write_them(header, code):
    survey = [["TYPE", "NAME", header], QUESTION]
    raw, _warnings = imported(survey, [["LIST NAME", "NAME", header], ["yes_no", "yes", "Ja"], ["yes_no", "no", "Nej"]])
    assert raw["languages"] == [code] and raw["questions"][0]["text"] == {code: "Känner du dig trygg?"}
    assert [o["text"] for o in raw["scales"]["yes_no"]] == [{code: "Ja"}, {code: "Nej"}]


def test_columns_without_a_language_are_in_the_forms_default_language_else_the_organisations():
    assert imported([["type", "name", "label"], QUESTION], default_language="nb")[0]["languages"] == ["nb"]
    settings = [["form_id", "default_language"], ["trygg", "English"]]
    assert imported([["type", "name", "label"], QUESTION], settings=settings)[0]["languages"] == ["en"]


def test_the_same_language_twice_and_a_language_not_offered_here_are_said_at_the_header():
    survey = [["type", "name", "label", "label::Svenska (sv)"], QUESTION + ["Trygg?"]]
    assert problems(survey) == ["form.xlsx: survey row 1, column label::Svenska (sv): gives the same as column "
                                "'label' (label in sv): keep one"]
    survey = [["type", "name", "label::Svenska (sv)", "label::Français (fr)"], QUESTION + ["En sécurité ?"]]
    raw, warnings = imported(survey)
    assert raw["languages"] == ["sv"] and warnings[0] == (
        "form.xlsx: survey row 1, column label::Français (fr): 'Français (fr)' is not a language here (Svenska (sv), "
        "Norsk bokmål (nb), English (en)): the column was left out. If it is one of them, write it like "
        "label::Svenska (sv)")


@pytest.mark.parametrize("written", ["select_one yes_no or_other", "select one from yes_no or specify other",
                                     "SELECT_ONE yes_no OR_OTHER"])
def test_or_other_imports_the_list_without_the_other_answer(written):
    raw, warnings = imported([["type", "name", "label"], [written, "safe", "Trygg?"]])
    assert raw["questions"][0]["scale"] == "yes_no" and [o["key"] for o in raw["scales"]["yes_no"]] == ["yes", "no"]
    assert any(w.startswith("form.xlsx: survey row 2, column type: 'or_other' was left out") for w in warnings)


@pytest.mark.parametrize(("column", "value", "expected"), [
    ("hint::English (en)", "Think of last week", "the hint was left out"),
    ("guidance_hint", "Read slowly", "the guidance hint was left out"),
    ("required", "yes", "'required' was left out: every question may be skipped here"),
    ("required_message", "Please answer", "the message for a required answer was left out"),
    ("constraint_message", "Too many", "the constraint message was left out"),
    ("appearance", "likert", "the appearance 'likert' was left out"),
    ("parameters", "randomize=true", "the parameters 'randomize=true' were left out"),
    ("media::video", "home.mp4", "the video was left out"),
    ("big-image", "home_big.png", "the big image was left out"),
    ("image", "photo_of_home.jpg", "'photo_of_home.jpg' is not one of the pictograms here: 'tell' is shown"),
])
def test_a_cell_that_only_helps_is_left_out_with_a_warning_at_the_cell(column, value, expected):
    raw, warnings = imported(cells([["type", "name", "label"], QUESTION], 2, column, value))
    assert raw["questions"][0]["key"] == "safe"
    assert any(w.startswith(f"form.xlsx: survey row 2, column {column}: {expected}") for w in warnings), warnings


@pytest.mark.parametrize(("column", "value"), [("required", "no"), ("read_only", "false"), ("image", "home.png"),
                                               ("Media::Image", "images/safe.jpg")])
def test_a_cell_that_asks_for_nothing_we_lack_gives_no_warning(column, value):
    _raw, warnings = imported(cells([["type", "name", "label"], QUESTION], 2, column, value))
    assert not any("survey row 2" in w for w in warnings), warnings


@pytest.mark.parametrize(("column", "value", "expected"), [
    ("constraint", ". != 'no'", "constraints are not supported: every answer offered is accepted"),
    ("calculation", "1 + 1", "calculations are not supported"),
    ("default", "yes", "default answers are not supported"),
    ("read_only", "yes", "read-only questions are not supported"),
    ("trigger", "${more}", "triggers are not supported"),
    ("repeat_count", "3", "repeats are not supported"),
    ("appearance", "search('places')", "search() takes the options from a file"),
])
def test_a_cell_that_changes_meaning_stops_the_import_at_the_cell(column, value, expected):
    found = problems(cells([["type", "name", "label"], QUESTION], 2, column, value))
    assert len(found) == 1 and found[0].startswith(f"form.xlsx: survey row 2, column {column}: {expected}")


@pytest.mark.parametrize(("row", "what"), [
    (["geopoint", "where", "Var är du?"], "'geopoint' questions"),
    (["integer", "age", "Hur gammal är du?"], "'integer' questions"),
    (["date", "when", "När?"], "'date' questions"),
    (["image", "photo", "Ta en bild"], "'image' questions"),
    (["barcode", "code", "Skanna"], "'barcode' questions"),
    (["select_one_from_file places.csv", "place", "Var?"], "'select_one_from_file places.csv' questions"),
    (["note", "info", "Nu kommer frågor om maten."], "notes other than intro and thanks"),
])
def test_a_type_with_no_equivalent_stops_the_import_unless_asked_to_leave_it_out(row, what):
    survey = [["type", "name", "label"], QUESTION, row]
    assert problems(survey) == [f"form.xlsx: survey row 3, column type: {what} have no equivalent here (only "
                                "select_one LIST, select_multiple LIST, text, and notes named intro and thanks). "
                                "Remove the row, or import the rest of the form without such rows "
                                "(--skip-unsupported, or the box on the import page)"]
    raw, warnings = imported(survey, skip_unsupported=True)
    assert [q["key"] for q in raw["questions"]] == ["safe"]
    assert (f"form.xlsx: survey row 3, column type: the '{row[0]}' row '{row[1]}' was left out, as asked: it has "
            "no equivalent here") in warnings


def test_a_row_left_out_as_asked_takes_its_cells_with_it_but_a_question_keeps_them():
    survey = [["type", "name", "label", "calculation"], QUESTION, ["calculate", "score", None, "1 + 1"]]
    assert problems(survey)[0].startswith("form.xlsx: survey row 3, column type: 'calculate' questions have no "
                                          "equivalent here")
    raw, _warnings = imported(survey, skip_unsupported=True)
    assert [q["key"] for q in raw["questions"]] == ["safe"]
    survey = [["type", "name", "label", "calculation"], QUESTION, ["text", "score", "Poäng?", "1 + 1"]]
    assert problems(survey, skip_unsupported=True) == ["form.xlsx: survey row 3, column calculation: calculations "
                                                       "are not supported. Remove it (or the row) and import again."]


def test_groups_must_close_and_nest_within_bounds():
    survey = [["type", "name", "label"], ["begin group", "a"], ["begin_group", "b"], QUESTION, ["end group"],
              ["end_group"]]
    raw, warnings = imported(survey)
    assert [q["key"] for q in raw["questions"]] == ["safe"]
    assert [w.split(": ")[1] for w in warnings if "group" in w] == ["survey row 2, column type",
                                                                     "survey row 3, column type"]
    assert problems([["type", "name", "label"], QUESTION, ["end group"]]) == [
        "form.xlsx: survey row 3, column type: 'end group' without a 'begin group' above it"]
    deep = [["type", "name", "label"]] + [["begin group", f"g{i}"] for i in range(12)] + [QUESTION]
    assert problems(deep) == ["form.xlsx: survey row 12, column type: groups are nested more than 10 deep: here "
                              "every question is on its own screen, so remove the groups"]


def test_names_become_keys_and_say_so_unless_two_become_one():
    survey = [["type", "name", "label"], ["select_one svar", "Q1", "Trygg?"], ["text", "Övrigt", "Mer?"]]
    choices = [["list_name", "name", "label"], ["svar", 1, "Ja"], ["svar", 2, "Nej"]]
    raw, warnings = imported(survey, choices)
    assert [q["key"] for q in raw["questions"]] == ["q1", "ovrigt"]
    assert [o["key"] for o in raw["scales"]["svar"]] == ["n1", "n2"]
    assert "form.xlsx: choices row 2, column name: the name '1' is stored as 'n1' (names here use lowercase letters " \
           "a-z, digits and _)" in warnings
    survey = [["type", "name", "label"], ["text", "Q1", "Trygg?"], ["text", "q1", "Mer?"]]
    assert problems(survey) == ["form.xlsx: survey row 3, column name: 'q1' and 'Q1' (row 2) both become 'q1' here: "
                                "rename one"]


def test_a_title_in_one_language_stands_in_for_the_others_with_a_warning():
    survey = [["type", "name", "label::Svenska (sv)", "label::English (en)"], QUESTION + ["Safe?"]]
    choices = [["list_name", "name", "label::Svenska (sv)", "label::English (en)"], ["yes_no", "yes", "Ja", "Yes"],
               ["yes_no", "no", "Nej", "No"]]
    raw, warnings = imported(survey, choices, [["form_id", "form_title", "default_language"],
                                               ["trygg", "Trygghet", "Svenska (sv)"]])
    assert raw["title"] == {"sv": "Trygghet", "en": "Trygghet"}
    assert "form.xlsx: settings row 2, column form_title: no title in en: 'Trygghet' is used until you change it " \
           "in the editor" in warnings


def test_the_command_leaves_out_unsupported_rows_only_when_asked_and_the_draft_keeps_the_warnings(editable_app,
                                                                                                   tmp_path):
    path = tmp_path / "platser.xlsx"
    path.write_bytes(workbook([["type", "name", "label"], QUESTION, ["geopoint", "where", "Var?"]], YES_NO, None))
    runner = editable_app.test_cli_runner()
    refused = runner.invoke(main, ["import-xlsform", str(path)])
    assert refused.exit_code == 1 and "platser.xlsx: survey row 3, column type: 'geopoint' questions" in refused.output

    result = runner.invoke(main, ["import-xlsform", "--skip-unsupported", str(path)])
    assert result.exit_code == 0, result.output
    left_out = "platser.xlsx: survey row 3, column type: the 'geopoint' row 'where' was left out, as asked"
    assert f"warning  {left_out}" in result.output
    with editable_app.app_context():
        from survey.questionnaires import import_warnings
        kept = import_warnings.of("platser", 1)
        assert any(w.startswith(left_out) for w in kept.listed) and kept.unlisted == 0
