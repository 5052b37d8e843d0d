"""`flask --app app cpweb …`: set up, fill with demo data, add members, run jobs.

Kept beside `create_app` rather than in core or web: the site's own commands reach into several
features (members, bodies, mail, ops), as the wiring in `cpweb/__init__.py` does, which core and web
may not."""
import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .admin.members import MemberError, create_member
from .auth.passwords import password_problem
from .auth.roles import ROLES
from .bodies.models import Body
from .core.database import init_migrations, run_seeders, utcnow
from .core.extensions import db
from .core.hooks import hooks
from .core.jobs import CronLocked, cron_lock, run_cron_jobs
from .core.retention import run_purge
from .demo import demo_app_codes, load_demo
from .mail import last_mail_to, wait_for_sending


def init_app(app) -> None:
    """The site's own commands; the purge is also a daily cron job."""
    hook = hooks(app)
    hook.command(init_command)
    hook.command(demo_command)
    hook.command(demo_code_command)
    hook.command(create_user_command)
    hook.command(purge_command)
    hook.cron_job("purge", purge_command, every=timedelta(days=1))
    hook.command(cron_command)


@click.command("init")
@with_appcontext
def init_command():
    """Create the database, or bring it up to the newest schema."""
    from .ops.migrate import upgrade_database  # Alembic is loaded only for the commands that need it

    init_migrations(current_app)
    upgrade_database(current_app.extensions["migrate"].directory)
    run_seeders()
    db.session.commit()
    click.echo("Database is klaar.")


@click.command("demo")
@with_appcontext
def demo_command():
    """Fill an empty site with a demo region (does nothing the second time)."""
    click.echo(load_demo())


@click.command("demo-code")
@with_appcontext
def demo_code_command():
    """The demo accounts' code for the second step, for who has no authenticator app."""
    codes = demo_app_codes()
    if codes is None:
        raise click.ClickException("Deze site heeft geen demo-gegevens (instance/demo-app-key.txt ontbreekt).")
    now, following, seconds = codes
    click.echo(f"Code van nu: {now} (nog {seconds} seconden). Daarna: {following}.")
    click.echo("Een code werkt één keer. Logt u binnen een halve minuut nog eens in? Gebruik dan de volgende.")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="Naam van het lid.")
@click.option("--role", type=click.Choice(ROLES), default="lid", show_default=True)
@click.option("--body", "bodies", multiple=True, help="Slug van een orgaan (mag vaker).")
@click.option("--password-stdin", is_flag=True, help="Lees het wachtwoord van standaardinvoer in plaats van een uitnodiging te mailen.")
def create_user_command(email, name, role, bodies, password_stdin):
    """Add a member; without --password-stdin they get an invitation by e-mail."""
    email = email.strip().lower()
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    if password is not None and (problem := password_problem(password, email)):
        raise click.ClickException(str(problem))
    body_ids = []
    for slug in bodies:
        body = db.session.scalar(db.select(Body).filter_by(slug=slug))
        if body is None:
            raise click.ClickException(f"Orgaan '{slug}' bestaat niet.")
        body_ids.append(body.id)
    try:
        user = create_member(email, name, role, body_ids, password=password)
    except MemberError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{user.name} <{user.email}> is {role}" + ("." if password else f"; {_invitation_state(user.email)}"))


def _invitation_state(address: str) -> str:
    wait_for_sending()
    mail = last_mail_to(address)
    if current_app.config["MAIL_BACKEND"] == "console":
        return "e-mail is niet ingesteld: de uitnodiging staat alleen in het logboek."
    if mail.status == "sent":
        return "de uitnodiging is verstuurd."
    return (f"de uitnodiging staat klaar om te verzenden ({mail.last_error or 'nog niet geprobeerd'}); "
            "`cpweb send-mail` probeert het opnieuw.")


@click.command("purge")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Laat alleen zien wat weg zou gaan.")
def purge_command(dry_run):
    """Remove personal data whose retention period is over (run daily)."""
    counts = run_purge(utcnow(), dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "zou verwijderen" if dry_run else "verwijderd"
    for name, count in counts.items():
        click.echo(f"{name}: {count} {verb}")
    # A note in the log of every purge, as the privacy statement promises.
    current_app.logger.info("purge%s: %s", " (dry run)" if dry_run else "", counts)


@click.command("cron")
@with_appcontext
def cron_command():
    """Run the scheduled jobs that are due (reminders, the signals digest, the purge); run it every 5 minutes."""
    lock = Path(current_app.instance_path) / "cron.lock"
    try:
        with cron_lock(lock):
            failed = run_cron_jobs(echo=click.echo)
    except CronLocked as holder:
        # The next run is 5 minutes away: skipping is safer than queueing up behind a slow run.
        click.echo(f"cron draait al ({holder or 'ander proces'}); deze keer overgeslagen.")
        return
    if failed:
        raise click.ClickException(f"mislukt: {', '.join(failed)} (zie het logboek)")
