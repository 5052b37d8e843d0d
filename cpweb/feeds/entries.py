"""What a feature hands the feeds: plain values, so no feature needs to know Atom."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Entry:
    ref: str  # stable for the life of the item within its feed: "advice-12"
    title: str
    updated: datetime  # aware UTC: when anything a follower sees last changed
    url: str  # absolute (site_url): the item's public page
    summary: str = ""  # plain text
    published: datetime | None = None
    category: str = ""
    links: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (title, absolute url) of related files


@dataclass(frozen=True)
class Feed:
    slug: str  # the address: /feeds/<slug>.atom
    title: object  # a (lazy) Dutch text
    page_endpoint: str  # the public page the feed mirrors
    # The public items, newest first, at most `limit` of them (one more tells the feed is cut).
    entries: Callable[[int], list[Entry]]
