"""Links that leave the site (mails, feeds, posters) start with SITE_URL, never with the request's Host.

A request's Host header is whatever the sender typed: a reset link built from it would send the
token to the sender's own server.
"""
from urllib.parse import urlsplit

from flask import current_app


def site_url(endpoint: str, **values) -> str:
    """The absolute address of an endpoint on SITE_URL; works in a request, a command or a cron job."""
    base = urlsplit(current_app.config["SITE_URL"])
    anchor = values.pop("_anchor", None)
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/",
                                       url_scheme=base.scheme or "https")
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def trusted_hosts(config) -> list[str]:
    """The hosts a request may name: SITE_URL's, and this machine's own for health checks."""
    return [urlsplit(config["SITE_URL"]).hostname or "localhost", "localhost", "127.0.0.1"]
