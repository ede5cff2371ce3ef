"""What is said and how a clip is named: sanitising, bounding, spoken overrides, rates and keys (pure)."""
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey.questionnaires.model import Option, Question
from survey.speech.text import (
    MAX_SPOKEN_CHARS,
    Clip,
    Voices,
    heard,
    rate_of,
    sanitise,
    sentences,
    settings_problems,
    spoken,
)

VOICES = Voices({"sv": "gmq/sv", "nb": "gmq/nb", "en": "gmw/en"}, {"sv": 150, "nb": 150, "en": 160})


def yes(**fields) -> Option:
    return Option(key="yes", text={"sv": "Ja", "en": "Yes"}, pictogram="face_happy", **fields)


def question(**fields) -> Question:
    return Question(key="safe", type="yes_no", text={"sv": "Är du trygg?", "en": "Are you safe?"},
                    pictogram="safe", options=(yes(),), **fields)


@pytest.mark.parametrize(("text", "said"), [
    ("Är du <b>trygg</b>?", "Är du trygg ?"),
    ("<script>alert(1)</script>Hej", "alert(1) Hej"),
    ("a < b > c", "a b c"),
    ("Rad ett\nrad två\ttab", "Rad ett rad två tab"),
    ("Noll\x00byte\x07klocka\x1b[31m", "Noll byte klocka [31m"),
    ("zero\u200bwidth\u202eflip", "zero width flip"),
    ("  many    spaces  ", "many spaces"),
    ("A\u030a", "Å"),  # composed, so the same text gets the same key
    ("<>", ""),
])
def test_sanitise_removes_markup_and_control_characters(text, said):
    assert sanitise(text) == said


def test_a_long_text_is_cut_at_a_sentence_end():
    text = "Det här är en mening. " * 60
    said = sanitise(text)
    assert len(said) <= MAX_SPOKEN_CHARS and said.endswith("mening.")


def test_a_long_text_without_sentences_is_cut_at_a_word():
    said = sanitise("ord " * 400)
    assert len(said) <= MAX_SPOKEN_CHARS and said.endswith("ord")


def test_a_long_text_without_spaces_is_cut_hard():
    assert sanitise("x" * 5000) == "x" * MAX_SPOKEN_CHARS


@given(st.text(max_size=3000))
def test_any_text_comes_out_bounded_on_one_line_without_control_characters(text):
    said = sanitise(text)
    assert len(said) <= MAX_SPOKEN_CHARS
    assert said == said.strip() and "  " not in said
    assert not any(c in said for c in "<>\n\r\t\x00\x1b\u2028")
    assert sanitise(said) == said


@pytest.mark.parametrize(("parts", "said"), [
    (("Vad tycker du?", "Vi vill veta."), "Vad tycker du? Vi vill veta."),
    (("Medarbetarenkät", "Den här enkäten"), "Medarbetarenkät. Den här enkäten"),
    (("Hej", ""), "Hej"),
    (("", "Hej"), "Hej"),
])
def test_sentences_are_joined_with_one_full_stop(parts, said):
    assert sentences(*parts) == said


def test_the_spoken_override_is_used_in_its_own_language_only():
    q = question(spoken={"sv": "Känner du dig trygg?"})
    assert spoken(q, "sv") == "Känner du dig trygg?"
    assert spoken(q, "en") == "Are you safe?"  # never the Swedish override in English


def test_a_rate_on_the_item_wins_over_the_questionnaire_and_the_configuration():
    class Questionnaire:
        speech_rate: ClassVar[dict[str, int]] = {"sv": 130}

    option = yes(speech_rate={"sv": 110})
    assert rate_of(option, Questionnaire, "sv") == 110
    assert rate_of(yes(), Questionnaire, "sv") == 130
    assert rate_of(yes(), Questionnaire, "en") is None
    assert heard("Nästa", "sv", Questionnaire) == ("Nästa", 130)
    assert VOICES.clip("Nästa", "en").rate == 160


def test_a_clip_key_changes_with_everything_that_changes_the_sound():
    clip = Clip("Ja", "sv", "gmq/sv", 150)
    keys = {clip.key("espeak-ng 1.51"), Clip("Nej", "sv", "gmq/sv", 150).key("espeak-ng 1.51"),
            Clip("Ja", "nb", "gmq/sv", 150).key("espeak-ng 1.51"),
            Clip("Ja", "sv", "gmq/nb", 150).key("espeak-ng 1.51"),
            Clip("Ja", "sv", "gmq/sv", 151).key("espeak-ng 1.51"), clip.key("espeak-ng 1.52")}
    assert len(keys) == 6
    assert clip.key("espeak-ng 1.51") == Clip("Ja", "sv", "gmq/sv", 150).key("espeak-ng 1.51")
    assert all(len(k) == 64 and int(k, 16) >= 0 for k in keys)


def test_nothing_to_say_makes_no_clip():
    assert VOICES.clip("  <br>  ", "sv") is None


def test_the_shipped_settings_are_valid():
    assert settings_problems(VOICES.voice, VOICES.rate) == []


@pytest.mark.parametrize(("voices", "rates", "problem"), [
    ({"sv": "gmq/sv", "nb": "gmq/nb", "en": "gmw/en", "de": "gmw/de"}, None, "unknown language 'de'"),
    ({"sv": "gmq/sv", "nb": "gmq/nb"}, None, "SPEECH_VOICES has nothing for language 'en'"),
    ({"sv": "gmq/sv; rm -rf /", "nb": "gmq/nb", "en": "gmw/en"}, None, "is not an espeak-ng voice id"),
    (None, {"sv": 20, "nb": 150, "en": 150}, "must be a whole number from 80 to 450"),
    (None, {"sv": "fast", "nb": 150, "en": 150}, "must be a whole number from 80 to 450"),
    ("gmq/sv", None, "SPEECH_VOICES must map each language"),
])
def test_bad_settings_are_named(voices, rates, problem):
    found = settings_problems(voices if voices is not None else VOICES.voice,
                              rates if rates is not None else VOICES.rate)
    assert any(problem in p for p in found), found
