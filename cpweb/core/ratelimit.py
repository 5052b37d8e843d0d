"""Counters for rate limits in the site's own database, shared by every gunicorn worker.

Flask-Limiter counts in memory by default: each worker keeps its own count, and a restart forgets
them, so a limit of 10 let through up to 20 tries. `RATELIMIT_STORAGE_URI = "database://"` (the
default) keeps them in a small table of the site's database instead; a Redis URI works as well
(install the `redis` package). Login limits per account (cpweb.auth.throttle) use the same storage.
"""
import hashlib
import hmac
import importlib
import time
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits.storage import Storage
from sqlalchemy import Float, String, case
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db, limiter
from .hooks import hooks
from .i18n import lazy_gettext_markup as _lm
from .privacy import Processing
from .retention import delete_rows


class RateCounter(db.Model):
    """One counter of one limit: how many tries in the window that ends at expires_at."""

    __tablename__ = "rate_counters"

    # A keyed hash of the limit's key, which may hold an IP address or a typed e-mail address.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int]
    expires_at: Mapped[float] = mapped_column(Float(53), index=True)  # seconds since 1970, as `limits` counts


def _hashed(key: str) -> str:
    # Keyed with the site's secret: IPv4 addresses are too few for a plain hash to hide them.
    return hmac.new(current_app.config["SECRET_KEY"].encode(), key.encode(), hashlib.sha256).hexdigest()


def _upsert(dialect: str):
    # The dialect's own module, loaded by name: importing PostgreSQL's cost every SQLite worker 30 ms.
    return importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert(RateCounter)


class DatabaseStorage(Storage):
    """A `limits` storage on the app's database, for the fixed-window strategy (Flask-Limiter's default).

    Each call runs in a transaction of its own on a connection of its own, so a count is kept even
    when the request's own transaction is rolled back, and never waits for it.
    """

    STORAGE_SCHEME = ["database"]

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        table = RateCounter.__table__
        expired = table.c.expires_at <= now
        with db.engine.begin() as connection:
            insert = _upsert(connection.dialect.name).values(key=_hashed(key), count=amount, expires_at=now + expiry)
            statement = insert.on_conflict_do_update(index_elements=[table.c.key], set_={
                "count": case((expired, amount), else_=table.c.count + amount),
                "expires_at": case((expired, now + expiry), else_=table.c.expires_at),
            }).returning(table.c.count)
            return connection.execute(statement).scalar_one()

    def _row(self, key: str):
        with db.engine.connect() as connection:
            return connection.execute(db.select(RateCounter.count, RateCounter.expires_at).where(
                RateCounter.key == _hashed(key), RateCounter.expires_at > time.time())).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        with db.engine.connect() as connection:
            connection.execute(db.select(1))
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(db.delete(RateCounter)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(db.delete(RateCounter).where(RateCounter.key == _hashed(key)))


def init_limiter(app) -> None:
    """Flask-Limiter on this app, with the other extensions (before any feature's views)."""
    # DatabaseStorage registered its scheme when this module was imported.
    limiter.init_app(app)


def init_app(app) -> None:
    """The counters' place in the processing register and in the daily purge."""
    hook = hooks(app)
    hook.processing(PROCESSING)
    hook.purger("rate counters", purge_rate_counters)


PROCESSING = Processing(
    name=_l("Pogingen tellen"),
    purpose=_l("Te veel pogingen stoppen: verkeerde wachtwoorden en codes, en veel signalen van één adres kort na "
               "elkaar."),
    people=_l("Wie inlogt of een signaal stuurt"),
    data=_l("Per IP-adres of getypt e-mailadres: hoe vaak, en tot wanneer dat telt. Het adres zelf staat er niet in, "
            "alleen een versleutelde vorm ervan. Niet bij welk signaal het hoort."),
    recipients=_l("Niemand: alleen de website zelf gebruikt dit"),
    retention=lambda config: _lm("Tot de telling voorbij is (hoogstens %(hours)s uur), en dan tot de dagelijkse "
                                 "opruiming.", hours=int(config["LOGIN_FAILURE_WINDOW"].total_seconds() // 3600)),
)


def purge_rate_counters(now: datetime, dry_run: bool) -> int:
    """Counters whose window ended: they count nothing any more (a new try starts a new one)."""
    return delete_rows(RateCounter, RateCounter.expires_at <= now.timestamp(), dry_run)
