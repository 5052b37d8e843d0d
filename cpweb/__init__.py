"""cpweb: a website for client councils. `create_app()` builds the Flask app."""
import os
import secrets
from pathlib import Path

import click
from flask import Flask
from jinja2 import StrictUndefined
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as default_config
from . import errors, forms, i18n, mail, navigation, ratelimit
from .markdown import render_markdown
from .database import alembic_include_name, alembic_render_item, with_driver
from .extensions import babel, csrf, db, htmx, login_manager
from .security import SessionInterface, set_security_headers
from .urls import site_url, trusted_hosts

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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
    _register_blueprints(app)
    _register_cli(app)
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
    mail.init_app(app)  # after the database, so its check runs before the session is removed
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    ratelimit.init_app(app)
    login_manager.init_app(app)
    app.session_interface = SessionInterface()
    app.after_request(set_security_headers)
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


def _register_blueprints(app: Flask) -> None:
    from .activities.views import bp as activities_bp
    from .admin.views import bp as admin_bp
    from .advice.views import bp as advice_bp
    from .annual_report.views import bp as annual_report_bp
    from .auth.twofactor_views import bp as twofactor_bp
    from .auth.views import bp as auth_bp
    from .bodies.views import bp as bodies_bp
    from .calendar.views import bp as calendar_bp
    from .documents.views import bp as documents_bp
    from .handbook.views import bp as handbook_bp
    from .mail.views import bp as mail_bp
    from .meetings.views import bp as meetings_bp
    from .ops.views import bp as ops_bp
    from .pages.views import bp as pages_bp
    from .signals.views import bp as signals_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(twofactor_bp)
    app.register_blueprint(bodies_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(mail_bp)
    app.register_blueprint(signals_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(activities_bp)
    app.register_blueprint(advice_bp)
    app.register_blueprint(annual_report_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(handbook_bp)
    app.register_blueprint(ops_bp)


def _register_cli(app: Flask) -> None:
    from .cli import cpweb_cli

    app.cli.add_command(cpweb_cli)
    # Started by the `flask` command (e.g. `flask db migrate`): its commands need migrations.
    if click.get_current_context(silent=True) is not None:
        init_migrations(app)


def init_migrations(app: Flask) -> None:
    """Set up Flask-Migrate. Only commands need it: web workers start faster without Alembic."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS), render_as_batch=True, render_item=alembic_render_item,
                include_name=alembic_include_name)
