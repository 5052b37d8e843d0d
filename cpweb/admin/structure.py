"""The council's bodies and the organisations it advises, as admins keep them: one call each,
committed once."""
from flask_babel import gettext as _

from ..bodies.models import Body, Organisation
from ..core.extensions import db
from ..core.keys import free_key, slugify


def _free_slug(name: str) -> str:
    max_length = Body.slug.type.length
    return free_key(slugify(name, "orgaan", max_length),
                    lambda slug: db.session.scalar(db.select(Body.id).filter_by(slug=slug)) is not None, max_length)


def save_body(body_id: int | None, values: dict) -> Body:
    """A new body (`body_id` None; its web address made once from the name) or a change to one;
    `values`: name, kind, description, receives_signals, is_active."""
    body = db.session.get(Body, body_id) if body_id else None
    if body is None:
        body = Body(slug=_free_slug(values["name"]))
        db.session.add(body)
    for name in ("name", "kind", "description", "receives_signals", "is_active"):
        setattr(body, name, values[name])
    db.session.commit()
    return body


def save_organisation(organisation_id: int | None, values: dict) -> str | None:
    """A new organisation or a change (`values`: name, kind, is_active); returns why not (a name
    already in the list), or None once saved."""
    clash = db.session.scalar(db.select(Organisation.id).filter(Organisation.name == values["name"],
                                                                Organisation.id != (organisation_id or 0)))
    if clash is not None:
        return _("Deze naam staat al in de lijst.")
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else Organisation()
    for name in ("name", "kind", "is_active"):
        setattr(organisation, name, values[name])
    db.session.add(organisation)
    db.session.commit()
    return None
