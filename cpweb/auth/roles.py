"""The three roles, lowest first. A higher role may do all a lower one may."""
from flask_babel import lazy_gettext as _l

MEMBER = "lid"
SECRETARY = "secretaris"
ADMIN = "beheerder"
ROLES = (MEMBER, SECRETARY, ADMIN)
ROLE_LABELS = {
    MEMBER: _l("Lid"),
    SECRETARY: _l("Secretaris"),
    ADMIN: _l("Beheerder"),
}


def role_rank(role: str) -> int:
    return ROLES.index(role) if role in ROLES else -1
