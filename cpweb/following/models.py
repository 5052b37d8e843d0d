from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db

ACTIVE, STOPPED = "active", "stopped"


class Source(db.Model):
    """Another council's public feed that this site follows: a calendar or an Atom/RSS feed."""

    __tablename__ = "followed_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=ACTIVE)
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    refresh_seconds: Mapped[int] = mapped_column(default=6 * 3600)
    next_check_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(40), default="")  # a code: fetch.FetchError / parse.ParseError
    last_error_detail: Mapped[str] = mapped_column(Text, default="")
    skipped: Mapped[int] = mapped_column(default=0)  # unusable items in the last good fetch
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RemoteEvent(db.Model):
    __tablename__ = "remote_events"
    __table_args__ = (UniqueConstraint("source_id", "uid", "recurrence", name="uq_remote_events_key"),
                      Index("ix_remote_events_starts_at", "starts_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("followed_sources.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(255))
    recurrence: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    cancelled: Mapped[bool] = mapped_column(default=False)


class RemoteEntry(db.Model):
    __tablename__ = "remote_entries"
    __table_args__ = (UniqueConstraint("source_id", "entry_id", name="uq_remote_entries_key"),
                      Index("ix_remote_entries_updated", "updated"))

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("followed_sources.id", ondelete="CASCADE"))
    entry_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(300))
    updated: Mapped[datetime] = mapped_column(UTCDateTime)
    url: Mapped[str] = mapped_column(String(1000), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
