"""Our XLSForm export is real XLSForm: pyxform, the reference implementation, converts it into an XForm.

ODK Validate (a Java program pyxform downloads on request) is not run: the machine has no internet. pyxform's
own checks run (names, lists, translations, references), and the XForm is read back here."""
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from survey.config import Defaults
from survey.questionnaires.model import load_library
from survey.questionnaires.xlsform import write as xlsform

LIBRARY = load_library(Path(Defaults.QUESTIONNAIRE_DIR), Path(Defaults.PICTOGRAM_DIR))
NS = {"h": "http://www.w3.org/1999/xhtml", "x": "http://www.w3.org/2002/xforms"}
CONTROLS = {"multiple_choice": "select", "free_text": "input"}  # every other type is one choice: select1


def to_xform(questionnaire, audio=None) -> ET.Element:
    """Convert our export of a questionnaire with pyxform; return the XForm, after checking pyxform had no warning."""
    data = xlsform.workbook_bytes(xlsform.to_workbook(questionnaire, audio or {}))
    result = convert(xlsform=data, file_type=".xlsx", validate=False, form_name=questionnaire.id)
    assert result.warnings == []
    return ET.fromstring(result.xform)  # noqa: S314 - pyxform's own output of our own workbook


@pytest.mark.parametrize("questionnaire_id", ["user", "staff"])
def test_pyxform_converts_our_export_of_a_shipped_questionnaire_into_an_xform(questionnaire_id):
    questionnaire = LIBRARY.published(questionnaire_id)
    xform = to_xform(questionnaire)

    assert xform.find("h:head/h:title", NS).text == questionnaire.title[questionnaire.languages[0]]
    instance = xform.find("h:head/x:model/x:instance", NS)[0]
    assert (instance.get("id"), instance.get("version")) == (questionnaire.id, str(questionnaire.version))
    names = [child.tag.split("}")[1] for child in instance]
    assert names == ["intro", *(q.key for q in questionnaire.questions), "thanks", "meta"]
    body = {e.get("ref").rsplit("/", 1)[1]: e.tag.split("}")[1] for e in xform.find("h:body", NS)}
    assert body == {"intro": "input", "thanks": "input",
                    **{q.key: CONTROLS.get(q.type.value, "select1") for q in questionnaire.questions}}
    languages = [t.get("lang") for t in xform.findall("h:head/x:model/x:itext/x:translation", NS)]
    assert languages == [xlsform.header("", lang)[2:] for lang in questionnaire.languages]


def test_pyxform_converts_an_export_with_our_own_columns_and_recordings():
    questionnaire = LIBRARY.published("user")
    first = questionnaire.questions[0]
    xform = to_xform(questionnaire, {(first.key, "sv"): "a.mp3", (f"{first.key}.x", "nb"): "b.mp3"})
    texts = xform.findall(f"h:head/x:model/x:itext/x:translation/x:text[@id='/{questionnaire.id}/{first.key}:label']",
                          NS)
    forms = [value.get("form") for text in texts for value in text]
    assert forms.count("image") == len(questionnaire.languages) and forms.count("audio") == 1
