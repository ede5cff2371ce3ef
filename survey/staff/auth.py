"""Staff log-in with Flask-Login, and the role check every staff view declares."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.exceptions import Forbidden

from survey.db import db
from survey.db.models import Account
from survey.staff import accounts
from survey.staff.forms import LoginForm
from survey.web import limits

bp = Blueprint("auth", __name__, url_prefix="/staff")
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to see this page.")


# The session key holding the account's session generation at log-in (see Account.session_generation).
GENERATION = "generation"


@login_manager.user_loader
def load_account(account_id: str) -> Account | None:
    """Return the session's account, unless it is deactivated or its sessions were ended after this one began."""
    account = db.session.get(Account, account_id)
    if account is None or not account.active or session.get(GENERATION) != account.session_generation:
        return None
    return account


def role_required(*roles: str):
    """Let only logged-in accounts with one of these roles through (others get 403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                raise Forbidden()
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


@bp.route("/login", methods=["GET", "POST"])
@limits.limit("10 per minute", methods=["POST"])
def login():
    """Log a staff member in."""
    form = LoginForm()
    if form.validate_on_submit():
        account = accounts.authenticate(form.email.data, form.password.data)
        if account is not None:
            begin_session(account)
            return redirect(_safe_next(request.args.get("next"), account.role))
        flash(_l("Wrong e-mail or password."), "error")
    return render_template("staff/login.html", form=form)


def begin_session(account: Account) -> None:
    """Start a fresh session for the account: no tablet mode (logging in is one way to leave it), a new CSRF token."""
    lang = session.get("lang")
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF's token of this request, made from the old session
    if lang:
        session["lang"] = lang
    login_user(account)
    session[GENERATION] = account.session_generation


@bp.post("/logout")
def logout():
    """Log out, ending every session of this account on every device and instance."""
    if current_user.is_authenticated:
        accounts.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for(".login"))


def _safe_next(target: str | None, role: str) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("editor.index" if role == accounts.COUNCIL else "staff.home")


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)
