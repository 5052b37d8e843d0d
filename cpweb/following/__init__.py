"""Following other councils: their public calendars and feeds (iCalendar, Atom, RSS), fetched
safely by `cpweb cron`, shown read-only in the agenda ("ook van andere raden") and on
/van-andere-raden, each labelled with its source. Never published again in this site's feeds."""
from ..core.hooks import hooks


def init_app(app) -> None:
    from . import commands, logic, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    hook.command(commands.sources_command)
    hook.cron_job("refresh-sources", commands.refresh_job)
    hook.calendar_source(logic.followed_events, followed=True)
    # The library links to what other councils published, once the site follows one.
    app.jinja_env.globals["follows_other_councils"] = logic.has_sources
