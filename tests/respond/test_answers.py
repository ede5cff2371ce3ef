"""Cleaning one question's answer: pure rules, no Flask, no database."""
import pytest

from survey.questionnaires.model import Option, Question, QuestionType
from survey.respond.answers import BadAnswer, Given, clean_answer, clean_text


def question(kind=QuestionType.SINGLE_CHOICE, dont_know=True):
    options = () if kind is QuestionType.FREE_TEXT else tuple(
        Option(key=k, text={"sv": k}, pictogram="p") for k in ("yes", "no", "maybe"))
    return Question(key="q", type=kind, text={"sv": "?"}, pictogram="p", options=options,
                    dont_know=dont_know and kind is not QuestionType.FREE_TEXT)


@pytest.mark.parametrize(("kind", "chosen", "text", "expected"), [
    (QuestionType.SINGLE_CHOICE, ["yes"], None, Given(options=("yes",))),
    (QuestionType.SINGLE_CHOICE, [], None, Given()),
    (QuestionType.SINGLE_CHOICE, ["dont_know"], None, Given(options=("dont_know",))),
    (QuestionType.SINGLE_CHOICE, ["yes", "yes"], None, Given(options=("yes",))),
    (QuestionType.MULTIPLE_CHOICE, ["no", "yes", "no"], None, Given(options=("no", "yes"))),
    (QuestionType.FREE_TEXT, [], "  hello \r\n there ", Given(text="hello \n there")),
    (QuestionType.FREE_TEXT, [], "   ", Given()),
])
def test_valid_answers(kind, chosen, text, expected):
    assert clean_answer(question(kind), chosen, text, 100) == expected


@pytest.mark.parametrize(("kind", "chosen", "text"), [
    (QuestionType.SINGLE_CHOICE, ["perhaps"], None),
    (QuestionType.SINGLE_CHOICE, ["yes", "no"], None),
    (QuestionType.SINGLE_CHOICE, ["yes"], "text"),
    (QuestionType.MULTIPLE_CHOICE, ["dont_know", "yes"], None),
    (QuestionType.FREE_TEXT, ["yes"], "text"),
])
def test_answers_that_cannot_come_from_the_form(kind, chosen, text):
    with pytest.raises(BadAnswer):
        clean_answer(question(kind), chosen, text, 100)


def test_dont_know_only_where_offered():
    with pytest.raises(BadAnswer):
        clean_answer(question(dont_know=False), ["dont_know"], None, 100)


def test_clean_text_drops_control_characters_and_bounds_length():
    assert clean_text("a\x00b\x1bc\u2028d\tе", 100) == "abcd\tе"
    assert clean_text("x" * 50, 10) == "x" * 10
    assert clean_text("a\x1eb\x1fc", 100) == "abc"  # the separators microdata packs answers with
