"""Staff log-in with Flask-Login, and the role check every staff view declares."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
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


@login_manager.user_loader
def load_account(account_id: str) -> Account | None:
    return db.session.get(Account, account_id)


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
            session.pop("tablet", None)  # logging in is one way to leave tablet mode
            login_user(account)
            return redirect(_safe_next(request.args.get("next"), account.role))
        flash(_l("Wrong e-mail or password."), "error")
    return render_template("staff/login.html", form=form)


@bp.post("/logout")
def logout():
    """Log out."""
    logout_user()
    return redirect(url_for(".login"))


def _safe_next(target: str | None, role: str) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("editor.index" if role == accounts.COUNCIL else "staff.home")


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)
