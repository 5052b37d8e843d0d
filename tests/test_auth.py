"""Logging in and out, invitations, password resets, the profile page."""
import re

import pytest

from cpweb.auth import tokens
from cpweb.auth.passwords import password_problem
from cpweb.core.extensions import db
from tests.conftest import PASSWORD, make_test_app


def link_in(mail) -> str:
    return re.search(r"http://localhost(/\S+)", mail.body).group(1)


def test_login_page_has_the_promised_fields(client):
    html = client.get("/inloggen").text
    assert 'name="email"' in html and 'name="password"' in html
    assert "<h1>Inloggen</h1>" in html


def test_login_with_the_right_password_goes_home(client, make_user):
    user = make_user()
    response = client.post("/inloggen", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert user.name in client.get("/").text
    assert user.last_login_at is not None


def test_login_lasts_beyond_the_browser_only_when_asked(app, make_user):
    user = make_user()
    short = app.test_client().post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert "Expires" not in short.headers["Set-Cookie"]
    long = app.test_client().post("/inloggen", data={"email": user.email, "password": PASSWORD, "stay_logged_in": "y"})
    assert "Expires" in long.headers["Set-Cookie"]


def test_wrong_password_gives_a_dutch_message_and_keeps_the_email(client, make_user):
    user = make_user()
    response = client.post("/inloggen", data={"email": user.email, "password": "niet-goed-123"})
    assert response.status_code == 422
    assert "Het e-mailadres of het wachtwoord klopt niet" in response.text
    assert f'value="{user.email}"' in response.text
    assert "<title>Fout: Inloggen" in response.text


def test_unknown_address_gets_the_same_message_as_a_wrong_password(client):
    response = client.post("/inloggen", data={"email": "onbekend@example.org", "password": "iets-langs-123"})
    assert "Het e-mailadres of het wachtwoord klopt niet" in response.text


def test_empty_login_form_says_what_to_fill_in(client):
    response = client.post("/inloggen", data={"email": "", "password": ""})
    assert "Vul een e-mailadres in." in response.text
    assert "Vul uw wachtwoord in." in response.text
    assert 'href="#email"' in response.text  # the summary links to the field


def test_deactivated_member_cannot_log_in(client, make_user):
    user = make_user(is_active_member=False)
    response = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 422
    assert "Uw account staat uit" in response.text


def test_deactivation_ends_an_open_session(client, auth):
    user = auth.login()
    user.is_active_member = False
    db.session.commit()
    assert client.get("/profiel").status_code == 303


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "http:/evil.example", "javascript:alert(1)",
    "evil.example", "/%0d%0aLocation:%20https://evil.example",
])
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user()
    response = client.post("/inloggen", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil.example" not in location or location.startswith("/%")


def test_next_to_a_local_page_is_followed(client, make_user):
    user = make_user()
    response = client.post("/inloggen?next=/profiel", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/profiel"


def test_wrong_passwords_for_one_account_soon_give_a_dutch_429_that_keeps_the_address(client, make_user):
    user = make_user()
    statuses = [client.post("/inloggen", data={"email": user.email, "password": f"fout-{i}-wachtwoord"}).status_code
                for i in range(7)]
    assert statuses == [422] * 5 + [429] * 2
    response = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})  # also the right one
    assert response.status_code == 429
    # A loaded machine may take a few seconds over the eight tries: the wait counts down from 15.
    assert re.search(r"Wacht 1[0-5] seconden", response.text) and '<html lang="nl">' in response.text
    assert f'value="{user.email}"' in response.text
    assert 0 < int(response.headers["Retry-After"]) <= 15


def test_successful_logins_do_not_use_up_the_limit(client, make_user):
    user = make_user()
    for _ in range(12):
        assert client.post("/inloggen", data={"email": user.email, "password": PASSWORD}).status_code == 303
        client.post("/uitloggen")


def test_logout_needs_a_post_and_ends_the_session(client, auth):
    auth.login()
    assert "Wilt u uitloggen?" in client.get("/uitloggen").text
    assert client.get("/profiel").status_code == 200
    response = client.post("/uitloggen")
    assert response.status_code == 303
    assert client.get("/profiel").status_code == 303



def test_logout_leaves_nothing_of_the_login_for_the_next_person(client, auth):
    auth.login()
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Het stuk hoort nu bij de vergadering van de raad.")]
    client.post("/uitloggen")
    page = client.get("/").text
    assert "U bent uitgelogd." in page
    assert "hoort nu bij" not in page

# --- logins end on the server -----------------------------------------------------------------

def login_cookie(client) -> str:
    return client.get_cookie("session").value


def opens_profile(app, cookie: str) -> bool:
    """Whether a browser holding a copy of this cookie gets in."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/profiel").status_code == 200


@pytest.mark.parametrize("stay_logged_in", [False, True])
def test_a_cookie_copied_before_logout_opens_nothing_afterwards(app, client, make_user, stay_logged_in):
    user = make_user()
    data = {"email": user.email, "password": PASSWORD} | ({"stay_logged_in": "y"} if stay_logged_in else {})
    client.post("/inloggen", data=data)
    copied = login_cookie(client)
    assert opens_profile(app, copied)  # the copy works while the login runs
    client.post("/uitloggen")
    assert not opens_profile(app, copied)
    assert client.get("/profiel").status_code == 303


def test_logging_out_on_one_device_keeps_the_other(app, client, auth):
    user = auth.login()
    phone = app.test_client()
    phone.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    client.post("/uitloggen")
    assert phone.get("/profiel").status_code == 200


def test_the_server_keeps_only_a_hash_of_the_key(app, client, auth):
    from cpweb.auth.models import LoginSession
    from cpweb.auth.sessions import COOKIE_KEY

    user = auth.login()
    with client.session_transaction() as session:
        key = session[COOKIE_KEY]
    [login] = db.session.scalars(db.select(LoginSession)).all()
    assert login.user_id == user.id and key not in login.key_hash and len(key) >= 40


def test_a_new_password_from_a_reset_link_ends_every_other_login(app, client, make_user, mails):
    user = make_user()
    laptop = app.test_client()
    laptop.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    client.post("/wachtwoord-vergeten", data={"email": user.email})
    client.post(link_in(mails[-1]), data={"password": "paarse-olifant-fiets", "password_again": "paarse-olifant-fiets"})
    assert client.get("/profiel").status_code == 200
    assert laptop.get("/profiel").status_code == 303


def test_a_deactivated_account_switched_on_again_starts_without_its_old_logins(app, client, auth, make_user):
    member = make_user()
    phone = app.test_client()
    phone.post("/inloggen", data={"email": member.email, "password": PASSWORD})
    auth.login(role="beheerder")
    client.post(f"/beheer/leden/{member.id}/actief", data={"actief": "nee"})
    client.post(f"/beheer/leden/{member.id}/actief", data={"actief": "ja"})
    assert member.is_active and phone.get("/profiel").status_code == 303


def test_a_login_unused_for_longer_than_the_limit_has_ended_and_is_purged(app, client, auth):
    from datetime import timedelta

    from cpweb.auth.models import LoginSession
    from cpweb.core.database import utcnow
    from cpweb.core.retention import run_purge

    auth.login()
    login = db.session.scalar(db.select(LoginSession))
    limit = app.config["PERMANENT_SESSION_LIFETIME"]
    login.last_seen_at = utcnow() - limit + timedelta(minutes=5)
    db.session.commit()
    assert run_purge(utcnow(), dry_run=True)["logins"] == 0
    assert client.get("/profiel").status_code == 200  # used again: the limit starts over
    assert login.last_seen_at > utcnow() - timedelta(minutes=1)
    login.last_seen_at = utcnow() - limit - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/profiel").status_code == 303
    assert run_purge(utcnow())["logins"] == 1 and db.session.scalar(db.select(LoginSession)) is None


def test_last_use_is_written_at_most_once_an_hour(client, auth):
    from datetime import timedelta

    from cpweb.auth.models import LoginSession
    from cpweb.core.database import utcnow

    auth.login()
    login = db.session.scalar(db.select(LoginSession))
    recently = utcnow() - timedelta(minutes=20)
    login.last_seen_at = recently
    db.session.commit()
    client.get("/profiel")
    assert login.last_seen_at == recently


def test_profile_counts_password_guesses_for_the_account(client, auth):
    user = auth.login()
    statuses = [client.post("/profiel", data={"name": "X", "email": f"nieuw{i}@example.org", "language": "nl",
                                              "email_password": f"fout-{i}-wachtwoord"}) for i in range(6)]
    assert [response.status_code for response in statuses] == [422] * 6
    assert "Wacht 15 seconden" in statuses[5].text
    response = client.post("/profiel", data={"name": "X", "email": "nieuw@example.org", "language": "nl",
                                             "email_password": PASSWORD})
    assert response.status_code == 422, "the right password waits as well"
    assert user.email != "nieuw@example.org"


def test_guest_sent_to_login_with_next(client):
    response = client.get("/profiel")
    assert response.status_code == 303
    assert response.headers["Location"] == "/inloggen?next=/profiel"


def test_guest_htmx_request_gets_hx_redirect_not_a_swapped_login_page(client):
    response = client.get("/profiel", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/inloggen?next=")
    assert response.data == b""


def test_forgot_password_mails_a_link_that_sets_a_new_password(client, make_user, mails):
    user = make_user()
    response = client.post("/wachtwoord-vergeten", data={"email": user.email})
    assert response.status_code == 303
    assert len(mails) == 1 and mails[0].to == user.email
    assert "/profiel#emails" in mails[0].body  # every mail links to the mail choices
    link = link_in(mails[0])
    assert "Nieuw wachtwoord" in client.get(link).text
    response = client.post(link, data={"password": "paarse-olifant-fiets", "password_again": "paarse-olifant-fiets"})
    assert response.status_code == 303
    client.post("/uitloggen")
    assert client.post("/inloggen", data={"email": user.email, "password": "paarse-olifant-fiets"}).status_code == 303
    # The link was used once; now it is void.
    assert client.get(link).status_code == 410


def test_forgot_password_says_the_same_for_unknown_addresses(client, mails):
    response = client.post("/wachtwoord-vergeten", data={"email": "niemand@example.org"}, follow_redirects=True)
    assert "Als dit e-mailadres bij ons bekend is" in response.text
    assert mails == []


def test_reset_link_expires(app, client, make_user, monkeypatch):
    user = make_user()
    token = tokens.make_token(user, tokens.PASSWORD_RESET)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", __import__("datetime").timedelta(seconds=-1))
    response = client.get(f"/wachtwoord/password-reset/{token}")
    assert response.status_code == 410 and "Deze link werkt niet meer" in response.text


@pytest.mark.parametrize("token", ["onzin", "a.b.c", ""])
def test_broken_links_are_refused(client, token):
    assert client.get(f"/wachtwoord/invitation/{token}").status_code in (404, 410)


def test_an_invitation_token_is_no_reset_token(client, make_user):
    user = make_user(password=None)
    token = tokens.make_token(user, tokens.INVITATION)
    assert client.get(f"/wachtwoord/password-reset/{token}").status_code == 410
    assert client.get(f"/wachtwoord/invitation/{token}").status_code == 200


def test_weak_new_password_is_refused_with_an_instruction(client, make_user):
    user = make_user(password=None)
    link = f"/wachtwoord/invitation/{tokens.make_token(user, tokens.INVITATION)}"
    response = client.post(link, data={"password": "kort", "password_again": "kort"})
    assert response.status_code == 200 and "minstens 10 tekens" in response.text
    response = client.post(link, data={"password": "lange-zin-hier", "password_again": "andere-zin-hier"})
    assert "Typ twee keer hetzelfde wachtwoord." in response.text


@pytest.mark.parametrize("password, ok", [
    ("kort", False), ("wachtwoord123", False), ("aaaaaaaaaaaa", False), ("jan.jansen-2026", False),
    ("paarse-olifant-fiets", True), ("Zonnebloem 1987!", True),
])
def test_password_strength_rules(password, ok):
    assert (password_problem(password, "jan.jansen@example.org") is None) is ok


def test_passwords_are_stored_hashed_with_scrypt_by_default(make_user):
    from cpweb.core import config

    user = make_user()
    assert PASSWORD not in user.password_hash and user.check_password(PASSWORD)
    assert config.PASSWORD_HASH_METHOD == "scrypt"


def test_profile_changes_name_and_language_without_the_password(client, auth, mails):
    user = auth.login()
    response = client.post("/profiel", data={"name": "Nieuwe Naam", "email": user.email, "language": "en"})
    assert response.status_code == 303
    assert (user.name, user.language) == ("Nieuwe Naam", "en") and mails == []
    assert '<html lang="en">' in client.get("/profiel").text


@pytest.mark.parametrize("password, message", [
    ("", "Vul uw huidige wachtwoord in. Dat is nodig om uw e-mailadres te wijzigen."),
    ("niet-mijn-wachtwoord", "Uw huidige wachtwoord klopt niet."),
])
def test_a_new_address_needs_the_current_password(client, auth, mails, password, message):
    user = auth.login()
    old_email = user.email
    response = client.post("/profiel", data={"name": "Nieuwe Naam", "email": "nieuw@example.org", "language": "nl",
                                             "email_password": password})
    assert response.status_code == 422
    assert message in response.text and 'value="nieuw@example.org"' in response.text  # what was typed stays
    assert (user.email, user.name) == (old_email, user.name) and mails == []


def test_a_new_address_with_the_password_is_saved_and_the_old_address_hears_of_it(client, auth, mails):
    from cpweb.core.audit import AuditEntry

    user = auth.login()
    old_email = user.email
    response = client.post("/profiel", data={"name": user.name, "email": "nieuw@example.org", "language": "nl",
                                             "email_password": PASSWORD})
    assert response.status_code == 303 and user.email == "nieuw@example.org"
    [mail] = mails
    assert mail.to == old_email and mail.subject == "Uw e-mailadres is gewijzigd"
    assert "Het nieuwe adres is nieuw@example.org." in mail.body  # to which address
    assert re.search(r"Dat gebeurde op \w+dag \d+ \w+ \d{4}, \d\d:\d\d", mail.body)  # when
    assert "Deed u dit niet?" in mail.body and "secretariaat@example.org" in mail.body  # what to do
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="email_changed"))
    assert (entry.actor_id, entry.subject_id, entry.detail) == (user.id, user.id, f"{old_email} → nieuw@example.org")


def test_profile_refuses_an_address_of_another_member(client, auth, make_user):
    other = make_user()
    auth.login()
    response = client.post("/profiel", data={"name": "X", "email": other.email, "language": "nl",
                                             "email_password": PASSWORD})
    assert response.status_code == 422
    assert "hoort al bij een ander lid" in response.text


def test_change_password_needs_the_current_one_and_ends_other_sessions(app, client, auth):
    user = auth.login()
    other_device = app.test_client()
    other_device.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    response = client.post("/profiel/wachtwoord", data={
        "current_password": "fout-fout-fout", "password": "nieuw-sterk-wachtwoord", "password_again": "nieuw-sterk-wachtwoord"})
    assert "Uw huidige wachtwoord klopt niet." in response.text
    response = client.post("/profiel/wachtwoord", data={
        "current_password": PASSWORD, "password": "nieuw-sterk-wachtwoord", "password_again": "nieuw-sterk-wachtwoord"})
    assert response.status_code == 303
    assert client.get("/profiel").status_code == 200
    assert other_device.get("/profiel").status_code == 303


def test_mail_preferences_are_saved_and_respected(client, auth):
    from cpweb.mail import chosen_kinds, outbox, send_mail

    user = auth.login()
    response = client.post("/profiel/emails", data={"kinds": ["digest", "signals_digest"]})
    assert response.status_code == 303
    assert chosen_kinds(user) == {"digest", "signals_digest"}
    assert send_mail(user, "Signalen", "Tekst", kind="signals") is False
    assert send_mail(user, "Herinnering", "Tekst", kind="reminders") is False
    assert send_mail(user, "Overzicht", "Tekst", kind="digest") is True
    assert outbox() == []  # in the outbox table until the commit
    db.session.commit()
    assert [m.subject for m in outbox()] == ["Overzicht"]
    client.post("/profiel/emails", data={})
    assert chosen_kinds(user) == set()


def test_mail_preferences_refuse_a_tampered_kind(client, auth):
    auth.login()
    response = client.post("/profiel/emails", data={"kinds": ["bestaat-niet"]})
    assert response.status_code == 422
    assert "Kies een van de mogelijkheden" in response.text


@pytest.mark.parametrize("headers", [{"Host": "evil.example"}, {"Host": "evil.example:80"}])
def test_a_forged_host_gets_a_dutch_400_and_no_mail(client, make_user, mails, headers):
    user = make_user()
    response = client.post("/wachtwoord-vergeten", data={"email": user.email}, headers=headers)
    assert response.status_code == 400
    assert "Dit verzoek klopt niet" in response.text
    assert mails == []


def test_a_forwarded_host_behind_a_trusted_proxy_is_checked_too(tmp_path, monkeypatch):
    app = make_test_app(tmp_path, monkeypatch, TRUSTED_PROXIES=1, SERVER_NAME=None, SITE_URL="https://raad.example.nl")
    with app.app_context():
        db.create_all()
        client = app.test_client()
        forged = client.get("/inloggen", headers={"Host": "raad.example.nl", "X-Forwarded-Host": "evil.example"})
        assert forged.status_code == 400
        assert client.get("/inloggen", headers={"Host": "raad.example.nl"}).status_code == 200


def test_mailed_links_start_with_site_url_whatever_the_request(client, app, make_user, mails, monkeypatch):
    # The request comes in as localhost (a host the site answers), the link names SITE_URL only.
    monkeypatch.setitem(app.config, "SITE_URL", "https://raad.example.nl/site")
    user = make_user()
    client.post("/wachtwoord-vergeten", data={"email": user.email})
    assert re.search(r"https://raad.example.nl/site/wachtwoord/password-reset/\S+", mails[0].body)
    assert "https://raad.example.nl/site/profiel#emails" in mails[0].body


def test_privacy_statement_and_register_tell_of_the_logins(app, client, auth):
    assert "Zo stopt uitloggen echt. Wij wissen dit als u uitlogt, of 14 dagen" in client.get("/privacy").text
    auth.login(role="beheerder")
    register = client.get("/beheer/verwerkingsregister").text
    assert "Ingelogd zijn" in register and "hoogstens 14 dagen na het laatste gebruik" in register
