"""`cpweb cron`: every registered job, once per period, never two runs at once."""
import os
import signal
import subprocess
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from cpweb.core.audit import AuditEntry, record
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.hooks import hooks
from cpweb.core.i18n import local_today
from cpweb.core.jobs import JobRun, cron_jobs, cron_lock, period_key, run_cron_jobs
from cpweb.meetings import logic, rules

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def due_meeting(app, make_body, make_user):
    """A meeting tomorrow with one member: its reminder is due."""
    body = make_body()
    make_user(bodies=[body])
    start = datetime.combine(local_today() + timedelta(days=1), time(19, 30))
    meeting = logic.create_meetings(body.id, [start.date()], {
        "title": "Vergadering", "kind": rules.REGULAR, "location": "Werkplein", "online_url": "",
        "visibility": rules.MEMBERS, "start": time(19, 30), "end": time(21, 0)},
        publish_at=utcnow() - timedelta(hours=1))[0]
    db.session.commit()
    return meeting


def test_the_jobs_are_registered(app):
    jobs = {job.name: job.every for job in cron_jobs()}
    assert jobs.items() >= {"send-reminders": None, "signals-digest": timedelta(days=1),
                            "purge": timedelta(days=1), "advice-digest": timedelta(days=1),
                            "sweep-uploads": timedelta(hours=1), "sweep-parts": None}.items()


def test_cron_runs_each_job_and_a_second_run_repeats_nothing(app, runner, due_meeting, make_user, mails):
    old = record("role_changed", subject=make_user())
    old.at = utcnow() - timedelta(days=800)
    db.session.commit()

    first = runner.invoke(args=["cpweb", "cron"])
    assert first.exit_code == 0, first.output
    assert "send-reminders: " in first.output
    assert "signals-digest " in first.output
    assert "audit log: 1 verwijderd" in first.output
    assert len(mails) == 1 and mails[0].subject.startswith("Herinnering")
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 0

    second = runner.invoke(args=["cpweb", "cron"])
    assert second.exit_code == 0, second.output
    assert "send-reminders: " in second.output  # runs each time, and sends nothing twice
    assert "signals-digest" not in second.output and "audit log" not in second.output
    assert "advice-digest" in first.output and "advice-digest" not in second.output
    assert len(mails) == 1
    assert set(db.session.scalars(db.select(JobRun.job))) >= {"cron:signals-digest", "cron:purge"}


def test_daily_jobs_run_again_the_next_day(app, capsys):
    today = utcnow()
    run_cron_jobs(today)
    run_cron_jobs(today + timedelta(minutes=5))
    run_cron_jobs(today + timedelta(days=1))
    output = capsys.readouterr().out
    assert output.count("audit log:") == 2 and output.count("send-reminders:") == 3


def test_period_key_starts_days_at_midnight_utc():
    from datetime import UTC
    assert period_key(timedelta(days=1), datetime(2026, 3, 5, 23, 59, tzinfo=UTC)) == "2026-03-05T00:00"
    assert period_key(timedelta(hours=1), datetime(2026, 3, 5, 23, 59, tzinfo=UTC)) == "2026-03-05T23:00"


def test_a_failing_job_is_logged_gives_back_its_claim_and_the_others_still_run(app, runner, caplog):
    def broken():
        raise RuntimeError("kapot")

    hooks(app).cron_job("broken", broken, every=timedelta(days=1))
    result = runner.invoke(args=["cpweb", "cron"])
    assert result.exit_code == 1
    assert "broken: mislukt" in result.output and "send-reminders:" in result.output
    assert "RuntimeError: kapot" in caplog.text
    assert db.session.scalar(db.select(JobRun).filter_by(job="cron:broken")) is None
    assert db.session.scalar(db.select(JobRun).filter_by(job="cron:purge")) is not None


def test_jobs_mail_links_with_the_site_address(app, monkeypatch):
    from cpweb.web.urls import site_url

    seen = []
    monkeypatch.setitem(app.config, "SITE_URL", "https://raad.example.nl")
    monkeypatch.setitem(app.config, "SERVER_NAME", None)  # as in production
    hooks(app).cron_jobs.clear()  # this app runs only the job below
    hooks(app).cron_job("link", lambda: seen.append(site_url("pages.home")))
    run_cron_jobs()
    assert seen == ["https://raad.example.nl/"]


def test_a_second_cron_while_one_runs_skips_with_exit_code_0(app, tmp_path):
    """A real second `flask cron` process, which imports the app: a second or more."""
    env = {**os.environ, "CPWEB_INSTANCE": str(tmp_path)}
    with cron_lock(tmp_path / "cron.lock"):
        second = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "cpweb", "cron"], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    assert "cron draait al (pid " in second.stdout and "overgeslagen" in second.stdout
    assert "send-reminders" not in second.stdout


def test_the_lock_is_free_again_after_kill_9(tmp_path):
    lock = tmp_path / "cron.lock"
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a');"
                               "fcntl.flock(f, fcntl.LOCK_EX); print('x', flush=True); time.sleep(60)", str(lock)],
                              stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == b"x\n"
        from cpweb.core.jobs import CronLocked
        with pytest.raises(CronLocked):
            with cron_lock(lock):
                pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        holder.stdout.close()
    with cron_lock(lock):
        pass
