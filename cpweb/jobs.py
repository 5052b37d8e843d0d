"""Scheduled jobs remember what they did, so running one twice (or from two cron lines) sends nothing twice."""
from datetime import datetime

from flask import current_app
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .database import UTCDateTime, utcnow
from .extensions import db


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
