"""Behind a proxy: only the configured number of proxies is believed for the client's address, and cards and
posters carry PUBLIC_URL, never the Host header a request came with."""
import pytest

from survey.config import ConfigError
from tests.helpers import PASSWORD, csrf_token, login, make_account, make_unit
from tests.respond.test_invitations import pdf_text, scan, unit_and_round

EVIL = {"Host": "evil.example"}


def print_as(app, headers: dict):
    """Log in as unit staff and ask for two cards and a poster, every request with these headers."""
    make_unit(app)
    client = app.test_client()
    login(client, make_account(app, "unit_staff", unit_slugs=("bjorken",)))
    if "Host" in headers:  # the browser sends its cookie to the host it asks (the test client keeps them apart)
        client.set_cookie("session", client.get_cookie("session").value, domain=headers["Host"])
    unit_id, round_id = unit_and_round(app)
    url = f"/staff/units/{unit_id}/rounds/{round_id}"
    page = client.get(f"{url}/cards", headers=headers).get_data(as_text=True)
    cards = client.post(f"{url}/cards", data={"count": 2, "lang": "sv", "csrf_token": csrf_token(page)},
                        headers=headers)
    return cards, client.get(f"{url}/poster.pdf", headers=headers)


def test_cards_and_posters_carry_the_public_url_whatever_the_host_header(start_app, tmp_path):
    cards, poster = print_as(start_app(PUBLIC_URL="https://enkat.kommun.se/"), EVIL)
    assert cards.mimetype == poster.mimetype == "application/pdf"
    codes = scan(cards.data, tmp_path / "cards")
    assert len(codes) == 2 and all(c.startswith("https://enkat.kommun.se/c?code=") for c in codes)
    assert scan(poster.data, tmp_path / "poster") == ["https://enkat.kommun.se/u/bjorken/user"]
    for pdf in (cards.data, poster.data):
        assert "evil.example" not in pdf_text(pdf, tmp_path) and "enkat.kommun.se" in pdf_text(pdf, tmp_path)


def test_without_a_public_url_only_the_local_demo_prints(app):
    cards, poster = print_as(app, EVIL)
    assert cards.status_code == poster.status_code == 409
    for page in (cards.get_data(as_text=True), poster.get_data(as_text=True)):
        assert "PUBLIC_URL" in page and "evil.example" not in page


@pytest.fixture
def tmp_path(tmp_path):
    for name in ("cards", "poster"):
        (tmp_path / name).mkdir()
    return tmp_path


def log_in_attempts(app, forwarded_for: str, count: int) -> list[int]:
    client = app.test_client()
    return [client.post("/staff/login", data={"email": "nobody@example.org", "password": PASSWORD},
                        headers={"X-Forwarded-For": forwarded_for}).status_code for _ in range(count)]


def test_behind_one_trusted_proxy_each_client_has_its_own_limit(start_app):
    app = start_app(TRUSTED_PROXIES=1, WTF_CSRF_ENABLED=False)
    assert 429 not in log_in_attempts(app, "10.0.0.1", 10) + log_in_attempts(app, "10.0.0.2", 10)
    assert log_in_attempts(app, "10.0.0.1", 1) == [429]


def test_without_trusted_proxies_a_forwarded_address_is_not_believed(start_app):
    app = start_app(WTF_CSRF_ENABLED=False)
    statuses = log_in_attempts(app, "10.0.0.1", 10) + log_in_attempts(app, "10.0.0.2", 1)
    assert statuses[-1] == 429 and 429 not in statuses[:10]


def test_a_forwarded_https_scheme_is_believed_only_from_a_trusted_proxy(start_app):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.1"}
    assert "Strict-Transport-Security" in start_app(TRUSTED_PROXIES=1).test_client().get("/", headers=forwarded).headers
    assert "Strict-Transport-Security" not in start_app().test_client().get("/", headers=forwarded).headers


@pytest.mark.parametrize("value", [-1, "1", True, 1.5])
def test_trusted_proxies_must_be_a_whole_number(start_app, value):
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        start_app(TRUSTED_PROXIES=value)
