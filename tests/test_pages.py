"""Pages for everyone, the layout, bodies, and language choice."""
import pytest


@pytest.mark.parametrize("url, heading", [
    ("/", "Welkom bij"),
    ("/privacy", "Privacyverklaring"),
    ("/toegankelijkheid", "Toegankelijkheidsverklaring"),
    ("/organen/", "Over ons"),
    ("/inloggen", "Inloggen"),
    ("/wachtwoord-vergeten", "Wachtwoord vergeten"),
    ("/uitloggen", "Uitloggen"),
])
def test_public_pages_are_dutch_full_pages(client, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    assert response.text.startswith("<!doctype html>\n<html lang=\"nl\">")
    assert f"<h1>{heading}" in response.text
    assert 'href="#inhoud"' in response.text  # skip link
    assert 'id="inhoud"' in response.text


def test_layout_links_footer_statements(client):
    html = client.get("/").text
    assert 'href="/privacy"' in html and 'href="/toegankelijkheid"' in html


def test_every_page_carries_the_csrf_token_for_htmx(client):
    html = client.get("/").text
    assert '<body hx-headers=\'{"X-CSRFToken": "' in html


def test_guest_home_explains_the_council_and_lists_bodies(client, make_body):
    make_body(name="Klankbordgroep Werkplein")
    html = client.get("/").text
    assert "vrijwilligers" in html and "Klankbordgroep Werkplein" in html
    assert "Hoofdmenu" not in html  # guests get no members' menu


def test_a_guest_finds_one_way_to_log_in_and_the_language_switch(client):
    html = client.get("/").text
    assert html.count('href="/inloggen"') == 1 and ">Inloggen</a>" in html and "Log in" not in html
    assert ">English</button>" in html


def test_member_home_shows_own_bodies_and_not_others(client, auth, make_body):
    mine, other = make_body(name="Mijn Raad"), make_body(name="Andere Raad")
    auth.login(bodies=[mine])
    html = client.get("/").text
    assert "Mijn Raad" in html and "Andere Raad" not in html
    assert "Uitloggen" in html


def test_a_new_member_starts_with_first_steps_until_they_hide_them(client, auth, make_body):
    from cpweb.core.extensions import db
    from cpweb.handbook import logic as handbook

    body = make_body(name="Mijn Raad")
    member = auth.login(bodies=[body])
    handbook.save_page(None, title="Zo werkt de raad", text="Welkom bij de raad.", user=member, slug="zo-werkt-de-raad")
    handbook.save_page(None, title="Later hoofdstuk", text="Meer.", user=member)
    html = client.get("/").text
    steps = html[html.index('id="eerste-stappen-kop"'):html.index("</section>")]
    assert f'href="/organen/{body.slug}">Mijn Raad</a>' in steps
    assert 'href="/handboek/zo-werkt-de-raad">Zo werkt de raad</a>' in steps and "Later hoofdstuk" not in steps
    assert 'href="/agenda/koppelen"' in steps and 'href="/profiel#emails"' in steps
    assert 'action="/eerste-stappen/verbergen"' in steps

    response = client.post("/eerste-stappen/verbergen")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert member.first_steps_hidden_at is not None
    assert "Eerste stappen" not in client.get("/").text
    db.session.refresh(member)
    assert member.first_steps_hidden_at is not None


def test_hiding_first_steps_needs_a_login(client):
    response = client.post("/eerste-stappen/verbergen")
    assert response.status_code in (302, 303) and "/inloggen" in response.headers["Location"]
    assert "Eerste stappen" not in client.get("/").text


def test_member_home_shows_sections_features_register(app, client, auth):
    from cpweb.core.hooks import hooks

    hooks(app).home_sections.clear()  # this app shows only the section below
    hooks(app).home_section(5, lambda user: ("pages/privacy.html", {}) if user.role == "lid" else None)
    auth.login()
    assert "Privacyverklaring" in client.get("/").text


def test_menu_shows_only_features_that_exist(client, auth):
    auth.login()
    html = client.get("/").text
    assert "/vergaderingen" not in html or 'href="/vergaderingen' in html  # only real endpoints
    from flask import url_for

    from cpweb.web.navigation import MAIN_MENU
    with client.application.test_request_context():
        expected = [url_for(endpoint) for _label, endpoint in MAIN_MENU
                    if endpoint in client.application.view_functions and endpoint != "signals.index"]
    assert expected, "the menu has entries once features exist"
    for path in expected:
        assert f'href="{path}"' in html


def test_body_page_shows_members_only_to_its_members(client, auth, make_body, make_user):
    body = make_body(description="Wij praten **mee**.")
    make_user(name="Zichtbaar Lid", bodies=[body])
    guest_html = client.get(f"/organen/{body.slug}").text
    assert "<strong>mee</strong>" in guest_html and "Zichtbaar Lid" not in guest_html
    auth.login(bodies=[make_body()])
    assert "Zichtbaar Lid" not in client.get(f"/organen/{body.slug}").text
    auth.logout()
    auth.login(bodies=[body])
    assert "Zichtbaar Lid" in client.get(f"/organen/{body.slug}").text


def test_body_description_is_sanitised(client, make_body):
    body = make_body(description='<script>alert(1)</script><a href="javascript:alert(2)">x</a>')
    html = client.get(f"/organen/{body.slug}").text
    assert "<script>alert(1)" not in html and "javascript:" not in html


def test_unknown_body_is_404(client):
    assert client.get("/organen/bestaat-niet").status_code == 404


def test_language_switch_to_english_and_back(client):
    response = client.post("/taal", data={"taal": "en", "next": "/privacy"})
    assert response.status_code == 303 and response.headers["Location"] == "/privacy"
    html = client.get("/privacy").text
    assert '<html lang="en">' in html and "Privacy statement" in html
    client.post("/taal", data={"taal": "nl"})
    assert '<html lang="nl">' in client.get("/privacy").text


def test_language_switch_ignores_unknown_languages_and_foreign_next(client):
    response = client.post("/taal", data={"taal": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert '<html lang="nl">' in client.get("/").text


def test_member_language_choice_is_kept_on_the_profile(client, auth):
    user = auth.login()
    client.post("/taal", data={"taal": "en"})
    assert user.language == "en"
