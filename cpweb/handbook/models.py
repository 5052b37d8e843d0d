"""Handbook pages in a tree (a page without a parent is a chapter) and their revisions."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db
from ..core.fulltext import FullTextIndex
from . import rules


class HandbookPage(db.Model):
    __tablename__ = "handbook_pages"
    __table_args__ = (Index("ix_handbook_pages_parent_position", "parent_id", "position"),
                      Index("ix_handbook_pages_updated_at", "updated_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(rules.MAX_TITLE))
    slug: Mapped[str] = mapped_column(String(rules.MAX_SLUG), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("handbook_pages.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    # The number of the revision the current text is; an edit form sends it back to detect conflicts.
    revision: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    updated_by: Mapped["User | None"] = relationship()  # noqa: F821


class HandbookRevision(db.Model):
    """One saved version of a page. Revisions are only ever added, never changed."""

    __tablename__ = "handbook_revisions"
    __table_args__ = (UniqueConstraint("page_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("handbook_pages.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(rules.MAX_TITLE))
    text: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(rules.MAX_NOTE), default="")

    author: Mapped["User | None"] = relationship()  # noqa: F821


# Full-text search: one row per page (id = page id), kept in step by logic.index_page(); titles weigh 5 times more.
SEARCH = FullTextIndex("handbook_search", {"title": 5.0, "text": 1.0}, owner=HandbookPage.__table__)
