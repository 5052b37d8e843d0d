"""`flask --app app cpweb advice-digest`: the weekly list of dossiers that need attention (for cron)."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ..auth.models import User
from ..auth.roles import SECRETARY
from ..extensions import db
from ..i18n import local_today
from ..jobs import claim, job_context
from ..mail import send_mail
from ..urls import site_url
from . import logic


def send_digest(today=None) -> int:
    """Once per ISO week: each secretary gets the dossiers of their bodies that need attention."""
    today = today or local_today()
    year, week, _day = today.isocalendar()
    if not claim("advice-digest", f"{year}-W{week:02d}"):
        return 0
    sent = 0
    secretaries = db.session.scalars(db.select(User).filter(User.role.in_([SECRETARY, "beheerder"]),
                                                            User.is_active_member)).all()
    for user in secretaries:
        flagged = logic.digest_for(user, today)
        if not flagged:
            continue
        lines = "\n".join(f"- {advice.title} ({advice.body.name}): {flag.label} "
                          f"{site_url('advice.show', advice_id=advice.id)}" for advice, flag in flagged)
        sent += send_mail(user, _("Adviezen die aandacht nodig hebben"),
                          _("Deze adviezen hebben deze week aandacht nodig:\n\n%(lines)s", lines=lines), kind="digest")
    db.session.commit()
    return sent


@click.command("advice-digest")
@with_appcontext
def advice_digest_command():
    """Mail the weekly overview of advice dossiers that need attention (run e.g. every Monday)."""
    with job_context():
        click.echo(f"advice-digest: {send_digest()} e-mails")
