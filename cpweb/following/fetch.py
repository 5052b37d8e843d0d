"""Fetching another site's feed without letting that site reach what only this server can reach.

Whoever adds a source chooses an address; the address (or a redirect, or its DNS) may point at
this machine, the local network or a cloud's metadata service. So: http(s) on the usual ports
only; every address the name resolves to must be public; the connection goes to the address that
was checked (no second lookup that could answer differently); each redirect is checked again; and
the whole fetch has a deadline and a byte cap that hold against a slow or endless answer and a
compressed bomb. `allow` names exact "host:port" pairs that skip the address and port checks (the
tests' servers on 127.0.0.1); nothing else does.
"""
import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

DEADLINE_SECONDS = 15
MAX_BYTES = 2_000_000
MAX_REDIRECTS = 3
USER_AGENT = "cpweb-bronnen/1 (+https://www.w3.org/Protocols/)"
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """Why a fetch failed: `code` for the program, the message for the admin (set by the caller)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, 304 (unchanged) or 410 (gone for good)
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 6 and (ip.sixtofour or (ip.teredo and ip.teredo[1])):
        embedded = ip.sixtofour or ip.teredo[1]
        if not embedded.is_global:
            return False
    return ip.is_global and not ip.is_multicast


def checked_address(host: str, port: int, allowed: bool) -> str:
    """The one address to connect to, after every address of the name passed the check."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError("dns", str(error)) from error
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError("dns", host)
    if not allowed and not all(_public(address) for address in addresses):
        raise FetchError("private_address", ", ".join(addresses))
    return addresses[0]


class _Deadline:
    def __init__(self, seconds: float):
        self.ends = time.monotonic() + seconds

    def left(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0:
            raise FetchError("timeout")
        return left


def _connect(scheme: str, host: str, port: int, address: str, deadline: _Deadline) -> socket.socket:
    try:
        sock = socket.create_connection((address, port), timeout=deadline.left())
        if scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
    except (OSError, ssl.SSLError) as error:
        if isinstance(error, TimeoutError):
            raise FetchError("timeout") from error
        raise FetchError("connect", str(error)) from error
    return sock


def _read_body(response: http.client.HTTPResponse, sock: socket.socket, deadline: _Deadline, max_bytes: int) -> bytes:
    encoding = (response.getheader("Content-Encoding") or "").strip().lower()
    inflate = {"gzip": zlib.decompressobj(16 + zlib.MAX_WBITS), "deflate": zlib.decompressobj()}.get(encoding)
    if encoding and encoding != "identity" and inflate is None:
        raise FetchError("encoding", encoding)
    parts, size, raw = [], 0, 0
    while True:
        sock.settimeout(deadline.left())
        try:
            chunk = response.read1(65536)  # one read from the socket at most: the deadline holds
        except TimeoutError as error:
            raise FetchError("timeout") from error
        except (OSError, http.client.HTTPException) as error:
            raise FetchError("connect", str(error)) from error
        if not chunk:
            break
        raw += len(chunk)
        if inflate is not None:
            chunk = inflate.decompress(chunk, max_bytes + 1 - size)
            if inflate.unconsumed_tail:
                raise FetchError("too_large")
        size += len(chunk)
        if size > max_bytes or raw > max_bytes:
            raise FetchError("too_large")
        parts.append(chunk)
    return b"".join(parts)


def fetch(url: str, *, etag: str | None = None, last_modified: str | None = None, allow: frozenset = frozenset(),
          deadline_seconds: float = DEADLINE_SECONDS, max_bytes: int = MAX_BYTES) -> Fetched:
    deadline = _Deadline(deadline_seconds)
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("scheme", url)
        if parts.username or parts.password:
            raise FetchError("scheme", "user in address")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FetchError("scheme", str(error)) from error
        allowed = f"{parts.hostname}:{port}" in allow
        if not allowed and port not in (80, 443):
            raise FetchError("port", str(port))
        address = checked_address(parts.hostname, port, allowed)
        sock = _connect(parts.scheme, parts.hostname, port, address, deadline)
        connection = http.client.HTTPConnection(parts.hostname, port)
        connection.sock = sock  # the checked address, already connected: http.client looks nothing up
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip",
                   "Accept": "text/calendar, application/atom+xml, application/rss+xml, application/xml;q=0.9"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = None
        try:
            try:
                target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                connection.request("GET", target, headers=headers)
                sock.settimeout(deadline.left())
                response = connection.getresponse()
            except TimeoutError as error:
                raise FetchError("timeout") from error
            except (OSError, http.client.HTTPException) as error:
                raise FetchError("connect", str(error)) from error
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchError("status", str(response.status))
                url = urljoin(url, location)
                continue
            if response.status in (304, 410):
                return Fetched(response.status)
            if response.status != 200:
                raise FetchError("status", str(response.status))
            body = _read_body(response, sock, deadline, max_bytes)
            return Fetched(200, body, response.getheader("ETag"), response.getheader("Last-Modified"))
        finally:
            if response is not None:
                response.close()  # it holds the socket's file: closing the connection alone leaves it open
            connection.close()
    raise FetchError("redirects")
