"""Static files get a content hash in their address, so a deploy never serves stale CSS or JS."""
import re
from pathlib import Path

from flask import render_template_string

from cpweb.ops.static import static_url
from tests.conftest import make_test_app


def test_pages_link_css_and_js_with_a_content_hash(client):
    html = client.get("/signaal").text
    for name in ("css/site.css", "vendor/htmx-2.0.11.min.js", "js/signal-form.js"):
        assert re.search(rf'"/static/{re.escape(name)}\?v=[0-9a-f]{{12}}"', html), name


def test_the_url_changes_when_the_content_changes(tmp_path, monkeypatch):
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "site.css").write_text("body { color: black }")

    def url():
        app = make_test_app(tmp_path / "instance", monkeypatch)  # a new worker after a deploy
        app.static_folder = str(static)
        with app.test_request_context():
            return static_url("css/site.css"), render_template_string("{{ static_url('css/site.css') }}")

    first, in_template = url()
    assert first == in_template and first.startswith("/static/css/site.css?v=")
    assert url()[0] == first  # same content, same address
    (static / "css" / "site.css").write_text("body { color: navy }")
    assert url()[0] != first


def test_the_hash_is_computed_once_per_worker(app, monkeypatch):
    import cpweb.ops.static as ops_static
    calls = []
    real = ops_static.file_version
    monkeypatch.setattr(ops_static, "file_version", lambda name: calls.append(name) or real(name))
    with app.test_request_context():
        assert static_url("css/site.css") == static_url("css/site.css")
    assert calls == ["css/site.css"]


def test_a_versioned_file_is_cached_for_a_year(client):
    versioned = client.get(static_url_of(client, "css/site.css"))
    assert versioned.status_code == 200
    assert "immutable" in versioned.headers["Cache-Control"] and "max-age=31536000" in versioned.headers["Cache-Control"]
    plain = client.get("/static/css/site.css")
    assert "immutable" not in plain.headers.get("Cache-Control", "")
    versioned.close()
    plain.close()


def test_pages_link_the_icon_and_favicon_ico_answers_without_a_link(client):
    html = client.get("/").text
    assert re.search(r'<link rel="icon" href="/static/favicon.svg\?v=[0-9a-f]{12}"', html)
    icon = client.get("/favicon.ico")  # what a browser asks for by itself, e.g. beside a PDF
    assert icon.status_code == 200 and icon.mimetype.startswith("image/")
    assert icon.data == (Path(client.application.static_folder) / "favicon.ico").read_bytes()
    assert "max-age=86400" in icon.headers["Cache-Control"]
    icon.close()


def static_url_of(client, name):
    with client.application.test_request_context():
        return static_url(name)


def test_gunicorn_config_fits_a_small_server(monkeypatch):
    import runpy
    root = Path(__file__).resolve().parents[1]
    settings = runpy.run_path(str(root / "gunicorn.conf.py"))
    assert settings["workers"] == 2 and settings["worker_class"] == "sync" and settings["preload_app"] is False
    assert settings["bind"] == "127.0.0.1:8000" and settings["forwarded_allow_ips"] == "127.0.0.1,::1"
    monkeypatch.setenv("CPWEB_WORKERS", "3")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.2")
    settings = runpy.run_path(str(root / "gunicorn.conf.py"))
    assert settings["workers"] == 3 and settings["forwarded_allow_ips"] == "10.0.0.2"


def test_proxy_examples_allow_what_the_site_allows():
    """The proxies' body limit sits just above MAX_CONTENT_LENGTH, so the site's Dutch 413 page shows."""
    from cpweb.core import config
    root = Path(__file__).resolve().parents[1] / "deploy"
    limit_mib = config.MAX_CONTENT_LENGTH / 2**20
    caddy = float(re.search(r"max_size (\d+)MiB", (root / "Caddyfile").read_text()).group(1))
    nginx = float(re.search(r"client_max_body_size (\d+)m;", (root / "nginx.conf").read_text()).group(1))
    assert limit_mib < caddy <= limit_mib + 2 and limit_mib < nginx <= limit_mib + 2


def test_nginx_sends_hsts_from_every_location_that_adds_headers():
    """nginx drops the server's add_header lines in a location that has add_header lines of its own."""
    conf = (Path(__file__).resolve().parents[1] / "deploy" / "nginx.conf").read_text()
    locations = re.findall(r"location [^{]+\{([^}]*)\}", conf)
    with_headers = [body for body in locations if "add_header" in body]
    assert with_headers and all("Strict-Transport-Security" in body for body in with_headers)
