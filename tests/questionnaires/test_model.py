"""Loading and validating questionnaires: the shipped ones pass, broken ones name file, line and item."""
from pathlib import Path

import pytest

from survey.config import Defaults
from survey.questionnaires.files import DataFileError
from survey.questionnaires.model import DONT_KNOW, QuestionType, load_library
from tests.questionnaires.helpers import TINY, parse


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        parse(tmp_path, text)
    return [str(p) for p in caught.value.problems]


def test_tiny_questionnaire_is_parsed_with_scales_written_out(tmp_path):
    q = parse(tmp_path, TINY)
    safe = q.question("safe")
    assert [o.key for o in safe.options] == ["yes", "no"]  # YAML 1.2: "no" stays text
    assert safe.answer_keys() == {"yes", "no", DONT_KNOW}
    assert safe.options[0].positive and not safe.options[1].positive
    assert q.question("more").type is QuestionType.FREE_TEXT


@pytest.mark.parametrize(("change", "expected"), [
    (("title: {sv: Liten enkät, en: Tiny survey}", "title: {sv: Liten enkät}"),
     "tiny.yaml:5: title: missing text in language 'en'"),
    (("pictogram: home\n    scale", "pictogram: house\n    scale"),
     "tiny.yaml:21: questions[1] 'safe'.pictogram: unknown pictogram 'house'"),
    (("flags: [relationships]", "flags: [relationship]"),
     "tiny.yaml:24: questions[1] 'safe'.flags[1]: unknown flag 'relationship'"),
    (("key: more", "key: safe"), "questions[2] 'safe'.key: question key 'safe' is used twice"),
    (("type: yes_no", "type: yes_maybe"), "tiny.yaml:19: questions[1] 'safe'.type: must be one of 'single_choice'"),
    (("dont_know: true", "dont_know: sometimes"), "questions[1] 'safe'.dont_know: must be true or false"),
    (("scale: yes_no", "scale: yes_no_maybe"), "questions[1] 'safe': unknown scale 'yes_no_maybe'"),
    (("pictogram: home\n    scale", "pictgram: home\n    scale"), "questions[1] 'safe'.pictgram: is not a known field"),
    (("version: 1", "version: one"), "tiny.yaml:2: version: must be a whole number"),
    (("audience: user", "audience: everyone"), "audience: must be one of 'user' or 'staff'"),
    (("languages: [sv, en]", "languages: [sv, de]"), "languages[2]: must be one of"),
    (("key: safe", "key: Safe Question"), "key: may only use lowercase letters"),
    (("  - key: more\n    type: free_text", "  - key: more\n    type: free_text\n    scale: yes_no"),
     "questions[2] 'more': a free_text question has no options"),
    (("key: \"no\"", "key: \"yes\""), "tiny.yaml:14: scales.yes_no[2] 'yes'.key: option key 'yes' is used twice"),
    (("{sv: Känner du dig trygg?, en: Do you feel safe?}", "{sv: '" + "Lång fråga " * 40 + "', en: x}"),
     "questions[1] 'safe'.text.sv: text is 440 characters; keep it to 300 or fewer"),
    (("questions:", "questions: []\nunused:"), "is not a known field"),
    (("thanks: {sv: Tack, en: Thanks}", "thanks: {sv: Tack, en: Thanks}\nspeech_rate: {sv: 30}"),
     "tiny.yaml:8: speech_rate.sv: speech rate 30 words per minute is outside 80 to 450"),
    (("thanks: {sv: Tack, en: Thanks}", "thanks: {sv: Tack, en: Thanks}\nspeech_rate: {nb: 150}"),
     "speech_rate.nb: language 'nb' is not in this questionnaire's languages"),
    (("pictogram: home\n    scale", "pictogram: home\n    speech_rate: {sv: fast}\n    scale"),
     "questions[1] 'safe'.speech_rate.sv: must be a whole number"),
    (("pictogram: happy", "pictogram: happy\n      speech_rate: {en: 500}"),
     "scales.yes_no[1] 'yes'.speech_rate.en: speech rate 500 words per minute is outside 80 to 450"),
    (("pictogram: home\n    scale", "pictogram: home\n    spoken: {sv: '" + "Lång " * 150 + "'}\n    scale"),
     "questions[1] 'safe'.spoken.sv: text is 750 characters; keep it to 600 or fewer"),
])
def test_broken_file_names_line_item_and_problem(tmp_path, change, expected):
    old, new = change
    assert old in TINY
    found = problems(tmp_path, TINY.replace(old, new, 1))
    assert any(expected in p for p in found), found


def test_every_problem_is_reported_at_once(tmp_path):
    broken = TINY.replace("pictogram: happy", "pictogram: smile").replace("flags: [relationships]", "flags: [x]")
    assert len(problems(tmp_path, broken)) == 2


@pytest.mark.parametrize("text", ["id: [unclosed", "- just\n- a list", "", "\tid: tabs"])
def test_unreadable_yaml_is_a_problem_not_a_crash(tmp_path, text):
    assert problems(tmp_path, text)


def test_speech_rates_and_spoken_overrides_are_parsed(tmp_path):
    text = (TINY.replace("thanks: {sv: Tack, en: Thanks}", "thanks: {sv: Tack, en: Thanks}\nspeech_rate: {sv: 140}")
            .replace("pictogram: home\n    scale", "pictogram: home\n    spoken: {en: Do you feel safe at home?}\n"
                     "    speech_rate: {en: 130}\n    scale"))
    q = parse(tmp_path, text)
    assert q.speech_rate == {"sv": 140}
    assert (q.question("safe").speech_rate == {"en": 130}
            and q.question("safe").spoken == {"en": "Do you feel safe at home?"})


def test_background_question_must_be_single_choice_and_asked_once(tmp_path):
    text = TINY.replace("    flags: [relationships]\n", "    flags: [relationships]\n    background: sex\n")
    assert any("background question must be single_choice" in p for p in problems(tmp_path, text))


def test_shipped_questionnaires_quality_model_and_pictograms_are_valid():
    library = load_library(Path(Defaults.QUESTIONNAIRE_DIR), Path(Defaults.PICTOGRAM_DIR))
    user, staff = library.questionnaires["user"], library.questionnaires["staff"]
    assert user.audience == "user" and staff.audience == "staff"
    for q in (user, staff):
        assert set(q.languages) == {"sv", "nb", "en"}
        assert all(o.pictogram in library.pictograms for question in q.questions for o in question.options)
    content = [q for q in user.questions if q.is_choice and not q.background]
    assert 10 <= len(content) <= 15
    assert {q.background for q in user.questions} >= {"sex", "helped"}
    assert any(q.type is QuestionType.FREE_TEXT for q in user.questions)
    assert 15 <= len([q for q in staff.questions if q.type is QuestionType.AGREEMENT]) <= 25
    assert len(library.quality_model.areas) == 5
    assert len(library.quality_model.flag_ids()) == 20


def test_a_missing_pictogram_file_fails_the_catalogue(tmp_path):
    (tmp_path / "catalogue.yaml").write_text("gone:\n  file: gone.svg\n  alt: {sv: Borta}\n")
    from survey.questionnaires.pictograms import load_catalogue
    with pytest.raises(DataFileError, match=r"catalogue\.yaml:1: gone: SVG not found: gone\.svg"):
        load_catalogue(tmp_path)


def test_flags_no_question_informs_are_listed_not_hidden():
    from survey.questionnaires.quality import flags_without_survey_evidence
    library = load_library(Path(Defaults.QUESTIONNAIRE_DIR), Path(Defaults.PICTOGRAM_DIR))
    user_only = flags_without_survey_evidence(library.quality_model, [library.questionnaires["user"]])
    assert "staff_want" in user_only and "relationships" not in user_only
    assert flags_without_survey_evidence(library.quality_model, library.questionnaires.values()) == []


def test_quality_model_has_thresholds_descriptions_and_evidence_in_every_language():
    library = load_library(Path(Defaults.QUESTIONNAIRE_DIR), Path(Defaults.PICTOGRAM_DIR))
    model = library.quality_model
    assert (model.thresholds.green, model.thresholds.yellow) == (80, 60)
    assert model.thresholds.colour(0.8) == "green" and model.thresholds.colour(0.79) == "yellow"
    assert model.thresholds.colour(0.59) == "red"
    for area, flag in model.flags():
        for texts in (area.description, flag.description, flag.evidence, flag.collected_by):
            assert set(texts) == {"sv", "nb", "en"} and all(texts.values())


def test_quality_model_thresholds_must_be_ordered(tmp_path):
    from survey.questionnaires.quality import load_quality_model
    (tmp_path / "quality_model.yaml").write_text(
        "thresholds: {green: 50, yellow: 70}\nareas:\n  - id: a\n    name: {sv: A}\n    flags:\n"
        "      - id: f\n        name: {sv: F}\n")
    with pytest.raises(DataFileError, match="yellow must not be above green"):
        load_quality_model(tmp_path)


def test_every_pictogram_of_the_catalogue_is_a_picture_of_its_own():
    """Two meanings never share one picture: "Läs upp" and the question about talking did (issue 17)."""
    from survey.questionnaires.pictograms import load_catalogue
    catalogue = load_catalogue(Path(Defaults.PICTOGRAM_DIR))
    pictures = {name: pictogram.openmoji or pictogram.file for name, pictogram in catalogue.items()}
    shared = [name for name, picture in pictures.items() if list(pictures.values()).count(picture) > 1]
    assert not shared
