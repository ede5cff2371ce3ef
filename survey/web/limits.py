"""Rate limits against guessing (log-in, invitation codes). Counters live in memory only, never in logs."""
from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, storage_uri="memory://", default_limits=[])


def init_app(app: Flask) -> None:
    """Limit the decorated views (their decorators do the checking); leave every other request alone."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)
    # Flask-Limiter also checks every request for default and application limits; there are none here, and
    # that check cost each answer more than its own validation did.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
