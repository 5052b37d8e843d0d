"""Full-text search: an SQLite FTS5 table over title, description, tags and the files' text.

`unicode61 remove_diacritics 2` makes "clientenraad" find "cliëntenraad"; every word is searched
as a prefix ("werk" finds "werkboek"), with prefix indexes up to six letters so that a short
prefix with many words behind it stays fast. The index is kept up to date from Python (logic.py), in the
same transaction as the document. On another database, search falls back to LIKE on the
document's own fields (see `filter_search`).
"""
import re
import unicodedata

from markupsafe import Markup, escape
from sqlalchemy import DDL, event, func, literal_column, or_, select, text

from ..database import UNMANAGED_TABLES
from ..extensions import db
from .models import Document

TABLE = "documents_fts"
# The file's text is split: its start ("content") gives the snippets, the rest ("more") is only
# searched. FTS5's snippet() looks at every match in a column, so a long column makes it slow.
CREATE = (f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(title, description, tags, content, more, "
          "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6')")
HEAD_CHARS = 10_000
DROP = f"DROP TABLE IF EXISTS {TABLE}"
# bm25 weights: a word in the title counts most, in the file's text least.
WEIGHTS = (10.0, 4.0, 6.0, 1.0, 1.0)
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
        content = indexed_text(document.id)
    content = _clean(content)
    # Split at a space, so no word is cut in two.
    cut = content.rfind(" ", 0, HEAD_CHARS) if len(content) > HEAD_CHARS else len(content)
    cut = cut if cut > 0 else HEAD_CHARS
    db.session.execute(text(f"DELETE FROM {TABLE} WHERE rowid = :id"), {"id": document.id})
    db.session.execute(text(f"INSERT INTO {TABLE} (rowid, title, description, tags, content, more) "
                            "VALUES (:id, :title, :description, :tags, :content, :more)"),
                       {**params, "content": content[:cut], "more": content[cut:]})


def unindex(document_ids: list[int]) -> None:
    if uses_fts() and document_ids:
        for document_id in document_ids:
            db.session.execute(text(f"DELETE FROM {TABLE} WHERE rowid = :id"), {"id": document_id})


def indexed_text(document_id: int) -> str:
    if not uses_fts():
        return ""
    return db.session.scalar(text(f"SELECT content || more FROM {TABLE} WHERE rowid = :id"),
                             {"id": document_id}) or ""


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


def _fold_table() -> dict[int, str]:
    """Letters with accents to their base letter, one character for one (ë -> e), as the index does."""
    table = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and len(base) == 1:
            table[code] = base
    return table


_FOLD = _fold_table()
SNIPPET_CHARS = 220


def fold(value: str) -> str:
    return value.translate(_FOLD).lower()


def make_snippet(content: str, typed: str | None) -> Markup | None:
    """A piece of the text around the first match, every match in <mark>; the rest escaped.

    Done here rather than with FTS5's snippet(), whose time grows with the square of the number
    of matches in a document (seconds for a long file full of one word).
    """
    terms = [fold(word) for word in words(typed)]
    if not terms:
        return None
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\w*")
    # Most matches are near the start: fold a little text first, all of it only when needed.
    for length in (2 * SNIPPET_CHARS, len(content)):
        part = content[:length + SNIPPET_CHARS]
        folded = fold(part)
        if len(folded) != len(part):  # a rare letter whose lower case is longer: no snippet
            return None
        if (first := pattern.search(folded, 0, length)) is not None:
            content = part
            break
    else:
        return None
    start = max(0, first.start() - SNIPPET_CHARS // 3)
    start = folded.find(" ", start) + 1 if start else 0
    end = min(len(content), start + SNIPPET_CHARS)
    pieces, position = [], start
    for match in pattern.finditer(folded, start, end):
        pieces += [str(escape(content[position:match.start()])), "<mark>",
                   str(escape(content[match.start():match.end()])), "</mark>"]
        position = match.end()
    pieces.append(str(escape(content[position:end])))
    return Markup(("…" if start else "") + "".join(pieces) + ("…" if end < len(content) else ""))


def snippets(document_ids: list[int], typed: str | None) -> dict[int, Markup]:
    """A short piece of the file's text around the match per document; one query."""
    if not document_ids or not words(typed) or not uses_fts():
        return {}
    rows = db.session.execute(select(_rowid, func.substr(literal_column("content"), 1, HEAD_CHARS))
                              .select_from(text(TABLE)).where(_rowid.in_(document_ids))).all()
    found = {}
    for document_id, content in rows:
        if (piece := make_snippet(content or "", typed)) is not None:
            found[document_id] = piece
    return found
