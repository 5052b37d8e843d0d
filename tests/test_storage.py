"""Files in an S3-compatible store (cpweb.core.filestore), against a real S3 server: moto's standalone
server, a process of its own reached over HTTP by boto3 (tests/conftest.py, `s3_server`). Downloads
stream with ranges passed on, or go to a short-lived link, after the check of who may see the file;
a failed commit leaves no object behind; `cpweb storage check` and `cpweb storage migrate`."""
import hashlib
import io
import os
import tracemalloc
import urllib.request
import uuid

import pytest
from werkzeug.datastructures import FileStorage

from cpweb.core.extensions import db
from cpweb.core.filestore import S3Store, store
from cpweb.documents import logic, storage
from cpweb.documents.models import DocumentCategory, DocumentVersion
from tests.conftest import S3_BUCKET, make_test_app, s3_config

TEXT = b"Werkboek voor de clientenraad over re-integratie. " * 40


@pytest.fixture
def app(tmp_path, monkeypatch, schema_template, s3_server):
    """A site whose files are in the S3 server, under a prefix of its own."""
    app = make_test_app(tmp_path, monkeypatch, SQLALCHEMY_DATABASE_URI=schema_template.copy(tmp_path),
                        **s3_config(s3_server))
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def document(app, make_user):
    made = logic.store_upload(FileStorage(io.BytesIO(TEXT), filename="werkboek.txt"), title="Werkboek",
                              uploaded_by=make_user(role="secretaris"))
    db.session.commit()
    return made


def test_the_site_keeps_its_files_in_the_s3_server_not_on_disk(app, document, tmp_path):
    assert isinstance(store(), S3Store)
    key = f"{store().name('documents')}/{document.current.stored_name}"
    assert store().client.get_object(Bucket=S3_BUCKET, Key=key)["Body"].read() == TEXT
    assert store().size(f"documents/{document.current.stored_name}") == len(TEXT)
    assert not (tmp_path / "uploads" / "documents").exists()
    assert list((tmp_path / "uploads" / "parts").iterdir()) == []  # the received file went to the store


def test_a_download_streams_from_the_store_after_the_audience_check(client, auth, document):
    path = f"/documenten/{document.id}/download"
    assert client.get(path).status_code != 200  # a guest: members only
    auth.login()
    response = client.get(path)
    assert response.status_code == 200 and response.data == TEXT
    assert response.headers["Content-Length"] == str(len(TEXT)) and response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Disposition"] == "attachment; filename=werkboek.txt"
    assert response.headers["ETag"] == f'"{document.current.sha256}"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_range_is_passed_to_the_store_and_conditions_answered(client, auth, document):
    auth.login()
    path, sha256 = f"/documenten/{document.id}/download", document.current.sha256
    part = client.get(path, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.data == TEXT[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(TEXT)}" and part.headers["Content-Length"] == "10"
    assert client.get(path, headers={"Range": f"bytes={len(TEXT) + 5}-"}).status_code == 416
    assert client.get(path, headers={"If-None-Match": f'"{sha256}"'}).status_code == 304
    whole = client.get(path, headers={"Range": "bytes=10-19", "If-Range": '"another"'})
    assert whole.status_code == 200 and whole.data == TEXT


def test_a_presigned_download_is_a_short_link_given_only_after_the_audience_check(app, client, auth, document,
                                                                                  make_user):
    app.config["S3_PRESIGNED_DOWNLOADS"] = True
    app.extensions.pop("cpweb_filestore")  # the store is made once, from the settings
    path = f"/documenten/{document.id}/download"
    guest = client.get(path)
    assert app.config["S3_ENDPOINT_URL"] not in guest.headers.get("Location", "")
    auth.login()
    response = client.get(path)
    assert response.status_code == 303
    link = response.headers["Location"]
    assert link.startswith(app.config["S3_ENDPOINT_URL"]) and "X-Amz-Expires=60" in link
    with urllib.request.urlopen(link) as answer:  # noqa: S310 - the test's own server
        assert answer.read() == TEXT
        assert answer.headers["Content-Disposition"] == "attachment; filename=werkboek.txt"
        assert answer.headers["Content-Type"].startswith("text/plain")


def test_a_large_download_from_the_store_does_not_hold_the_file_in_memory(client, auth, document, tmp_path):
    """24 MB of random bytes, read through the app while tracemalloc counts: the peak stays near one
    chunk (0.35 MB measured; 25.5 MB when the view reads the object whole)."""
    size = 24 * 1024 * 1024
    large, digest = tmp_path / "groot.bin", hashlib.sha256()
    with large.open("wb") as out:
        for _n in range(size // (1024 * 1024)):
            chunk = os.urandom(1024 * 1024)
            digest.update(chunk)
            out.write(chunk)
    version = document.current
    store().put(f"documents/{version.stored_name}", large)
    version.size, version.sha256 = size, digest.hexdigest()
    db.session.commit()
    auth.login()
    received, count = hashlib.sha256(), 0
    tracemalloc.start()  # before the request: its view asks the store for the object
    try:
        response = client.get(f"/documenten/{document.id}/download", buffered=False)
        with response:
            for chunk in response.iter_encoded():
                received.update(chunk)
                count += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == size and received.hexdigest() == version.sha256
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes"


def test_a_failed_commit_removes_the_object_it_stored(app, make_user):
    user = make_user()
    logic.store_upload(FileStorage(io.BytesIO(b"hallo"), filename="a.txt"), title="t", uploaded_by=user)
    assert len(storage.stored_files()) == 1  # in the store before the commit
    db.session.add(DocumentCategory(key="werkboek", label="Nog een werkboek", position=99))  # the key is taken
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.commit()
    db.session.rollback()
    assert storage.stored_files() == {}


def test_a_store_that_cannot_be_reached_refuses_the_upload_in_dutch(app, client, auth, s3_server):
    app.config["S3_ENDPOINT_URL"] = "http://127.0.0.1:9"  # nothing listens on the discard port
    app.extensions.pop("cpweb_filestore", None)
    auth.login()
    response = client.post("/documenten/nieuw", content_type="multipart/form-data", data={
        "title": "Werkboek", "description": "", "category": "werkboek", "tags": "", "body": "",
        "visibility": "members", "file": (io.BytesIO(TEXT), "werkboek.txt")})
    assert response.status_code == 422
    assert "De server kan dit bestand nu niet opslaan. Er is niets opgeslagen." in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(DocumentVersion)) == 0


def test_healthz_says_whether_this_server_reaches_the_bucket(app, client):
    assert client.get("/healthz").json["checks"]["storage"] == {"ok": True, "kind": "s3"}
    app.config["S3_ENDPOINT_URL"] = "http://127.0.0.1:9"
    app.extensions.pop("cpweb_filestore", None)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["checks"]["storage"]["ok"] is False


def test_storage_check_lists_files_without_rows_and_rows_without_files(app, runner, document, tmp_path):
    result = runner.invoke(args=["cpweb", "storage", "check"])
    assert result.exit_code == 0 and "0 bestanden zonder rij, 0 rijen zonder bestand" in result.output
    stray = tmp_path / "stray"
    stray.write_bytes(b"x")
    store().put("documents/0123456789abcdef0123456789abcdef", stray)
    storage.remove(document.current.stored_name)
    result = runner.invoke(args=["cpweb", "storage", "check"])
    assert result.exit_code == 1
    assert "zonder rij: 0123456789abcdef0123456789abcdef" in result.output
    assert f"ontbreekt: {document.current.stored_name}" in result.output
    assert "1 bestanden zonder rij, 1 rijen zonder bestand" in result.output


def test_migrate_copies_a_local_sites_files_and_checks_each_by_sha256(tmp_path, monkeypatch, schema_template,
                                                                      s3_server, make_user):
    local = make_test_app(tmp_path / "site", monkeypatch, SQLALCHEMY_DATABASE_URI=schema_template.copy(tmp_path),
                          **{**s3_config(s3_server), "STORAGE_URL": ""})
    target = f"s3://{S3_BUCKET}/{uuid.uuid4().hex}"
    with local.app_context():
        user = make_user()
        names = []
        for n in range(3):
            made = logic.store_upload(FileStorage(io.BytesIO(TEXT + str(n).encode()), filename=f"{n}.txt"), title=str(n),
                                      uploaded_by=user)
            names.append(made.current.stored_name)
        db.session.commit()
        assert (tmp_path / "site" / "uploads" / "documents" / names[0]).is_file()
        runner = local.test_cli_runner()
        result = runner.invoke(args=["cpweb", "storage", "migrate", "--to", target])
        assert result.exit_code == 0, result.output
        assert f"3 bestanden staan in S3Store('{target}') en kloppen (sha256); 0 niet." in result.output
        assert f"Zet nu STORAGE_URL={target}" in result.output
        (tmp_path / "site" / "uploads" / "documents" / names[1]).write_bytes(b"changed on disk")
        again = runner.invoke(args=["cpweb", "storage", "migrate", "--to", target])
        assert again.exit_code == 0, "what is there and right is not copied again"
        (tmp_path / "site" / "uploads" / "documents" / names[2]).write_bytes(b"changed on disk")
        s3 = S3Store(S3_BUCKET, target[len(f"s3://{S3_BUCKET}/"):], endpoint_url=s3_server, region="us-east-1",
                     access_key_id="test", secret_access_key="test")
        s3.delete(f"documents/{names[2]}")
        failed = runner.invoke(args=["cpweb", "storage", "migrate", "--to", target])
        assert failed.exit_code == 1 and "niet wat zijn rij zegt" in failed.output
        assert not s3.exists(f"documents/{names[2]}")
        assert runner.invoke(args=["cpweb", "storage", "migrate", "--to", "/tmp/elders"]).exit_code == 2
        db.session.remove()
    moved = make_test_app(tmp_path / "moved", monkeypatch, SQLALCHEMY_DATABASE_URI=local.config["SQLALCHEMY_DATABASE_URI"],
                          **s3_config(s3_server, target.split("/", 3)[3]))
    with moved.app_context():
        with storage.open_stored(names[0]) as stored:
            assert stored.read() == TEXT + b"0"
        db.session.remove()
