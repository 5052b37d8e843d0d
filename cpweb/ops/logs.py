"""Structured logs: one JSON object per line on stdout (the journal under systemd), one line per
request with its id, and every error with its traceback inside that same line.

No IP addresses: a client who sends a signal anonymously must not be traceable through the log
(path and time of a POST /signaal plus an address would do that)."""
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_SECRET_SEGMENT = re.compile(r"[^/]{32,}")  # signed links and feed secrets in paths stay out of the log
request_logger = logging.getLogger("cpweb.request")


class JsonFormatter(logging.Formatter):
    FIELDS = ("method", "path", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id is None and has_request_context():
            request_id = g.get("request_id")
        if request_id:
            data["request_id"] = request_id
        data.update({key: getattr(record, key) for key in self.FIELDS if hasattr(record, key)})
        if record.exc_info:
            data["traceback"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is at the time (pytest swaps it per test)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, value):
        pass


def configure_logging(app: Flask) -> None:
    """Once per process: the "cpweb" logger (app.logger) writes JSON lines to stdout."""
    logger = logging.getLogger("cpweb")
    logger.removeHandler(default_handler)
    if not any(isinstance(h, StdoutHandler) for h in logger.handlers):
        handler = StdoutHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(app.config["LOG_LEVEL"])


def _start_request():
    incoming = request.headers.get("X-Request-Id", "")
    g.request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_start = time.perf_counter()


def _log_request(response):
    start = g.get("request_start")
    if start is None:  # a response made before our before_request ran
        _start_request()
        start = g.request_start
    response.headers["X-Request-Id"] = g.request_id
    duration_ms = round((time.perf_counter() - start) * 1000, 1)
    path = _SECRET_SEGMENT.sub("…", request.path)
    request_logger.info("%s %s %s %.1f ms", request.method, path, response.status_code, duration_ms,
                        extra={"request_id": g.request_id, "method": request.method, "path": path, "status": response.status_code,
                               "duration_ms": duration_ms})
    return response


def init_app(app: Flask) -> None:
    configure_logging(app)
    # First before, last after: the id exists for every other hook, the duration covers them all.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.after_request_funcs.setdefault(None, []).insert(0, _log_request)
