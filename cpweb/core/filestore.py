"""Where uploaded files live: the instance folder (`<instance>/uploads`, the default), or an
S3-compatible object store (STORAGE_URL=s3://bucket/prefix), so that more than one app server can
serve one site. One small interface for both: put, open (a stream), delete, exists, size, a listing
for the checks, and the answer that sends a file to a browser.

A key is a relative name such as "documents/3f2a…"; what lies under it is the store's business.
boto3 is imported only by the S3 store, so a site on the local folder never loads it.
"""
import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from flask import current_app, redirect, request, send_file

CHUNK = 64 * 1024
PRESIGNED_SECONDS = 60  # long enough to start a download, too short to pass the link around


class Unavailable(Exception):
    """The store did not take a file (an object store that cannot be reached, or refuses)."""


@dataclass(frozen=True)
class Sending:
    """How a file goes to the browser: its type, its name, and whether it is a download."""

    mimetype: str
    download_name: str
    as_attachment: bool
    etag: str  # the file's sha256: the same file is the same ETag on every server


class LocalStore:
    """Files in a folder; a file is moved in under its key in one rename, so there is never a half
    file under a real name."""

    def __init__(self, root: Path):
        self.root = root

    def __repr__(self) -> str:
        return f"LocalStore({str(self.root)!r})"

    def path(self, key: str) -> Path:
        return self.root / key

    def folder(self, prefix: str) -> Path:
        """A local folder next to the files of `prefix` (for receiving, so the rename stays in one
        file system)."""
        path = self.root / prefix
        path.mkdir(parents=True, exist_ok=True)
        return path

    def put(self, key: str, source: Path) -> None:
        """Keep the local file `source` under `key`; `source` is gone afterwards."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)
        except OSError:  # another file system: copy, then rename, still never half
            part = target.with_name(f".part-{target.name}")
            shutil.copyfile(source, part)
            os.replace(part, target)
            source.unlink(missing_ok=True)

    def open(self, key: str) -> BinaryIO:
        """Raises FileNotFoundError when there is no such file."""
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def size(self, key: str) -> int:
        return self.path(key).stat().st_size

    def list(self, prefix: str) -> Iterator[tuple[str, float]]:
        """(name under the prefix, when it was written) for each file, temporary parts left out."""
        folder = self.root / prefix
        if folder.is_dir():
            for path in folder.iterdir():
                if path.is_file() and not path.name.startswith("."):
                    yield path.name, path.stat().st_mtime

    def check(self) -> dict:
        """For /healthz: the folder itself is checked there with the instance folder."""
        return {"ok": True, "kind": "local"}

    def response(self, key: str, sending: Sending):
        """The file with ranges and conditional requests answered by Flask (a 206, a 304)."""
        path = self.path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        return send_file(path, mimetype=sending.mimetype, as_attachment=sending.as_attachment,
                         download_name=sending.download_name, conditional=True, etag=sending.etag, max_age=0)


class _Body:
    """An S3 object's body for werkzeug: read() and close() only, so no server tries sendfile on it."""

    def __init__(self, body):
        self._body = body

    def read(self, size: int = CHUNK) -> bytes:
        return self._body.read(size)

    def close(self) -> None:
        self._body.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class S3Store:
    """Objects under `prefix/` in one bucket of an S3-compatible store."""

    def __init__(self, bucket: str, prefix: str, *, endpoint_url=None, region=None, access_key_id=None,
                 secret_access_key=None, presigned_downloads=False):
        import boto3  # only a site with STORAGE_URL=s3://… pays for loading it
        from botocore.config import Config

        self.bucket, self.prefix, self.presigned_downloads = bucket, prefix.strip("/"), presigned_downloads
        # Path-style addresses work with every S3-compatible server (MinIO, Garage, Ceph, moto);
        # retries in "standard" mode ride out a short hiccup of the store.
        config = Config(signature_version="s3v4", retries={"mode": "standard", "max_attempts": 4},
                        s3={"addressing_style": "path"} if endpoint_url else {})
        self.client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None,
                                   aws_access_key_id=access_key_id or None,
                                   aws_secret_access_key=secret_access_key or None, config=config)

    def __repr__(self) -> str:
        return f"S3Store('s3://{self.bucket}/{self.prefix}')"

    def name(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def folder(self, prefix: str) -> Path:
        """Where an upload is received before it goes to the store: the instance folder."""
        path = Path(current_app.instance_path) / "uploads" / "parts"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def put(self, key: str, source: Path) -> None:
        """Send the local file `source` to the store under `key` (one request; an object is never
        half there); `source` is gone afterwards."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            with source.open("rb") as body:
                self.client.put_object(Bucket=self.bucket, Key=self.name(key), Body=body,
                                       ContentLength=source.stat().st_size)
        except (BotoCoreError, ClientError) as error:
            raise Unavailable(str(error)) from error
        source.unlink(missing_ok=True)

    def _missing(self, error) -> bool:
        return error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound")

    def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            return _Body(self.client.get_object(Bucket=self.bucket, Key=self.name(key))["Body"])
        except ClientError as error:
            if self._missing(error):
                raise FileNotFoundError(key) from None
            raise

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.name(key))

    def _head(self, key: str) -> dict | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.name(key))
        except ClientError as error:
            if self._missing(error):
                return None
            raise

    def exists(self, key: str) -> bool:
        return self._head(key) is not None

    def size(self, key: str) -> int:
        head = self._head(key)
        if head is None:
            raise FileNotFoundError(key)
        return head["ContentLength"]

    def list(self, prefix: str) -> Iterator[tuple[str, float]]:
        start = self.name(prefix.strip("/")) + "/"
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
            for item in page.get("Contents", []):
                yield item["Key"][len(start):], item["LastModified"].timestamp()

    def check(self) -> dict:
        """For /healthz: the bucket answers to this key (a HEAD, no data)."""
        self.client.head_bucket(Bucket=self.bucket)
        return {"ok": True, "kind": "s3"}

    def response(self, key: str, sending: Sending):
        """A short-lived link to the store itself (S3_PRESIGNED_DOWNLOADS), or the object passed on
        as it arrives, a Range asked for passed to the store (so a 206 reads only that part)."""
        if self.presigned_downloads:
            # The store sends the name and type that Flask would (send_file's header, with its
            # fallback for names that are not ASCII).
            disposition = send_file(io.BytesIO(), mimetype=sending.mimetype, as_attachment=sending.as_attachment,
                                    download_name=sending.download_name).headers["Content-Disposition"]
            url = self.client.generate_presigned_url("get_object", ExpiresIn=PRESIGNED_SECONDS, Params={
                "Bucket": self.bucket, "Key": self.name(key), "ResponseContentType": sending.mimetype,
                "ResponseContentDisposition": disposition})
            return redirect(url, 303)
        if request.if_none_match.contains(sending.etag):
            response = current_app.response_class(status=304)
            response.set_etag(sending.etag)
            return response
        asked = request.headers.get("Range")
        if request.if_range.etag and request.if_range.etag != sending.etag:
            asked = None  # the browser's part is of another file: send it whole
        return self._object_response(key, sending, asked)

    def _object_response(self, key: str, sending: Sending, asked: str | None):
        from botocore.exceptions import ClientError

        try:
            found = self.client.get_object(Bucket=self.bucket, Key=self.name(key), **({"Range": asked} if asked else {}))
        except ClientError as error:
            if self._missing(error):
                raise FileNotFoundError(key) from None
            if error.response.get("Error", {}).get("Code") == "InvalidRange":
                response = current_app.response_class(status=416)
                response.headers["Content-Range"] = f"bytes */{self.size(key)}"
                return response
            raise
        response = send_file(_Body(found["Body"]), mimetype=sending.mimetype, as_attachment=sending.as_attachment,
                             download_name=sending.download_name, conditional=False, etag=sending.etag, max_age=0)
        response.content_length = found["ContentLength"]
        response.accept_ranges = "bytes"
        if found.get("ContentRange"):
            response.status_code = 206
            response.headers["Content-Range"] = found["ContentRange"]
        return response


def from_url(url: str, config) -> LocalStore | S3Store:
    """The store a STORAGE_URL names: "" for the instance folder, s3://bucket/prefix with the S3_*
    settings for an object store."""
    if not url:
        return LocalStore(Path(current_app.instance_path) / "uploads")
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"STORAGE_URL must be empty or s3://bucket/prefix, not {url!r}")
    return S3Store(parts.netloc, parts.path, endpoint_url=config.get("S3_ENDPOINT_URL"),
                   region=config.get("S3_REGION"), access_key_id=config.get("S3_ACCESS_KEY_ID"),
                   secret_access_key=config.get("S3_SECRET_ACCESS_KEY"),
                   presigned_downloads=bool(config.get("S3_PRESIGNED_DOWNLOADS")))


def store() -> LocalStore | S3Store:
    """This app's store, made once (a boto3 client is safe to share between threads)."""
    made = current_app.extensions.get("cpweb_filestore")
    if made is None:
        made = current_app.extensions["cpweb_filestore"] = from_url(current_app.config.get("STORAGE_URL") or "",
                                                                     current_app.config)
    return made
