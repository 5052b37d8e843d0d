"""Full-text search over the documents' title, description, tags and the files' own text.

The index (cpweb.core.fulltext) is kept up to date from Python (logic.py), in the same transaction as
the document. The file's text lives only there: it is read back for snippets and when the
document's details change.
"""
from markupsafe import Markup

from ..core.fulltext import FullTextIndex, snippet, words
from .models import Document

# The file's text is split: its start ("content") gives the snippets, the rest ("more") is only
# searched, so a snippet never reads a long file's whole text.
HEAD_CHARS = 10_000
# A word in the title counts most, in the file's text least.
INDEX = FullTextIndex("documents_fts", {"title": 10.0, "description": 4.0, "tags": 6.0, "content": 1.0, "more": 1.0},
                      owner=Document.__table__, prefixes=(2, 3, 4, 5, 6))


def index(document: Document, content: str | None = None) -> None:
    """Put the document in the index (again). Without content, the file's text already indexed stays."""
    if content is None:
        content = indexed_text(document.id)
    # Split at a space, so no word is cut in two.
    cut = content.rfind(" ", 0, HEAD_CHARS) if len(content) > HEAD_CHARS else len(content)
    cut = cut if cut > 0 else HEAD_CHARS
    INDEX.put(document.id, title=document.title, description=document.description, tags=document.tags,
              content=content[:cut], more=content[cut:])


def unindex(document_ids: list[int]) -> None:
    INDEX.remove(document_ids)


def indexed_text(document_id: int) -> str:
    return "".join(INDEX.stored([document_id], "content", "more").get(document_id, ()))


def filter_search(query, typed: str | None):
    """Narrow a select of Documents to those matching what was typed, best first."""
    matching = INDEX.matching(typed)
    if matching is None:
        return query
    matches = matching.subquery("matches")
    return query.join(matches, matches.c.id == Document.id).order_by(None).order_by(
        matches.c.score, Document.updated_at.desc())


def snippets(document_ids: list[int], typed: str | None) -> dict[int, Markup]:
    """A short piece of the file's text around the match per document; one query."""
    if not document_ids or not words(typed):
        return {}
    found = {}
    for document_id, (content,) in INDEX.stored(document_ids, "content").items():
        if (piece := snippet(content, typed)) is not None:
            found[document_id] = piece
    return found
