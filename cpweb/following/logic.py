"""Following other councils: their public feeds fetched safely, kept until a newer one parses,
shown read-only and labelled with where they came from, and never published again here."""
import json
import logging
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import load_only

from ..auth.models import User
from ..auth.roles import ADMIN
from ..calendar.sources import CalendarEvent
from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import local_today
from ..mail import send_mail
from ..web.urls import site_url
from .models import ACTIVE, STOPPED, RemoteEntry, RemoteEvent, Source

log = logging.getLogger(__name__)

DEFAULT_REFRESH = timedelta(hours=6)
SHORTEST_REFRESH, LONGEST_REFRESH = timedelta(hours=1), timedelta(days=7)
FIRST_RETRY = timedelta(minutes=30)  # after a failure; it doubles with each next one
# A source being refreshed is claimed for this long, so a second cron run (another server, or one
# started while a slow run goes on) leaves it alone.
CLAIM = timedelta(minutes=15)
STOP_AFTER = 10  # failures in a row

ERRORS = {
    "scheme": _l("Het adres moet beginnen met http:// of https://."),
    "port": _l("Dit adres gebruikt een poort die wij niet volgen. Alleen gewone webadressen kunnen."),
    "dns": _l("Deze website bestaat niet, of is nu niet te vinden."),
    "private_address": _l("Dit adres wijst naar een intern netwerk. Dat volgen wij niet."),
    "connect": _l("De website van de bron was niet bereikbaar."),
    "timeout": _l("De website van de bron antwoordde te langzaam."),
    "too_large": _l("De bron is te groot (meer dan 2 MB)."),
    "encoding": _l("De bron stuurde iets wat wij niet kunnen lezen."),
    "redirects": _l("Het adres stuurt te vaak door naar een ander adres."),
    "status": _l("De website van de bron gaf een foutmelding."),
    "gone": _l("De bron bestaat niet meer. Wij halen haar niet meer op."),
    "not_a_feed": _l("Op dit adres staat geen agenda of nieuwsfeed, maar iets anders (bijvoorbeeld een webpagina)."),
    "calendar": _l("De agenda van de bron is niet te lezen."),
    "xml": _l("De nieuwsfeed van de bron is niet te lezen."),
}


def error_text(code: str) -> str:
    return str(ERRORS.get(code, _l("Er ging iets mis bij het ophalen.")))


def allowed_hosts() -> frozenset:
    """FEDERATION_ALLOW_HOSTS: exact "host:port" pairs fetched even on a local address (tests)."""
    value = current_app.config.get("FEDERATION_ALLOW_HOSTS") or []
    return frozenset(json.loads(value) if isinstance(value, str) else value)


# --- sources ----------------------------------------------------------------------------------------

def sources() -> list[Source]:
    return list(db.session.scalars(db.select(Source).order_by(Source.name, Source.id)))


def add_source(name: str, url: str) -> Source | str:
    """A new source, fetched at the next refresh; or why not, in Dutch."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return error_text("scheme")
    if db.session.scalar(db.select(Source.id).filter_by(url=url)) is not None:
        return _("Deze bron volgt u al.")
    source = Source(name=name.strip(), url=url)
    db.session.add(source)
    db.session.commit()
    return source


def remove_source(source_id: int) -> None:
    db.session.execute(db.delete(RemoteEvent).filter_by(source_id=source_id))
    # Through the session, not in bulk: the search index follows the entries a flush deletes, in this
    # transaction. Flushed before the source goes, whose cascade would otherwise take them first.
    for entry in db.session.scalars(db.select(RemoteEntry).filter_by(source_id=source_id)
                                    .options(load_only(RemoteEntry.id))):
        db.session.delete(entry)
    db.session.flush()
    db.session.execute(db.delete(Source).filter_by(id=source_id))
    db.session.commit()


def restart_source(source_id: int) -> None:
    """A stopped source is tried again at the next refresh."""
    source = db.session.get(Source, source_id)
    source.status, source.failures, source.next_check_at = ACTIVE, 0, utcnow()
    db.session.commit()


# --- refreshing -------------------------------------------------------------------------------------

def _interval(hint_seconds: int | None) -> timedelta:
    if not hint_seconds:
        return DEFAULT_REFRESH
    return min(max(timedelta(seconds=hint_seconds), SHORTEST_REFRESH), LONGEST_REFRESH)


def due_source_ids(now: datetime) -> list[int]:
    return list(db.session.scalars(db.select(Source.id).filter(Source.status == ACTIVE, Source.next_check_at <= now)
                                   .order_by(Source.next_check_at)))


def refresh_due(now: datetime | None = None) -> dict[str, int]:
    """Refresh every source whose time has come, each in a transaction of its own; one that fails
    keeps its last good data."""
    now = now or utcnow()
    outcome = {"ok": 0, "failed": 0}
    for source_id in due_source_ids(now):
        if _claim(source_id, now):
            outcome["ok" if refresh(source_id, now) else "failed"] += 1
    return outcome


def _claim(source_id: int, now: datetime) -> bool:
    claimed = db.session.execute(db.update(Source).where(Source.id == source_id, Source.next_check_at <= now)
                                 .values(next_check_at=now + CLAIM)).rowcount == 1
    db.session.commit()
    return claimed


def refresh(source_id: int, now: datetime | None = None) -> bool:
    from . import fetch, parse  # only a refresh needs them (and nh3, icalendar): not a worker's start

    now = now or utcnow()
    source = db.session.get(Source, source_id)
    url, etag, last_modified = source.url, source.etag, source.last_modified
    db.session.rollback()  # no transaction held open while another site is slow to answer
    try:
        fetched = fetch.fetch(url, etag=etag, last_modified=last_modified, allow=allowed_hosts())
        parsed = parse.parse(fetched.body, local_today()) if fetched.status == 200 else None
    except (fetch.FetchError, parse.ParseError) as problem:
        _failed(source_id, problem.code, problem.detail, now)
        return False
    source = db.session.get(Source, source_id)
    if source is None:  # removed meanwhile
        return False
    source.last_checked_at = now
    if fetched.status == 410:
        source.status, source.last_error, source.last_error_detail = STOPPED, "gone", "410"
        _tell_admins(source)
        db.session.commit()
        return False
    if parsed is not None:
        _store(source, parsed)
        source.etag, source.last_modified = fetched.etag, fetched.last_modified
        source.refresh_seconds = int(_interval(parsed.refresh_seconds).total_seconds())
        source.skipped = parsed.skipped
    source.failures, source.last_error, source.last_error_detail = 0, "", ""
    source.last_success_at = now
    source.next_check_at = now + timedelta(seconds=source.refresh_seconds)
    db.session.commit()
    return True


def _failed(source_id: int, code: str, detail: str, now: datetime) -> None:
    source = db.session.get(Source, source_id)
    if source is None:
        return
    log.warning("source %s (%s) failed: %s %s", source.id, source.url, code, detail[:200])
    source.last_checked_at, source.failures = now, source.failures + 1
    source.last_error, source.last_error_detail = code, detail[:1000]
    source.next_check_at = now + min(FIRST_RETRY * 2 ** (source.failures - 1), LONGEST_REFRESH)
    if source.failures >= STOP_AFTER:
        source.status = STOPPED
        _tell_admins(source)
    db.session.commit()


def _tell_admins(source: Source) -> None:
    admins = db.session.scalars(db.select(User).filter(User.role == ADMIN, User.is_active_member))
    for admin in admins:
        send_mail(admin, _("Bron gestopt: %(name)s", name=source.name),
                  _("Wij halen de bron ‘%(name)s’ niet meer op.\n\n%(reason)s\n\n"
                    "Kijk op deze pagina wat er aan de hand is, en zet de bron weer aan of haal hem weg: %(url)s",
                    name=source.name, reason=error_text(source.last_error), url=site_url("following.admin")))


def _store(source: Source, parsed) -> None:
    """Upsert what the feed holds now, by UID (and occurrence) or entry id; drop what it no longer has."""
    if parsed.kind == "calendar":
        _upsert(RemoteEvent, source.id, {(e.uid, e.recurrence): e for e in parsed.events},
                lambda row: (row.uid, row.recurrence), complete=True)
    else:
        _upsert(RemoteEntry, source.id, {e.entry_id: e for e in parsed.entries}, lambda row: row.entry_id,
                complete=parsed.complete, withdrawn=set(parsed.withdrawn))


def _upsert(model, source_id: int, incoming: dict, key_of, complete: bool, withdrawn: set = frozenset()) -> None:
    existing = {key_of(row): row for row in db.session.scalars(db.select(model).filter_by(source_id=source_id))}
    for key, row in existing.items():
        if (complete and key not in incoming) or key in withdrawn:
            db.session.delete(row)
    for key, data in incoming.items():
        if key in withdrawn:
            continue
        row = existing.get(key) or model(source_id=source_id)
        for name, value in vars(data).items():
            setattr(row, name, value)
        db.session.add(row)


# --- showing -----------------------------------------------------------------------------------------

def followed_events(user, start: datetime, end: datetime, body_id: int | None, first: int | None) -> list[CalendarEvent]:
    """The followed sources' events in [start, end), for the agenda's 'ook van andere raden': public,
    read-only, each labelled with its source and linking back to it."""
    if body_id is not None:
        return []
    query = (db.select(RemoteEvent, Source.name).join(Source, Source.id == RemoteEvent.source_id)
             .filter(RemoteEvent.starts_at < end, RemoteEvent.ends_at > start)
             .order_by(RemoteEvent.starts_at, RemoteEvent.id).limit(first))
    return [CalendarEvent(uid=f"remote-{event.id}", title=event.title, starts_at=event.starts_at,
                          ends_at=max(event.ends_at, event.starts_at), url=event.url or "", kind="remote",
                          kind_label=_("Van %(source)s", source=name), body_name=name, location=event.location,
                          cancelled=event.cancelled, public=True)
            for event, name in db.session.execute(query)]


def entries_query(source_id: int | None = None):
    query = (db.select(RemoteEntry, Source.name).join(Source, Source.id == RemoteEntry.source_id)
             .order_by(RemoteEntry.updated.desc(), RemoteEntry.id.desc()))
    return query.filter(RemoteEntry.source_id == source_id) if source_id else query


def counts() -> dict[int, tuple[int, int]]:
    """Per source: (events, entries) kept now."""
    result: dict[int, list[int]] = {}
    for source_id, n in db.session.execute(db.select(RemoteEvent.source_id, db.func.count()).group_by(RemoteEvent.source_id)):
        result.setdefault(source_id, [0, 0])[0] = n
    for source_id, n in db.session.execute(db.select(RemoteEntry.source_id, db.func.count()).group_by(RemoteEntry.source_id)):
        result.setdefault(source_id, [0, 0])[1] = n
    return {k: (v[0], v[1]) for k, v in result.items()}


def has_sources() -> bool:
    return db.session.scalar(db.select(Source.id).limit(1)) is not None


