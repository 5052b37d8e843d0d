"""`flask --app app cpweb send-reminders`: mail the members of what is coming up (for cron); and
the daily mail to owners of action items that passed their date."""
from datetime import date, timedelta

import click
from flask.cli import with_appcontext

from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import local_today
from ..core.jobs import job_context
from ..core.reminders import send_all
from . import logic, notices


def send_reminders(now=None) -> int:
    """Each meeting is claimed before mailing, so two runs never remind twice. Returns the mails sent."""
    now = now or utcnow()
    mails = 0
    for meeting in logic.due_for_reminder(now):
        if logic.claim_reminder(meeting, now):
            mails += notices.send_reminder(meeting)
        db.session.commit()
    return mails


@click.command("send-reminders")
@with_appcontext
def send_reminders_command():
    """Send the reminders that are due (meetings, activities); safe to run every few minutes."""
    with job_context():
        sent = send_all(utcnow())
    click.echo("send-reminders: " + ", ".join(f"{name} {count} e-mails" for name, count in sent.items()))


def mail_overdue_action_items(today: date | None = None) -> int:
    """The owner of an open action item hears once that its date passed: the day after. Cron runs
    this once a day (it claims the day), so nobody gets the same mail twice."""
    yesterday = (today or local_today()) - timedelta(days=1)
    sent = sum(notices.send_action_item_overdue(item) for item in logic.action_items_due_on(yesterday))
    db.session.commit()
    return sent
