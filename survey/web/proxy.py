"""Where a request came from behind reverse proxies, and the public address printed on cards and posters.

TRUSTED_PROXIES says how many proxies in front of the service add X-Forwarded-For and X-Forwarded-Proto (nginx in
deploy/: 1). Only that many are believed, so a client cannot choose the address its rate limits count under by
sending the header itself; the address is used for rate limits only, never stored. The Host header is never used
for an address someone prints: cards and posters carry PUBLIC_URL. Without one, only a loopback address (the local
demo of `make run`) is taken from the request; any other request is refused until an administrator sets it."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, request
from werkzeug.exceptions import Conflict
from werkzeug.middleware.proxy_fix import ProxyFix

from survey.config import ConfigError

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class NoPublicUrl(Conflict):
    """A printed address was asked for, PUBLIC_URL is empty and the request did not come to a loopback address."""


def public_url() -> str:
    """Return the address printed on cards and posters: PUBLIC_URL, or the local demo's own loopback address."""
    configured = current_app.config["PUBLIC_URL"]
    if configured:
        return configured.rstrip("/")
    if urlsplit(request.host_url).hostname in LOOPBACK_HOSTS:
        return request.host_url.rstrip("/")
    raise NoPublicUrl()


def init_app(app: Flask) -> None:
    """Believe the forwarded client address and scheme from TRUSTED_PROXIES proxies (none by default)."""
    trusted = app.config["TRUSTED_PROXIES"]
    if not isinstance(trusted, int) or isinstance(trusted, bool) or trusted < 0:
        raise ConfigError(f"TRUSTED_PROXIES must be a whole number of proxies, 0 or more (not {trusted!r}).")
    if trusted:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted,  # type: ignore[method-assign]
                                x_host=0, x_port=0, x_prefix=0)
