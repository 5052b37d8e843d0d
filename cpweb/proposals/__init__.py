"""Proposals: decisions between meetings. Members answer in writing until the closing time; the outcome
lands in the dossier, on the next meeting's agenda and in its minutes, and in the annual report."""
from ..core.hooks import hooks


def init_app(app) -> None:
    from . import annual, demo, logic, papers, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    # Each run: closing is claimed per proposal, so a second run closes nothing twice.
    hook.cron_job("close-proposals", logic.close_due)
    hook.reminder_sender("proposals", logic.send_reminders)
    hook.home_section(20, views.waiting_section)
    hook.annual_section(25, annual.proposals_section)
    hook.calendar_source(logic.closing_times)
    hook.place_kind(papers.PLACE_KIND)
    hook.processing(logic.PROCESSING)
    hook.purger("proposal answers", logic.purge_names)
    hook.demo_step(demo.demo_proposals)
