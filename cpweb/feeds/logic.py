"""A feed as it is now, and what it once showed: the ledger that turns an item gone from the feed
into a tombstone, whatever made it go (withdrawn, deleted, made private)."""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..core.database import utcnow
from ..core.extensions import db
from ..core.hooks import hooks
from ..core.retention import delete_rows
from ..web.urls import site_url
from . import atom
from .entries import Feed
from .models import PublishedEntry

# A feed holds every public item of its kind while there are at most this many; beyond that the
# newest, without the promise that it is complete (and then nothing missing counts as withdrawn).
MAX_ENTRIES = 500
# How long a follower is told that an item was withdrawn; one that has not looked for a year
# starts again from the complete feed.
TOMBSTONE_DAYS = 365


def feed_by_slug(slug: str) -> Feed | None:
    return hooks().feeds.get(slug)


def _note_what_is_shown(feed: Feed, refs: set[str], complete: bool, now: datetime) -> None:
    """Bring the ledger in step with the feed: new items shown, items gone withdrawn, an item back
    no longer withdrawn. Writes only when something changed."""
    known = {row.ref: row for row in db.session.scalars(db.select(PublishedEntry).filter_by(feed=feed.slug))}
    for ref in refs - known.keys():
        db.session.add(PublishedEntry(feed=feed.slug, ref=ref, first_shown_at=now))
    for ref, row in known.items():
        if ref in refs:
            row.withdrawn_at = None
        elif complete and row.withdrawn_at is None:
            row.withdrawn_at = now
    if not (db.session.new or db.session.dirty):
        return
    try:
        db.session.commit()
    except IntegrityError:  # another worker wrote the same change at the same moment
        db.session.rollback()


def document(feed: Feed, now: datetime | None = None) -> bytes:
    now = now or utcnow()
    entries = feed.entries(MAX_ENTRIES + 1)
    complete = len(entries) <= MAX_ENTRIES
    entries = entries[:MAX_ENTRIES]
    _note_what_is_shown(feed, {e.ref for e in entries}, complete, now)
    withdrawn = [(row.ref, row.withdrawn_at) for row in db.session.scalars(
        db.select(PublishedEntry).filter(PublishedEntry.feed == feed.slug, PublishedEntry.withdrawn_at.is_not(None),
                                         PublishedEntry.withdrawn_at >= now - timedelta(days=TOMBSTONE_DAYS))
        .order_by(PublishedEntry.withdrawn_at.desc(), PublishedEntry.ref))]
    config = current_app.config
    address = site_url("feeds.atom", slug=feed.slug)  # its own address is also its id
    return atom.feed_document(
        feed_id=address, title=f"{feed.title} · {config['SITE_NAME']}",
        author=config["SITE_NAME"], self_url=address,
        page_url=site_url(feed.page_endpoint), domain=config["CALENDAR_UID_DOMAIN"], slug=feed.slug,
        entries=entries, withdrawn=withdrawn, complete=complete)


def purge_tombstones(now: datetime, dry_run: bool) -> int:
    """A withdrawal older than the feeds tell about."""
    return delete_rows(PublishedEntry, PublishedEntry.withdrawn_at < now - timedelta(days=TOMBSTONE_DAYS), dry_run)


