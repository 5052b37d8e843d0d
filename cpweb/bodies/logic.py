"""Public functions other features use to find bodies and check membership."""
from sqlalchemy.orm import contains_eager

from ..core.extensions import db
from ..core.hooks import hooks
from .models import Body, Membership, Organisation


def body_sections_for(body, user) -> list[tuple[str, dict]]:
    """Sections on a body's page that other features add (hooks.body_section)."""
    return [section for fn in hooks().body_sections if (section := fn(body, user)) is not None]


def active_bodies() -> list[Body]:
    return list(db.session.scalars(db.select(Body).filter_by(is_active=True).order_by(Body.name)))


def body_links():
    """(slug, name) of the active bodies: all the guest home page needs, without loading whole rows."""
    query = db.select(Body.slug, Body.name).filter_by(is_active=True).order_by(Body.name)
    return db.session.execute(query).all()


def bodies_of(user) -> list[Body]:
    """The bodies a member belongs to (all active ones for an admin)."""
    if user.is_admin:
        return active_bodies()
    query = db.select(Body).join(Membership).filter(Membership.user_id == user.id, Body.is_active).order_by(Body.name)
    return list(db.session.scalars(query))


def body_by_slug(slug: str) -> Body | None:
    return db.session.scalar(db.select(Body).filter_by(slug=slug))


def active_organisations(kind: str | None = None) -> list[Organisation]:
    query = db.select(Organisation).filter_by(is_active=True).order_by(Organisation.name)
    if kind:
        query = query.filter_by(kind=kind)
    return list(db.session.scalars(query))


def set_memberships(user, body_ids) -> bool:
    """Make the member belong to exactly these bodies. True when anything changed."""
    wanted = set(body_ids)
    current = {m.body_id: m for m in user.memberships}
    for body_id, membership in current.items():
        if body_id not in wanted:
            user.memberships.remove(membership)
    for body_id in wanted - current.keys():
        user.memberships.append(Membership(body_id=body_id))
    return wanted != set(current)


def body_names(body_ids) -> str:
    if not body_ids:
        return "-"
    names = db.session.scalars(db.select(Body.name).filter(Body.id.in_(body_ids)).order_by(Body.name))
    return ", ".join(names)


def signal_receiving_body_ids() -> set[int]:
    """The bodies whose members handle incoming signals."""
    query = db.select(Body.id).filter_by(receives_signals=True, is_active=True)
    return set(db.session.scalars(query))


def memberships_of(body_id: int) -> list[Membership]:
    """The body's active members with their membership (function, voting rights), by name."""
    from ..auth.models import User

    query = (db.select(Membership).join(User).filter(Membership.body_id == body_id, User.is_active_member)
             .options(contains_eager(Membership.user)).order_by(User.name))
    return list(db.session.scalars(query))


def set_voting(body_id: int, voting_user_ids) -> None:
    """Give exactly these members of the body a vote; the others keep their membership without one."""
    voting = set(voting_user_ids)
    for membership in memberships_of(body_id):
        membership.votes = membership.user_id in voting
    db.session.commit()


def secretaries_of(body_ids=()):
    """Active secretaries of these bodies, each once; of all bodies when none are given."""
    from ..auth.models import User
    from ..auth.roles import SECRETARY

    query = db.select(User).filter(User.role == SECRETARY, User.is_active_member).order_by(User.name)
    if body_ids:
        query = query.filter(User.memberships.any(Membership.body_id.in_(list(body_ids))))
    return list(db.session.scalars(query))


def members_of_bodies(body_ids):
    """Active members of these bodies, each once, by name."""
    from ..auth.models import User

    query = (db.select(User).join(Membership).filter(Membership.body_id.in_(list(body_ids)), User.is_active_member)
             .distinct().order_by(User.name))
    return list(db.session.scalars(query))
