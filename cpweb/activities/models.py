import secrets
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db
from ..core.i18n import as_local, datetime_long, time_short
from . import rules

# For an activity open to the members of some bodies only.
activity_bodies = Table(
    "activity_bodies", db.metadata,
    Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    Column("body_id", ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Activity(db.Model):
    __tablename__ = "activities"
    # With the kind, the annual report counts a year's activities from the index alone.
    __table_args__ = (Index("ix_activities_status_start_kind", "status", "starts_at", "kind"),
                      Index("ix_activities_start", "starts_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(rules.MAX_TITLE))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))
    organiser: Mapped[str] = mapped_column(String(20))
    organiser_name: Mapped[str] = mapped_column(String(120), default="")
    scope: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(200), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    external_url: Mapped[str] = mapped_column(String(500), default="")
    audience: Mapped[str] = mapped_column(String(20), default=rules.MEMBERS)
    capacity: Mapped[int | None] = mapped_column()
    signup_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contact: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=rules.PUBLISHED)
    decline_reason: Mapped[str] = mapped_column(String(500), default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    report: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(default=0)
    # Bumped inside every sign-up change: the write takes the lock, so two people never get one place.
    signup_version: Mapped[int] = mapped_column(default=0)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    bodies: Mapped[list["Body"]] = relationship(secondary=activity_bodies)  # noqa: F821
    proposed_by: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def kind_label(self):
        return rules.KINDS.get(self.kind, self.kind)

    @property
    def period(self) -> str:
        """Start and end in words; the end's date only when it is another day."""
        same_day = as_local(self.starts_at).date() == as_local(self.ends_at).date()
        return f"{datetime_long(self.starts_at)} – {time_short(self.ends_at) if same_day else datetime_long(self.ends_at)}"

    @property
    def organiser_label(self):
        return self.organiser_name or rules.ORGANISERS.get(self.organiser, self.organiser)

    @property
    def scope_label(self):
        return rules.SCOPES.get(self.scope, self.scope)

    @property
    def status_label(self):
        return rules.STATUSES[self.status]

    @property
    def is_cancelled(self) -> bool:
        return self.status == rules.CANCELLED

    @property
    def will_happen(self) -> bool:
        """Published: only then does it belong in someone's calendar (a proposal may still be declined)."""
        return self.status == rules.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.audience == rules.EVERYONE


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Signup(db.Model):
    """A member's or a guest's place (or place in the queue) for an activity."""

    __tablename__ = "activity_signups"
    # The naming convention names a unique constraint after its first column only; PostgreSQL needs
    # two different names here.
    __table_args__ = (UniqueConstraint("activity_id", "user_id"),
                      UniqueConstraint("activity_id", "guest_email", name="uq_activity_signups_activity_id_guest_email"),
                      # With the member, the annual report counts members' places from the index alone.
                      Index("ix_activity_signups_activity_status_user", "activity_id", "status", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    guest_name: Mapped[str | None] = mapped_column(String(120))
    guest_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20))
    # In links mailed to a guest, to confirm or cancel without an account.
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped["User | None"] = relationship()  # noqa: F821
    activity: Mapped[Activity] = relationship()

    @property
    def name(self) -> str:
        return self.user.name if self.user else (self.guest_name or "")

    @property
    def email(self) -> str:
        return self.user.email if self.user else (self.guest_email or "")

    @property
    def status_label(self):
        return rules.SIGNUP_STATUSES[self.status]
