import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(db.Model):
    """A member's private iCal address. Renewing the token ends the old address at once."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_feed_token)
    # Minutes before the start that the calendar app warns; None: no alarm.
    alarm_minutes: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
