"""Meetings of a body: agenda, stukken, attendance, minutes, decisions and action items."""
from datetime import timedelta

from ..core.hooks import hooks


def init_app(app) -> None:
    from . import (annual, commands, demo, feeds, logic, notices, stukken, views, views_action_items, views_agenda,
                   views_minutes)

    hook = hooks(app)
    # One blueprint for the meeting pages: views_agenda, views_minutes and views_action_items add
    # their routes to views.bp as they are imported above, before it is registered.
    app.register_blueprint(views.bp)
    hook.command(commands.send_reminders_command)  # the reminders of every feature (reminder senders)
    hook.cron_job("send-reminders", commands.send_reminders_command)
    hook.cron_job("action-items-overdue", commands.mail_overdue_action_items, every=timedelta(days=1))
    hook.reminder_sender("meetings", commands.send_reminders)
    hook.home_section(10, views.next_meetings_section)
    hook.digest_section(notices.digest_lines)
    hook.body_section(views.commitments_section)
    hook.annual_section(10, annual.meetings_section)
    hook.calendar_source(feeds.meetings_in_calendar)
    hook.place_kind(stukken.PLACE_KIND)
    hook.processing(logic.PROCESSING)
    hook.purger("attendance messages", logic.purge_attendance_messages)
    hook.demo_step(demo.demo_meetings)
