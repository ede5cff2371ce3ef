"""Staff sessions end when they should: logout, a new password or deactivation end every session of the
account, on every instance; a log-in starts a fresh session with a new CSRF token."""
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Account
from survey.staff import accounts
from tests.helpers import PASSWORD, csrf_token, login, make_account


def logged_in(app, email: str):
    """Log in through the form on a fresh client of this app; return the client."""
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def replay(app, client):
    """Send this client's session cookie from another browser, to this app (perhaps another instance)."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def log_out(client):
    page = client.get("/staff/").get_data(as_text=True)
    return client.post("/staff/logout", data={"csrf_token": csrf_token(page)})


def test_a_cookie_replayed_after_logout_is_refused_on_every_instance(start_app):
    first, second = start_app(), start_app()  # two instances on one database
    email = make_account(first, "administrator")
    client = logged_in(first, email)
    copied = replay(second, client)
    assert copied.get("/staff/").status_code == 200  # the same cookie works on the other instance
    assert log_out(client).headers["Location"] == "/staff/login"
    for app in (first, second):
        result = replay(app, copied).get("/staff/")
        assert result.status_code == 302 and result.headers["Location"].startswith("/staff/login")


def test_logout_ends_the_accounts_sessions_on_other_devices_too(app):
    email = make_account(app, "administrator")
    office, tablet = logged_in(app, email), logged_in(app, email)
    log_out(office)
    assert tablet.get("/staff/").status_code == 302
    assert logged_in(app, email).get("/staff/").status_code == 200  # logging in again starts a new session


def test_a_new_password_ends_the_accounts_sessions(app):
    email = make_account(app, "unit_staff")
    client = logged_in(app, email)
    with app.app_context():
        accounts.set_password(db.session.scalar(sa.select(Account).where(Account.email == email)), PASSWORD + "!")
        db.session.commit()
    assert client.get("/staff/").status_code == 302


def test_deactivating_an_account_ends_its_sessions(app):
    email = make_account(app, "unit_staff")
    client = logged_in(app, email)
    with app.app_context():
        found = db.session.scalar(sa.select(Account).where(Account.email == email))
        accounts.save_account(found, email, found.name, found.role, [], "", active=False)
        db.session.commit()
    assert client.get("/staff/").status_code == 302


def test_log_in_renews_the_csrf_token(app):
    email = make_account(app, "administrator")
    client = app.test_client()
    before = csrf_token(client.get("/staff/login").get_data(as_text=True))
    with client.session_transaction() as session:
        raw_before = session["csrf_token"]
    login(client, email)
    assert client.get("/staff/").status_code == 200
    with client.session_transaction() as session:
        assert session["csrf_token"] != raw_before
    assert client.post("/staff/logout", data={"csrf_token": before}).status_code == 400  # the old token is dead
    assert client.get("/staff/").status_code == 200  # and the session lives on
