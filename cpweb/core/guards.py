"""A guard: a rule that says, in Dutch, why something cannot be done in this state (or None when it
can). Each feature keeps its own rules; logic raises `Refused` with the reason, so the view can
say it instead of doing it, and the page can show the same reason where the button would be."""


class Refused(Exception):
    """What a person asked for is not possible now; `reason` says why, in Dutch."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = str(reason)


def check(reason) -> None:
    """Stop with `Refused` when a rule gave a reason."""
    if reason:
        raise Refused(reason)
