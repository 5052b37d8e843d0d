from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db
from . import rules

advice_drafters = Table(
    "advice_drafters", db.metadata,
    Column("advice_id", ForeignKey("advices.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Advice(db.Model):
    __tablename__ = "advices"
    __table_args__ = (Index("ix_advices_body_status", "body_id", "status"),
                      Index("ix_advices_body_created", "body_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(rules.MAX_TITLE))
    kind: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(20))
    addressee_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    addressee_text: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    requested_on: Mapped[date | None] = mapped_column()
    deadline: Mapped[date | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default=rules.IDEA)
    sent_on: Mapped[date | None] = mapped_column()
    response_on: Mapped[date | None] = mapped_column()
    response_summary: Mapped[str] = mapped_column(Text, default="")
    # Did the addressee give reasons for what they did not adopt? They owe a reasoned response.
    reasons_given: Mapped[bool | None] = mapped_column()
    follow_up_on: Mapped[date | None] = mapped_column()
    follow_up_notes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(20))
    closed_on: Mapped[date | None] = mapped_column()
    # On the public page "Onze adviezen" (and its feed) since then; None: only the body's members see it.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # What the public reads about it, in plain words; the summary above may hold what is not for them.
    public_summary: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    body: Mapped["Body"] = relationship()  # noqa: F821
    addressee: Mapped["Organisation | None"] = relationship()  # noqa: F821
    drafters: Mapped[list["User"]] = relationship(secondary=advice_drafters)  # noqa: F821

    @property
    def kind_label(self):
        return rules.KINDS.get(self.kind, self.kind)

    @property
    def topic_label(self):
        return rules.TOPICS.get(self.topic, self.topic)

    @property
    def status_label(self):
        return rules.STATUSES[self.status]

    @property
    def outcome_label(self):
        return rules.OUTCOMES.get(self.outcome, "") if self.outcome else ""

    @property
    def addressee_label(self) -> str:
        return self.addressee.name if self.addressee else self.addressee_text


class AdviceEvent(db.Model):
    """One line on the dossier's timeline: a step, a note, a link."""

    __tablename__ = "advice_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    advice_id: Mapped[int] = mapped_column(ForeignKey("advices.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped["User | None"] = relationship()  # noqa: F821


class AdviceLink(db.Model):
    """What the advice draws on: a signal or a meeting (a document, once the library has them)."""

    __tablename__ = "advice_links"
    __table_args__ = (Index("ix_advice_links_advice", "advice_id", "target_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    advice_id: Mapped[int] = mapped_column(ForeignKey("advices.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column()
