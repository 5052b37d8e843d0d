"""Signals: what clients experience, good or bad, passed on through a public form.

Anonymous by default; contact details only with consent, erased after the retention period.
Secretaries triage signals; management sees counts by kind ("aard en aantal"), never names.
"""
from datetime import timedelta

from ..core.hooks import hooks


def init_app(app) -> None:
    from . import annual, commands, demo, logic, tally, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    hook.command(commands.signals_digest_command)
    hook.cron_job("signals-digest", commands.signals_digest_command, every=timedelta(days=1))
    hook.home_section(30, views.new_signals_section)
    hook.annual_section(30, annual.signals_section)
    hook.processing(logic.PROCESSING)
    hook.purger("signal contact details", logic.purge_contact_details)
    hook.purger("spam and cancelled signals", logic.purge_cancelled)
    hook.seeder(logic.seed_categories)
    hook.unmanaged_table(tally.TABLE)
    hook.demo_step(demo.demo_signals)
