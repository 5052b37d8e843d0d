from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db
from ..web.categories import CategoryColumns
from . import rules, tally


class SignalCategory(CategoryColumns, db.Model):
    """What a signal is about; secretaries keep the list (rename, add, retire)."""

    __tablename__ = "signal_categories"


class Signal(db.Model):
    """One experience a client passed on. Holds no IP address; contact details only with consent."""

    __tablename__ = "signals"
    __table_args__ = (
        Index("ix_signals_status_created", "status", "created_at"),
        # Covers the report's counting: PostgreSQL (and SQLite without statistics) reads the period's
        # range from the index alone, then sorts it into groups (per subject, municipality and
        # organisation at once).
        Index("ix_signals_report", "created_at", "category", "sentiment", "municipality_id", "organisation_kind",
              "suspected_spam", "status"),
        # The same in group order: with statistics (ANALYZE), SQLite reads each group's period in turn
        # (a skip-scan) and need not sort; four times faster at 50,000 signals a year.
        Index("ix_signals_counts", "category", "sentiment", "municipality_id", "organisation_kind", "created_at",
              "suspected_spam", "status"),
        # A subject's signals newest first (the list filtered on it), and the period before's count
        # per subject from the index alone.
        Index("ix_signals_category", "category", "created_at", "suspected_spam", "status"),
        # The spam list newest first, and its count of open ones from the index alone: with
        # statistics from a site without spam, SQLite otherwise reads every signal to count none.
        Index("ix_signals_spam_created", "suspected_spam", "created_at", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    category: Mapped[str] = mapped_column(ForeignKey("signal_categories.key"))
    sentiment: Mapped[str] = mapped_column(String(10))
    # Empty when the visitor chose "weet ik niet".
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    organisation_kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    happened_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="online")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_version: Mapped[str | None] = mapped_column(String(20))
    contact_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    status: Mapped[str] = mapped_column(String(20), default=rules.NEW)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Kept for a person to judge: browsers fill hidden fields by mistake, and people type fast.
    suspected_spam: Mapped[bool] = mapped_column(default=False)
    spam_reason: Mapped[str | None] = mapped_column(String(40))
    # One per rendered form, so a double click stores the signal once.
    submission_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    # The visitor's private link to follow the signal holds a random token; only its hash is kept,
    # and it goes with the contact details (or, without them, at their retention's end).
    follow_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    # A signal cancelled as a duplicate points at the one that stays.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("signals.id", ondelete="SET NULL"))

    category_entry = relationship(SignalCategory)
    municipality = relationship("Organisation")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    duplicate_of = relationship("Signal", remote_side=[id])
    events: Mapped[list["SignalEvent"]] = relationship(
        back_populates="signal", cascade="all, delete-orphan", order_by="SignalEvent.at")

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone)

    @property
    def has_contact_details(self) -> bool:
        return bool(self.contact_name or self.contact_email or self.contact_phone)

    @property
    def consent_text_month(self) -> date | None:
        """The month of the consent text the visitor agreed to (its version, "2026-11"), for people to read."""
        try:
            return date.fromisoformat(f"{self.consent_version}-01")
        except ValueError:
            return None

    @property
    def category_label(self):
        return self.category_entry.label if self.category_entry else self.category

    @property
    def sentiment_label(self):
        return rules.SENTIMENTS.get(self.sentiment, self.sentiment)

    @property
    def status_label(self):
        return rules.STATUSES.get(self.status, self.status)

    @property
    def organisation_label(self):
        return rules.ORGANISATIONS.get(self.organisation_kind, self.organisation_kind)

    @property
    def organisation_name(self):
        """Where it happened, once: "Gemeente Tilburg" rather than the kind and the municipality apart."""
        if self.organisation_kind == "gemeente" and self.municipality is not None:
            return self.municipality.name
        return self.organisation_label

    @property
    def spam_reason_label(self):
        return rules.SPAM_REASONS.get(self.spam_reason, self.spam_reason or "")

    @property
    def public_status_label(self):
        return rules.PUBLIC_STATUSES[rules.public_status(self.status)]

    @property
    def source_label(self):
        return rules.SOURCES.get(self.source, self.source)


class SignalEvent(db.Model):
    """One step in a signal's history: a status change, a note, an assignment."""

    __tablename__ = "signal_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # status, note, assigned, contact_erased, restored; message: for the visitor, on their follow page
    kind: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")

    signal: Mapped[Signal] = relationship(back_populates="events")
    actor = relationship("User")

    @property
    def to_status_label(self):
        return rules.STATUSES.get(self.to_status, self.to_status)


class SignalAgendaItem(db.Model):
    """A signal put on a meeting's agenda: the item shows it to those who read signals."""

    __tablename__ = "signal_agenda_items"
    __table_args__ = (UniqueConstraint("signal_id", "agenda_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    signal: Mapped[Signal] = relationship()
    agenda_item = relationship("AgendaItem")


# The year's counts for the annual report, kept by triggers on this table (see tally).
tally.attach(Signal.__table__)
