"""Full-text search: an SQLite FTS5 table over title, description, tags and the files' text.

`unicode61 remove_diacritics 2` makes "clientenraad" find "cliëntenraad"; every word is searched
as a prefix ("werk" finds "werkboek"). The index is kept up to date from Python (logic.py), in the
same transaction as the document. On another database, search falls back to LIKE on the
document's own fields (see `filter_search`).
"""
import re

from markupsafe import Markup, escape
from sqlalchemy import DDL, event, func, literal_column, or_, select, text

from ..database import UNMANAGED_TABLES
from ..extensions import db
from .models import Document

TABLE = "documents_fts"
CREATE = (f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(title, description, tags, content, "
          "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')")
DROP = f"DROP TABLE IF EXISTS {TABLE}"
# bm25 weights: a word in the title counts most, in the file's text least.
WEIGHTS = (10.0, 4.0, 6.0, 1.0)
MAX_WORDS = 8
_START, _END = "\x02", "\x03"  # marks around a match in a snippet; removed from indexed text

UNMANAGED_TABLES.add(TABLE)
# db.create_all() (tests, a fresh site) makes the table too; migrations do it with op.execute.
event.listen(Document.__table__, "after_create", DDL(CREATE).execute_if(dialect="sqlite"))
event.listen(Document.__table__, "before_drop", DDL(DROP).execute_if(dialect="sqlite"))


def uses_fts() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _clean(value: str | None) -> str:
    return (value or "").replace(_START, " ").replace(_END, " ")


def words(query: str | None) -> list[str]:
    return re.findall(r"\w+", query or "")[:MAX_WORDS]


def match_expression(query: str | None) -> str | None:
    """The FTS5 query for what a person typed: every word, as a prefix. No operators get through."""
    terms = [f'"{word}"*' for word in words(query)]
    return " ".join(terms) or None


def index(document: Document, content: str | None = None) -> None:
    """Put the document in the index (again). Without content, the file's text already indexed stays."""
    if not uses_fts():
        return
    params = {"id": document.id, "title": _clean(document.title), "description": _clean(document.description),
              "tags": _clean(document.tags)}
    if content is None:
        content = db.session.scalar(text(f"SELECT content FROM {TABLE} WHERE rowid = :id"), {"id": document.id}) or ""
    db.session.execute(text(f"DELETE FROM {TABLE} WHERE rowid = :id"), {"id": document.id})
    db.session.execute(text(f"INSERT INTO {TABLE} (rowid, title, description, tags, content) "
                            "VALUES (:id, :title, :description, :tags, :content)"),
                       {**params, "content": _clean(content)})


def unindex(document_ids: list[int]) -> None:
    if uses_fts() and document_ids:
        for document_id in document_ids:
            db.session.execute(text(f"DELETE FROM {TABLE} WHERE rowid = :id"), {"id": document_id})


def indexed_text(document_id: int) -> str:
    if not uses_fts():
        return ""
    return db.session.scalar(text(f"SELECT content FROM {TABLE} WHERE rowid = :id"), {"id": document_id}) or ""


_fts = literal_column(TABLE)
_rowid = literal_column(f"{TABLE}.rowid")


def _matching(expression: str):
    return select(_rowid.label("id"), func.bm25(_fts, *WEIGHTS).label("score")).select_from(
        text(TABLE)).where(text(f"{TABLE} MATCH :match").bindparams(match=expression))


def filter_search(query, typed: str | None):
    """Narrow a select of Documents to those matching what was typed, best first."""
    if not words(typed):
        return query
    if uses_fts():
        matches = _matching(match_expression(typed)).subquery("matches")
        return query.join(matches, matches.c.id == Document.id).order_by(None).order_by(
            matches.c.score, Document.updated_at.desc())
    for word in words(typed):
        pattern = f"%{word}%"
        query = query.filter(or_(Document.title.ilike(pattern), Document.description.ilike(pattern),
                                 Document.tags.ilike(pattern)))
    return query


def snippets(document_ids: list[int], typed: str | None) -> dict[int, Markup]:
    """A short piece of text around the match per document, the match in <mark>; one query."""
    if not document_ids or not words(typed) or not uses_fts():
        return {}
    rows = db.session.execute(
        select(_rowid, func.snippet(_fts, -1, _START, _END, "…", 14)).select_from(text(TABLE))
        .where(text(f"{TABLE} MATCH :match").bindparams(match=match_expression(typed)))
        .where(_rowid.in_(document_ids))).all()
    return {row[0]: highlight(row[1]) for row in rows}


def highlight(snippet: str) -> Markup:
    """Escape everything, then turn the match marks into <mark>."""
    return Markup(str(escape(snippet)).replace(_START, "<mark>").replace(_END, "</mark>"))
