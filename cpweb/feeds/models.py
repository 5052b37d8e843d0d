from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db


class PublishedEntry(db.Model):
    """What a feed once showed. An item that left it (withdrawn, deleted, no longer public) is kept
    here as withdrawn, so the feed can tell followers to drop their copy (a tombstone)."""

    __tablename__ = "published_entries"
    __table_args__ = (UniqueConstraint("feed", "ref", name="uq_published_entries_feed_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed: Mapped[str] = mapped_column(String(30))
    ref: Mapped[str] = mapped_column(String(60))
    first_shown_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
