"""/healthz: is this site able to serve? For uptime monitors; no login, no cookie, no rate limit.
And /favicon.ico, which browsers ask for by themselves (for a PDF shown inline, for instance)."""
import os
import shutil
import tempfile
from pathlib import Path

from flask import current_app, jsonify, request, send_from_directory
from sqlalchemy import text

from ..core.extensions import db, limiter
from ..core.filestore import store
from ..mail import longest_retrying, oldest_waiting
from . import bp


def _database() -> dict:
    db.session.execute(text("SELECT 1"))
    return {"ok": True}


def _instance_writable() -> dict:
    with tempfile.NamedTemporaryFile(dir=current_app.instance_path, prefix=".healthz-") as probe:
        probe.write(b"ok")
        probe.flush()
        os.fsync(probe.fileno())
    return {"ok": True}


def _disk() -> dict:
    free_mb = shutil.disk_usage(Path(current_app.instance_path)).free // (1024 * 1024)
    minimum = int(current_app.config["HEALTH_MIN_FREE_MB"])
    return {"ok": free_mb >= minimum, "free_mb": free_mb, "min_free_mb": minimum}


def _seconds(age) -> int:
    return int(age.total_seconds()) if age is not None else 0


def _mail() -> dict:
    """A mail waiting long means the mail server or `cpweb cron` is not doing its work; one that
    failed and still fails after its next tries, that the mail server cannot be reached or refuses."""
    waiting, retrying = _seconds(oldest_waiting()), _seconds(longest_retrying())
    max_age = int(current_app.config["HEALTH_MAX_MAIL_AGE_MINUTES"]) * 60
    max_retrying = int(current_app.config["HEALTH_MAX_MAIL_RETRY_MINUTES"]) * 60
    return {"ok": waiting <= max_age and retrying <= max_retrying, "oldest_waiting_s": waiting, "max_age_s": max_age,
            "failing_for_s": retrying, "max_failing_s": max_retrying}


def forwarded_without_trusted_proxies() -> bool:
    """Behind Caddy or nginx the visitor's address comes in X-Forwarded-For, which the site reads
    only with TRUSTED_PROXIES set. Without it every visitor has the proxy's address, and the limit
    on wrong passwords per address (LOGIN_RATE_LIMIT) holds for all of them at once."""
    return "X-Forwarded-For" in request.headers and not current_app.config.get("TRUSTED_PROXIES")


def _proxy() -> dict:
    if forwarded_without_trusted_proxies():
        return {"ok": False, "error": "X-Forwarded-For without TRUSTED_PROXIES: set TRUSTED_PROXIES = 1 behind a proxy"}
    return {"ok": True, "trusted_proxies": int(current_app.config.get("TRUSTED_PROXIES") or 0)}


def warn_about_an_untrusted_proxy() -> None:
    """Once per worker, in the log: requests come through a proxy the site was not told about."""
    if forwarded_without_trusted_proxies() and not current_app.extensions.get("cpweb_proxy_warned"):
        current_app.extensions["cpweb_proxy_warned"] = True
        current_app.logger.warning("requests arrive through a proxy (X-Forwarded-For) but TRUSTED_PROXIES is not "
                                   "set: every visitor counts as the proxy's address; set TRUSTED_PROXIES = 1")


def _storage() -> dict:
    """Where uploads live: with an object store, that this server reaches its bucket."""
    return store().check()


CHECKS = {"database": _database, "instance_writable": _instance_writable, "disk": _disk, "mail": _mail,
          "proxy": _proxy, "storage": _storage}


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """JSON with one entry per check; 200 when all pass, else 503. For anyone (uptime monitors)."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # a failing check is the answer, not a 500
            current_app.logger.warning("healthz: %s failed: %r", name, error)
            results[name] = {"ok": False, "error": type(error).__name__}
    healthy = all(result["ok"] for result in results.values())
    if not healthy:
        db.session.rollback()
    response = jsonify(status="ok" if healthy else "fail", checks=results)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/favicon.ico")
def favicon():
    """The icon at the address browsers try without a link; pages link the versioned one in static/."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=24 * 3600)
