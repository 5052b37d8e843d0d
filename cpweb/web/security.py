"""Security headers, the session cookie's Secure flag, and safe redirects."""
from urllib.parse import urlsplit

from flask import request
from flask.sessions import SecureCookieSessionInterface

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# A year, renewed by every answer over https. Subdomains are not included: the council's domain
# may have other sites that the site cannot speak for.
HSTS = "max-age=31536000"


def set_security_headers(response):
    # A view that serves a file may set a stricter policy of its own; keep that one.
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def no_store(response):
    """For answers with personal data, also downloads reached without logging in (a calendar link)."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


class FixedScriptName:
    """WSGI middleware: the site's place (the SCRIPT_NAME setting, by default the domain's root),
    whatever the request or the server says. Links are built on SCRIPT_NAME, and gunicorn takes it
    from a header of a trusted proxy, which passed on a visitor's own: their links led to /evil/..."""

    def __init__(self, wsgi_app, script_name: str):
        self.wsgi_app, self.script_name = wsgi_app, script_name.rstrip("/")

    def __call__(self, environ, start_response):
        environ["SCRIPT_NAME"] = self.script_name
        return self.wsgi_app(environ, start_response)


class SessionInterface(SecureCookieSessionInterface):
    """Marks the cookie Secure whenever the request came over https (also behind a proxy), and
    keeps its signing serializer: Flask builds a new one to read and another to write each cookie."""

    _serializers: dict = {}

    def get_cookie_secure(self, app):
        return super().get_cookie_secure(app) or request.is_secure

    def get_signing_serializer(self, app):
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer


def safe_next(target: str | None, fallback: str) -> str:
    """A local path to go on to after login; anything else (another host, tricks) gives fallback."""
    if not target:
        return fallback
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return fallback
    # "//evil", "/\\evil" and control characters are read as another host by some browsers.
    if target.startswith(("//", "/\\")) or any(ord(c) < 32 for c in target):
        return fallback
    return target
