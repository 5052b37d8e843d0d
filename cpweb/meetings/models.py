from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db
from . import rules


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_body_start", "body_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(rules.MAX_TITLE))
    kind: Mapped[str] = mapped_column(String(20), default=rules.REGULAR)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(200), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default=rules.PLANNED)
    visibility: Mapped[str] = mapped_column(String(20), default=rules.MEMBERS)
    # None: a draft only the secretaries see. A future time: it appears by itself then.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Rises with each change: iCal's SEQUENCE, and how a stale edit form is recognised.
    sequence: Mapped[int] = mapped_column(default=0)
    invitations_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    documents_complete_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Guests at the meeting (not members): names only, one per line, for the attendance in the minutes.
    guests: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    body: Mapped["Body"] = relationship()  # noqa: F821
    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan")

    @property
    def status_label(self):
        return rules.STATUSES[self.status]

    @property
    def kind_label(self):
        return rules.KINDS.get(self.kind, self.kind)

    @property
    def is_cancelled(self) -> bool:
        return self.status == rules.CANCELLED

    @property
    def is_public(self) -> bool:
        return self.visibility == rules.PUBLIC

    def has_begun(self, now: datetime) -> bool:
        """From its start on, the page speaks of the meeting in the past: asking who comes is over."""
        return now >= self.starts_at

    def is_published(self, now: datetime) -> bool:
        return self.published_at is not None and self.published_at <= now


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (Index("ix_agenda_items_meeting_position", "meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(rules.MAX_TITLE))
    description: Mapped[str] = mapped_column(Text, default="")
    presenter: Mapped[str] = mapped_column(String(120), default="")
    duration_minutes: Mapped[int | None] = mapped_column()
    # Added after the stukken deadline: shown as a late addition.
    added_late: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="items")


class Attendance(db.Model):
    """A member's answer before the meeting, and whether the secretary saw them there."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str | None] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(String(rules.MAX_MESSAGE), default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    present: Mapped[bool | None] = mapped_column()

    user: Mapped["User"] = relationship()  # noqa: F821

    @property
    def answer_label(self):
        return rules.ANSWERS.get(self.answer, _l("Nog niet laten weten"))

    @property
    def answer_label_afterwards(self):
        return rules.ANSWERS_AFTERWARDS.get(self.answer, _l("had niets laten weten"))


class Minutes(db.Model):
    __tablename__ = "minutes"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=rules.DRAFT)
    approved_on: Mapped[date | None] = mapped_column()
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def status_label(self):
        return rules.MINUTES_STATUSES[self.status]

    @property
    def is_frozen(self) -> bool:
        return self.status == rules.APPROVED


class MinutesCorrection(db.Model):
    """A correction an attendee proposes; kept beside the text until the secretary decides."""

    __tablename__ = "minutes_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=rules.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def status_label(self):
        return rules.CORRECTION_STATUSES[self.status]


class Decision(db.Model):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    # The agenda item it was taken on (none for one taken outside the agenda).
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(String(rules.MAX_TEXT))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agenda_item: Mapped["AgendaItem | None"] = relationship()


class ActionItem(db.Model):
    """Who does what: stays open across meetings until someone marks it done."""

    __tablename__ = "action_items"
    __table_args__ = (Index("ix_action_items_body_open", "body_id", "done_at", "due_on"),
                      Index("ix_action_items_owner_open", "owner_id", "done_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(String(rules.MAX_TEXT))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column()
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped["User | None"] = relationship()  # noqa: F821
    body: Mapped["Body"] = relationship()  # noqa: F821
    agenda_item: Mapped["AgendaItem | None"] = relationship()


class MeetingSettings(db.Model):
    """How a body runs its meetings. A body without a row uses the site defaults."""

    __tablename__ = "meeting_settings"

    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True)
    documents_days: Mapped[int] = mapped_column(default=7)
    reminder_days: Mapped[int] = mapped_column(default=2)
    standard_items: Mapped[str] = mapped_column(Text, default="\n".join(rules.STANDARD_ITEMS))


class Commitment(db.Model):
    """A promise in the body's plan: "komt tenminste 8 keer per jaar bijeen"."""

    __tablename__ = "meeting_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=rules.REGULAR)
    times_per_year: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(200))
