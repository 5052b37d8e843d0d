"""Atom (RFC 4287) with two extensions followers use to stay in step: `fh:complete` (RFC 5005: this
document holds every entry, so one missing is gone) and `at:deleted-entry` (RFC 6721: this one was
withdrawn). ElementTree writes the XML, so every text is escaped by the writer, never by hand."""
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from .entries import Entry

ATOM = "http://www.w3.org/2005/Atom"
HISTORY = "http://purl.org/syndication/history/1.0"
TOMBSTONES = "http://purl.org/atompub/tombstones/1.0"
for prefix, uri in (("", ATOM), ("fh", HISTORY), ("at", TOMBSTONES)):
    ET.register_namespace(prefix, uri)

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # a feed that never had an entry


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent, tag: str, text: str | None = None, ns: str = ATOM, **attributes):
    element = ET.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attributes.items() if v})
    if text is not None:
        element.text = text
    return element


def entry_id(domain: str, feed: str, ref: str) -> str:
    # A tag URI (RFC 4151): the same entry keeps its id whatever the site's address becomes.
    return f"tag:{domain},2026:{feed}/{ref}"


def feed_document(*, feed_id: str, title: str, author: str, self_url: str, page_url: str, domain: str, slug: str,
                  entries: list[Entry], withdrawn: list[tuple[str, datetime]], complete: bool) -> bytes:
    root = ET.Element(f"{{{ATOM}}}feed")
    _add(root, "id", feed_id)
    _add(root, "title", title)
    stamps = [e.updated for e in entries] + [when for _ref, when in withdrawn]
    _add(root, "updated", _stamp(max(stamps, default=EPOCH)))
    _add(_add(root, "author"), "name", author)
    _add(root, "link", rel="self", href=self_url, type="application/atom+xml")
    _add(root, "link", rel="alternate", href=page_url, type="text/html")
    if complete:
        _add(root, "complete", ns=HISTORY)
    for entry in entries:
        item = _add(root, "entry")
        _add(item, "id", entry_id(domain, slug, entry.ref))
        _add(item, "title", entry.title)
        _add(item, "updated", _stamp(entry.updated))
        if entry.published:
            _add(item, "published", _stamp(entry.published))
        _add(item, "link", rel="alternate", href=entry.url, type="text/html")
        for link_title, href in entry.links:
            _add(item, "link", rel="related", href=href, title=link_title)
        if entry.category:
            _add(item, "category", term=entry.category)
        if entry.summary:
            _add(item, "summary", entry.summary, type="text")
    for ref, when in withdrawn:
        _add(root, "deleted-entry", ns=TOMBSTONES, ref=entry_id(domain, slug, ref), when=_stamp(when))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
