"""`flask --app app cpweb signals-digest`: the morning overview for secretaries who chose it."""
from datetime import timedelta

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ..core.database import utcnow
from ..core.extensions import db
from ..core.jobs import claim, job_context
from ..mail import send_mail
from ..web.urls import site_url
from . import logic
from .models import Signal


def send_digest(day) -> int:
    """Mail the signals of this Amsterdam day to secretaries who chose the digest; once per day."""
    if not claim("signals-digest", day.isoformat()):
        return 0
    begin, finish = logic.period_bounds(day, day)
    signals = db.session.scalars(db.select(Signal).filter(
        Signal.created_at >= begin, Signal.created_at < finish, Signal.suspected_spam.is_(False))
        .order_by(Signal.created_at)).all()
    if not signals:
        return 0
    lines = "\n".join(f"- {s.reference}: {s.category_label} ({s.sentiment_label}) "
                      f"{site_url('signals.show', signal_id=s.id)}" for s in signals)
    sent = 0
    for user in logic.secretaries():
        sent += send_mail(user, _("Nieuwe signalen van %(day)s", day=day.strftime("%d-%m-%Y")),
                          _("Gisteren kwamen deze signalen binnen:\n\n%(lines)s", lines=lines), kind="signals_digest",
                          body_id=logic.mail_body_of(user))
    db.session.commit()
    return sent


@click.command("signals-digest")
@with_appcontext
def signals_digest_command():
    """Send yesterday's new signals to the secretaries who chose a daily digest (run each morning)."""
    yesterday = utcnow().astimezone(logic.AMSTERDAM).date() - timedelta(days=1)
    with job_context():
        click.echo(f"signals-digest {yesterday}: {send_digest(yesterday)} e-mails")
