"""One search over everything a person may open: counts per kind, then one page of results, best
first (a match in the title above one in the text, newer above older), each with a snippet.

Whatever the data's size, a search is a fixed number of statements: the counts (one statement),
the page (one) and the snippets (one); and each reads at most MOST matches per kind.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import chain

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import String, case, cast, func, literal, select, text, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import False_

from ..core.database import Paging
from ..core.extensions import db
from ..core.fulltext import opening, snippet, words
from ..documents import search as document_search
from ..documents.models import Document
from ..handbook import logic as handbook
from ..handbook.models import HandbookPage
from . import kinds as kinds_
from .kinds import KINDS, OWN, Hit, Kind

MIN_CHARS = 2  # a word of one letter would match a large part of every index
MAX_CHARS = 200
MAX_PAGE = 1000
# Per kind, the newest this many matches are counted and ranked: beyond them the page says "more than".
MOST = 500


@dataclass(frozen=True)
class Result:
    kind: Kind
    hit: Hit
    title: Markup  # the hit's title, escaped, with the words marked
    snippet: Markup


@dataclass(frozen=True)
class Found(Paging):
    """One page of results, shaped for the pagination macro."""
    counts: list[tuple[Kind, int]]  # the kinds with results, each counted up to MOST + 1
    results: list[Result]
    page: int
    per_page: int
    listed: int  # the results of the kinds listed (all, or the one chosen), at most MOST per kind
    has_next: bool

    @property
    def most(self) -> int:
        return MOST

    @property
    def more(self) -> bool:
        return any(n > MOST for _kind, n in self.counts)

    @property
    def total(self) -> int:
        return sum(min(n, MOST) for _kind, n in self.counts)

    @property
    def pages(self) -> int:
        return max(1, -(-self.listed // self.per_page))


def searched_words(typed: str) -> str:
    """The words that are searched: those of two letters or more."""
    return " ".join(word for word in words(typed) if len(word) >= MIN_CHARS)


def problem_with(typed: str) -> str | None:
    """Why this cannot be searched, in a sentence; None when it can (or when nothing was typed)."""
    if len(typed) > MAX_CHARS:
        return _("Gebruik hoogstens %(n)s tekens.", n=MAX_CHARS)
    if typed and not searched_words(typed):
        return _("Typ een woord van minstens 2 letters of cijfers.")
    return None


def _newest(kind: Kind, typed: str, rule, most: int):
    """A select of the ids of the newest `most` rows of this kind (by id, so by when they were added)
    that match and that this person may open (the rule, per row, in EXISTS): straight from the
    index, newest first, so no row is read beyond them however many match."""
    ids = kind.index.ids(typed)
    match_id = ids.selected_columns.id
    row_id = kind.source.selected_columns[0]
    return ids.where(kind.source.where(rule, row_id == match_id).exists()).order_by(match_id.desc()).limit(most)


def _shown(kind: Kind, typed: str, rule, lowest: int):
    """A select of (kind, id, at, titled, title, place, ref) of the kind's newest matches (_newest);
    lowest is the least id among them, so the search in the titles reads no older rows."""
    newest = _newest(kind, typed, rule, MOST).subquery(f"{kind.index.table}_newest")
    row_id, at = kind.source.selected_columns
    # The person's rule is in _newest already; the rows are joined for their columns only (the
    # rule again here would make SQLite first build a filter over every row of the table).
    query = kind.source.join(newest, newest.c.id == row_id)
    titled = case((kind.index.in_title(typed, row_id, lowest), 1), else_=0)
    query, title, place, ref = kind.shown(query)
    return query.with_only_columns(literal(kind.key).label("kind"), row_id.label("id"), at.label("at"),
                                   titled.label("titled"), title.label("title"), place.label("place"),
                                   ref.label("ref"), maintain_column_froms=True)


def search(user, typed: str, kind_key: str | None, page: int, per_page: int, now: datetime) -> Found:
    """One page of what this person may open that has every word typed; typed has no problem_with.

    Per kind the newest MOST matches count and are ranked (a match in the title first, then the
    newest): a word in thousands of rows costs what one in MOST rows does, and the page says there
    are more. Three statements: the counts, the page's rows with what they show, and their snippets.
    """
    typed = searched_words(typed)
    # A kind this person may not search at all (a rule decided without the rows) is left out.
    rules = {kind.key: rule for kind in KINDS if not isinstance(rule := kind.rule(user, now), False_)}
    windows = {key: _newest(kinds_.BY_KEY[key], typed, rule, MOST + 1).subquery() for key, rule in rules.items()}
    counted = union_all(*(select(literal(key), func.count(), func.min(window.c.id)).select_from(window)
                          for key, window in windows.items()))
    numbers, lowest = {}, {}
    for key, number, low in db.session.execute(counted):
        numbers[key], lowest[key] = number, low
    counts = [(kind, numbers[kind.key]) for kind in KINDS if numbers.get(kind.key)]
    shown = [kind for kind in KINDS if kind.key == kind_key and numbers.get(kind.key)] or (
        [] if kind_key in kinds_.BY_KEY else [kind for kind, _n in counts])
    listed = sum(min(numbers[kind.key], MOST) for kind in shown)
    if not shown:
        return Found(counts, [], page, per_page, 0, False)
    hits = union_all(*(_shown(kind, typed, rules[kind.key], lowest[kind.key]) for kind in shown)).subquery("hits")
    rows = db.session.execute(select(hits).order_by(hits.c.titled.desc(), hits.c.at.desc(), hits.c.kind,
                                                    hits.c.id.desc())
                              .limit(per_page + 1).offset((page - 1) * per_page)).all()
    snippets = _snippets(rows[:per_page], typed)
    results = []
    for row in rows[:per_page]:
        kind = kinds_.BY_KEY[row.kind]
        hit = kind.hit(row)
        results.append(Result(kind, hit, snippet(hit.title, typed) or escape(hit.title),
                              snippets.get((row.kind, row.id), Markup())))
    return Found(counts, results, page, per_page, listed, len(rows) > per_page)


def _snippets(rows, typed: str) -> dict[tuple[str, int], Markup]:
    """Per (kind, id) a piece of its text with the words marked: read from every index in one statement."""
    ids = defaultdict(list)
    for row in rows:
        ids[row.kind].append(row.id)
    if not ids:
        return {}
    parts = []
    for key, kind_ids in ids.items():
        kind = kinds_.BY_KEY[key]
        stored = kind.index.stored_select(kind_ids, *kind.texts)
        texts = list(stored.selected_columns)[1:] + [literal("")] * (2 - len(kind.texts))
        parts.append(stored.with_only_columns(literal(key).label("kind"), stored.selected_columns[0],
                                              *(cast(column, String).label(f"text_{n}")
                                                for n, column in enumerate(texts))))
    found = {}
    for key, row_id, *texts in db.session.execute(union_all(*parts)):
        content = " … ".join(part for part in texts if part)
        found[key, row_id] = snippet(content, typed) or opening(content)
    return found


# --- keeping the indexes ----------------------------------------------------------------------------

def keep_indexes(session: Session, _flush_context) -> None:
    """After each flush: index again what the flushed rows change, on the flush's own connection,
    so the indexes and the rows are committed (or rolled back) together."""
    dirty = session.dirty
    changed = defaultdict(set)
    for row in chain(session.new, dirty, session.deleted):
        for kind in OWN:
            pick = kind.watches.get(type(row))
            if pick is not None and (row not in dirty or session.is_modified(row, include_collections=False)):
                if (row_id := pick(row)) is not None:
                    changed[kind.key].add(row_id)
    if changed:
        connection = session.connection()
        for key, ids in changed.items():
            refresh(kinds_.BY_KEY[key], connection, sorted(ids))


def refresh(kind: Kind, connection, ids: list[int]) -> None:
    rows = kind.rows(connection, ids)
    kind.index.remove(set(ids) - {row["id"] for row in rows}, connection)
    kind.index.put_many(rows, connection)


def reindex(batch: int = 500) -> dict[str, int]:
    """Build this feature's indexes again from the rows; the number indexed per index."""
    numbers = {}
    connection = db.session.connection()
    for kind in OWN:
        model = next(iter(kind.watches))
        connection.execute(text(f"DELETE FROM {kind.index.table}"))
        ids = db.session.scalars(select(model.id).order_by(model.id)).all()
        for start in range(0, len(ids), batch):
            kind.index.put_many(kind.rows(connection, ids[start:start + batch]), connection)
        numbers[kind.index.table] = len(ids)
    # The handbook's and the documents' are kept by their features; their files' text is only in the index.
    pages = db.session.scalars(select(HandbookPage)).all()
    for page in pages:
        handbook.index_page(page)
    numbers[handbook.SEARCH.table] = len(pages)
    documents = db.session.scalars(select(Document)).all()
    for document in documents:
        document_search.index(document)
    numbers[document_search.INDEX.table] = len(documents)
    db.session.commit()
    return numbers
