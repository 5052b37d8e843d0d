"""Which mails a person wants: a member chooses on the profile page; anyone stops a kind with the
unsubscribe link in such a mail, without logging in."""
import hashlib

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from ..auth.models import User
from ..core.extensions import db
from ..web.urls import site_url
from .models import MailOptOut

# Kinds of mail a person may switch off. Account mails (invitation, password) are always sent.
# Features add their kinds here so the profile page can offer them.
OPTIONAL_MAIL_KINDS: dict[str, object] = {
    "invitations": _l("Uitnodigingen voor vergaderingen, met de agenda"),
    "reminders": _l("Herinneringen voor vergaderingen en activiteiten"),
    "documents": _l("Bericht als de stukken voor een vergadering compleet zijn"),
    "minutes": _l("Bericht als er een verslag is om te lezen"),
    "proposals": _l("Voorstellen: een nieuw voorstel, een herinnering als u nog niet antwoordde, en de uitkomst"),
    "updates": _l("Wijzigingen: een verplaatste of afgelaste vergadering"),
    "digest": _l("Wekelijks overzicht van wat aandacht nodig heeft"),
    "signals": _l("Een e-mail bij elk nieuw signaal (voor secretarissen)"),
    "signals_digest": _l("Elke ochtend een overzicht van de nieuwe signalen (voor secretarissen)"),
    "signals_assigned": _l("Bericht als u een signaal krijgt om op te pakken"),
    "corrections": _l("Bericht als een lid een correctie op een verslag voorstelt (voor secretarissen)"),
    "activity_proposals": _l("Bericht als een lid een activiteit voorstelt (voor secretarissen)"),
    "action_items": _l("Bericht over uw actiepunten: als u er een krijgt, en als de datum voorbij is"),
}

# Off until a member switches them on.
OFF_BY_DEFAULT = {"signals_digest"}


def chosen_kinds(user) -> set[str]:
    """The optional kinds this member gets. Stored as changes from the default: "kind" switched
    off, "+kind" switched on (for a kind that is off by default)."""
    changes = (user.muted_mail_kinds or "").split()
    return {kind for kind in OPTIONAL_MAIL_KINDS
            if (f"+{kind}" in changes if kind in OFF_BY_DEFAULT else kind not in changes)}


def choose_kinds(user, kinds) -> None:
    changes = [kind for kind in OPTIONAL_MAIL_KINDS if kind not in kinds and kind not in OFF_BY_DEFAULT]
    changes += [f"+{kind}" for kind in OPTIONAL_MAIL_KINDS if kind in kinds and kind in OFF_BY_DEFAULT]
    user.muted_mail_kinds = " ".join(changes)


def wants_mail(user, kind: str | None) -> bool:
    return kind is None or kind in chosen_kinds(user)


# --- people without an account: an opt-out per address and kind --------------------------------

def address_hash(address: str) -> str:
    """What the site keeps of an address that opted out: enough to recognise it, not to read it."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def _has_opt_out(hashed_address: str, kind: str) -> bool:
    return db.session.scalar(db.select(MailOptOut.id).filter_by(address_hash=hashed_address, kind=kind)) is not None


def opted_out(address: str, kind: str | None) -> bool:
    return kind in OPTIONAL_MAIL_KINDS and _has_opt_out(address_hash(address), kind)


def will_get(user_or_address, kind: str | None) -> bool:
    """Whether a mail of this kind reaches this member (their choices) or address (its opt-outs):
    send_mail keeps to it, and a confirmation page names beforehand who will get a mail by it."""
    if isinstance(user_or_address, str):
        return not opted_out(user_or_address, kind)
    return wants_mail(user_or_address, kind)


# --- the unsubscribe link: signed, without the address in it -------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="cpweb-unsubscribe")


def unsubscribe_url(user: User | None, address: str, kind: str) -> str:
    """A link that stops this kind of mail for this member (or address), for whoever holds it."""
    target = ["u", user.id] if user is not None else ["a", address_hash(address)]
    return site_url("mail.unsubscribe", token=_serializer().dumps([*target, kind]))


class Unsubscribe:
    """What an unsubscribe link stops: one kind, for a member or for an address."""

    def __init__(self, kind: str, user: User | None, hashed_address: str | None):
        self.kind, self.user, self.hashed_address = kind, user, hashed_address

    @property
    def label(self):
        return OPTIONAL_MAIL_KINDS[self.kind]

    @property
    def done(self) -> bool:
        if self.user is not None:
            return self.kind not in chosen_kinds(self.user)
        return _has_opt_out(self.hashed_address, self.kind)


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    try:
        who, ident, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if kind not in OPTIONAL_MAIL_KINDS:
        return None
    if who == "u":
        user = db.session.get(User, ident) if isinstance(ident, int) else None
        return Unsubscribe(kind, user, None) if user is not None else None
    return Unsubscribe(kind, None, ident) if who == "a" and isinstance(ident, str) else None


def unsubscribe(target: Unsubscribe) -> None:
    """Stop the kind; doing it twice changes nothing. Commits."""
    if not target.done:
        if target.user is not None:
            choose_kinds(target.user, chosen_kinds(target.user) - {target.kind})
        else:
            db.session.add(MailOptOut(address_hash=target.hashed_address, kind=target.kind))
    db.session.commit()
