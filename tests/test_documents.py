"""Documents: upload, types by content, access (404 for what one may not see), versions, search,
the bin and its purge, links from other features, and the bad input of issue 4."""
import errno
import io
import os
import re
import tempfile
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import EnvironBuilder

from cpweb.core import fulltext
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.filestore import store
from cpweb.core.hooks import hooks
from cpweb.core.retention import run_purge
from cpweb.documents import access, extract, filetypes, logic, places, search, storage
from cpweb.documents.models import Document, DocumentLink, DocumentVersion
from tests.conftest import ON_S3, PASSWORD, count_queries

TEXT = "Werkboek voor de cliëntenraad over arbeidsmarktbeleid en re-integratie."
PDF_TEXT = "Verslag van het overleg met de clientenraad"


def zip_bytes(members: dict[str, bytes], mimetype: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_bytes(text: str) -> bytes:
    types = ('<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="application/'
             'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    body = f'<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'
    return zip_bytes({"[Content_Types].xml": types, "word/document.xml": body.encode()})


def pdf_bytes(text: str) -> bytes:
    """A minimal, valid one-page PDF with this (ASCII) text."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload_data(content: bytes = TEXT.encode(), filename: str = "werkboek.txt", **fields) -> dict:
    data = {"title": "Werkboek arbeidsmarkt", "description": "", "category": "werkboek", "tags": "",
            "body": "", "visibility": "members", "file": (io.BytesIO(content), filename)}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def fetch(client, path: str, **kwargs):
    """GET a file: read it and close it (a file response left open is a ResourceWarning)."""
    response = client.get(path, **kwargs)
    response.get_data()
    response.close()
    return response


def post_upload(client, **kwargs):
    return client.post("/documenten/nieuw", data=upload_data(**kwargs), content_type="multipart/form-data")


@pytest.fixture
def make_document(app, make_user):
    owner = []

    def make(content: bytes = TEXT.encode(), filename="werkboek.txt", title="Stuk Alfa", visibility="members",
             body=None, by=None, **fields):
        if by is None:
            if not owner:
                owner.append(make_user(role="secretaris"))
            by = owner[0]
        document = logic.store_upload(FileStorage(io.BytesIO(content), filename=filename), title=title,
                                      uploaded_by=by, body=body, visibility=visibility, **fields)
        db.session.commit()
        return document

    return make


def assert_clean(app):
    """No orphan files, no rows without files, no half-written temporary files."""
    assert logic.orphans() == (set(), set())
    assert list(storage.upload_dir().glob(storage.PART_PREFIX + "*")) == []


def held_files() -> list[str]:
    return [name for name, _modified in store().list(storage.HELD)]


def read_stored(stored_name: str) -> bytes:
    with storage.open_stored(stored_name) as stored:
        return stored.read()


def only_document() -> Document:
    return db.session.scalars(db.select(Document)).one()


# --- uploading ----------------------------------------------------------------------------------

def test_member_uploads_a_file_stored_outside_static_with_a_random_name(app, client, auth):
    auth.login()
    response = post_upload(client, tags="re-integratie, jongeren, Jongeren")
    assert response.status_code == 303
    document = only_document()
    assert response.headers["Location"] == f"/documenten/{document.id}"
    version = document.current
    assert version.original_name == "werkboek.txt" and version.kind == "txt" and version.size == len(TEXT.encode())
    assert re.fullmatch(r"[0-9a-f]{32}", version.stored_name) and version.text_status == "ok"
    assert read_stored(version.stored_name) == TEXT.encode()
    if not ON_S3:
        assert (Path(app.instance_path) / "uploads" / "documents" / version.stored_name).is_file()
    assert document.tags == "re-integratie, jongeren" and document.category == "werkboek"
    assert not Path(app.static_folder, version.stored_name).exists()
    assert_clean(app)


def test_upload_form_is_for_members_only(client):
    response = client.get("/documenten/nieuw")
    assert response.status_code == 303 and response.headers["Location"].startswith("/inloggen")
    assert client.get("/documenten/nieuw", headers={"HX-Request": "true"}).headers["HX-Redirect"].startswith("/inloggen")


def test_upload_form_works_without_javascript_and_has_the_progress_bar_for_htmx(client, auth):
    auth.login()
    html = client.get("/documenten/nieuw").text
    assert 'enctype="multipart/form-data"' in html and 'hx-encoding="multipart/form-data"' in html
    assert "<progress" in html and "js/documents.js" in html and "onclick" not in html and "<script>" not in html
    assert "Hoogstens 25 MB." in html


def test_htmx_upload_redirects_with_hx_redirect(client, auth):
    auth.login()
    response = client.post("/documenten/nieuw", data=upload_data(), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/documenten/{only_document().id}"


def test_body_only_needs_a_body(client, auth, make_body):
    body = make_body()
    auth.login(bodies=[body])
    response = post_upload(client, visibility="body")
    assert response.status_code == 422
    assert "Kies het orgaan. U koos dat alleen de leden van het orgaan het mogen zien." in response.text
    assert "niet verplicht" not in response.text.split('for="body"')[1].split("</label>")[0]  # the label agrees
    assert post_upload(client, visibility="body", body=str(body.id)).status_code == 303
    assert only_document().body_id == body.id


def test_a_member_cannot_pick_a_body_they_are_not_in(client, auth, make_body):
    other = make_body()
    auth.login(bodies=[make_body()])
    response = post_upload(client, visibility="body", body=str(other.id))
    assert response.status_code == 422 and "Kies een van de mogelijkheden in de lijst." in response.text


BAD_FILES = [
    (b"", "leeg.txt", "Het bestand is leeg."),
    (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "virus.pdf", "Dit soort bestand kan niet"),
    (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "programma.exe", "Dit soort bestand kan niet"),
    (b"<!doctype html><html><script>alert(1)</script></html>", "pagina.html", "Dit soort bestand kan niet"),
    (b"<html><body><script>alert(1)</script></body></html>", "pagina.txt", "Dit soort bestand kan niet"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "plaatje.svg", "Dit soort bestand kan niet"),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "plaatje.png", "Dit soort bestand kan niet"),
    (PNG, "foto.pdf", "Dit soort bestand kan niet"),  # a real PNG with the wrong name
    (TEXT.encode(), "geen-extensie", "Dit soort bestand kan niet"),
    (b"PK\x03\x04 kapot", "kapot.docx", "Dit soort bestand kan niet"),
    (zip_bytes({"a.txt": b"hallo"}), "gewone-zip.docx", "Dit soort bestand kan niet"),
    (TEXT.encode(), "../../etc/passwd", "Dit soort bestand kan niet"),
]


@pytest.mark.parametrize("content, filename, message", BAD_FILES, ids=[f[1] for f in BAD_FILES])
def test_bad_files_are_refused_keeping_the_other_fields_and_leaving_nothing(app, client, auth, content, filename,
                                                                           message):
    auth.login()
    response = post_upload(client, content=content, filename=filename, description="Mijn uitleg")
    assert response.status_code == 422
    assert message in response.text and "<title>Fout:" in response.text
    assert 'value="Werkboek arbeidsmarkt"' in response.text and "Mijn uitleg" in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0
    assert_clean(app)


def test_missing_file_says_choose_a_file(client, auth):
    auth.login()
    data = upload_data()
    del data["file"]
    response = client.post("/documenten/nieuw", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and "Kies een bestand." in response.text


def test_path_in_the_name_is_dropped_and_long_emoji_names_are_shortened(app, client, auth):
    auth.login()
    assert post_upload(client, filename="../../etc/passwd.txt").status_code == 303
    assert only_document().current.original_name == "passwd.txt"
    name = "😀" * 300 + ".txt"
    assert post_upload(client, filename=name, content=b"andere tekst").status_code == 303
    version = db.session.scalars(db.select(DocumentVersion).order_by(DocumentVersion.id.desc())).first()
    assert len(version.original_name) <= logic.MAX_NAME and version.original_name.endswith(".txt")
    response = fetch(client, f"/documenten/{version.document_id}/download")
    assert response.status_code == 200 and "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert_clean(app)


def test_file_over_the_limit_gets_a_message_and_keeps_the_fields(app, client, auth):
    app.config["DOCUMENT_MAX_BYTES"] = 1000
    auth.login()
    response = post_upload(client, content=b"a" * 1500, description="Blijft staan")
    assert response.status_code == 422
    assert "Het bestand is te groot. Kies een bestand van hoogstens 1 kB." in response.text
    assert "Blijft staan" in response.text
    assert_clean(app)


FULL_DISK_MESSAGE = "De server heeft nu geen ruimte voor dit bestand. Er is niets opgeslagen."


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a file that is always full")
def test_a_full_disk_while_storing_gets_a_message_keeps_the_fields_and_leaves_nothing(app, client, auth,
                                                                                     monkeypatch):
    auth.login()
    real_mkstemp = tempfile.mkstemp

    def onto_a_full_disk(**kwargs):
        fd, name = real_mkstemp(**kwargs)
        os.dup2(os.open("/dev/full", os.O_WRONLY), fd)  # its writes fail with ENOSPC
        return fd, name

    monkeypatch.setattr(storage.tempfile, "mkstemp", onto_a_full_disk)
    response = post_upload(client, content=b"a" * 200_000, description="Blijft staan")
    assert response.status_code == 422
    assert FULL_DISK_MESSAGE in response.text and "Blijft staan" in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0
    assert list(storage.upload_dir().iterdir()) == []
    assert_clean(app)


def test_a_full_disk_while_receiving_the_request_gets_the_same_message(app, client, auth, monkeypatch):
    auth.login()

    class FullSpool(io.BytesIO):
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("cpweb.documents.uploads.tempfile.SpooledTemporaryFile", lambda **kwargs: FullSpool())
    response = post_upload(client, description="Blijft staan")
    assert response.status_code == 422
    assert FULL_DISK_MESSAGE in response.text and "Blijft staan" in response.text
    assert_clean(app)


def test_far_over_the_limit_is_a_dutch_413(app, client, auth):
    app.config["DOCUMENT_MAX_BYTES"] = 1000
    auth.login()
    big = b"a" * 3 * 1024 * 1024

    def send(**kwargs):
        # Our own builder, closed after: the app stops reading early, so nobody else closes its body.
        environ = EnvironBuilder(path="/documenten/nieuw", method="POST", data=upload_data(content=big),
                                 **kwargs).get_environ()
        try:
            return client.open(environ)
        finally:
            environ["wsgi.input"].close()

    response = send()
    assert response.status_code == 413 and "Het bestand is te groot" in response.text
    htmx = send(headers={"HX-Request": "true"})
    assert htmx.status_code == 413 and htmx.headers["HX-Retarget"] == "#htmx-error"  # the form stays as typed
    assert_clean(app)


def test_the_same_file_twice_links_the_existing_document(client, auth, make_document):
    existing = make_document(title="Het origineel")
    auth.login()
    response = post_upload(client)
    assert response.status_code == 422
    assert "Dit bestand staat al in de bibliotheek: ‘Het origineel’." in response.text
    assert f'href="/documenten/{existing.id}"' in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 1


def test_the_same_file_as_a_document_one_cannot_see_is_stored_again(client, auth, make_document, make_body):
    make_document(visibility="body", body=make_body())
    auth.login()
    assert post_upload(client).status_code == 303


def test_interrupted_upload_leaves_no_half_file_and_no_row(app, make_user):
    class Broken(io.BytesIO):
        def read(self, size=-1):
            if self.tell() > 100_000:
                raise OSError("connection lost")
            return super().read(size)

    user = make_user()
    with pytest.raises(OSError):
        logic.store_upload(FileStorage(Broken(b"x" * 300_000), filename="a.txt"), title="t", uploaded_by=user)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(DocumentVersion)) == 0
    assert_clean(app)


def test_a_rolled_back_upload_removes_its_file(app, make_user):
    user = make_user()
    logic.store_upload(FileStorage(io.BytesIO(b"hallo"), filename="a.txt"), title="t", uploaded_by=user)
    assert len(storage.stored_files()) == 1
    db.session.rollback()
    assert storage.stored_files() == {}


def test_corrupt_pdf_is_kept_but_not_searchable(app, client, auth):
    auth.login()
    assert post_upload(client, content=b"%PDF-1.7\n" + b"\x00kapot" * 500, filename="kapot.pdf").status_code == 303
    document = only_document()
    assert document.current.text_status == "failed"
    assert "niet doorzoekbaar" in client.get(f"/documenten/{document.id}").text


def test_zip_bomb_docx_is_kept_but_not_searchable_quickly(app, client, auth):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<Types ContentType="application/vnd.openxmlformats-officedocument.'
                                                'wordprocessingml.document.main+xml"/>')
        with archive.open("word/document.xml", "w") as member:
            for _ in range(40):
                member.write(b"<w:t>a</w:t>" * (1024 * 1024 // 12))
    assert len(out.getvalue()) < 1024 * 1024
    auth.login()
    started = time.monotonic()
    assert post_upload(client, content=out.getvalue(), filename="bom.docx").status_code == 303
    assert time.monotonic() - started < 10
    assert only_document().current.text_status == "failed"


# --- access -------------------------------------------------------------------------------------

@pytest.mark.parametrize("visibility, role, in_body, status", [
    ("public", "guest", False, 200), ("public", "lid", False, 200),
    ("members", "guest", False, 404), ("members", "lid", False, 200),
    ("body", "guest", False, 404), ("body", "lid", False, 404), ("body", "secretaris", False, 404),
    ("body", "lid", True, 200), ("body", "beheerder", False, 200),
])
def test_who_sees_what_and_the_rest_is_404(client, auth, make_document, make_body, visibility, role, in_body,
                                           status):
    body = make_body()
    document = make_document(visibility=visibility, body=body if visibility == "body" else None)
    if role != "guest":
        auth.login(role=role, bodies=[body] if in_body else [])
    version_id = document.current.id
    for path in (f"/documenten/{document.id}", f"/documenten/{document.id}/download",
                 f"/documenten/{document.id}/download/{version_id}", f"/documenten/{document.id}/bekijken"):
        assert fetch(client, path).status_code == status, path
    listed = document.title in client.get("/documenten").text
    assert listed is (status == 200)


def test_guessed_ids_are_404(client, auth, make_document):
    document = make_document(visibility="public")
    other = make_document(content=b"ander bestand", filename="b.txt", visibility="public")
    auth.login()
    for path in ("/documenten/999", "/documenten/999/download", "/documenten/999/bekijken",
                 f"/documenten/{document.id}/download/{other.current.id}", "/documenten/999/bewerken",
                 "/documenten/999/nieuwe-versie"):
        assert fetch(client, path).status_code == 404, path
    assert client.post("/documenten/999/verwijderen").status_code == 404


def test_visible_documents_query_and_can_view(app, make_user, make_document, make_body):
    body = make_body()
    public = make_document(visibility="public", content=b"1", filename="1.txt")
    members = make_document(visibility="members", content=b"2", filename="2.txt")
    own_body = make_document(visibility="body", body=body, content=b"3", filename="3.txt")
    member, outsider = make_user(bodies=[body]), make_user()
    from flask_login import AnonymousUserMixin

    guest = AnonymousUserMixin()
    seen = {u: set(db.session.scalars(access.visible_documents_query(u))) for u in (guest, member, outsider)}
    assert seen[guest] == {public}
    assert seen[member] == {public, members, own_body}
    assert seen[outsider] == {public, members}
    for user, documents in seen.items():
        for document in (public, members, own_body):
            assert access.can_view(user, document) is (document in documents)


# --- download and view --------------------------------------------------------------------------

def test_download_is_an_attachment_with_the_utf8_name_and_nosniff(client, make_document):
    document = make_document(visibility="public", filename="Cliëntenraad verslag.txt")
    response = fetch(client, f"/documenten/{document.id}/download")
    assert response.status_code == 200 and response.data == TEXT.encode()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''Cli%C3%ABntenraad%20verslag.txt" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"].startswith("text/plain")


def test_a_download_answers_a_range_and_a_request_for_what_the_browser_has(client, make_document):
    """As a download manager or a PDF reader asks: a part (206), and 304 for a file it already has;
    on either store (the local folder answers through Flask, S3 through the store)."""
    document = make_document(visibility="public")
    path, content = f"/documenten/{document.id}/download", TEXT.encode()
    part = fetch(client, path, headers={"Range": "bytes=5-14"})
    assert part.status_code == 206 and part.data == content[5:15]
    assert part.headers["Content-Range"] == f"bytes 5-14/{len(content)}"
    assert fetch(client, path, headers={"If-None-Match": f'"{document.current.sha256}"'}).status_code == 304
    assert fetch(client, path, headers={"Range": f"bytes={len(content) + 1}-"}).status_code == 416


def test_pdf_and_images_are_viewed_inline_in_a_sandbox(client, make_document):
    document = make_document(content=pdf_bytes("Hallo"), filename="brief.pdf", visibility="public")
    response = fetch(client, f"/documenten/{document.id}/bekijken")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    image = make_document(content=PNG, filename="foto.png", visibility="public")
    assert fetch(client, f"/documenten/{image.id}/bekijken").headers["Content-Type"] == "image/png"


def test_markdown_is_rendered_and_sanitised_and_office_files_are_not_viewed(client, make_document):
    document = make_document(content=b"# Kop\n\n<script>alert(1)</script> **vet**", filename="notitie.md",
                             visibility="public")
    html = fetch(client, f"/documenten/{document.id}/bekijken").text
    assert "<strong>vet</strong>" in html and "<script>alert" not in html and "<h2>Kop</h2>" in html
    text = make_document(content=b"<b>niet vet</b> gewoon", filename="a.txt", visibility="public")
    assert "&lt;b&gt;niet vet&lt;/b&gt;" in fetch(client, f"/documenten/{text.id}/bekijken").text
    docx = make_document(content=docx_bytes("Hallo"), filename="a.docx", visibility="public")
    assert fetch(client, f"/documenten/{docx.id}/bekijken").status_code == 404


# --- versions and editing -----------------------------------------------------------------------

def test_a_new_version_keeps_the_old_one(client, auth, make_document):
    user = auth.login(role="secretaris")
    document = make_document(by=user)
    first = document.current.id
    response = client.post(f"/documenten/{document.id}/nieuwe-versie", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(docx_bytes("Tweede versie over jongerenloket")), "v2.docx")})
    assert response.status_code == 303
    document = db.session.get(Document, document.id)
    assert [v.original_name for v in document.versions] == ["v2.docx", "werkboek.txt"]
    assert document.kind == "docx"
    assert fetch(client, f"/documenten/{document.id}/download/{first}").data == TEXT.encode()
    assert fetch(client, f"/documenten/{document.id}/download").headers["Content-Type"].startswith(
        "application/vnd.openxmlformats")
    page = client.get(f"/documenten/{document.id}").text
    assert "v2.docx" in page and "werkboek.txt" in page and "nieuwste" in page
    assert document.title in client.get("/documenten?q=jongerenloket").text
    bad = client.post(f"/documenten/{document.id}/nieuwe-versie", content_type="multipart/form-data",
                      data={"file": (io.BytesIO(b""), "leeg.txt")})
    assert bad.status_code == 422 and "Het bestand is leeg." in bad.text


def test_only_uploader_secretaries_and_admins_change_a_document(client, auth, make_document, make_user):
    document = make_document()
    auth.login()  # another member
    assert client.get(f"/documenten/{document.id}/bewerken").status_code == 403
    assert client.get(f"/documenten/{document.id}/nieuwe-versie").status_code == 403
    assert client.post(f"/documenten/{document.id}/verwijderen").status_code == 403
    auth.logout()
    auth.login(role="secretaris")
    response = client.post(f"/documenten/{document.id}/bewerken", data={
        "title": "Nieuwe titel", "description": "", "category": "brief", "tags": "a", "body": "",
        "visibility": "public"})
    assert response.status_code == 303
    assert db.session.get(Document, document.id).title == "Nieuwe titel"
    assert "Nieuwe titel" in client.get("/documenten?q=nieuwe").text


def test_edit_errors_keep_what_was_typed(client, auth, make_document):
    user = auth.login()
    document = make_document(by=user)
    response = client.post(f"/documenten/{document.id}/bewerken", data={
        "title": "", "description": "Mijn tekst", "category": "brief", "visibility": "members", "body": ""})
    assert response.status_code == 422 and "Vul een titel in." in response.text and "Mijn tekst" in response.text


# --- search -------------------------------------------------------------------------------------

def test_search_ignores_diacritics_matches_prefixes_and_file_text(client, make_document):
    make_document(title="Verslag", content=TEXT.encode(), visibility="public")
    make_document(title="Iets anders", content=b"Over de bijstand", filename="b.txt", visibility="public")
    for query in ("clientenraad", "cliëntenraad", "CLIENTENRAAD", "arbeidsmarkt", "re-integr", "verslag werkb"):
        html = client.get("/documenten", query_string={"q": query}).text
        assert "Verslag" in html and "Iets anders" not in html, query
    assert "Geen documenten gevonden" in client.get("/documenten?q=fietsenmaker").text


def test_words_deep_in_a_long_file_are_found_too(client, make_document):
    assert search.HEAD_CHARS < 30_000
    make_document(title="Lang stuk", content=("vulling " * 4000 + "aanbesteding").encode(), filename="lang.txt",
                  visibility="public")
    html = client.get("/documenten?q=aanbesteding").text
    assert "Lang stuk" in html


def test_snippet_marks_the_match_and_escapes_everything_else(client, make_document):
    make_document(content="Let op: <script>alert(1)</script> de cliëntenraad vergadert".encode(), filename="a.txt",
                  visibility="public")
    html = client.get("/documenten?q=clientenraad").text
    assert "<mark>cliëntenraad</mark>" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_search_operators_typed_by_people_do_not_break_it(client, make_document):
    make_document(visibility="public")
    for query in ('"', "AND OR NOT", "werk*", "title:werk", "(", "NEAR(a b)", "-", "' OR 1=1 --"):
        assert client.get("/documenten", query_string={"q": query}).status_code == 200, query


def test_guests_search_public_documents_only(client, make_document):
    make_document(title="Openbaar werkboek", visibility="public", content=b"werkboek een", filename="a.txt")
    make_document(title="Geheim werkboek", visibility="members", content=b"werkboek twee", filename="b.txt")
    html = client.get("/documenten?q=werkboek").text
    assert "Openbaar werkboek" in html and "Geheim werkboek" not in html


def test_live_search_answers_htmx_with_the_list_only(client, make_document):
    make_document(visibility="public")
    page = client.get("/documenten?q=werkboek")
    assert "<html" in page.text and 'hx-trigger="input changed delay:300ms, search"' in page.text
    fragment = client.get("/documenten?q=werkboek", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and fragment.text.lstrip().startswith('<div id="document-list">')
    assert "HX-Request" in fragment.headers["Vary"]


def test_filters(client, make_document, make_body):
    body = make_body()
    make_document(title="Een brief", category_key="brief", visibility="public", body=body)
    make_document(title="Een plaatje", content=PNG, filename="a.png", visibility="public")
    assert "Een plaatje" not in client.get("/documenten?category=brief").text
    assert "Een brief" not in client.get("/documenten?kind=png").text
    assert "Een plaatje" not in client.get(f"/documenten?body={body.id}").text
    assert "Een brief" in client.get(f"/documenten?year={utcnow().year}").text
    assert client.get("/documenten?category=verzonnen").status_code == 400
    assert client.get("/documenten?pagina=nul").status_code == 404


def test_file_types_are_named_in_plain_words_in_either_language(client, make_document):
    document = make_document(content=b"# Kop", filename="uitleg.md", visibility="public")
    for page in (client.get("/documenten").text, client.get(f"/documenten/{document.id}").text):
        assert "Tekst (opgemaakt)" in page and "Markdown" not in page
    client.post("/taal", data={"taal": "en"})
    assert '<option value="md">Formatted text</option>' in client.get("/documenten").text
    assert "(Formatted text," in client.get(f"/documenten/{document.id}").text


def test_the_list_runs_the_same_number_of_queries_for_3_or_30_documents(client, auth, make_document, make_body):
    body = make_body()
    for n in range(3):
        make_document(content=f"tekst {n}".encode(), filename=f"{n}.txt", body=body, category_key="brief")
    auth.login(bodies=[body])
    few = count_queries(client, "/documenten?q=tekst")
    few_plain = count_queries(client, "/documenten")
    for n in range(3, 30):
        make_document(content=f"tekst {n}".encode(), filename=f"{n}.txt", body=body, category_key="brief")
    assert count_queries(client, "/documenten?q=tekst") == few
    # The rows take kind and body from the filters' lists: user, kinds, bodies, years, the member's bodies,
    # rows, count, the main menu's question whether this member reads signals, and whether the site
    # follows other councils (a link to their papers).
    assert count_queries(client, "/documenten") == few_plain <= 9
    row = client.get("/documenten").text.split('class="document-list"')[1]
    assert "Brief" in row and body.name in row


# --- bin and purge ------------------------------------------------------------------------------

def test_delete_moves_to_the_bin_and_a_secretary_restores_it(client, auth, make_document):
    secretary = auth.login(role="secretaris")
    document = make_document(by=secretary, visibility="public")
    assert client.post(f"/documenten/{document.id}/verwijderen").status_code == 303
    assert client.get(f"/documenten/{document.id}").status_code == 404
    assert fetch(client, f"/documenten/{document.id}/download").status_code == 404
    assert document.title not in client.get("/documenten").text
    assert document.title in client.get("/documenten/prullenbak").text
    assert client.post(f"/documenten/{document.id}/terugzetten").status_code == 303
    assert client.get(f"/documenten/{document.id}").status_code == 200


def test_the_bin_is_for_secretaries_and_admins(client, auth):
    assert client.get("/documenten/prullenbak").status_code == 303
    auth.login()
    assert client.get("/documenten/prullenbak").status_code == 403
    assert client.get("/documenten/soorten").status_code == 403


def test_purge_removes_rows_and_files_after_30_days_only(app, make_document, make_user):
    keep = make_document(content=b"blijft", filename="a.txt")
    recent = make_document(content=b"pas weg", filename="b.txt")
    old = make_document(content=b"lang weg", filename="c.txt")
    logic.add_version(old, FileStorage(io.BytesIO(b"lang weg 2"), filename="c2.txt"), make_user())
    now = utcnow()
    recent.deleted_at = now - timedelta(days=29)
    old.deleted_at = now - timedelta(days=31)
    db.session.add(DocumentLink(document=old, target_kind="meeting", target_id=1))
    db.session.commit()
    old_files = {v.stored_name for v in old.versions}
    assert run_purge(now, dry_run=True)["documents"] == 1
    db.session.rollback()
    assert old_files <= storage.stored_files().keys()
    assert run_purge(now)["documents"] == 1
    db.session.commit()
    assert {d.id for d in db.session.scalars(db.select(Document))} == {keep.id, recent.id}
    assert old_files.isdisjoint(storage.stored_files().keys())
    assert db.session.scalar(db.select(db.func.count()).select_from(DocumentLink)) == 0
    assert search.indexed_text(old.id) == ""
    assert_clean(app)


def test_purge_command(runner, make_document):
    document = make_document()
    document.deleted_at = utcnow() - timedelta(days=40)
    db.session.commit()
    result = runner.invoke(args=["cpweb", "purge"])
    assert "documents: 1 verwijderd" in result.output
    assert logic.orphans() == (set(), set())


@pytest.mark.skipif(ON_S3, reason="the store sets an object's time itself: old files are made on the local folder")
def test_sweep_removes_what_a_killed_upload_left_and_nothing_young_or_kept(app, runner, make_document):
    kept = make_document()
    folder = storage.upload_dir()
    named_before_the_kill = folder / "0123456789abcdef0123456789abcdef"  # renamed, row never committed
    part = folder / (storage.PART_PREFIX + "halfway")
    young = folder / "fedcba9876543210fedcba9876543210"  # its transaction may still be open
    held = store().folder(storage.HELD)
    held_and_left, held_now = held / ("a" * 32), held / ("b" * 32)
    # Ages by the process's clock, which the sweep reads (not the file system's: they differ under a
    # moved test clock, CPWEB_TEST_TODAY or faketime).
    now = time.time()
    for path, age in ((named_before_the_kill, 7200), (part, 7200), (young, 0), (held_and_left, 7200), (held_now, 0)):
        path.write_bytes(b"x")
        os.utime(path, (now - age, now - age))
    result = runner.invoke(args=["cpweb", "sweep-uploads"])
    assert result.exit_code == 0 and "3 achtergebleven bestanden opgeruimd" in result.output
    assert not named_before_the_kill.exists() and not part.exists() and young.exists()
    assert not held_and_left.exists() and held_now.exists()
    assert storage.is_stored(kept.versions[0].stored_name)
    young.unlink()
    assert logic.orphans() == (set(), set())


# --- links from other features ------------------------------------------------------------------

@pytest.fixture
def proef(app):
    """A kind of place for tests: places 10 to 19 are open to everyone, the others to no one."""
    from sqlalchemy import literal_column, select, union_all

    kind = places.PlaceKind("proef", lambda ids: {i: (f"Agendapunt {i}", f"/vergaderingen/punt/{i}") for i in ids},
                            lambda user: union_all(*(select(literal_column(str(i))) for i in range(10, 20))))
    hooks(app).place_kind(kind)
    return lambda target_id: places.Place("proef", target_id, body=None, default=places.MEMBERS, noun="de proef")


def test_links_one_query_and_used_by_on_the_document_page(app, client, make_document, proef):
    first = make_document(title="Agenda", visibility="public", content=b"1", filename="1.txt")
    second = make_document(title="Bijlage", visibility="public", content=b"2", filename="2.txt")
    hidden = make_document(title="Geheim", visibility="members", content=b"3", filename="3.txt")
    by = first.created_by
    for document, target in ((first, 10), (first, 11), (first, 10), (second, 10), (hidden, 10), (first, 30)):
        assert places.attach(proef(target), by, document_id=document.id, audience=document.visibility).document
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(DocumentLink)) == 5  # twice is once
    assert by.body_ids == set()  # loaded before counting
    statements = []
    from sqlalchemy import event

    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    found = places.documents_for("proef", [10, 11, 12], by)
    event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert {k: [d.title for d in v] for k, v in found.items()} == {
        10: ["Agenda", "Bijlage", "Geheim"], 11: ["Agenda"], 12: []}
    from flask_login import AnonymousUserMixin

    assert [d.title for d in places.documents_for("proef", [10], AnonymousUserMixin())[10]] == ["Agenda", "Bijlage"]
    page = client.get(f"/documenten/{first.id}").text
    assert "Gebruikt bij" in page and 'href="/vergaderingen/punt/11"' in page and "Agendapunt 10" in page
    assert "Agendapunt 30" not in page  # a place the visitor may not open is not named
    places.detach(proef(10), first.id)
    db.session.commit()
    assert [d.title for d in places.documents_for("proef", [10], by)[10]] == ["Bijlage", "Geheim"]


def test_store_upload_api_raises_upload_error_with_a_dutch_message(app, make_user):
    user = make_user()
    with pytest.raises(logic.UploadError) as error:
        logic.store_upload(FileStorage(io.BytesIO(b"MZ\x00"), filename="a.exe"), title="t", uploaded_by=user)
    assert "Dit soort bestand kan niet" in str(error.value.message)
    document = logic.store_upload(FileStorage(io.BytesIO(b"hallo"), filename="a.txt"), title="t", uploaded_by=user)
    with pytest.raises(logic.DuplicateUpload) as duplicate:
        logic.store_upload(FileStorage(io.BytesIO(b"hallo"), filename="b.txt"), title="t", uploaded_by=user)
    assert duplicate.value.existing is document


# --- categories and home ------------------------------------------------------------------------

def test_secretary_adds_a_category(client, auth):
    auth.login(role="secretaris")
    assert client.post("/documenten/soorten/nieuw", data={"label": "Notulen", "position": "9", "is_active": "y"}
                       ).status_code == 303
    assert "Notulen" in client.get("/documenten/nieuw").text
    assert [c.label for c in logic.categories()][:8] == list(logic.DEFAULT_CATEGORIES.values())


def test_home_shows_newest_documents_to_members(client, auth, make_document):
    make_document(title="Nieuwste stuk")
    auth.login()
    assert "Nieuwste stuk" in client.get("/").text


# --- type detection and extraction (units) ------------------------------------------------------

@pytest.mark.parametrize("content, name, kind", [
    (pdf_bytes("x"), "a.pdf", "pdf"), (PNG, "a.png", "png"), (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "a.JPEG", "jpg"),
    (docx_bytes("x"), "a.docx", "docx"),
    (zip_bytes({"[Content_Types].xml": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"}),
     "a.xlsx", "xlsx"),
    (zip_bytes({"[Content_Types].xml": b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"}),
     "a.pptx", "pptx"),
    (zip_bytes({"content.xml": b"<x/>"}, "application/vnd.oasis.opendocument.text"), "a.odt", "odt"),
    (zip_bytes({"content.xml": b"<x/>"}, "application/vnd.oasis.opendocument.spreadsheet"), "a.ods", "ods"),
    (zip_bytes({"content.xml": b"<x/>"}, "application/vnd.oasis.opendocument.presentation"), "a.odp", "odp"),
    (zip_bytes({"content.xml": b"<x/>"}, "application/vnd.oasis.opendocument.text"), "a.docx", None),
    (b"a;b\n1;2\n", "a.csv", "csv"), (b"# Kop", "a.md", "md"), ("Caf\xe9".encode("cp1252"), "a.txt", "txt"),
    (b"\x00\x01binary", "a.txt", None), (b"<svg/>", "a.txt", None), (b"MZ", "a.pdf", None),
])
def test_type_is_judged_by_content_and_name(tmp_path, content, name, kind):
    path = tmp_path / "f"
    path.write_bytes(content)
    assert filetypes.check(path, content[:8192], name) == kind


def test_extraction_reads_office_xml_and_pdf(tmp_path):
    docx = tmp_path / "a.docx"
    docx.write_bytes(docx_bytes("Cli&#235;ntenraad &amp; UWV"))
    assert extract.extract_text(docx, "docx") == "Cliëntenraad & UWV"
    pptx = tmp_path / "a.pptx"
    pptx.write_bytes(zip_bytes({"ppt/slides/slide2.xml": b"<a:p><a:t>twee</a:t></a:p>",
                                "ppt/slides/slide10.xml": b"<a:p><a:t>tien</a:t></a:p>",
                                "ppt/slides/slide1.xml": b"<a:p><a:t>een</a:t></a:p>"}))
    assert extract.extract_text(pptx, "pptx").split() == ["een", "twee", "tien"]
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(pdf_bytes(PDF_TEXT))
    assert PDF_TEXT in extract.extract_text(pdf, "pdf")
    assert extract.extract_text(pdf, "png") == ""


def test_extraction_gives_up_on_time(tmp_path):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(pdf_bytes(PDF_TEXT))
    assert extract.extract_text(pdf, "pdf", timeout=0.001) is None


def test_safe_name():
    assert logic.safe_name("..\\..\\windows\\evil.pdf") == "evil.pdf"
    assert logic.safe_name("a\x00b\nc.txt") == "abc.txt"
    assert logic.safe_name("...") == "bestand"


# --- the sample documents (real Dutch texts and office files) -----------------------------------

def test_sample_documents_upload_extract_and_search(app, client, auth, sample_documents):
    auth.login(role="beheerder")
    files = sorted((sample_documents / "formats").glob("*.*"))
    assert files
    for path in files:
        response = post_upload(client, content=path.read_bytes(), filename=path.name, title=path.name)
        assert response.status_code == 303, (path.name, response.text[:300])
    versions = db.session.scalars(db.select(DocumentVersion)).all()
    assert {v.text_status for v in versions} == {"ok"}
    for version in versions:
        assert "cliënt" in search.indexed_text(version.document_id).lower(), version.original_name
    html = client.get("/documenten?q=clientenraad+tilburg").text
    assert "tilburg-werkplein-krijgt-clientenraad.pdf" in html and "<mark>" in html
    assert_clean(app)


def test_upload_without_a_valid_csrf_token_is_refused_in_dutch_keeping_the_fields(app, client, auth):
    auth.login()
    app.config["WTF_CSRF_ENABLED"] = True
    response = post_upload(client, description="Blijft staan")
    assert response.status_code == 422
    assert "Het formulier was te lang open." in response.text and "Blijft staan" in response.text
    assert "CSRF token" not in response.text  # wtforms' English message
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0
    # A file sent by a form from elsewhere is not kept: it would be offered on this member's next try.
    assert "Gekozen bestand" not in response.text and held_files() == []
    assert_clean(app)


def test_snippet_finds_the_match_also_further_on_and_escapes():
    text = "Aa " * 500 + "de cliëntenraad <b> en " + "x " * 300
    piece = fulltext.snippet(text, "clientenraad")
    assert "<mark>cliëntenraad</mark> &lt;b&gt;" in piece and piece.startswith("…") and piece.endswith("…")
    assert fulltext.snippet("De Cliëntenraad <script>", "CLIENTEN") == "De <mark>Cliëntenraad</mark> &lt;script&gt;"
    assert fulltext.snippet("niets hier", "clientenraad") is None


def test_the_library_search_also_finds_handbook_pages_for_members(client, auth, make_user):
    from cpweb.handbook import logic as handbook

    author = make_user(role="secretaris")
    handbook.save_page(None, title="Hoe werkt een cliëntenraad", text="De raad geeft gevraagd en ongevraagd advies.",
                       user=author)
    db.session.commit()
    assert "In het handboek" not in client.get("/documenten?q=clientenraad").text  # guests: not the handbook
    auth.login()
    html = client.get("/documenten?q=clientenraad").text
    assert "In het handboek" in html and "Hoe werkt een cliëntenraad" in html


def test_names_in_a_zip_are_plain_file_names():
    from cpweb.documents.bundle import Entry, numbered, safe_name

    assert safe_name("../../etc/passwd", "stuk") == "etc-passwd"
    assert safe_name('a\\b:c*d?"e<f>g|h', "stuk") == "a-b-c-d-e-f-g-h"
    assert safe_name("  Regel\nmet\ttab\x00 ", "stuk") == "Regel met tab"
    assert safe_name("...", "stuk") == "stuk" and safe_name("CON", "stuk") == "stuk"
    assert len(safe_name("x" * 500, "stuk")) == 120
    assert [e.name for e in numbered([Entry("a.pdf"), Entry("A.pdf"), Entry("a.pdf"), Entry("b.pdf")])] == [
        "a.pdf", "A (2).pdf", "a (3).pdf", "b.pdf"]


# --- the chosen file is kept while the form is put right ----------------------------------------

def kept_token(html: str) -> str:
    return re.search(r'name="kept" type="hidden" value="([^"]+)"', html)[1]


def test_a_file_sent_with_a_mistake_is_kept_and_stored_with_the_corrected_form(client, auth):
    auth.login()
    response = client.post("/documenten/nieuw", data=upload_data(title=""))
    assert response.status_code == 422 and "Vul een titel in." in response.text
    assert "Gekozen bestand: <strong>werkboek.txt</strong>" in response.text
    assert "Een ander bestand kiezen (niet verplicht)" in response.text and "Kies het bestand nog een keer" not in response.text
    assert db.session.scalar(db.select(Document)) is None and len(held_files()) == 1
    token = kept_token(response.text)
    again = client.post("/documenten/nieuw", data=upload_data(title="", file=None, kept=token))  # still no title
    assert again.status_code == 422 and "Gekozen bestand: <strong>werkboek.txt</strong>" in again.text
    response = client.post("/documenten/nieuw", data=upload_data(title="Werkboek", file=None, kept=token))
    assert response.status_code == 303
    assert only_document().title == "Werkboek" and only_document().current.original_name == "werkboek.txt"
    assert read_stored(only_document().current.stored_name).decode() == TEXT
    assert held_files() == []  # used: gone
    assert client.post("/documenten/nieuw", data=upload_data(file=None, kept=token)).status_code == 422  # used once


def test_another_file_replaces_the_kept_one(client, auth):
    auth.login()
    token = kept_token(client.post("/documenten/nieuw", data=upload_data(title="")).text)
    response = client.post("/documenten/nieuw", data=upload_data(b"Een ander verslag.", "ander.txt", title="", kept=token))
    assert "Gekozen bestand: <strong>ander.txt</strong>" in response.text and len(held_files()) == 1
    response = client.post("/documenten/nieuw", data=upload_data(file=None, kept=kept_token(response.text)))
    assert response.status_code == 303 and only_document().current.original_name == "ander.txt"


def test_a_kept_file_is_only_for_its_own_session_and_form(client, app, auth, make_user):
    auth.login()
    token = kept_token(client.post("/documenten/nieuw", data=upload_data(title="")).text)
    assert client.post("/documenten/nieuw", data=upload_data(file=None)).status_code == 422  # the form does not name it
    other = app.test_client()
    assert other.post("/inloggen", data={"email": make_user().email, "password": PASSWORD}).status_code == 303
    response = other.post("/documenten/nieuw", data=upload_data(file=None, kept=token))
    assert response.status_code == 422 and "Kies een bestand." in response.text
    assert "../" not in kept_token(client.post("/documenten/nieuw", data=upload_data(title="")).text)
    for forged in ("../../config.py", "x" * 32, ""):
        response = client.post("/documenten/nieuw", data=upload_data(file=None, kept=forged))
        assert response.status_code == 422 and "Kies een bestand." in response.text
    assert db.session.scalar(db.select(Document)) is None


def test_a_file_that_is_too_large_or_empty_is_not_kept(client, app, auth):
    app.config["DOCUMENT_MAX_BYTES"] = 1000
    auth.login()
    response = client.post("/documenten/nieuw", data=upload_data(b"x" * 2000, title=""))
    assert response.status_code == 422 and "Het bestand is te groot." in response.text and "Gekozen bestand" not in response.text
    response = client.post("/documenten/nieuw", data=upload_data(b"", title=""))
    assert "Het bestand is leeg." in response.text and "Gekozen bestand" not in response.text
    assert held_files() == []


def test_a_kept_file_that_turns_out_wrong_is_dropped(client, auth):
    auth.login()
    token = kept_token(client.post("/documenten/nieuw", data=upload_data(b"MZ\x90\x00" + b"\x00" * 200, "virus.pdf",
                                                                         title="")).text)
    response = client.post("/documenten/nieuw", data=upload_data(file=None, kept=token))
    assert response.status_code == 422 and "Dit soort bestand kan niet" in response.text
    assert "Gekozen bestand" not in response.text and held_files() == []
