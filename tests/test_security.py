"""Headers, cookies, CSRF and error pages."""
import pytest

from cpweb.security import safe_next


def test_security_headers_on_every_response(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_inline_scripts_or_styles_in_the_layout(client):
    html = client.get("/").text
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    assert "onclick" not in html


def test_session_cookie_is_httponly_and_lax_and_secure_over_https(app, client, make_user):
    from tests.conftest import PASSWORD

    user = make_user()
    response = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    response = app.test_client().post("/inloggen", base_url="https://localhost",
                                      data={"email": user.email, "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_post_without_csrf_token_gives_a_dutch_400_page(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/inloggen", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "Het formulier was verlopen" in response.text and '<html lang="nl">' in response.text


@pytest.mark.parametrize("url", ["/inloggen", "/uitloggen", "/wachtwoord-vergeten", "/taal", "/profiel",
                                 "/profiel/wachtwoord", "/profiel/emails", "/beheer/leden/uitnodigen",
                                 "/beheer/organen/nieuw"])
def test_every_post_route_refuses_a_missing_token(csrf_app, url):
    assert csrf_app.test_client().post(url, data={}).status_code == 400


def test_csrf_token_in_the_htmx_header_is_accepted(csrf_app):
    client = csrf_app.test_client()
    html = client.get("/inloggen").text
    token = html.split('"X-CSRFToken": "')[1].split('"')[0]
    response = client.post("/taal", data={"taal": "en"}, headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/"


def test_unknown_url_is_a_dutch_404_in_the_layout(client):
    response = client.get("/bestaat/niet")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.text and 'class="site-footer"' in response.text


def test_htmx_error_gets_a_fragment_aimed_at_the_error_region(client):
    response = client.get("/bestaat/niet", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert "<html" not in response.text and "<h2>Deze pagina bestaat niet</h2>" in response.text
    assert response.headers["HX-Retarget"] == "#htmx-error"


def test_wrong_method_is_a_dutch_405(client):
    assert "Dit verzoek klopt niet" in client.get("/taal").text


def test_too_large_request_is_a_dutch_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 100
    response = client.post("/inloggen", data={"email": "x" * 500})
    assert response.status_code == 413 and "Het bestand is te groot" in response.text


def test_unexpected_error_is_a_dutch_500_and_is_logged(app, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/kapot")
    def broken():
        raise RuntimeError("stuk")

    response = app.test_client().get("/kapot")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.text and "RuntimeError" not in response.text
    assert "stuk" in caplog.text


@pytest.mark.parametrize("target, expected", [
    ("/vergaderingen?x=1", "/vergaderingen?x=1"), (None, "/"), ("", "/"), ("https://evil.example/", "/"),
    ("//evil.example", "/"), ("/\\evil.example", "/"), ("javascript:alert(1)", "/"), ("/ok\r\nX: y", "/"),
])
def test_safe_next(target, expected):
    assert safe_next(target, "/") == expected
