"""Rate limits against guessing (log-in, invitation codes, tablet PINs, open links).

Views declare their limits with `limit`; `enforce` gives each app its own Flask-Limiter that checks them. The
counters live in Redis when REDIS_URL is set, so they hold exactly across workers and instances; otherwise in each
process's memory (`make run`'s default: exact with one worker, while several workers each count on their own). If
Redis cannot be reached, each process counts in its memory until it can again, rather than refusing every answer.
Counters are keyed by a keyed hash, so neither Redis nor a log holds a client's address or a tablet's id."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request, session
from flask_limiter import Limiter

LIMITER = "survey.limiter"  # app.extensions: this app's Limiter
DECLARED = "rate_limits"  # a view's attribute: the limits `limit` declared on it


def _hashed(kind: str, value: str) -> str:
    digest = hashlib.blake2b(value.encode(), key=current_app.config["SECRET_KEY"].encode()[:64], digest_size=12)
    return f"{kind}:{digest.hexdigest()}"


def client_address() -> str:
    """Key a limit by the client's address (as ProxyFix found it behind trusted proxies)."""
    return _hashed("address", request.remote_addr or "")


def tablet_device() -> str:
    """Key a limit by this device's tablet session (its address when it has none)."""
    tablet = session.get("tablet")
    return _hashed("tablet", tablet) if tablet else client_address()


def limit(value: str | Callable[[], str], key: Callable[[], str] = client_address, **options: Any):
    """Declare a rate limit on a view (Flask-Limiter's options); the app's limiter enforces it."""

    def decorator(view):
        setattr(view, DECLARED, (*getattr(view, DECLARED, ()), (value, key, options)))
        return view

    return decorator


def enforce(app: Flask) -> None:
    """Give the app its own limiter, on Redis when configured, and wrap every view that declared limits."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "survey")
    limiter = Limiter(key_func=client_address, storage_uri=app.config.get("REDIS_URL") or "memory://",
                      default_limits=[], in_memory_fallback_enabled=True)
    limiter.init_app(app)
    # Flask-Limiter also checks every request for default and application limits; there are none here, and
    # that check cost each answer more than its own validation did.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    for endpoint, view in list(app.view_functions.items()):
        wrapped = view
        for value, key, options in getattr(view, DECLARED, ()):
            wrapped = limiter.limit(value, key_func=key, **options)(wrapped)
        app.view_functions[endpoint] = wrapped
    app.extensions[LIMITER] = limiter
