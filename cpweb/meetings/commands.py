"""`flask --app app cpweb send-reminders`: mail the members of meetings that are coming up (for cron)."""
import click

from ..cli import cpweb_cli
from ..database import utcnow
from ..jobs import cron_job, job_context
from . import logic, notices


def send_reminders(now=None) -> tuple[int, int]:
    """(meetings, mails). Each meeting is claimed before mailing, so two runs never remind twice."""
    now = now or utcnow()
    meetings = mails = 0
    for meeting in logic.due_for_reminder(now):
        if logic.claim_reminder(meeting, now):
            meetings += 1
            mails += notices.send_reminder(meeting)
    return meetings, mails


@cron_job("send-reminders")
@cpweb_cli.command("send-reminders")
def send_reminders_command():
    """Send the reminders that are due; safe to run every few minutes."""
    with job_context():
        meetings, mails = send_reminders()
    click.echo(f"send-reminders: {meetings} vergaderingen, {mails} e-mails")
