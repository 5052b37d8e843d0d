"""cpweb: a website for client councils. `create_app()` builds the Flask app."""
import os
import secrets
from pathlib import Path

import click
from flask import Flask
from jinja2 import StrictUndefined
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (activities, admin, advice, annual_report, auth, bodies, calendar, cli, documents, feeds, following,
               handbook, mail, meetings, ops, pages, proposals, search, signals)
from .core import audit
from .core import config as default_config
from .core import i18n, ratelimit
from .core.database import init_migrations, with_driver
from .core.extensions import babel, csrf, db, htmx, login_manager
from .core.hooks import Hooks, hooks
from .web import errors, forms, guest_pages, navigation
from .web.markdown import render_markdown
from .web.security import FixedScriptName, SessionInterface, set_security_headers
from .web.urls import site_url, trusted_hosts

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Each feature's init_app(app) registers its blueprint, commands and hooks (cpweb.core.hooks), in this
# order; lists without an order of their own (cron jobs, purgers, the processing register, demo
# steps) keep it. Three are modules rather than packages: `cli`, the site's own commands (init, demo,
# create-user, purge, cron), and two of core with hooks of their own: `audit`, the log every feature
# writes to, and `ratelimit`, the counters behind every limit on tries. init_app imports the feature's views itself: importing a feature's
# logic never loads its views. See docs/architecture.md.
FEATURES = (cli, pages, auth, bodies, admin, audit, mail, ratelimit, signals, meetings, calendar, activities, advice,
            proposals, annual_report, documents, feeds, following, handbook, search, ops)


def create_app(test_config: dict | None = None) -> Flask:
    instance_path = Path(os.environ.get("CPWEB_INSTANCE") or PROJECT_ROOT / "instance").resolve()
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    _load_config(app, test_config)
    _init_extensions(app)
    _init_features(app)
    return app


def _load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(default_config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CPWEB")
    if test_config:
        app.config.update(test_config)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI",
        app.config.get("DATABASE_URL") or f"sqlite:///{instance / 'cpweb.sqlite3'}",
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = with_driver(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config.get("TRUSTED_HOSTS") is None:
        # A request for another host gets the 400 page, so no page is built from a forged Host.
        app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)


def _instance_secret(path: Path) -> str:
    """Read the instance's secret key, creating it (readable by the owner only) on first start."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_hex(32)
        # O_EXCL: when two workers start at once, one writes and the other reads.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key


def _init_extensions(app: Flask) -> None:
    from .ops import logs as ops_logs
    from .ops import static as ops_static

    ops_logs.init_app(app)  # first, so that every other hook has the request id
    ops_static.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    ratelimit.init_limiter(app)
    login_manager.init_app(app)
    app.session_interface = SessionInterface()
    app.after_request(set_security_headers)
    app.wsgi_app = FixedScriptName(app.wsgi_app, app.config["SCRIPT_NAME"] or "")
    if app.config.get("TRUSTED_PROXIES"):
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if app.config.get("TESTING"):
        # A misspelt variable fails a test instead of rendering as nothing.
        app.jinja_env.undefined = StrictUndefined
    i18n.init_app(app)
    navigation.init_app(app)
    forms.init_app(app)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["site_url"] = site_url
    errors.init_app(app)
    guest_pages.init_app(app)  # after the others: it answers a kept page before their checks


def _init_features(app: Flask) -> None:
    app.extensions["cpweb"] = Hooks()
    for feature in FEATURES:
        feature.init_app(app)
    app.cli.add_command(hooks(app).cli)
    # Started by the `flask` command (e.g. `flask db migrate`): its commands need migrations.
    if click.get_current_context(silent=True) is not None:
        init_migrations(app)
