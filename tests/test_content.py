"""Markdown sanitising, Dutch dates, mail delivery."""
import re
from datetime import UTC, date, datetime

import pytest

from cpweb.core.extensions import db
from cpweb.core.i18n import date_long, datetime_long, number
from cpweb.mail import outbox, send_mail, wait_for_sending
from cpweb.web.markdown import render_markdown


@pytest.mark.parametrize("source, forbidden", [
    ("<script>alert(1)</script>", "<script"),
    ("[klik](javascript:alert(1))", "javascript:"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ("<iframe src='https://evil.example'></iframe>", "<iframe"),
    ('<a href="https://x.example" onclick="steal()">x</a>', "onclick"),
])
def test_markdown_removes_anything_that_runs(source, forbidden):
    assert forbidden not in render_markdown(source)


def test_markdown_keeps_formatting():
    html = render_markdown("# Titel\n\n**vet** en [link](https://example.org)\n\n- een\n- twee")
    assert "<h2>Titel</h2>" in html and "<h1>" not in html
    assert "<strong>vet</strong>" in html and "<li>een</li>" in html
    assert 'rel="nofollow noopener noreferrer"' in html


@pytest.mark.parametrize("source, top, levels", [
    ("## Stap 1\n\n## Stap 2", 2, [2, 2]),  # texts that start at ## sit right under the page's h1
    ("# Titel\n\n## Deel", 2, [2, 3]),
    ("## A\n\n#### B\n\n### C\n\n## D", 2, [2, 3, 3, 2]),  # a skipped level is closed up
    ("### a\n\n# b\n\n## c", 2, [2, 2, 3]),
    ("# A\n\n## B", 4, [4, 5]),  # under an agenda item's h3
    ("# 1\n\n## 2\n\n### 3\n\n#### 4", 4, [4, 5, 6, 6]),  # deeper than h6 stays h6
    ("<h1>Rauw</h1>\n\n<h4>ook</h4>", 3, [3, 4]),  # headings typed as HTML too
    ("    <h1>code</h1>", 2, []),  # in code it is text
])
def test_markdown_headings_sit_under_the_heading_above_them(source, top, levels):
    html = render_markdown(source, top=top)
    assert [int(opening) for opening, closing in re.findall(r"<h([1-6])>[^<]*</h([1-6])>", html)
            if opening == closing] == levels
    assert len(re.findall(r"<h[1-6]", html)) == len(levels)


def test_markdown_headings_never_start_at_h1():
    with pytest.raises(ValueError):
        render_markdown("# Titel", top=1)


def test_markdown_of_nothing_is_empty():
    assert render_markdown(None) == ""


def test_dates_in_dutch_and_in_amsterdam_time(app):
    with app.test_request_context():
        assert date_long(date(2026, 5, 19)) == "dinsdag 19 mei 2026"
        # 12:00 UTC is 14:00 in Amsterdam in May (summer time), 13:00 in January.
        assert datetime_long(datetime(2026, 5, 21, 12, 0, tzinfo=UTC)) == "donderdag 21 mei 2026, 14:00"
        assert datetime_long(datetime(2026, 1, 15, 12, 0, tzinfo=UTC)) == "donderdag 15 januari 2026, 13:00"


def test_numbers_in_dutch_without_a_needless_zero(app):
    with app.test_request_context():
        assert [number(12.5), number(40.0), number(1234.5), number(None)] == ["12,5", "40", "1.234,5", "-"]


def test_console_mail_goes_to_the_log(app, caplog):
    app.config["MAIL_BACKEND"] = "console"
    with app.test_request_context(), caplog.at_level("INFO"):
        send_mail("iemand@example.org", "Onderwerp", "Tekst")
        db.session.commit()  # mails wait in the outbox until the change that made them is saved
    assert "iemand@example.org" in caplog.text and "Onderwerp" in caplog.text


def test_smtp_mail_is_sent_through_the_configured_server(app, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append((host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent.append("tls")

        def login(self, user, password):
            sent.append(("login", user))

        def sendmail(self, sender, recipients, message, mail_options=()):
            sent.extend(recipients)

        def quit(self):
            sent.append("quit")

    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="mail.example.org", MAIL_USERNAME="cpweb", MAIL_PASSWORD="x")
    with app.test_request_context():
        send_mail("iemand@example.org", "Onderwerp", "Tekst")
        db.session.commit()
    wait_for_sending(app)
    assert sent == [("mail.example.org", 587), "tls", ("login", "cpweb"), "iemand@example.org", "quit"]
    assert outbox() == []
