from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db
from ..core.i18n import lazy_gettext_markup as _lm
from ..web.categories import CategoryColumns

PUBLIC, MEMBERS, BODY = "public", "members", "body"
VISIBILITIES = {
    PUBLIC: _l("Openbaar: iedereen kan het zien"),
    MEMBERS: _l("Alle leden"),
    BODY: _l("Alleen leden van het orgaan"),
}
VISIBILITY_SHORT = {PUBLIC: _l("Openbaar"), MEMBERS: _l("Alle leden"), BODY: _l("Alleen leden van het orgaan")}


def audience_label(visibility: str, body) -> str:
    if visibility == BODY and body is not None:
        return _lm("Alleen leden van %(body)s", body=body.name)
    return VISIBILITY_SHORT.get(visibility, visibility)


# Whether the text inside a version could be read for search.
TEXT_OK, TEXT_NONE, TEXT_FAILED = "ok", "none", "failed"


class DocumentCategory(CategoryColumns, db.Model):
    """A kind of document (Werkboek, Brief, …); secretaries keep the list."""

    __tablename__ = "document_categories"


class Document(db.Model):
    """A document in the library; its file is the newest of its versions."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_list", "deleted_at", "visibility", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str | None] = mapped_column(ForeignKey("document_categories.key"), index=True)
    tags: Mapped[str] = mapped_column(String(300), default="")  # comma-separated, as typed
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="SET NULL"), index=True)
    visibility: Mapped[str] = mapped_column(String(10), default=MEMBERS)
    # True: in the library on its own, its audience alone decides. False: added through a meeting,
    # activity or dossier, so seen only by whoever may also see one of those places. None: added
    # before that rule; seen as on its own, so nothing changed by itself, until an admin checks it.
    standalone: Mapped[bool | None] = mapped_column()
    # The newest version's file kind ("pdf", "docx", …), for the list and its filter.
    kind: Mapped[str] = mapped_column(String(10), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    category_entry = relationship(DocumentCategory)
    body = relationship("Body")
    created_by = relationship("User", foreign_keys=[created_by_id])
    deleted_by = relationship("User", foreign_keys=[deleted_by_id])
    versions: Mapped[list["DocumentVersion"]] = relationship(
        back_populates="document", cascade="all, delete-orphan",
        order_by="(DocumentVersion.uploaded_at.desc(), DocumentVersion.id.desc())")

    @property
    def category_label(self):
        return self.category_entry.label if self.category_entry else ""

    @property
    def visibility_label(self):
        return VISIBILITY_SHORT.get(self.visibility, self.visibility)

    @property
    def audience_label(self):
        """Who may see it, naming the body (loads it: eager-load `body` for a list)."""
        return audience_label(self.visibility, self.body)

    @property
    def placed(self) -> bool:
        """Seen only through the meetings, activities or dossiers it belongs to."""
        return self.standalone is False

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def current(self) -> "DocumentVersion":
        return self.versions[0]


class DocumentVersion(db.Model):
    """One uploaded file of a document. Earlier versions stay downloadable."""

    __tablename__ = "document_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)  # random; the file on disk
    original_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    mime_type: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    text_status: Mapped[str] = mapped_column(String(10), default=TEXT_NONE)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="versions")
    uploaded_by = relationship("User")

    @property
    def searchable(self) -> bool:
        return self.text_status == TEXT_OK


class DocumentLink(db.Model):
    """A document used somewhere else: an agenda item, an advice, a signal (by kind and id)."""

    __tablename__ = "document_links"
    __table_args__ = (UniqueConstraint("document_id", "target_kind", "target_id"),
                      Index("ix_document_links_target", "target_kind", "target_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship()
