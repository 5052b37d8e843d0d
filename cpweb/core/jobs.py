"""Scheduled jobs remember what they did, so running one twice (or from two cron lines) sends nothing twice."""
import fcntl
import os
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .database import UTCDateTime, utcnow
from .extensions import db
from .hooks import CronJob, hooks


class JobRun(db.Model):
    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(40))  # e.g. the day a digest covers
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def claim(job: str, key: str) -> bool:
    """True for the first caller only; commits the claim before the job does its work."""
    db.session.add(JobRun(job=job, key=key))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def job_context():
    """A request context for jobs run from cron, so mailed links carry the site's own address."""
    return current_app.test_request_context(base_url=current_app.config["SITE_URL"])


# --- `flask --app app cpweb cron` runs every job the features registered (hooks.cron_job) --------

def cron_jobs() -> list[CronJob]:
    return list(hooks().cron_jobs.values())


def period_key(every: timedelta, now: datetime) -> str:
    """The start of the period `now` falls in, counted from the Unix epoch in UTC (days start at 00:00 UTC)."""
    seconds = int(every.total_seconds())
    start = int(now.timestamp()) // seconds * seconds
    return datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%dT%H:%M")


def _unclaim(job: str, key: str) -> None:
    db.session.execute(db.delete(JobRun).filter_by(job=job, key=key))
    db.session.commit()


def run_cron_jobs(now: datetime | None = None, echo=print) -> list[str]:
    """Run every registered job once, each in a job_context(); returns the names that failed.

    A failing job is logged with its traceback and does not stop the others; a periodic job that
    failed gives back its claim, so the next run (5 minutes later) tries it again.
    """
    now = now or utcnow()
    failed = []
    for job in cron_jobs():
        claimed = None
        if job.every is not None:
            claimed = (f"cron:{job.name}"[:40], period_key(job.every, now))
            if not claim(*claimed):
                continue
        try:
            with job_context():
                if isinstance(job.fn, click.Command):
                    with click.Context(job.fn, info_name=job.name) as ctx:
                        ctx.invoke(job.fn)  # with the defaults of its options
                else:
                    job.fn()
            db.session.commit()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("cron job %s failed", job.name)
            echo(f"{job.name}: mislukt (zie het logboek)")
            failed.append(job.name)
            if claimed:
                _unclaim(*claimed)
    return failed


class CronLocked(Exception):
    """Another `cpweb cron` holds the lock."""


@contextmanager
def cron_lock(path: Path):
    """An exclusive lock on a file (fcntl.flock): the kernel lets it go when the process ends, also
    after kill -9, so a crashed run never blocks the next one. Raises CronLocked at once when held."""
    with open(path, "a+") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.seek(0)
            raise CronLocked(lock_file.read().strip()) from None
        try:
            lock_file.seek(0)
            lock_file.truncate()
            lock_file.write(f"pid {os.getpid()} sinds {utcnow():%Y-%m-%d %H:%M:%S} UTC\n")
            lock_file.flush()
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
