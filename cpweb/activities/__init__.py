"""Activities members (and sometimes guests) can attend: sign-up, waiting list, one calendar with the meetings."""
from ..hooks import hooks


def init_app(app) -> None:
    from . import demo, logic, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    hook.reminder_sender("activities", logic.send_reminders)
    hook.purger("guest sign-ups", logic.purge_guests)
    hook.demo_step(demo.demo_activities)
