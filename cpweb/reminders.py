"""Reminders before dated things. Each feature registers a sender; `cpweb send-reminders` runs them all."""
from collections.abc import Callable
from datetime import datetime

# fn(now) -> number of e-mails sent; each sender claims what it reminds of, so a second run sends nothing.
_senders: dict[str, Callable[[datetime], int]] = {}


def reminder_sender(name: str):
    def register(fn):
        _senders[name] = fn
        return fn

    return register


def send_all(now: datetime) -> dict[str, int]:
    return {name: fn(now) for name, fn in _senders.items()}
