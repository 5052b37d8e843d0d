import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import generate_password_hash

from ..core.database import UTCDateTime, utcnow
from ..core.extensions import db
from .passwords import password_matches
from .roles import ADMIN, MEMBER, ROLE_LABELS, SECRETARY, role_rank


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    """A member with an account. Never deleted once they wrote something: deactivated instead."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), default=MEMBER)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active_member: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(String(5))
    # The member's changes to the default mail choices; read and write through cpweb.mail.
    muted_mail_kinds: Mapped[str] = mapped_column(String(255), default="")
    # Part of mailed links: a new password makes older invitation and reset links void.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the member hid the "first steps" on their home page; until then a new member sees them.
    first_steps_hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The second factor (cpweb.auth.twofactor): the authenticator app's key, and the last time step
    # whose code was used, so that a code is accepted once.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # The key the app is being given, until its first right code moves it to totp_secret, and till
    # when that may take: kept here, never in the browser's session cookie (signed, not secret).
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    totp_pending_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.is_active_member

    @property
    def has_accepted_invitation(self) -> bool:
        return self.password_hash is not None

    def set_password(self, password: str) -> None:
        """A new password; the caller ends the sessions that should not survive it (cpweb.auth.sessions)."""
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        return password_matches(self.password_hash, password)

    def has_role(self, role: str) -> bool:
        """True for this role or a higher one (beheerder > secretaris > lid)."""
        return role_rank(self.role) >= role_rank(role)

    @property
    def role_label(self):
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def body_ids(self) -> set[int]:
        return {m.body_id for m in self.memberships}

    def is_member_of(self, body) -> bool:
        return self.is_admin or body.id in self.body_ids

    def can_manage(self, body) -> bool:
        """Secretaries run the bodies they belong to; admins run all of them."""
        return self.is_admin or (self.role == SECRETARY and body.id in self.body_ids)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginSession(db.Model):
    """One browser where a member is logged in. Its key lives only in that browser's cookie (the
    server keeps a hash), so logging out there, or a new password, ends it on the server: a copied
    cookie stops working. No IP address or browser name: nothing else is needed."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A code for when the app is gone: only its hash is kept, and it works once."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Passkey(db.Model):
    """A passkey (WebAuthn credential) a member registered as a second factor, with a name they chose."""

    __tablename__ = "passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1024), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(2048))
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
