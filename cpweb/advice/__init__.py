"""Advice dossiers: from a request or an idea to an outcome, with every step on a timeline."""
from datetime import timedelta

from ..core.hooks import hooks


def init_app(app) -> None:
    from . import annual, commands, demo, letters, logic, public_views, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(public_views.bp)
    hook.command(commands.advice_digest_command)
    # Checked daily; the digest itself goes out once per ISO week.
    hook.cron_job("advice-digest", commands.advice_digest_command, every=timedelta(days=1))
    hook.home_section(25, views.attention_section)
    hook.digest_section(commands.advice_lines)
    hook.annual_section(20, annual.advice_section)
    hook.place_kind(letters.PLACE_KIND)
    hook.feed(public_views.FEED)
    hook.processing(logic.PROCESSING)
    hook.demo_step(demo.demo_advice)
