"""The outbox: a mail waits in the database until the mail server has it.

A mail is a row written in the same transaction as the change that causes it, so both are kept or
neither is. After the commit the site tries to send it at once (see `dispatch`); `cpweb cron`
sends what is still waiting, pausing longer after each failure, and gives up after
MAIL_GIVE_UP_HOURS with a notice to the admins.

Each mail is claimed with a conditional UPDATE before it is sent, so of two senders running at
once only one sends it. A sender that dies between sending and marking leaves its claim; after
MAIL_CLAIM_TIMEOUT_MINUTES another sender sends the stored message again, with the same
Message-ID, so the mail is never lost and a mail program shows a double as one.
"""
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, case, or_

from ..auth.models import User
from ..auth.roles import ADMIN, SECRETARY
from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import as_local, datetime_long
from ..core.i18n import lazy_gettext_markup as _lm
from ..core.i18n import time_short
from ..core.privacy import Processing
from ..web.urls import site_url
from . import transport
from .compose import send_mail, sender_address
from .models import FAILED, NEW_MAILS, SENDING, SENT, WAITING, OutboxMail

FAILURE_NOTICE = "failure_notice"  # the admins' notice; never a notice about a notice


def _minutes(name: str) -> timedelta:
    return timedelta(minutes=int(current_app.config[name]))


def _claimable(now: datetime, ignore_pause: bool = False):
    waiting = OutboxMail.status == WAITING
    if not ignore_pause:
        waiting = and_(waiting, OutboxMail.next_attempt_at <= now)
    crashed = and_(OutboxMail.status == SENDING, OutboxMail.claimed_at <= now - _minutes("MAIL_CLAIM_TIMEOUT_MINUTES"))
    return or_(waiting, crashed)


def _claim(mail_id: int, now: datetime, ignore_pause: bool) -> OutboxMail | None:
    """The mail, if this sender got it: the UPDATE changes the row for one sender only. Commits."""
    claimed = db.session.execute(
        db.update(OutboxMail).where(OutboxMail.id == mail_id, _claimable(now, ignore_pause))
        .values(status=SENDING, claimed_at=now, attempts=OutboxMail.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return db.session.get(OutboxMail, mail_id) if claimed == 1 else None


def send_waiting(now: datetime | None = None, ids=None, ignore_pause: bool = False) -> Counter:
    """Send the mails that are due (only `ids`, if given), each claimed first; returns how many
    were sent, wait for another try, or failed for good."""
    now = now or utcnow()
    query = db.select(OutboxMail.id).where(_claimable(now, ignore_pause)).order_by(OutboxMail.id)
    if ids is not None:
        query = query.where(OutboxMail.id.in_(list(ids)))
    candidates = list(db.session.scalars(query))
    db.session.commit()
    outcomes, given_up, lost = Counter(), [], None
    with ExitStack() as stack:
        connection = None
        for mail_id in candidates:
            mail = _claim(mail_id, now, ignore_pause)
            if mail is None:
                continue  # another sender has it
            try:
                if lost:
                    raise lost
                if connection is None:
                    connection = stack.enter_context(transport.connect(sender_address()))
                connection.send(mail.to_address, mail.message)
            except transport.ConnectionLost as error:
                lost = error
                _failed(mail, error, now)
            except transport.PermanentFailure as error:
                _failed(mail, error, now, for_good=True)
            except Exception as error:  # also a bug: it must not stop the other mails, and the admins see it
                if not isinstance(error, transport.TemporaryFailure):
                    current_app.logger.exception("mail %s: unexpected error", mail.id)
                _failed(mail, error, now)
            else:
                mail.status, mail.finished_at, mail.claimed_at = SENT, now, None
            outcomes[mail.status] += 1
            if mail.status == FAILED:
                given_up.append(mail)
            db.session.commit()  # each mail's outcome at once: a crash leaves at most one claim
    if given_up:
        _tell_admins(given_up)
        db.session.commit()
    return outcomes


def _pause(attempts: int) -> timedelta:
    """5, 10, 20, 40 ... minutes (MAIL_RETRY_FIRST_MINUTES), at most MAIL_RETRY_MAX_MINUTES."""
    return min(_minutes("MAIL_RETRY_FIRST_MINUTES") * 2 ** max(attempts - 1, 0), _minutes("MAIL_RETRY_MAX_MINUTES"))


def _failed(mail: OutboxMail, error: Exception, now: datetime, for_good: bool = False) -> None:
    """Wait for another try, or give up: when refused for good or failing for MAIL_GIVE_UP_HOURS."""
    mail.last_error = str(error)[:500] or type(error).__name__
    mail.error_kind = transport.failure_kind(error)
    mail.first_failed_at = mail.first_failed_at or now
    mail.claimed_at = None
    if for_good or now - mail.first_failed_at >= timedelta(hours=int(current_app.config["MAIL_GIVE_UP_HOURS"])):
        current_app.logger.error("mail %s to %s given up after %s tries: %s", mail.id, mail.to_address,
                                 mail.attempts, mail.last_error)
        mail.status, mail.finished_at = FAILED, now
    else:
        current_app.logger.warning("mail %s to %s not sent (try %s): %s", mail.id, mail.to_address, mail.attempts,
                                   mail.last_error)
        mail.status, mail.next_attempt_at = WAITING, now + _pause(mail.attempts)


def _tell_admins(mails: list[OutboxMail]) -> None:
    """One mail to each admin with what could not be sent (a failed notice is only logged)."""
    mails = [mail for mail in mails if mail.kind != FAILURE_NOTICE]
    if not mails:
        return
    lines = "\n".join(f"- {mail.to_address}: {mail.subject}\n  {failure_text(mail)} ({mail.last_error})"
                      for mail in mails)
    admins = db.session.scalars(db.select(User).filter(User.role == ADMIN, User.is_active_member))
    for admin in admins:
        send_mail(admin.email, _("E-mails niet verstuurd"),
                  _("Deze e-mails konden we niet versturen. We proberen het niet meer.\n\n%(lines)s\n\n"
                    "Kijk of het adres klopt. Op deze pagina kunt u het opnieuw proberen: %(url)s",
                    lines=lines, url=site_url("mail.admin")),
                  kind=FAILURE_NOTICE)


def _put_back(mail: OutboxMail, now: datetime) -> None:
    mail.status, mail.next_attempt_at, mail.first_failed_at, mail.finished_at = WAITING, now, None, None
    db.session.info.setdefault(NEW_MAILS, set()).add(mail.id)  # see dispatch: sent at once after the commit


def retry(mail: OutboxMail) -> bool:
    """Put a waiting or failed mail back in the queue, due now; it is sent after the commit. Commits."""
    if mail.status not in (WAITING, FAILED):
        return False
    _put_back(mail, utcnow())
    db.session.commit()
    return True


def retry_all(body_ids=None) -> int:
    """Every mail that waits or failed (of these bodies, if given) back in the queue, due now; they
    are sent after the commit. Returns how many. Commits."""
    now = utcnow()
    mails = db.session.scalars(db.select(OutboxMail).filter(OutboxMail.status.in_((WAITING, FAILED)),
                                                            *_of_bodies(body_ids))).all()
    for mail in mails:
        _put_back(mail, now)
    db.session.commit()
    return len(mails)


# --- what the admins and secretaries see --------------------------------------------------------

# Why sending failed, in plain words (transport.failure_kind); the technical text is shown beside it.
FAILURES = {
    "unreachable": _l("De mailserver was niet bereikbaar."),
    "settings": _l("De mailserver liet de website niet versturen. Kijk de instellingen van de mailserver na "
                   "(gebruikersnaam, wachtwoord, afzender)."),
    "busy": _l("De mailserver kon de e-mail nu niet aannemen. Dat gaat meestal vanzelf over."),
    "refused": _l("De mailserver weigerde deze e-mail. Kijk of het e-mailadres klopt."),
    "unknown": _l("Er ging iets mis in de website bij het versturen."),
}


def failure_text(mail: OutboxMail) -> str:
    return str(FAILURES.get(mail.error_kind or "unknown", FAILURES["unknown"]))


def _of_bodies(body_ids) -> tuple:
    """The filter for the mails a secretary sees: those of their own bodies (None: all, for admins)."""
    return () if body_ids is None else (OutboxMail.body_id.in_(list(body_ids)),)


def visible_bodies(user) -> list[int] | None:
    """Whose mails this member sees: all for an admin (None), a secretary's own bodies' mails."""
    return None if user.is_admin else sorted(user.body_ids)


def can_see_mails(user) -> bool:
    return user.is_authenticated and (user.is_admin or (user.has_role(SECRETARY) and bool(user.body_ids)))


def last_mail_to(address: str) -> OutboxMail | None:
    return db.session.scalar(db.select(OutboxMail).filter_by(to_address=address).order_by(OutboxMail.id.desc())
                             .limit(1))


def overview(body_ids=None, sent_limit: int = 50) -> dict[str, list[OutboxMail]]:
    def query(*statuses):
        return db.select(OutboxMail).filter(OutboxMail.status.in_(statuses), *_of_bodies(body_ids))

    return {
        "waiting": db.session.scalars(query(WAITING, SENDING).order_by(OutboxMail.created_at)).all(),
        "failed": db.session.scalars(query(FAILED).order_by(OutboxMail.finished_at.desc())).all(),
        "sent": db.session.scalars(query(SENT).order_by(OutboxMail.finished_at.desc()).limit(sent_limit)).all(),
    }


def oldest_waiting(now: datetime | None = None) -> timedelta | None:
    created = db.session.scalar(db.select(db.func.min(OutboxMail.created_at))
                                .filter(OutboxMail.status.in_((WAITING, SENDING))))
    return (now or utcnow()) - created if created else None


def longest_retrying(now: datetime | None = None) -> timedelta | None:
    """How long the mail that has been failing longest, and still waits for a try, has been failing."""
    failed = db.session.scalar(db.select(db.func.min(OutboxMail.first_failed_at))
                               .filter(OutboxMail.status.in_((WAITING, SENDING)), OutboxMail.first_failed_at.is_not(None)))
    return (now or utcnow()) - failed if failed else None


@dataclass
class Trouble:
    """Mails that could not be sent: how many wait for another try and when it comes, how many were
    given up."""

    retrying: int
    next_try: datetime | None
    given_up: int


def trouble(body_ids=None) -> Trouble | None:
    """Mails (of these bodies) that failed, or None when none did. One aggregate query through an
    index on status: its cost follows the mails that wait or failed, not all the mails ever sent."""
    is_retrying = and_(OutboxMail.status == WAITING, OutboxMail.first_failed_at.is_not(None))
    retrying, next_try, given_up = db.session.execute(
        db.select(db.func.count(case((is_retrying, 1))), db.func.min(case((is_retrying, OutboxMail.next_attempt_at))),
                  db.func.count(case((OutboxMail.status == FAILED, 1))))
        .filter(OutboxMail.status.in_((WAITING, FAILED)), *_of_bodies(body_ids))).one()
    return Trouble(retrying, next_try, given_up) if retrying or given_up else None


def mail_warnings(user) -> list[str]:
    """What an admin, or a secretary whose bodies' mails failed, must know about mail: for a
    banner on the home page and the admin pages. Empty when all is well or for anyone else."""
    if not can_see_mails(user):
        return []
    warnings = []
    if user.is_admin and current_app.config["MAIL_BACKEND"] == "console":
        warnings.append(_("E-mail is niet ingesteld. De website verstuurt geen e-mails: ze staan alleen in het "
                          "logboek van de server."))
    found = trouble(visible_bodies(user))
    if found and found.retrying:
        warnings.append(ngettext("%(num)d e-mail kon nog niet worden verstuurd; %(when)s.",
                                 "%(num)d e-mails konden nog niet worden verstuurd; %(when)s.",
                                 found.retrying, when=next_try_words(found.next_try)))
    if found and found.given_up:
        warnings.append(ngettext("%(num)d e-mail is niet verstuurd. We proberen het niet meer.",
                                 "%(num)d e-mails zijn niet verstuurd. We proberen het niet meer.", found.given_up))
    return warnings


def next_try_words(at: datetime | None, now: datetime | None = None) -> str:
    """When the next try comes, in Dutch local time: "we proberen het opnieuw om 14:20"."""
    now = now or utcnow()
    if at is None or at <= now:
        return _("we proberen het binnen een paar minuten opnieuw")
    if as_local(at).date() == as_local(now).date():
        return _("we proberen het opnieuw om %(time)s", time=time_short(at))
    return _("we proberen het opnieuw op %(when)s", when=datetime_long(at))


# --- privacy ----------------------------------------------------------------------------------------

SENT_MAILS = Processing(
    name=_l("Verstuurde e-mails"),
    purpose=_l("E-mails versturen, opnieuw proberen als dat mislukt, en nagaan of een e-mail is verstuurd."),
    people=_l("Iedereen die een e-mail van de website krijgt: leden, gasten en bezoekers"),
    data=_l("E-mailadres, onderwerp, de tekst van de e-mail, wanneer hij is verstuurd, en waarom het mislukte"),
    recipients=_l("Beheerders zien het adres, het onderwerp en de foutmelding. Secretarissen zien dat van de "
                  "e-mails over hun eigen organen. De mailserver van de website."),
    retention=lambda config: _lm("Tot de e-mail is verstuurd, daarna %(days)s dagen. Lukt versturen niet, dan "
                                 "stoppen we na %(hours)s uur en bewaren we de e-mail ook %(days)s dagen.",
                                 days=config["MAIL_RETENTION_DAYS"], hours=config["MAIL_GIVE_UP_HOURS"]),
)

OPT_OUTS = Processing(
    name=_l("Afmeldingen voor e-mails"),
    purpose=_l("Iemand zonder account die zich afmeldde, krijgt die e-mails niet meer."),
    people=_l("Gasten en bezoekers die zich afmeldden"),
    data=_l("Een vingerafdruk (hash) van het e-mailadres, niet het adres zelf, en welke e-mails"),
    recipients=_l("Niemand"),
    retention=lambda config: _l("Zolang de website bestaat: anders komen de e-mails terug."),
)


def purge_sent_mails(now: datetime, dry_run: bool) -> int:
    old = and_(OutboxMail.status.in_((SENT, FAILED)),
               OutboxMail.finished_at < now - timedelta(days=int(current_app.config["MAIL_RETENTION_DAYS"])))
    if dry_run:
        return db.session.scalar(db.select(db.func.count()).select_from(OutboxMail).where(old))
    return db.session.execute(db.delete(OutboxMail).where(old)).rowcount
