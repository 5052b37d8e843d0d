"""`flask --app app cpweb send-mail`: send what waits in the outbox; `cpweb cron` sends what is due."""
import click
from flask.cli import with_appcontext

from .dispatch import wait_for_sending
from .models import FAILED, SENT, WAITING
from .sending import send_waiting


def send_due_mail() -> None:
    """Each cron run: the mails whose pause after a failure is over."""
    send_waiting()


@click.command("send-mail")
@with_appcontext
def send_mail_command():
    """Send every waiting mail now, also those pausing after a failure (e.g. once the mail server is back)."""
    outcomes = send_waiting(ignore_pause=True)
    wait_for_sending()  # a notice to the admins about mails given up
    click.echo(f"send-mail: {outcomes[SENT]} verstuurd, {outcomes[WAITING]} wachten op een nieuwe poging, "
               f"{outcomes[FAILED]} mislukt")
