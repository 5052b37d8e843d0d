"""Admin pages: invite, change role and bodies, deactivate, bodies, audit log."""
import re

import pytest

from cpweb.auth.models import User
from cpweb.core.audit import AuditEntry
from cpweb.core.extensions import db

ADMIN_PAGES = ["/beheer/", "/beheer/leden/uitnodigen", "/beheer/organen", "/beheer/organen/nieuw", "/beheer/logboek",
               "/beheer/verwerkingsregister", "/beheer/organisaties", "/beheer/organisaties/nieuw", "/beheer/e-mails"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_guests_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 303 and response.headers["Location"].startswith("/inloggen?next=")


@pytest.mark.parametrize("role", ["lid", "secretaris"])
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_members_and_secretaries_get_403(client, auth, role, url):
    auth.login(role=role)
    response = client.get(url)
    assert response.status_code == 403
    assert "U mag deze pagina niet zien" in response.text


@pytest.mark.parametrize("url", ["/beheer/leden/1/actief", "/beheer/leden/1/uitnodiging", "/beheer/leden/1/link",
                                 "/beheer/leden/1/wachtwoordlink", "/beheer/e-mails/1/opnieuw"])
def test_member_cannot_post_admin_actions(client, auth, url):
    auth.login(role="secretaris")
    assert client.post(url, data={"actief": "nee"}).status_code == 403


def test_admin_sees_every_page(client, auth, make_body):
    make_body()
    auth.login(role="beheerder")
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 200, url


def test_invite_creates_member_mails_link_and_logs_it(client, auth, make_body, mails):
    body = make_body()
    admin = auth.login(role="beheerder")
    response = client.post("/beheer/leden/uitnodigen", data={
        "name": "Truus Bakker", "email": " Truus@Example.org ", "role": "secretaris", "bodies": [str(body.id)]})
    assert response.status_code == 303
    user = db.session.scalar(db.select(User).filter_by(email="truus@example.org"))
    assert user.role == "secretaris" and user.body_ids == {body.id}
    assert not user.has_accepted_invitation
    assert mails[-1].to == "truus@example.org" and "7 dagen" in mails[-1].body
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="invited"))
    assert entry.actor_id == admin.id and entry.subject_id == user.id

    link = re.search(r"http://localhost(/\S+)", mails[-1].body).group(1)
    auth.logout()
    response = client.post(link, data={"password": "mijn-eigen-wachtwoord", "password_again": "mijn-eigen-wachtwoord"})
    assert response.status_code == 303
    assert "Welkom, Truus Bakker" in client.get("/").text


def test_the_invitation_says_who_invites_and_for_which_bodies(client, auth, make_body, make_user, mails):
    first, second = make_body("Klankbordgroep Werkplein"), make_body("Cliëntenraad Dongen")
    admin = auth.login(role="beheerder")
    client.post("/beheer/leden/uitnodigen", data={"name": "Truus Bakker", "email": "truus@example.org", "role": "lid",
                                                   "bodies": [str(first.id), str(second.id)]})
    assert f"{admin.name} nodigt u uit voor de website van " in mails[-1].body
    assert "U bent daar lid van: Cliëntenraad Dongen, Klankbordgroep Werkplein." in mails[-1].body
    pending = make_user(password=None)  # of no body: the sentence about bodies is left out
    client.post(f"/beheer/leden/{pending.id}/uitnodiging")
    assert f"{admin.name} nodigt u uit" in mails[-1].body and "lid van" not in mails[-1].body


def test_invite_with_bad_input_keeps_what_was_typed(client, auth):
    auth.login(role="beheerder")
    response = client.post("/beheer/leden/uitnodigen", data={"name": "Piet <b>Klaassen</b>", "email": "piet@", "role": "baas"})
    assert response.status_code == 422
    assert "Vul een e-mailadres in zoals naam@voorbeeld.nl." in response.text
    assert "Kies een van de mogelijkheden in de lijst." in response.text
    assert 'value="Piet &lt;b&gt;Klaassen&lt;/b&gt;"' in response.text
    assert 'value="piet@"' in response.text


def test_invite_refuses_an_existing_address(client, auth, make_user):
    existing = make_user()
    auth.login(role="beheerder")
    response = client.post("/beheer/leden/uitnodigen", data={"name": "Dubbel", "email": existing.email, "role": "lid"})
    assert response.status_code == 422 and "hoort al bij een ander lid" in response.text


def test_change_role_and_bodies_is_logged(client, auth, make_user, make_body):
    first, second = make_body(), make_body()
    member = make_user(bodies=[first])
    auth.login(role="beheerder")
    response = client.post(f"/beheer/leden/{member.id}", data={
        "name": member.name, "email": member.email, "role": "secretaris", "bodies": [str(second.id)]})
    assert response.status_code == 303
    assert member.role == "secretaris" and member.body_ids == {second.id}
    actions = set(db.session.scalars(db.select(AuditEntry.action).filter_by(subject_id=member.id)))
    assert actions == {"role_changed", "bodies_changed"}
    log = client.get("/beheer/logboek").text
    assert "Rol gewijzigd" in log and "lid → secretaris" in log


def test_edit_form_shows_current_bodies_checked(client, auth, make_user, make_body):
    body = make_body()
    member = make_user(bodies=[body])
    auth.login(role="beheerder")
    html = client.get(f"/beheer/leden/{member.id}").text
    assert re.search(rf'<input checked[^>]*value="{body.id}"|<input[^>]*value="{body.id}"[^>]*checked', html)


def test_admin_cannot_lower_own_role_or_deactivate_self(client, auth):
    admin = auth.login(role="beheerder")
    response = client.post(f"/beheer/leden/{admin.id}", data={"name": admin.name, "email": admin.email, "role": "lid"})
    assert response.status_code == 422 and "eigen rol niet veranderen" in response.text
    client.post(f"/beheer/leden/{admin.id}/actief", data={"actief": "nee"})
    assert admin.is_active_member


def test_deactivate_and_reactivate(client, auth, make_user):
    member = make_user()
    auth.login(role="beheerder")
    client.post(f"/beheer/leden/{member.id}/actief", data={"actief": "nee"})
    assert not member.is_active_member
    assert db.session.get(User, member.id) is not None  # never deleted
    client.post(f"/beheer/leden/{member.id}/actief", data={"actief": "ja"})
    assert member.is_active_member
    actions = list(db.session.scalars(db.select(AuditEntry.action).filter_by(subject_id=member.id).order_by(AuditEntry.id)))
    assert actions == ["deactivated", "reactivated"]


def test_resend_invitation_only_for_pending_members(client, auth, make_user, mails):
    pending = make_user(password=None)
    active = make_user()
    auth.login(role="beheerder")
    client.post(f"/beheer/leden/{pending.id}/uitnodiging")
    client.post(f"/beheer/leden/{active.id}/uitnodiging")
    assert [m.to for m in mails] == [pending.email]


def test_unknown_member_is_404(client, auth):
    auth.login(role="beheerder")
    assert client.get("/beheer/leden/9999").status_code == 404


def test_member_search_answers_htmx_with_the_list_only(client, auth, make_user):
    make_user(name="Gerda Zoekmij")
    make_user(name="Karel Anders")
    auth.login(role="beheerder")
    full = client.get("/beheer/?q=zoekmij")
    assert "<html" in full.text and "Gerda Zoekmij" in full.text and "Karel Anders" not in full.text
    fragment = client.get("/beheer/?q=zoekmij", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and fragment.text.strip().startswith('<div id="member-list">')
    assert "HX-Request" in fragment.headers["Vary"]
    restore = client.get("/beheer/?q=zoekmij", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_member_list_is_paginated(app, client, auth, make_user):
    app.config["PER_PAGE"] = 2
    for _ in range(4):
        make_user()
    auth.login(role="beheerder")
    assert "Pagina 1 van 3" in client.get("/beheer/").text
    assert client.get("/beheer/?pagina=3").status_code == 200
    assert client.get("/beheer/?pagina=99").status_code == 404
    assert client.get("/beheer/?pagina=abc").status_code == 404


def test_create_and_edit_a_body(client, auth):
    auth.login(role="beheerder")
    response = client.post("/beheer/organen/nieuw", data={"name": "Cliëntenraad Goirle", "kind": "clientenraad",
                                                          "description": "Wij adviseren.", "is_active": "y",
                                                          "receives_signals": "y"})
    assert response.status_code == 303
    from cpweb.bodies.models import Body
    assert db.session.scalar(db.select(Body).filter_by(slug="clientenraad-goirle")).receives_signals
    assert "Cliëntenraad Goirle" in client.get("/organen/").text
    assert client.get("/organen/clientenraad-goirle").status_code == 200
    client.post("/beheer/organen/nieuw", data={"name": "Cliëntenraad Goirle", "kind": "clientenraad"})
    assert client.get("/organen/clientenraad-goirle-2").status_code == 200


def test_body_form_errors_in_dutch(client, auth):
    auth.login(role="beheerder")
    response = client.post("/beheer/organen/nieuw", data={"name": "", "kind": "club", "description": "x" * 5001})
    assert response.status_code == 422
    for message in ["Vul de naam van het orgaan in.", "Kies een van de mogelijkheden", "Gebruik hoogstens 5.000 tekens."]:
        assert message in response.text


def test_audit_log_is_paginated_without_n_plus_one(app, client, auth, make_user):
    from cpweb.core.audit import record
    from tests.conftest import count_queries

    admin = auth.login(role="beheerder")
    for _ in range(20):
        record("role_changed", subject=make_user(), actor=admin, detail="lid → secretaris")
    db.session.commit()
    assert count_queries(client, "/beheer/logboek") <= 6


def test_processing_register_shows_retention_from_the_settings(app, client, auth):
    app.config["SIGNAL_CONTACT_RETENTION_MONTHS"] = 5
    auth.login(role="beheerder")
    html = client.get("/beheer/verwerkingsregister").text
    assert "Signalen van cliënten" in html and "Contactgegevens en de link om het signaal te volgen: 5 maanden na" in html
    assert "Leden en hun accounts" in html and "Logboek van leden en rollen" in html


def test_municipalities_are_editable_and_feed_the_signal_form(client, auth):
    from cpweb.bodies.models import Organisation

    auth.login(role="beheerder")
    response = client.post("/beheer/organisaties/nieuw", data={"name": "Gemeente Heusden", "kind": "gemeente",
                                                               "is_active": "y"})
    assert response.status_code == 303
    assert "Gemeente Heusden" in client.get("/signaal").text
    organisation = db.session.scalar(db.select(Organisation).filter_by(name="Gemeente Heusden"))
    client.post(f"/beheer/organisaties/{organisation.id}", data={"name": "Gemeente Heusden", "kind": "gemeente"})
    assert not organisation.is_active
    client.get("/")  # shows the flash message, which names it
    assert "Gemeente Heusden" not in client.get("/signaal").text


def test_organisation_form_refuses_empty_and_double_names(client, auth):
    auth.login(role="beheerder")
    client.post("/beheer/organisaties/nieuw", data={"name": "UWV", "kind": "uwv", "is_active": "y"})
    response = client.post("/beheer/organisaties/nieuw", data={"name": "UWV", "kind": "uwv"})
    assert response.status_code == 422 and "Deze naam staat al in de lijst." in response.text
    response = client.post("/beheer/organisaties/nieuw", data={"name": "", "kind": "bank"})
    assert "Vul de naam van de organisatie in." in response.text and "Kies een van de mogelijkheden" in response.text
    assert client.get("/beheer/organisaties/999").status_code == 404
