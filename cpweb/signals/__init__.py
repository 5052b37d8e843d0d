"""Signals: what clients experience, good or bad, passed on through a public form.

Anonymous by default; contact details only with consent, erased after the retention period.
Secretaries triage signals; management sees counts by kind ("aard en aantal"), never names.
"""
from datetime import timedelta

from ..hooks import hooks


def init_app(app) -> None:
    from . import commands, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    hook.command(commands.signals_digest_command)
    hook.cron_job("signals-digest", commands.signals_digest_command, every=timedelta(days=1))
