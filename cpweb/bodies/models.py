from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db

BODY_KINDS = {
    "clientenraad": _l("Cliëntenraad"),
    "klankbordgroep": _l("Klankbordgroep"),
    "clientenplatform": _l("Cliëntenplatform"),
    "ambassadeurs": _l("Ambassadeurs"),
    "districtsclientenraad": _l("Districtscliëntenraad"),
    "werkgroep": _l("Werkgroep"),
}

# A title within the body. Rights come from the member's role, not from this.
FUNCTIONS = {
    "lid": _l("Lid"),
    "voorzitter": _l("Voorzitter"),
    "secretaris": _l("Secretaris"),
    "ambassadeur": _l("Ambassadeur"),
}

ORGANISATION_KINDS = {
    "gemeente": _l("Gemeente"),
    "uwv": _l("UWV"),
    "werkplein": _l("Werkplein"),
    "lcr": _l("Landelijke Cliëntenraad"),
    "anders": _l("Anders"),
}


class Body(db.Model):
    """A group of volunteers that speaks for clients; one installation serves several."""

    __tablename__ = "bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    # Its members read and handle the signals clients send in.
    receives_signals: Mapped[bool] = mapped_column(default=False)
    # Members may put a proposal to the body; otherwise only its secretaries do.
    members_propose: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="body", cascade="all, delete-orphan")

    @property
    def kind_label(self):
        return BODY_KINDS.get(self.kind, self.kind)


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("body_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    function: Mapped[str] = mapped_column(String(20), default="lid")
    # False for a member without a vote (an adviser): proposals for voting members leave them out.
    votes: Mapped[bool] = mapped_column(default=True, server_default=true())
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    body: Mapped[Body] = relationship(back_populates="memberships")
    user: Mapped["User"] = relationship(back_populates="memberships")  # noqa: F821

    @property
    def function_label(self):
        return FUNCTIONS.get(self.function, self.function)


class Organisation(db.Model):
    """Who the bodies speak to and about: the region's municipalities, UWV, the Werkplein."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    is_active: Mapped[bool] = mapped_column(default=True)

    @property
    def kind_label(self):
        return ORGANISATION_KINDS.get(self.kind, self.kind)
