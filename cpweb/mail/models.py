from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db

WAITING = "waiting"
SENDING = "sending"  # claimed by one sender; a claim older than MAIL_CLAIM_TIMEOUT_MINUTES is a crashed one
SENT = "sent"
FAILED = "failed"  # given up: refused by the server, or failing longer than MAIL_GIVE_UP_HOURS

# In session.info: the ids of mails this transaction added or put back, to send after its commit.
NEW_MAILS = "outbox_ids"


class OutboxMail(db.Model):
    """One mail to one address, written in the same transaction as the change that causes it."""

    __tablename__ = "outbox_mails"
    __table_args__ = (Index("ix_outbox_mails_status_next", "status", "next_attempt_at"),
                      # A secretary's view and warning: the mails of their own bodies, by state.
                      Index("ix_outbox_mails_body_status_finished", "body_id", "status", "finished_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str | None] = mapped_column(String(40))
    # The body whose business the mail is about (a meeting's, a proposal's): its secretaries see it.
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="SET NULL"))
    # The whole message as it goes out (headers, text, attachments): a second try sends the same
    # bytes with the same Message-ID, so a mail client shows a resent mail once.
    message_id: Mapped[str] = mapped_column(String(255))
    message: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(10), default=WAITING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    error_kind: Mapped[str | None] = mapped_column(String(20))  # transport.FAILURE_KINDS: the error in plain words
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # sent or given up

    @property
    def is_retrying(self) -> bool:
        """Tried and failed, and waiting for the next try (not yet given up)."""
        return self.status == WAITING and self.first_failed_at is not None


class MailOptOut(db.Model):
    """Someone without an account stopped one kind of mail with the link in it."""

    __tablename__ = "mail_opt_outs"
    __table_args__ = (UniqueConstraint("address_hash", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
