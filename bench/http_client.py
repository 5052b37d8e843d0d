"""A tiny HTTP client (keep-alive, cookies) and a bounded load generator for 127.0.0.1 only."""
import re
import secrets
import threading
import time
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode


class Client:
    """One connection with a cookie jar; reconnects by itself when the server closes (sync workers)."""

    def __init__(self, port: int, headers: dict | None = None):
        self.conn = HTTPConnection("127.0.0.1", port, timeout=10)
        self.cookies: dict[str, str] = {}
        self.headers = headers or {}  # sent with every request (e.g. X-Forwarded-For)

    def request(self, method: str, path: str, form: dict | None = None,
                files: dict[str, tuple[str, bytes]] | None = None) -> tuple[int, bytes]:
        """`files` (name: (file name, bytes)) sends the form as multipart/form-data."""
        headers = dict(self.headers)
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if files:
            body, headers["Content-Type"] = multipart(form or {}, files)
        elif form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        kept_alive = self.conn.sock is not None
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (ConnectionError, OSError):
            # The server closed a kept-alive connection between requests: try once more. On a new
            # connection the failure is the server's answer (a worker killed mid-request), so it counts.
            self.conn.close()
            if not kept_alive:
                raise
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, data

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)

    def login(self, email: str, password: str) -> None:
        status, page = self.get("/inloggen")
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        if status != 200 or not match:
            raise RuntimeError(f"login form not found (status {status})")
        status, _ = self.request("POST", "/inloggen", form={
            "email": email, "password": password, "csrf_token": match.group(1).decode()})
        if status not in (302, 303):
            raise RuntimeError(f"login failed (status {status})")

    def close(self) -> None:
        self.conn.close()


def multipart(form: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """(body, Content-Type) of a multipart/form-data request with these fields and files."""
    boundary = "cpweb" + secrets.token_hex(8)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in form.items()]
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def python_load(port: int, path: str, seconds: float, threads: int = 8,
                max_requests: int = 200_000) -> dict:
    """Fallback when wrk is missing: threads with keep-alive connections, bounded by time and count.

    The GIL makes this a lower bound: the client itself may be the bottleneck.
    """
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    counts = {"ok": 0, "other": 0, "errors": 0}

    def worker() -> None:
        client = Client(port)
        ok = other = errors = 0
        while time.perf_counter() < deadline and ok + other + errors < max_requests // threads:
            try:
                status, _ = client.get(path)
                if 200 <= status < 400:
                    ok += 1
                else:
                    other += 1
            except OSError:
                errors += 1
                client.close()
        client.close()
        with lock:
            counts["ok"] += ok
            counts["other"] += other
            counts["errors"] += errors

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(seconds + 15)
    elapsed = time.perf_counter() - started
    total = counts["ok"] + counts["other"]
    return {"tool": f"python ({threads} threads)", "requests": total,
            "requests_per_s": total / elapsed, "non_2xx_3xx": counts["other"],
            "socket_errors": counts["errors"]}
