"""Reminders before dated things. Each feature registers a sender; `cpweb send-reminders` runs them all."""
from datetime import datetime

from .hooks import hooks


def send_all(now: datetime) -> dict[str, int]:
    """Each sender (hooks.reminder_sender) returns the number of e-mails sent; it claims what it
    reminds of, so a second run sends nothing."""
    return {name: fn(now) for name, fn in hooks().reminder_senders.items()}
