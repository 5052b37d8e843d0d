"""Activities members (and sometimes guests) can attend: sign-up, waiting list, one calendar with the meetings."""
from ..core.hooks import hooks


def init_app(app) -> None:
    from . import annual, demo, logic, papers, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    hook.reminder_sender("activities", logic.send_reminders)
    hook.home_section(15, views.my_activities_section)
    hook.digest_section(logic.digest_lines)
    hook.annual_section(40, annual.activities_section)
    hook.calendar_source(logic.activities_in_calendar)
    hook.place_kind(papers.PLACE_KIND)
    hook.processing(logic.PROCESSING)
    hook.purger("guest sign-ups", logic.purge_guests)
    hook.demo_step(demo.demo_activities)
