"""What the handbook does: the tree, saving with revisions, conflicts, diffs, moving and search."""
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import func
from sqlalchemy.orm import joinedload, load_only

from ..auth.roles import SECRETARY
from ..core.database import utcnow
from ..core.extensions import db
from ..core.fulltext import opening, snippet
from ..core.keys import free_key
from ..core.privacy import Processing
from . import rules
from .models import SEARCH, HandbookPage, HandbookRevision

# --- who may see and do what --------------------------------------------------------------------


def can_read(user) -> bool:
    """The handbook is for members: everyone with an account."""
    return user.is_authenticated


def can_edit(user) -> bool:
    """Secretaries and admins write and arrange the handbook."""
    return user.is_authenticated and user.has_role(SECRETARY)


def welcome_page(user) -> HandbookPage | None:
    """The handbook's first page, where a new member starts reading; None for those who may not read it."""
    if not can_read(user):
        return None
    return db.session.scalar(db.select(HandbookPage).filter(HandbookPage.parent_id.is_(None))
                             .order_by(HandbookPage.position, HandbookPage.id).limit(1))


def find_page(slug: str) -> HandbookPage | None:
    if len(slug) > rules.MAX_SLUG:
        return None
    return db.session.scalar(db.select(HandbookPage).filter_by(slug=slug).options(joinedload(HandbookPage.updated_by)))


def find_revision(page: HandbookPage, number: int) -> HandbookRevision | None:
    return db.session.scalar(db.select(HandbookRevision).filter_by(page_id=page.id, number=number)
                             .options(joinedload(HandbookRevision.author)))


# --- the tree -------------------------------------------------------------------------------------

@dataclass
class Node:
    page: Any  # a row with id, title, slug and parent_id
    depth: int
    children: list["Node"] = field(default_factory=list)


@dataclass
class Outline:
    """All pages in one query (without their texts): the contents, breadcrumbs, previous and next."""

    roots: list[Node]
    order: list[Node]  # depth-first: the reading order
    by_id: dict[int, Node]

    def ancestors(self, page: HandbookPage) -> list[HandbookPage]:
        trail, parent_id = [], page.parent_id
        while parent_id is not None and parent_id in self.by_id and len(trail) < len(self.order):
            trail.append(self.by_id[parent_id].page)
            parent_id = self.by_id[parent_id].page.parent_id
        return trail[::-1]

    def neighbours(self, page: HandbookPage) -> tuple[HandbookPage | None, HandbookPage | None]:
        ids = [node.page.id for node in self.order]
        if page.id not in ids:
            return None, None
        n = ids.index(page.id)
        return (self.order[n - 1].page if n > 0 else None,
                self.order[n + 1].page if n + 1 < len(self.order) else None)

    def children(self, page: HandbookPage) -> list[HandbookPage]:
        node = self.by_id.get(page.id)
        return [child.page for child in node.children] if node else []

    def descendant_ids(self, page: HandbookPage) -> set[int]:
        found, todo = set(), list(self.by_id[page.id].children) if page.id in self.by_id else []
        while todo:
            node = todo.pop()
            found.add(node.page.id)
            todo.extend(node.children)
        return found


def outline() -> Outline:
    # Plain rows, not ORM objects: the contents of 500 pages stays a few milliseconds.
    pages = db.session.execute(db.select(HandbookPage.id, HandbookPage.title, HandbookPage.slug,
                                         HandbookPage.parent_id).order_by(HandbookPage.position, HandbookPage.id)).all()
    nodes = {page.id: Node(page, 0) for page in pages}
    roots = []
    for page in pages:
        parent = nodes.get(page.parent_id) if page.parent_id is not None else None
        (parent.children if parent else roots).append(nodes[page.id])
    order: list[Node] = []

    def walk(level, depth):
        for node in level:
            node.depth = depth
            order.append(node)
            walk(node.children, depth + 1)

    walk(roots, 0)
    return Outline(roots=roots, order=order, by_id=nodes)


def parent_choices(tree: Outline, page: HandbookPage | None) -> list[tuple[int, str]]:
    """Every page except this one and the pages under it (a page cannot sit inside itself)."""
    excluded = ({page.id} | tree.descendant_ids(page)) if page is not None and page.id else set()
    return [(node.page.id, "\u2014 " * node.depth + node.page.title) for node in tree.order
            if node.page.id not in excluded]


# --- saving ----------------------------------------------------------------------------------------

def slug_taken(slug: str, page: HandbookPage | None) -> bool:
    if slug in rules.RESERVED_SLUGS:
        return True
    query = db.select(HandbookPage.id).filter_by(slug=slug)
    if page is not None and page.id:
        query = query.filter(HandbookPage.id != page.id)
    return db.session.scalar(query.limit(1)) is not None


def free_slug(title: str) -> str:
    return free_key(rules.slugify(title), lambda slug: slug_taken(slug, None), rules.MAX_SLUG)


def _last_position(parent_id: int | None) -> int:
    return (db.session.scalar(db.select(func.max(HandbookPage.position)).filter(
        HandbookPage.parent_id.is_(None) if parent_id is None else HandbookPage.parent_id == parent_id)) or 0) + 1


def save_page(page: HandbookPage | None, *, title: str, text: str, user, slug: str = "", parent_id: int | None = None,
              note: str = "") -> HandbookPage:
    """Create a page or change it; either way a new revision with the full text is added."""
    if page is None:
        page = HandbookPage(slug=slug or free_slug(title), parent_id=parent_id, position=_last_position(parent_id),
                            revision=0)
        db.session.add(page)
    else:
        if parent_id != page.parent_id:
            page.position = _last_position(parent_id)
        page.parent_id = parent_id
        page.slug = slug or page.slug
    page.title, page.text = title, text
    page.revision += 1
    page.updated_at, page.updated_by_id = utcnow(), user.id if user else None
    db.session.flush()
    db.session.add(HandbookRevision(page_id=page.id, number=page.revision, title=title, text=text,
                                    author_id=page.updated_by_id, created_at=page.updated_at, note=note))
    index_page(page)
    return page


def restore(page: HandbookPage, revision: HandbookRevision, user) -> HandbookPage:
    """An old text comes back as a new revision: history is never rewritten."""
    return save_page(page, title=revision.title, text=revision.text, user=user, slug=page.slug,
                     parent_id=page.parent_id, note=_("Versie %(n)s teruggezet", n=revision.number))


def revisions(page: HandbookPage) -> list[HandbookRevision]:
    return list(db.session.scalars(db.select(HandbookRevision).filter_by(page_id=page.id)
                                   .options(joinedload(HandbookRevision.author))
                                   .order_by(HandbookRevision.number.desc())))


def previous_revision(revision: HandbookRevision) -> HandbookRevision | None:
    return db.session.scalar(db.select(HandbookRevision).filter(
        HandbookRevision.page_id == revision.page_id, HandbookRevision.number < revision.number)
        .order_by(HandbookRevision.number.desc()).limit(1))


def move(page: HandbookPage, direction: str) -> None:
    """One place up or down among the pages with the same parent."""
    siblings = list(db.session.scalars(db.select(HandbookPage).filter(
        HandbookPage.parent_id.is_(None) if page.parent_id is None else HandbookPage.parent_id == page.parent_id)
        .order_by(HandbookPage.position, HandbookPage.id)))
    n = siblings.index(page)
    other = n - 1 if direction == "up" else n + 1
    if 0 <= other < len(siblings):
        siblings[n], siblings[other] = siblings[other], siblings[n]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position


def recently_changed(limit: int = 3) -> list[HandbookPage]:
    return list(db.session.scalars(db.select(HandbookPage).options(load_only(
        HandbookPage.id, HandbookPage.title, HandbookPage.slug, HandbookPage.updated_at))
        .order_by(HandbookPage.updated_at.desc(), HandbookPage.id.desc()).limit(limit)))


# --- what editors do: one call each, committed once ---------------------------------------------

@dataclass(frozen=True)
class Written:
    """What writing a page did: the page saved; or nothing saved, because its web address belongs
    to another page (`slug_taken`, said in Dutch) or someone saved since the writer began (`conflict`)."""

    page: HandbookPage | None = None
    slug_taken: str | None = None
    conflict: bool = False


def write_page(page_id: int | None, values: dict, user) -> Written:
    """A new page (`page_id` None) or a change; `values`: title, text, slug, parent_id, note and,
    for a change, base_revision (the revision the writer started from). Saving over someone else's
    newer revision is never done unasked."""
    page = db.session.get(HandbookPage, page_id) if page_id else None
    if values["slug"] and slug_taken(values["slug"], page):
        return Written(slug_taken=_("Een andere pagina heeft dit webadres al. Kies een ander webadres."))
    if page is not None and values["base_revision"] != page.revision:
        return Written(conflict=True)
    page = save_page(page, title=values["title"], text=values["text"], user=user, slug=values["slug"],
                     parent_id=values["parent_id"], note=values["note"])
    db.session.commit()
    return Written(page=page)


def restore_revision(page_id: int, number: int, user) -> HandbookPage:
    """An old text back as the newest revision."""
    page = db.session.get(HandbookPage, page_id)
    restore(page, find_revision(page, number), user)
    db.session.commit()
    return page


def move_page(page_id: int, direction: str) -> None:
    """One place "up" or "down" among its siblings."""
    move(db.session.get(HandbookPage, page_id), direction)
    db.session.commit()


# --- differences between two texts ----------------------------------------------------------------

@dataclass
class DiffLine:
    kind: str  # "same", "del", "ins" or "gap" (unchanged lines left out)
    old: int | None  # line number in the old text
    new: int | None
    text: str


def line_diff(old: str, new: str, context: int = 3) -> list[DiffLine]:
    """A line diff for people: what went (del), what came (ins), a few unchanged lines around it.

    The template escapes every line; nothing here is markup.
    """
    a, b = old.splitlines(), new.splitlines()
    rows: list[DiffLine] = []
    for n, group in enumerate(difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_grouped_opcodes(context)):
        if n or (group and (group[0][1] > 0 or group[0][3] > 0)):
            rows.append(DiffLine("gap", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(DiffLine("same", i + 1, j1 + k + 1, a[i]) for k, i in enumerate(range(i1, i2)))
                continue
            if tag in ("replace", "delete"):
                rows.extend(DiffLine("del", i + 1, None, a[i]) for i in range(i1, i2))
            if tag in ("replace", "insert"):
                rows.extend(DiffLine("ins", None, j + 1, b[j]) for j in range(j1, j2))
    if rows and rows[-1].kind != "gap" and (rows[-1].old or 0) < len(a) and (rows[-1].new or 0) < len(b):
        rows.append(DiffLine("gap", None, None, ""))
    return rows


# --- search ----------------------------------------------------------------------------------------

def searchable(markdown_text: str) -> str:
    """The text as people read it, for the index and its snippets: no Markdown signs, one line."""
    without_marks = re.sub(r"[*_#>`|]+|^\s*(?:[-+]|\d+\.)\s+", " ", markdown_text, flags=re.MULTILINE)
    return re.sub(r"\s+", " ", without_marks).strip()


def index_page(page: HandbookPage) -> None:
    """Keep the full-text index in step with the page (called by save_page)."""
    SEARCH.put(page.id, title=page.title, text=searchable(page.text))


def search_pages(query: str, limit: int = 20) -> list[tuple[HandbookPage, Markup]]:
    """Pages whose title or text has every word of the query (as the start of a word), best first.

    Each with a short piece of its text, matches in <mark> and all else escaped. The document
    library's search calls this too.
    """
    matching = SEARCH.matching(query)
    if matching is None:
        return []
    matches = matching.subquery("matches")
    pages = list(db.session.scalars(db.select(HandbookPage).join(matches, matches.c.id == HandbookPage.id)
                                    .options(load_only(HandbookPage.id, HandbookPage.title, HandbookPage.slug,
                                                       HandbookPage.parent_id))
                                    .order_by(matches.c.score, HandbookPage.updated_at.desc()).limit(limit)))
    texts = SEARCH.stored([page.id for page in pages], "text")
    return [(page, _snippet(texts.get(page.id, ("",))[0], query)) for page in pages]


def _snippet(page_text: str, query: str) -> Markup:
    return snippet(page_text, query) or opening(page_text)


# --- privacy ---------------------------------------------------------------------------------------

PROCESSING = Processing(
    name=_l("Handboek voor leden"),
    purpose=_l("Leden lezen hoe de raad werkt. Bij elke versie van een pagina staat wie hem schreef, "
               "zodat u kunt zien wie wat veranderde."),
    people=_l("Secretarissen en beheerders die het handboek schrijven"),
    data=_l("Naam van de schrijver en het tijdstip van elke versie."),
    recipients=_l("Alle leden die inloggen."),
    retention=lambda config: _l("Zolang de pagina bestaat. Wordt een account gewist, dan verdwijnt de naam bij de versies."),
)
