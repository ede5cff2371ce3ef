"""Security headers on every kind of page, cookie flags, CSRF on every state change, rate limits, no secrets."""
import io
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Round, Unit
from survey.web.security import CONTENT_SECURITY_POLICY
from tests.helpers import PASSWORD, csrf_token, login, make_account, make_unit

ROOT = Path(__file__).resolve().parents[2]
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def has_security_headers(response) -> bool:
    headers = response.headers
    return (headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
            and headers["X-Content-Type-Options"] == "nosniff"
            and headers["Referrer-Policy"] == "no-referrer"
            and headers["X-Frame-Options"] == "DENY"
            and "camera=()" in headers["Permissions-Policy"])


def test_policy_allows_nothing_inline_and_no_framing():
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY


def test_templates_have_no_inline_script_style_or_handlers():
    served = [p for p in (ROOT / "survey/templates").rglob("*.html") if "print" not in p.parts]
    for template in served:
        text = template.read_text(encoding="utf-8")
        assert "<style" not in text and " style=" not in text and " on" + "click=" not in text, template
        assert all("src=" in tag for tag in text.split("<script")[1:]), template


def test_every_kind_of_response_carries_the_headers(app, client):
    make_unit(app)
    make_account(app, "unit_staff", unit_slugs=("bjorken",))
    with app.app_context():
        unit_id, round_id = db.session.execute(sa.select(Unit.id, Round.id).join(Round.units)).one()
    pages = ["/", "/u/bjorken/user?lang=sv", "/u/bjorken", "/static/survey.css", "/pictograms/dont_know.svg",
             "/no/such/page", "/r/1", "/staff/login", "/staff/", "/c?code=AAAA-AAAA"]
    for path in pages:
        with client.get(path) as response:
            assert has_security_headers(response), path
    assert has_security_headers(client.post("/r/1", data={}))  # refused: no CSRF token
    login(client, "unit_staff@example.org")
    poster = client.get(f"/staff/units/{unit_id}/rounds/{round_id}/poster.pdf")
    assert poster.mimetype == "application/pdf" and has_security_headers(poster)


def test_session_cookie_is_httponly_and_samesite_and_not_secure_over_plain_http(client, app):
    make_unit(app)
    cookie = client.get("/u/bjorken/user?lang=sv").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_when_served_over_https(start_app):
    app = start_app(PUBLIC_URL="https://enkat.kommun.se")  # (disposed after: its request opens a connection)
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True
    response = app.test_client().get("/", base_url="https://enkat.kommun.se")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_every_state_changing_route_refuses_a_request_without_csrf_token(app, client):
    make_unit(app)
    login(client, make_account(app, "administrator"))
    values = {"slug": "bjorken", "questionnaire_id": "user", "position": 1, "unit_id": "x", "round_id": "x",
              "area_id": "x", "account_id": "x", "token": "x", "version": 1, "number": 1, "link_id": "x",
              "level": "unit", "group_id": "x", "flag_id": "x", "key": "x", "fmt": "csv", "pool_id": 1,
              "action_id": "x"}
    checked = 0
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & STATE_CHANGING):
            path = rule.rule
            for arg in rule.arguments:
                path = path.replace(f"<{arg}>", str(values[arg])).replace(f"<int:{arg}>", str(values[arg]))
            response = client.open(path, method=method, data={"email": "x", "answer": "yes"})
            assert response.status_code == 400, (method, path, response.status_code)
            checked += 1
    assert checked >= 10


def test_login_is_rate_limited(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    make_account(app, "administrator")
    statuses = [client.post("/staff/login", data={"email": "administrator@example.org", "password": "wrong"},
                            environ_base={"REMOTE_ADDR": "127.0.0.9"}).status_code for _ in range(12)]
    assert statuses[-1] == 429 and 429 not in statuses[:10]


@pytest.mark.parametrize("path", ["/u/bj%00rken", "/c?code=AB%00CD", "/u/bjorken/user?lang=s%00v"])
def test_nul_characters_are_refused_before_they_reach_the_database(client, app, path):
    make_unit(app)
    assert client.get(path).status_code == 400


def test_nul_in_a_log_in_form_is_refused(client, app):
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.post("/staff/login", data={"email": "a\x00@b.se", "password": PASSWORD}).status_code == 400


def test_no_secret_key_or_instance_folder_in_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert not [name for name in tracked if name.startswith("instance/") or name.endswith("secret_key")]
    for name in tracked:
        if name.endswith(".py") and not name.startswith(("tests/", "benchmarks/")):
            text = (ROOT / name).read_text(encoding="utf-8")
            assert "SECRET_KEY = \"" not in text and "SECRET_KEY = '" not in text, name
    assert "instance/" in (ROOT / ".gitignore").read_text().splitlines()


def test_a_multipart_field_without_a_name_is_refused_not_a_server_error(client):
    body = b"--B\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--B--\r\n"
    assert client.post("/staff/tablet", data=body, content_type="multipart/form-data; boundary=B").status_code == 400
    assert client.post("/r/1", data={"a\r\nb": "v", "f": (io.BytesIO(b"x"), "x.txt")}).status_code == 400


def test_a_form_sent_over_https_without_a_referrer_is_accepted(app, start_app):
    """The pages send no referrer (Referrer-Policy: no-referrer), so over HTTPS (behind nginx, ProxyFix saying so)
    the CSRF token and SameSite cookies guard forms, not a Referer check that browsers here cannot pass."""
    secure = start_app(PUBLIC_URL="https://enkat.kommun.se")
    make_unit(secure)
    client = secure.test_client()
    page = client.get("/u/bjorken/user?lang=sv", base_url="https://enkat.kommun.se").get_data(as_text=True)
    started = client.post("/u/bjorken/user", data={"lang": "sv", "csrf_token": csrf_token(page)},
                          base_url="https://enkat.kommun.se")
    assert started.status_code == 302, started.get_data(as_text=True)[:300]
