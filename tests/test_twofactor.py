"""The second factor: setting up the app, codes accepted once, recovery codes, passkeys, the
requirement for admins and secretaries, an admin's reset, and a mail on every change."""
import json
import re
import time

import pyotp
import pytest

from cpweb import create_app
from cpweb.auth.models import LoginSession, Passkey, RecoveryCode
from cpweb.core.audit import AuditEntry
from cpweb.core.extensions import db, limiter
from tests.conftest import PASSWORD
from tests.webauthn_authenticator import SoftPasskey


@pytest.fixture(autouse=True)
def required_for_admins_and_secretaries(app):
    app.config["TWO_FACTOR_ROLES"] = ["beheerder", "secretaris"]


def away_from_a_step_change():
    """Codes change every 30 seconds: a test that counts steps starts well inside one."""
    if time.time() % 30 > 28:
        time.sleep(30 - time.time() % 30 + 0.1)


def code(secret: str, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps)


def password_step(client, user, **extra):
    return client.post("/inloggen", data={"email": user.email, "password": PASSWORD, **extra})


def with_app(make_user, role="lid", **fields):
    user = make_user(role=role, **fields)
    user.totp_secret = pyotp.random_base32()
    db.session.commit()
    return user


def logged_in(client) -> bool:
    return client.get("/profiel").status_code == 200


def set_up_app(client):
    """Scan the setup page's key (as the QR code holds it) and confirm with a code; returns (key, page)."""
    page = client.get("/profiel/tweede-stap/app").text
    key = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    response = client.post("/profiel/tweede-stap/app", data={"code": code(key)})
    return key, response


# --- required for admins and secretaries --------------------------------------------------------

@pytest.mark.parametrize("role", ["beheerder", "secretaris"])
def test_a_required_role_without_a_factor_is_led_to_setup_and_not_logged_in(client, make_user, role):
    user = make_user(role=role)
    response = password_step(client, user)
    assert response.status_code == 303 and response.headers["Location"] == "/profiel/tweede-stap/app"
    for path in ["/", "/profiel", "/beheer/", "/signalen", "/inloggen/code"]:
        answer = client.get(path)
        assert answer.status_code == 303 and answer.headers["Location"] == "/profiel/tweede-stap/app", path
    htmx = client.get("/signalen", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"] == "/profiel/tweede-stap/app"
    with client.get("/static/css/site.css") as static:
        assert static.status_code == 200
    assert client.get("/healthz").status_code == 200
    assert db.session.scalar(db.select(LoginSession)) is None, "not logged in halfway"
    page = client.get("/profiel/tweede-stap/app")
    assert page.status_code == 200 and "is voor uw rol een tweede stap verplicht" in page.text


def test_logging_out_during_setup_ends_the_half_login(client, make_user):
    password_step(client, make_user(role="beheerder"))
    assert client.post("/uitloggen").status_code == 303
    assert client.get("/").status_code == 200
    assert client.get("/profiel/tweede-stap/app").headers["Location"] == "/inloggen"


def test_a_plain_member_logs_in_with_the_password_alone(client, make_user):
    user = make_user()
    assert password_step(client, user).headers["Location"] == "/"
    assert logged_in(client)


def test_switched_off_with_an_empty_list(app, client, make_user):
    app.config["TWO_FACTOR_ROLES"] = []
    assert password_step(client, make_user(role="beheerder")).headers["Location"] == "/"


def test_the_setting_is_read_as_json_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CPWEB_INSTANCE", str(tmp_path))
    monkeypatch.setenv("CPWEB_TWO_FACTOR_ROLES", "[]")
    assert create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"}).config["TWO_FACTOR_ROLES"] == []
    monkeypatch.setenv("CPWEB_TWO_FACTOR_ROLES", '["beheerder"]')
    assert create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"}).config["TWO_FACTOR_ROLES"] == ["beheerder"]


def test_a_logged_in_member_whose_role_now_needs_it_is_led_to_setup(client, auth):
    user = auth.login(role="lid")
    user.role = "secretaris"
    db.session.commit()
    assert client.get("/").headers["Location"] == "/profiel/tweede-stap/app"
    # Logged in, so the setup asks for the password first (a borrowed login cannot set up its own app).
    with client.session_transaction() as session:
        session.pop("password_confirmed")
    assert client.get("/profiel/tweede-stap/app").headers["Location"].startswith("/profiel/tweede-stap/bevestigen")
    assert client.post("/profiel/tweede-stap/bevestigen?next=/profiel/tweede-stap/app",
                       data={"password": PASSWORD}).headers["Location"] == "/profiel/tweede-stap/app"
    key, response = set_up_app(client)
    assert response.status_code == 200 and client.get("/").status_code == 200


# --- setting up the app ---------------------------------------------------------------------------

def test_setup_page_has_a_local_qr_code_the_key_as_text_and_a_one_time_code_field(client, make_user):
    password_step(client, make_user(role="beheerder"))
    page = client.get("/profiel/tweede-stap/app").text
    assert '<svg role="img"' in page
    link = re.search(r'<a class="button button-secondary" href="(otpauth://totp/[^"]+)">Open de app op deze telefoon</a>',
                     page).group(1)
    key = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page).group(1)
    assert len(key.replace(" ", "")) == 32 and f"secret={key.replace(' ', '')}" in link  # the same key as the QR code
    field = re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field
    assert "<script>" not in page and "style=" not in page
    # A reload keeps the key the app may have scanned already.
    assert key in client.get("/profiel/tweede-stap/app").text


def session_cookie(app, client) -> str:
    """The browser's session as the browser holds it: signed, so readable by anyone who has it."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return json.dumps(app.session_interface.get_signing_serializer(app).loads(cookie.value)) if cookie else ""


def test_the_key_being_set_up_stays_on_the_server_and_never_in_the_cookie(app, client, make_user):
    """N4 of issue 33: the cookie is signed, not encrypted; once confirmed the key is the account's
    second factor for good. Kept with the member until the first right code, then moved."""
    user = make_user(role="beheerder")
    password_step(client, user)
    key = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>',
                    client.get("/profiel/tweede-stap/app").text).group(1).replace(" ", "")
    assert user.totp_pending_secret == key and user.totp_secret is None
    assert client.post("/profiel/tweede-stap/app", data={"code": "000000"}).status_code == 422
    assert key not in session_cookie(app, client) and "pending_login" in session_cookie(app, client)
    response = client.post("/profiel/tweede-stap/app", data={"code": code(key)})
    assert response.status_code == 200 and logged_in(client)
    assert user.totp_secret == key and user.totp_pending_secret is None and user.totp_pending_until is None
    assert key not in session_cookie(app, client)


def test_an_expired_key_starts_the_setup_again_with_a_message(app, client, make_user, monkeypatch):
    """After TWO_FACTOR_SETUP_TIME a code for the old key is not tried: a new key, and why."""
    import cpweb.auth.twofactor_views
    from cpweb.core.database import utcnow

    user = make_user(role="beheerder")
    password_step(client, user)
    old = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>',
                    client.get("/profiel/tweede-stap/app").text).group(1).replace(" ", "")
    later = utcnow() + app.config["TWO_FACTOR_SETUP_TIME"]
    monkeypatch.setattr(cpweb.auth.twofactor_views, "utcnow", lambda: later)
    response = client.post("/profiel/tweede-stap/app", data={"code": code(old)})
    assert response.status_code == 422 and "De sleutel werkt maar 15 minuten" in response.text
    assert user.totp_secret is None and user.totp_pending_secret not in (None, old)
    assert user.totp_pending_secret.replace(" ", "") in response.text.replace(" ", "")
    # Missing altogether (set up in another window meanwhile, or wiped): the same.
    user.totp_pending_secret = None
    db.session.commit()
    assert "De sleutel werkt maar 15 minuten" in client.post("/profiel/tweede-stap/app", data={"code": "123456"}).text
    # Opening the page again after the time: a new key, and the same words.
    later += app.config["TWO_FACTOR_SETUP_TIME"]
    page = client.get("/profiel/tweede-stap/app")
    assert page.status_code == 200 and "De sleutel werkt maar 15 minuten" in page.text


def test_the_daily_purge_clears_keys_that_expired_unused(app, make_user):
    from cpweb.auth import twofactor
    from cpweb.core.database import utcnow

    now = utcnow()
    fresh, stale = make_user(), make_user()
    twofactor.key_being_set_up(fresh, now)
    twofactor.key_being_set_up(stale, now - app.config["TWO_FACTOR_SETUP_TIME"])
    assert twofactor.purge_unused_setup_keys(now, dry_run=True) == 1
    assert twofactor.purge_unused_setup_keys(now, dry_run=False) == 1
    db.session.commit()
    assert stale.totp_pending_secret is None and fresh.totp_pending_secret is not None


def test_setup_with_the_right_code_shows_ten_recovery_codes_once_and_logs_in(client, make_user, mails):
    user = make_user(role="secretaris")
    password_step(client, user, next="/signalen")
    client.post("/profiel/tweede-stap/app", data={"code": "000000"})
    assert user.totp_secret is None
    key, response = set_up_app(client)
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", response.text)
    assert response.status_code == 200 and len(set(codes)) == 10
    assert user.totp_secret == key and logged_in(client)
    stored = db.session.scalars(db.select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored), "only hashes are kept"
    assert "ingesteld" in mails[-1].body and mails[-1].to == user.email
    assert db.session.scalar(db.select(AuditEntry.action).filter_by(subject_id=user.id)) == "two_factor_on"
    assert "Ik heb de codes bewaard" in response.text


def test_setup_ends_other_logins_that_had_only_the_password(app, client, auth):
    user = auth.login(role="lid")
    other = app.test_client()
    other.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert logged_in(other)
    set_up_app(client)
    assert logged_in(client) and not logged_in(other)


# --- logging in with the code ---------------------------------------------------------------------

def test_a_code_is_accepted_once(app, client, make_user):
    away_from_a_step_change()
    user = with_app(make_user, role="beheerder")
    assert password_step(client, user).headers["Location"] == "/inloggen/code"
    assert not logged_in(client)
    first = code(user.totp_secret)
    assert client.post("/inloggen/code", data={"code": first}).status_code == 303
    assert logged_in(client)
    again = app.test_client()
    password_step(again, user)
    replay = again.post("/inloggen/code", data={"code": first})
    assert replay.status_code == 422 and "werkt maar één keer" in replay.text
    assert not logged_in(again)


def test_one_step_of_slack_and_no_more(client, make_user):
    away_from_a_step_change()
    user = with_app(make_user)
    password_step(client, user)
    assert client.post("/inloggen/code", data={"code": code(user.totp_secret, -2)}).status_code == 422
    assert client.post("/inloggen/code", data={"code": code(user.totp_secret, +2)}).status_code == 422
    assert client.post("/inloggen/code", data={"code": code(user.totp_secret, -1)}).status_code == 303


def test_an_older_code_after_a_newer_one_is_refused(app, client, make_user):
    away_from_a_step_change()
    user = with_app(make_user)
    password_step(client, user)
    assert client.post("/inloggen/code", data={"code": code(user.totp_secret, +1)}).status_code == 303
    later = app.test_client()
    password_step(later, user)
    assert later.post("/inloggen/code", data={"code": code(user.totp_secret)}).status_code == 422


def test_the_code_step_keeps_stay_logged_in_and_next(client, make_user):
    user = with_app(make_user)
    password_step(client, user, stay_logged_in="y")
    response = client.post("/inloggen/code", data={"code": code(user.totp_secret)})
    assert response.headers["Location"] == "/"
    client2_user = with_app(make_user)
    client.post("/uitloggen")
    client.post("/inloggen?next=/vergaderingen/", data={"email": client2_user.email, "password": PASSWORD})
    assert client.post("/inloggen/code", data={"code": code(client2_user.totp_secret)}).headers["Location"] == "/vergaderingen/"


def test_the_code_page_without_the_password_first_goes_to_login(client):
    assert client.get("/inloggen/code").headers["Location"] == "/inloggen"
    assert client.post("/inloggen/code", data={"code": "123456"}).headers["Location"] == "/inloggen"


def test_a_half_login_ends_after_ten_minutes_and_after_a_new_password(app, client, make_user, monkeypatch):
    user = with_app(make_user)
    password_step(client, user)
    start = time.time()
    monkeypatch.setattr("cpweb.auth.login.time.time", lambda: start + 11 * 60)
    assert client.get("/inloggen/code").headers["Location"] == "/inloggen"
    monkeypatch.undo()
    password_step(client, user)
    user.set_password("een-heel-ander-wachtwoord")
    db.session.commit()
    assert client.post("/inloggen/code", data={"code": code(user.totp_secret)}).headers["Location"] == "/inloggen"


def test_wrong_codes_wait_then_lock_and_tell_the_owner(app, client, make_user, mails):
    app.config.update(LOGIN_FREE_FAILURES=2, LOGIN_LOCK_AFTER=3)
    user = with_app(make_user)
    password_step(client, user)
    statuses = [client.post("/inloggen/code", data={"code": "000000"}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]
    assert client.post("/inloggen/code", data={"code": code(user.totp_secret)}).status_code == 429
    # The wait is over; the third wrong code locks the account and mails its owner.
    limiter.storage.clear(f"login-wait/127.0.0.1/{user.email}")
    assert client.post("/inloggen/code", data={"code": "000000"}).status_code == 422
    assert mails[-1].to == user.email and mails[-1].subject == "Uw account staat even op slot"
    assert "15 minuten" in mails[-1].body


# --- recovery codes -------------------------------------------------------------------------------

def test_a_recovery_code_works_once_and_tells_how_many_are_left(app, client, make_user, mails):
    user = make_user(role="secretaris")
    password_step(client, user)
    key, response = set_up_app(client)
    recovery = re.findall(r"<code>([a-z2-9-]{14})</code>", response.text)
    client.post("/uitloggen")
    password_step(client, user)
    page = client.get("/inloggen/herstelcode").text
    assert 'inputmode="numeric"' not in page  # letters too
    assert client.post("/inloggen/herstelcode", data={"code": recovery[0].upper().replace("-", " ")}).status_code == 303
    assert logged_in(client)
    assert "U heeft nog 9 herstelcodes" in mails[-1].body
    again = app.test_client()
    password_step(again, user)
    refused = again.post("/inloggen/herstelcode", data={"code": recovery[0]})
    assert refused.status_code == 422 and not logged_in(again)
    assert again.post("/inloggen/herstelcode", data={"code": recovery[1]}).status_code == 303


def test_new_recovery_codes_replace_the_old_ones(client, make_user, mails):
    user = make_user()
    password_step(client, user)
    _key, first = set_up_app(client)
    old = re.findall(r"<code>([a-z2-9-]{14})</code>", first.text)
    response = client.post("/profiel/tweede-stap/herstelcodes")
    new = re.findall(r"<code>([a-z2-9-]{14})</code>", response.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert "nieuwe herstelcodes" in mails[-1].body
    client.post("/uitloggen")
    password_step(client, user)
    assert client.post("/inloggen/herstelcode", data={"code": old[0]}).status_code == 422
    assert client.post("/inloggen/herstelcode", data={"code": new[0]}).status_code == 303


def handoff_form(page: str) -> dict:
    """What the codes page sends to the file and the print page."""
    return {"handoff": re.search(r'name="handoff" value="([^"]+)"', page).group(1),
            "code": list(dict.fromkeys(re.findall(r'name="code" value="([a-z2-9-]{14})"', page)))}  # two forms


def test_new_recovery_codes_as_a_file_and_a_page_to_print_right_after(client, make_user):
    user = make_user(email="codes@example.org")
    password_step(client, user)
    _key, response = set_up_app(client)
    assert response.headers["Cache-Control"] == "private, no-store"
    codes = re.findall(r"<code>([a-z2-9-]{14})</code>", response.text)
    form = handoff_form(response.text)
    assert form["code"] == codes
    download = client.post("/profiel/tweede-stap/herstelcodes/bestand", data=form)
    assert download.status_code == 200 and download.mimetype == "text/plain"
    assert download.headers["Content-Disposition"] == 'attachment; filename="herstelcodes.txt"'
    assert download.headers["Cache-Control"] == "private, no-store"
    text = download.get_data(as_text=True)
    assert "Account: codes@example.org\r\n" in text and all(f". {c}\r\n" in text for c in codes)
    printed = client.post("/profiel/tweede-stap/herstelcodes/afdrukken", data=form)
    assert printed.status_code == 200 and printed.headers["Cache-Control"] == "private, no-store"
    assert re.findall(r"<code>([a-z2-9-]{14})</code>", printed.text) == codes and "js/print.js" in printed.text


def test_recovery_codes_are_handed_back_only_as_made_to_their_owner_and_in_time(app, client, make_user, monkeypatch):
    away_from_a_step_change()
    user = make_user()
    password_step(client, user)
    _key, response = set_up_app(client)
    form = handoff_form(response.text)
    file_url = "/profiel/tweede-stap/herstelcodes/bestand"
    for changed in ({"code": form["code"][:9]}, {"code": form["code"][:9] + ["abcd-efgh-jkmn"]},
                    {"handoff": form["handoff"][:-2] + "xx"}, {"handoff": ""}):
        assert client.post(file_url, data={**form, **changed}).status_code == 404
    other = app.test_client()
    password_step(other, make_user())
    assert other.post(file_url, data=form).status_code == 404  # someone else's codes and note
    client.post("/uitloggen")
    assert client.post(file_url, data=form).status_code in (302, 303)  # logged out: to the login page
    password_step(client, user)
    assert client.post("/inloggen/code", data={"code": code(user.totp_secret, 1)}).status_code == 303
    assert client.post(file_url, data=form).status_code == 200
    later = time.time() + 16 * 60
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    assert client.post(file_url, data=form).status_code == 404  # a quarter of an hour on


def test_used_or_replaced_codes_are_not_handed_back(client, make_user):
    user = make_user()
    password_step(client, user)
    _key, first = set_up_app(client)
    form = handoff_form(first.text)
    renewed = client.post("/profiel/tweede-stap/herstelcodes")
    assert client.post("/profiel/tweede-stap/herstelcodes/afdrukken", data=form).status_code == 404
    new = handoff_form(renewed.text)
    client.post("/uitloggen")
    password_step(client, user)
    assert client.post("/inloggen/herstelcode", data={"code": new["code"][0]}).status_code == 303
    assert client.post("/profiel/tweede-stap/herstelcodes/afdrukken", data=new).status_code == 404


# --- the member's own changes -------------------------------------------------------------------

def test_changes_need_the_password_again_after_a_while(client, auth, monkeypatch):
    auth.login()
    start = time.time()
    monkeypatch.setattr("cpweb.auth.login.time.time", lambda: start + 16 * 60)
    response = client.get("/profiel/tweede-stap/app")
    assert response.headers["Location"] == "/profiel/tweede-stap/bevestigen?next=/profiel/tweede-stap/app"
    assert client.post("/profiel/tweede-stap/herstelcodes").headers["Location"].startswith("/profiel/tweede-stap/bevestigen")
    assert client.post("/profiel/tweede-stap/passkey/opties", content_type="application/json").status_code == 403
    wrong = client.post("/profiel/tweede-stap/bevestigen", data={"password": "niet-mijn-wachtwoord"})
    assert wrong.status_code == 422
    right = client.post("/profiel/tweede-stap/bevestigen?next=https://evil.example/", data={"password": PASSWORD})
    assert right.headers["Location"] == "/profiel/tweede-stap"


def test_a_plain_member_may_switch_it_off_a_secretary_may_not(client, make_user, mails):
    member = make_user()
    password_step(client, member)
    set_up_app(client)
    assert "uitzetten" in client.get("/profiel/tweede-stap").text
    client.post("/profiel/tweede-stap/uitzetten")
    assert member.totp_secret is None and db.session.scalar(db.select(RecoveryCode)) is None
    assert "staat uit" in mails[-1].body
    client.post("/uitloggen")
    secretary = make_user(role="secretaris")
    password_step(client, secretary)
    set_up_app(client)
    assert "Tweede stap uitzetten" not in client.get("/profiel/tweede-stap").text
    client.post("/profiel/tweede-stap/uitzetten")
    assert secretary.totp_secret is not None


def test_overview_and_pages_are_for_members_only(client):
    for path in ["/profiel/tweede-stap", "/profiel/tweede-stap/passkey", "/profiel/tweede-stap/bevestigen"]:
        assert client.get(path).headers["Location"].startswith("/inloggen"), path
    for path in ["/profiel/tweede-stap/herstelcodes", "/profiel/tweede-stap/uitzetten",
                 "/profiel/tweede-stap/passkey/1/verwijderen"]:
        assert client.post(path).headers["Location"].startswith("/inloggen"), path


# --- an admin's reset ---------------------------------------------------------------------------

def test_an_admin_resets_a_members_factor_after_confirming(app, client, auth, make_user, mails):
    member = with_app(make_user, role="secretaris")
    other = app.test_client()
    password_step(other, member)
    other.post("/inloggen/code", data={"code": code(member.totp_secret)})
    assert logged_in(other)
    admin = make_user(role="beheerder")
    admin.totp_secret = pyotp.random_base32()
    db.session.commit()
    password_step(client, admin)
    client.post("/inloggen/code", data={"code": code(admin.totp_secret)})
    assert "Tweede stap wissen" in client.get(f"/beheer/leden/{member.id}").text
    confirm = client.get(f"/beheer/leden/{member.id}/tweede-stap")
    assert confirm.status_code == 200 and "Ja, tweede stap wissen" in confirm.text
    assert member.totp_secret is not None, "a GET changes nothing"
    client.post(f"/beheer/leden/{member.id}/tweede-stap")
    assert member.totp_secret is None and not logged_in(other)
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="two_factor_reset"))
    assert (entry.actor_id, entry.subject_id) == (admin.id, member.id)
    assert mails[-1].to == member.email and mails[-1].subject == "De beheerder heeft uw tweede stap gewist"
    password_step(other, member)
    assert other.get("/").headers["Location"] == "/profiel/tweede-stap/app", "set up again at the next login"


def test_reset_is_for_admins_and_not_for_ones_own(client, auth, make_user):
    member = with_app(make_user)
    auth.login(role="lid")
    assert client.post(f"/beheer/leden/{member.id}/tweede-stap").status_code == 403
    assert member.totp_secret is not None


# --- mails on every change ----------------------------------------------------------------------

def test_a_new_password_on_the_profile_is_mailed(client, auth, mails):
    user = auth.login()
    client.post("/profiel/wachtwoord", data={"current_password": PASSWORD, "password": "een-nieuw-lang-wachtwoord",
                                             "password_again": "een-nieuw-lang-wachtwoord"})
    assert mails[-1].to == user.email and mails[-1].subject == "Uw wachtwoord is gewijzigd"
    assert "Deed u dit niet?" in mails[-1].body


def test_a_reset_link_is_mailed_about_and_still_asks_for_the_second_step(client, make_user, mails):
    from cpweb.auth import tokens

    user = with_app(make_user)
    link = f"/wachtwoord/password-reset/{tokens.make_token(user, tokens.PASSWORD_RESET)}"
    response = client.post(link, data={"password": "een-nieuw-lang-wachtwoord", "password_again": "een-nieuw-lang-wachtwoord"})
    assert response.headers["Location"] == "/inloggen/code"
    assert not logged_in(client)
    assert mails[-1].subject == "Uw wachtwoord is gewijzigd"
    assert client.post("/inloggen/code", data={"code": code(user.totp_secret)}).status_code == 303


# --- passkeys -----------------------------------------------------------------------------------

def register_passkey(client, passkey: SoftPasskey, name="Mijn telefoon"):
    options = client.post("/profiel/tweede-stap/passkey/opties", content_type="application/json").get_json()
    return client.post("/profiel/tweede-stap/passkey", data=json.dumps({"name": name, "credential": passkey.create(options)}),
                       content_type="application/json")


def test_a_passkey_is_registered_named_and_logs_in(app, client, make_user, mails):
    user = make_user(role="beheerder")
    password_step(client, user)
    set_up_app(client)
    assert "Passkey maken" in client.get("/profiel/tweede-stap/passkey").text
    passkey = SoftPasskey()
    response = register_passkey(client, passkey)
    assert response.status_code == 200 and response.get_json() == {"redirect": "/profiel/tweede-stap"}
    stored = db.session.scalar(db.select(Passkey))
    assert stored.name == "Mijn telefoon" and stored.user_id == user.id
    assert "passkey" in mails[-1].body and "Mijn telefoon" in mails[-1].body
    assert "Mijn telefoon" in client.get("/profiel/tweede-stap").text

    browser = app.test_client()
    password_step(browser, user)
    assert "passkeys.js" in browser.get("/inloggen/code").text
    options = browser.post("/inloggen/passkey/opties").get_json()
    assert options["allowCredentials"][0]["id"] == stored.credential_id.hex() or options["allowCredentials"]
    answer = passkey.get(options)
    response = browser.post("/inloggen/passkey", data=json.dumps(answer), content_type="application/json")
    assert response.get_json() == {"redirect": "/"} and logged_in(browser)
    assert stored.sign_count == 1 and stored.last_used_at is not None
    # The same answer again (its challenge is used up) opens nothing.
    again = app.test_client()
    password_step(again, user)
    again.post("/inloggen/passkey/opties")
    replay = again.post("/inloggen/passkey", data=json.dumps(answer), content_type="application/json")
    assert replay.status_code == 400 and not logged_in(again)


def test_a_passkey_from_another_site_or_another_member_is_refused(app, client, make_user):
    user = make_user()
    password_step(client, user)
    set_up_app(client)
    phished = SoftPasskey(origin="http://evil.example")
    assert register_passkey(client, phished).status_code == 400
    assert db.session.scalar(db.select(Passkey)) is None
    mine = SoftPasskey()
    register_passkey(client, mine)
    stranger = with_app(make_user)
    browser = app.test_client()
    password_step(browser, stranger)
    options = browser.post("/inloggen/passkey/opties").get_json()
    response = browser.post("/inloggen/passkey", data=json.dumps(mine.get(options)), content_type="application/json")
    assert response.status_code == 400 and not logged_in(browser)


def test_a_passkey_needs_a_name_and_the_app_first_and_is_removed_by_its_owner_only(app, client, make_user):
    user = make_user()
    password_step(client, user)
    assert client.get("/profiel/tweede-stap/passkey").headers["Location"] == "/profiel/tweede-stap"
    assert client.post("/profiel/tweede-stap/passkey/opties", content_type="application/json").status_code == 403
    set_up_app(client)
    assert register_passkey(client, SoftPasskey(), name="  ").get_json()["error"].startswith("Geef de passkey een naam")
    register_passkey(client, SoftPasskey())
    passkey = db.session.scalar(db.select(Passkey))
    other = app.test_client()
    password_step(other, make_user())
    assert other.post(f"/profiel/tweede-stap/passkey/{passkey.id}/verwijderen").status_code == 404
    assert client.post(f"/profiel/tweede-stap/passkey/{passkey.id}/verwijderen").status_code == 303
    assert db.session.scalar(db.select(Passkey)) is None
