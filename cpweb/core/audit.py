"""The audit log: who did what to members and roles, who saw the contact details of a signal, and when."""
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .database import UTCDateTime, utcnow
from .extensions import db
from .hooks import hooks
from .i18n import lazy_gettext_markup as _lm
from .privacy import Processing
from .retention import delete_rows

ACTION_LABELS = {
    "created": _l("Account gemaakt"),
    "invited": _l("Uitgenodigd"),
    "invitation_resent": _l("Uitnodiging opnieuw gestuurd"),
    "password_link_sent": _l("Link voor een nieuw wachtwoord gestuurd"),
    "link_shown": _l("Link getoond om door te geven"),
    "details_changed": _l("Naam of e-mailadres gewijzigd"),
    "email_changed": _l("Eigen e-mailadres gewijzigd"),
    "role_changed": _l("Rol gewijzigd"),
    "bodies_changed": _l("Organen gewijzigd"),
    "deactivated": _l("Account uitgezet"),
    "reactivated": _l("Account weer aangezet"),
    "signal_contact_shown": _l("Contactgegevens van een signaal bekeken"),
    "two_factor_on": _l("Tweede stap ingesteld"),
    "two_factor_off": _l("Tweede stap uitgezet"),
    "two_factor_reset": _l("Tweede stap gewist door de beheerder"),
    "passkey_added": _l("Passkey toegevoegd"),
    "passkey_removed": _l("Passkey verwijderd"),
}


def init_app(app) -> None:
    hook = hooks(app)
    hook.processing(PROCESSING)
    hook.purger("audit log", purge_audit_log)


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Empty when done from the command line.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(500), default="")

    actor = relationship("User", foreign_keys=[actor_id])
    subject = relationship("User", foreign_keys=[subject_id])

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, self.action)


def record(action: str, subject=None, detail: str = "", actor=None) -> AuditEntry:
    """Add an entry to the session; it is saved with the change it describes."""
    if actor is None and current_user and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(action=action, subject=subject, detail=detail[:500], actor=actor)
    db.session.add(entry)
    return entry


PROCESSING = Processing(
    name=_l("Logboek van leden en rollen"),
    purpose=_l("Nagaan wie leden uitnodigde, een rol gaf of een account uitzette. En wie de contactgegevens "
               "bij een signaal bekeek."),
    people=_l("Leden en beheerders"),
    data=_l("Naam, wat er veranderde of wat iemand bekeek (het kenmerk van het signaal), en wanneer"),
    recipients=_l("Alleen beheerders"),
    retention=lambda config: _lm("%(days)s dagen", days=config["AUDIT_RETENTION"].days),
)


def purge_audit_log(now: datetime, dry_run: bool) -> int:
    return delete_rows(AuditEntry, AuditEntry.at < now - current_app.config["AUDIT_RETENTION"], dry_run)
