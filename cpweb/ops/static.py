"""`static_url('css/site.css')` -> `/static/css/site.css?v=<hash of the content>`.

After a deploy the address of a changed file changes too, so browsers and proxies may keep
static files for a year (`immutable`) and still never serve a stale CSS or JS. The hash is
computed once per file per worker (workers restart on a deploy); in debug mode on every call.
"""
import hashlib

from flask import Flask, current_app, request, url_for
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600


def file_version(filename: str) -> str:
    path = safe_join(current_app.static_folder, filename)
    if path is None:
        raise ValueError(f"not a static file: {filename!r}")
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(65536):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def static_url(filename: str) -> str:
    # The whole address is kept per file and application root: url_for costs more than the page's
    # other links together, and the four files on every page never change in a running worker.
    urls = current_app.extensions.setdefault("cpweb_static_urls", {})
    key = (request.script_root, filename)
    url = urls.get(key)
    if url is None or current_app.debug:
        url = urls[key] = url_for("static", filename=filename, v=file_version(filename))
    return url


def _cache_versioned(response):
    """Without a proxy in front (or when it passes static on), a versioned file is cached for a year."""
    if request.endpoint == "static" and "v" in request.args and response.status_code == 200:
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["static_url"] = static_url
    app.after_request(_cache_versioned)
