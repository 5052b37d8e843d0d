"""The `flask --app app cpweb` commands."""
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from cpweb.auth.models import User
from cpweb.bodies.models import Body, Organisation
from cpweb.core.audit import AuditEntry, record
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from tests.conftest import make_test_app

ROOT = Path(__file__).resolve().parents[1]


def test_init_creates_the_schema_and_is_repeatable(tmp_path, monkeypatch):
    app = make_test_app(tmp_path, monkeypatch)
    runner = app.test_cli_runner()
    assert "Database is klaar." in runner.invoke(args=["cpweb", "init"]).output
    assert runner.invoke(args=["cpweb", "init"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_demo_fills_a_region_once_and_prints_the_login(app, runner):
    first = runner.invoke(args=["cpweb", "demo"])
    assert first.exit_code == 0, first.output
    assert "beheerder@example.org" in first.output and "wachtwoord: demo-" in first.output
    assert "Ga naar http://localhost/inloggen" in first.output  # SITE_URL's, whatever it is
    counts = (db.session.scalar(db.select(db.func.count()).select_from(Body)),
              db.session.scalar(db.select(db.func.count()).select_from(User)))
    second = runner.invoke(args=["cpweb", "demo"])
    assert second.output == first.output
    assert counts == (db.session.scalar(db.select(db.func.count()).select_from(Body)),
                      db.session.scalar(db.select(db.func.count()).select_from(User)))
    assert counts[0] >= 3
    municipalities = db.session.scalars(db.select(Organisation).filter_by(kind="gemeente")).all()
    assert len(municipalities) == 8
    roles = set(db.session.scalars(db.select(User.role)))
    assert roles == {"beheerder", "secretaris", "lid"}


def test_demo_login_works(app, runner):
    runner.invoke(args=["cpweb", "demo"])
    password = (Path(app.instance_path) / "demo-login.txt").read_text()
    client = app.test_client()
    response = client.post("/inloggen", data={"email": "secretaris@example.org", "password": password})
    assert response.status_code == 303


def test_create_user_with_password_from_stdin(app, runner, make_body):
    body = make_body()
    result = runner.invoke(args=["cpweb", "create-user", "Nieuw@Example.org", "--name", "Nieuw Lid",
                                 "--role", "secretaris", "--body", body.slug, "--password-stdin"],
                           input="een-sterk-wachtwoord\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(email="nieuw@example.org"))
    assert user.check_password("een-sterk-wachtwoord") and user.role == "secretaris" and user.body_ids == {body.id}
    assert db.session.scalar(db.select(AuditEntry.action).filter_by(subject_id=user.id)) == "created"


def test_create_user_without_password_sends_an_invitation(app, runner, mails):
    result = runner.invoke(args=["cpweb", "create-user", "uitgenodigd@example.org", "--name", "Uitgenodigd"])
    assert result.exit_code == 0 and "uitnodiging" in result.output
    assert mails[-1].to == "uitgenodigd@example.org"


def test_create_user_refuses_bad_input(app, runner, make_user):
    existing = make_user()
    assert runner.invoke(args=["cpweb", "create-user", existing.email, "--name", "X"]).exit_code != 0
    weak = runner.invoke(args=["cpweb", "create-user", "a@example.org", "--name", "X", "--password-stdin"], input="kort\n")
    assert weak.exit_code != 0 and "minstens 10 tekens" in weak.output
    assert runner.invoke(args=["cpweb", "create-user", "b@example.org", "--name", "X", "--role", "baas"]).exit_code != 0
    assert runner.invoke(args=["cpweb", "create-user", "c@example.org", "--name", "X", "--body", "nope"]).exit_code != 0


def test_purge_removes_old_audit_entries_and_stale_invitations(app, runner, make_user):
    old_invitee = make_user(password=None, invited_at=utcnow() - timedelta(days=31))
    fresh_invitee = make_user(password=None, invited_at=utcnow() - timedelta(days=2))
    record("role_changed", subject=fresh_invitee).at = utcnow() - timedelta(days=800)
    record("role_changed", subject=fresh_invitee)
    db.session.commit()
    old_id = old_invitee.id

    dry = runner.invoke(args=["cpweb", "purge", "--dry-run"])
    assert "audit log: 1 zou verwijderen" in dry.output and "unused invitations: 1 zou verwijderen" in dry.output
    assert db.session.get(User, old_id) is not None

    result = runner.invoke(args=["cpweb", "purge"])
    assert "audit log: 1 verwijderd" in result.output and "unused invitations: 1 verwijderd" in result.output
    db.session.expire_all()
    assert db.session.get(User, old_id) is None
    assert db.session.get(User, fresh_invitee.id) is not None
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 1


def test_create_user_as_the_readme_shows_it_mails_a_link_from_site_url(tmp_path):
    """Run as a separate `flask` process, as in production: no request, no SERVER_NAME. Two such
    processes start (init and create-user), so this takes a few seconds."""
    env = {**os.environ, "CPWEB_INSTANCE": str(tmp_path), "CPWEB_SITE_URL": "https://raad.example.nl"}
    env.pop("CPWEB_DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "app", "cpweb"]
    subprocess.run([*flask, "init"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    result = subprocess.run([*flask, "create-user", "karin@example.org", "--name", "Karin Bakker", "--role", "lid"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # The console backend writes the mail to the log.
    assert "https://raad.example.nl/wachtwoord/invitation/" in result.stdout + result.stderr
