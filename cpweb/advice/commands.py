"""`flask --app app cpweb advice-digest`: the weekly overview of what needs attention (for cron):
the dossiers, and what other features add to it (hooks digest_section)."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ..auth.models import User
from ..auth.roles import ADMIN, SECRETARY
from ..core.extensions import db
from ..core.hooks import hooks
from ..core.i18n import local_today
from ..core.jobs import claim, job_context
from ..mail import send_mail, wants_mail
from ..web.urls import site_url
from . import logic


def advice_lines(user, today) -> list[str]:
    """The dossiers of a secretary's bodies that need attention."""
    if user.role not in (SECRETARY, ADMIN):
        return []
    return [f"- {advice.title} ({advice.body.name}): {flag.label} {site_url('advice.show', advice_id=advice.id)}"
            for advice, flag in logic.digest_for(user, today)]


def send_digest(today=None) -> int:
    """Once per ISO week: each member who wants it gets what needs their attention, if anything."""
    today = today or local_today()
    year, week, _day = today.isocalendar()
    if not claim("advice-digest", f"{year}-W{week:02d}"):
        return 0
    sent = 0
    for user in db.session.scalars(db.select(User).filter(User.is_active_member)):
        if not wants_mail(user, "digest"):
            continue
        lines = [line for section in hooks().digest_sections for line in section(user, today)]
        if lines:
            sent += send_mail(user, _("Wat deze week aandacht nodig heeft"),
                              _("Dit heeft deze week uw aandacht nodig:\n\n%(lines)s", lines="\n".join(lines)),
                              kind="digest")
    db.session.commit()
    return sent


@click.command("advice-digest")
@with_appcontext
def advice_digest_command():
    """Mail the weekly overview of what needs attention: dossiers, and more (run e.g. every Monday)."""
    with job_context():
        click.echo(f"advice-digest: {send_digest()} e-mails")
