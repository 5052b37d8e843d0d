from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db
from ..core.i18n import datetime_long, time_short
from . import rules


class Proposal(db.Model):
    """A question to a body's members between meetings, answered in writing until it closes."""

    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_body_status", "body_id", "status"),
                      Index("ix_proposals_status_closes", "status", "closes_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(rules.MAX_TITLE))
    text: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))
    voters: Mapped[str] = mapped_column(String(20), default=rules.ALL)
    results: Mapped[str] = mapped_column(String(20), default=rules.WHILE_OPEN)
    anonymous: Mapped[bool] = mapped_column(default=False)
    max_choices: Mapped[int] = mapped_column(default=1)
    # What it is about; each shown only to those who may open it there.
    advice_id: Mapped[int | None] = mapped_column(ForeignKey("advices.id", ondelete="SET NULL"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=rules.OPEN)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_text: Mapped[str] = mapped_column(Text, default="")
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The meeting whose agenda and minutes list the outcome: the body's next one after it was written.
    placed_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    # The meeting a date poll became (planned on one of its dates); at most one.
    planned_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    # When the answers lost their names: at closing for an anonymous proposal, after the retention period for others.
    names_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    body: Mapped["Body"] = relationship()  # noqa: F821
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    outcome_by: Mapped["User | None"] = relationship(foreign_keys=[outcome_by_id])  # noqa: F821
    options: Mapped[list["ProposalOption"]] = relationship(order_by="ProposalOption.position",
                                                           cascade="all, delete-orphan")

    @property
    def kind_label(self):
        return rules.KINDS[self.kind]

    @property
    def outcome_label(self):
        return rules.OUTCOMES.get(self.outcome, "") if self.outcome else ""

    @property
    def names_shown(self) -> bool:
        return not self.anonymous and self.names_removed_at is None

    def is_closed(self, now: datetime) -> bool:
        return rules.is_closed(self.status, self.closes_at, now)


class ProposalOption(db.Model):
    """One of the options of a choice, or one date and time of a date poll."""

    __tablename__ = "proposal_options"
    __table_args__ = (Index("ix_proposal_options_proposal", "proposal_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(rules.MAX_OPTION), default="")
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def text(self) -> str:
        if self.starts_at is None:
            return self.label
        return f"{datetime_long(self.starts_at)}–{time_short(self.ends_at)}"


class ProposalAnswer(db.Model):
    """A member's answer. The unique pair stops a second answer made at the same moment; user_id is
    emptied when the names go (see Proposal.names_removed_at)."""

    __tablename__ = "proposal_answers"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    choice: Mapped[str | None] = mapped_column(String(20))
    remark: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped["User | None"] = relationship()  # noqa: F821
    picks: Mapped[list["ProposalPick"]] = relationship(cascade="all, delete-orphan")


class ProposalPick(db.Model):
    """Per option of an answer: ja / misschien / nee (a date poll), or ja for each option chosen."""

    __tablename__ = "proposal_picks"

    answer_id: Mapped[int] = mapped_column(ForeignKey("proposal_answers.id", ondelete="CASCADE"), primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("proposal_options.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    value: Mapped[str] = mapped_column(String(10))
