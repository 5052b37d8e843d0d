"""Signed links for invitations and password resets, valid for a while and used once.

The link carries the member's session token; setting a password renews that token, so a
used link stops working and an older link is void once a newer password is set.
"""
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from .models import User

INVITATION = "invitation"
PASSWORD_RESET = "password-reset"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"cpweb-{purpose}")


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps([user.id, user.session_token])


def load_token(token: str, purpose: str, max_age: timedelta) -> User | None:
    """The member a valid, unused, unexpired token belongs to; None otherwise."""
    try:
        user_id, session_token = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except (BadSignature, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_token != session_token or not user.is_active:
        return None
    return user
