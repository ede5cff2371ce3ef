"""The web editor: a draft edited field by field or as YAML, with the files' own messages, then published."""
import html
import io
import re

from survey.questionnaires import drafts
from tests.helpers import csrf_token, login, make_account
from tests.questionnaires.helpers import CHOICES, SETTINGS, SURVEY, cells, workbook


def editor(app):
    client = app.test_client()
    login(client, make_account(app, "administrator"))
    return client


def post(client, path: str, data: dict, **kwargs):
    page = client.get(path).get_data(as_text=True) if not path.endswith(("/drafts", "/publish")) else \
        client.get("/editor/").get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(page), **data}, **kwargs)


def form_values(page: str) -> dict:
    """What the form would send as it stands: every text field and textarea with its value, ticked boxes."""
    values = {}
    for name, value in re.findall(r'<input id="[^"]+" name="([^"]+)" type="(?:text|number)" value="([^"]*)"', page):
        values[name] = value
    for name, value in re.findall(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>([^<]*)</textarea>', page):
        values[name] = value
    for name, value in re.findall(r'<select id="[^"]+" name="([^"]+)"[^>]*>.*?<option value="([^"]+)" selected', page):
        values[name] = value
    for name, value in re.findall(r'<input type="checkbox"(?: id="[^"]+")? name="([^"]+)" value="([^"]+)" checked',
                                  page):
        values.setdefault(name, []).append(value) if name.endswith("flags") else values.update({name: value})
    return values


def test_a_draft_is_edited_in_a_form_with_errors_beside_their_fields_then_published(editable_app):
    client = editor(editable_app)
    assert post(client, "/editor/user/drafts", {}).headers["Location"].endswith("/editor/user/v2")
    page = client.get("/editor/user/v2/questions/1").get_data(as_text=True)
    values = form_values(page)
    assert values["questions/0/text/sv"] == "Får du bestämma om saker som är viktiga för dig?"
    assert values["questions/0/flags"] == ["staff_approach", "staff_able"]
    broken = {**values, "questions/0/text/en": "", "csrf_token": csrf_token(page)}
    page = client.post("/editor/user/v2/questions/1", data=broken).get_data(as_text=True)
    field = re.search(r'<textarea id="(f-\d+)" name="questions/0/text/en" rows="3" aria-describedby="(f-\d+-error)"',
                      page)
    assert field and f'<p class="error" id="{field.group(1)}-error">missing text in language &#39;en&#39;</p>' in page
    fixed = {**values, "questions/0/text/sv": "Får du bestämma om viktiga saker?", "questions/0/spoken/sv": "",
             "csrf_token": csrf_token(page)}
    assert client.post("/editor/user/v2/questions/1", data=fixed).status_code == 302
    page = client.get("/editor/user/v2").get_data(as_text=True)
    assert "ny formulering, samma nyckel och betydelse: jämförbar" in page
    assert post(client, "/editor/user/v2/publish", {}).status_code == 302  # not confirmed: nothing happens
    assert editable_app.extensions["survey.library"].published("user").version == 1
    post(client, "/editor/user/v2/publish", {"confirm": "yes"})
    published = editable_app.extensions["survey.library"].published("user")
    assert published.version == 2 and published.questions[0].text["sv"] == "Får du bestämma om viktiga saker?"
    with editable_app.app_context():
        text = drafts.text_of("user", 2)
    assert "# --- Självbestämmande / self-determination" in text and "spoken" not in text.split("decide_support")[0]


def test_the_yaml_editor_shows_the_files_messages_and_keeps_the_draft(editable_app):
    client = editor(editable_app)
    post(client, "/editor/user/drafts", {})
    page = client.get("/editor/user/v2/yaml").get_data(as_text=True)
    text = re.search(r'<textarea id="yaml-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)

    broken = html.unescape(text).replace("pictogram: decide\n", "pictogram: decidee\n", 1)
    page = post(client, "/editor/user/v2/yaml", {"text": broken}).get_data(as_text=True)
    assert ("versions/user/v2.yaml:51: questions[1] &#39;decide_important&#39;.pictogram: unknown pictogram "
            "&#39;decidee&#39;") in page
    assert editable_app.extensions["survey.library"].draft("user").questions[0].pictogram == "decide"


def test_a_broken_workbook_uploaded_in_the_editor_lists_its_problems(editable_app):
    client = editor(editable_app)
    page = client.get("/editor/import").get_data(as_text=True)

    data = {"csrf_token": csrf_token(page),
            "workbook": (io.BytesIO(workbook(cells(SURVEY, 4, "relevant", "x"), CHOICES, SETTINGS)), "form.xlsx")}
    page = client.post("/editor/import", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "form.xlsx: survey row 4, column relevant: conditions are not supported" in page
    assert editable_app.extensions["survey.library"].draft("council_test") is None


def test_a_council_member_lands_on_the_questionnaires_and_cannot_edit(editable_app):
    client = editable_app.test_client()
    response = login(client, make_account(editable_app, "council"))
    assert response.headers["Location"].endswith("/editor/")
    page = client.get("/editor/").get_data(as_text=True)
    assert "Nytt utkast" not in page and "/editor/user/v1" in page


def upload(client, survey, skip: bool = False, audio: bytes | None = None):
    """Send a workbook (with no settings sheet: its id comes from its name, trygg) from the import page."""
    page = client.get("/editor/import").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "workbook": (io.BytesIO(workbook(survey, CHOICES, None)), "trygg.xlsx")}
    if skip:
        data["skip_unsupported"] = "yes"
    if audio is not None:
        data["audio"] = (io.BytesIO(audio), "unused.mp3")
    return client.post("/editor/import", data=data, content_type="multipart/form-data")


HINTED = cells(SURVEY, 3, "hint::English (en)", "Think of last week")
HINT_WARNING = ("trygg.xlsx: survey row 3, column hint::English (en): the hint was left out: put what matters into "
                "the question, or into what speech says (spoken::…)")


def test_the_draft_shows_what_its_import_left_out_until_it_is_published(editable_app):
    client = editor(editable_app)
    response = upload(client, HINTED)
    assert response.status_code == 302 and response.headers["Location"].endswith("/editor/trygg/v1")
    page = html.unescape(client.get("/editor/trygg/v1").get_data(as_text=True))
    assert 'id="import-warnings"' in page and HINT_WARNING in page

    post(client, "/editor/trygg/v1/publish", {"confirm": "yes"})
    assert 'id="import-warnings"' not in client.get("/editor/trygg/v1").get_data(as_text=True)
    with editable_app.app_context():
        from survey.questionnaires import import_warnings
        assert import_warnings.of("trygg", 1) is None


def test_deleting_an_imported_draft_forgets_its_warnings(editable_app):
    client = editor(editable_app)
    upload(client, HINTED)
    page = client.get("/editor/trygg/v1").get_data(as_text=True)
    assert client.post("/editor/trygg/v1/delete", data={"csrf_token": csrf_token(page)}).status_code == 302
    assert editable_app.extensions["survey.library"].draft("trygg") is None
    with editable_app.app_context():
        from survey.questionnaires import import_warnings
        assert import_warnings.of("trygg", 1) is None


def test_the_import_page_leaves_out_rows_with_no_equivalent_only_when_the_box_is_ticked(editable_app):
    client = editor(editable_app)
    survey = SURVEY[:4] + [["integer", "age", "Ålder?", "Age?"]] + SURVEY[4:]
    page = html.unescape(upload(client, survey).get_data(as_text=True))
    assert "trygg.xlsx: survey row 5, column type: 'integer' questions have no equivalent here" in page
    assert editable_app.extensions["survey.library"].draft("trygg") is None

    response = upload(client, survey, skip=True)
    assert response.status_code == 302
    page = html.unescape(client.get("/editor/trygg/v1").get_data(as_text=True))
    assert ("trygg.xlsx: survey row 5, column type: the 'integer' row 'age' was left out, as asked: it has no "
            "equivalent here") in page


def test_the_import_page_takes_more_than_other_pages_up_to_its_own_bound(start_app, tmp_path):
    from tests.helpers import questionnaire_copy
    app = start_app(QUESTIONNAIRE_DIR=str(questionnaire_copy(tmp_path)), XLSFORM_UPLOAD_LIMIT=300 * 1024)
    client = editor(app)
    assert app.config["MAX_CONTENT_LENGTH"] < 200 * 1024
    assert upload(client, SURVEY, audio=bytes(200 * 1024)).status_code == 302
    response = upload(client, SURVEY, audio=bytes(400 * 1024))
    assert response.status_code == 413 and "300 KB" in response.get_data(as_text=True)
    assert app.extensions["survey.library"].draft("trygg").version == 1  # the first import, and nothing more


def test_the_import_page_lists_the_first_100_problems_and_counts_the_rest(editable_app):
    rows = [["type", "name", "label", "relevant", "constraint"]] + [
        ["text", f"q{i}", "Fråga?", "${q0} = 'x'", ". != ''"] for i in range(65)]
    page = upload(editor(editable_app), rows).get_data(as_text=True)
    alert = page.split('id="import-problems"')[1].split("</div>")[0]
    assert alert.count("<li>") == 100 and "column relevant: conditions are not supported" in alert
    assert re.search(r"\b30\b", alert.split("</ul>")[1])  # 130 problems
