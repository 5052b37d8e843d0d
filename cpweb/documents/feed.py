"""The public documents as a feed (cpweb.feeds): what a guest sees in the library, newest first."""
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin

from ..core.extensions import db
from ..feeds.entries import Entry, Feed
from ..web.urls import site_url
from .access import visible_documents_query


def feed_entries(limit: int) -> list[Entry]:
    documents = db.session.scalars(visible_documents_query(AnonymousUserMixin()).limit(limit))
    return [Entry(ref=f"document-{d.id}", title=d.title, updated=d.updated_at, published=d.created_at,
                  url=site_url("documents.show", document_id=d.id), summary=d.description,
                  links=((d.title, site_url("documents.download", document_id=d.id)),))
            for d in documents]


FEED = Feed(slug="documenten", title=_l("Openbare documenten"), page_endpoint="documents.index",
            entries=feed_entries)
