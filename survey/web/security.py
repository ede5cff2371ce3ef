"""Security headers on every response, cookie flags, and a guard against malformed requests."""
from __future__ import annotations

from flask import Flask, Response, abort, current_app, request

# No inline script or style anywhere: templates load survey.css, staff.css and the scripts from /static.
# Pictograms are SVG files; speech plays from blob: URLs; codes travel in query strings, so no referrer.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def served_over_https(config) -> bool:
    """Tell whether the configuration says the service is reached over HTTPS."""
    return config.get("PREFERRED_URL_SCHEME") == "https" or str(config.get("PUBLIC_URL", "")).startswith("https://")


def init_app(app: Flask) -> None:
    """Mark cookies HttpOnly, SameSite and (over HTTPS) Secure; add the headers; refuse malformed requests.

    Call it before CSRF protection is set up: the guard must see a request before anything reads its form.
    """
    https = served_over_https(app.config)
    for prefix in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        app.config[f"{prefix}_SECURE"] = app.config.get(f"{prefix}_SECURE") or https
        app.config[f"{prefix}_HTTPONLY"] = True
        app.config.setdefault(f"{prefix}_SAMESITE", "Lax")
    app.before_request(refuse_malformed)
    app.after_request(add_security_headers)


# Free-text answers are cleaned of control characters (answers.clean_answer) rather than refused.
CLEANED_FIELDS = {("respond.answer", "text")}
UPLOAD_LIMITS = "survey.upload_limits"  # app.extensions: endpoint -> the setting that bounds a request to it


def allow_upload(app: Flask, endpoint: str, setting: str) -> None:
    """Let requests to one endpoint carry up to the named setting's bytes, instead of MAX_CONTENT_LENGTH."""
    app.extensions.setdefault(UPLOAD_LIMITS, {})[endpoint] = setting


def refuse_malformed() -> None:
    """Refuse (400) form fields without a name and NUL characters in path, query or form (PostgreSQL stores none).

    First, give an endpoint that takes uploads its own bound (413 beyond it): nothing has read the body yet."""
    setting = current_app.extensions.get(UPLOAD_LIMITS, {}).get(request.endpoint)
    if setting is not None:
        request.max_content_length = current_app.config[setting]
    values = [request.path, *request.args.keys(), *request.args.values()]
    if request.method != "GET" and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        keys = list(request.form.keys())
        if not all(isinstance(key, str) for key in keys):  # a multipart part with no or a broken name
            abort(400)
        values += keys + [value for key, value in request.form.items(multi=True)
                          if (request.endpoint, key) not in CLEANED_FIELDS]
    if any("\x00" in value for value in values):
        abort(400)


def add_security_headers(response: Response) -> Response:
    """Add the security headers (and HSTS when the request came over HTTPS)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
