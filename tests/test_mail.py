"""The outbox: mails saved with their change, sent after the commit, retried, seen by the admins,
stopped without logging in. The delivery tests talk to a real SMTP server on 127.0.0.1 (aiosmtpd)."""
import asyncio
import re
import socket
import threading
import time
from datetime import UTC, datetime
from datetime import time as clock
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import event

from cpweb.auth.models import User
from cpweb.core.audit import AuditEntry
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today, time_short
from cpweb.core.jobs import cron_jobs
from cpweb.core.privacy import register
from cpweb.core.retention import run_purge
from cpweb.mail import chosen_kinds, outbox, send_mail, send_waiting, transport, wait_for_sending
from cpweb.mail.models import FAILED, SENDING, SENT, WAITING, MailOptOut, OutboxMail
from cpweb.mail.preferences import opted_out
from cpweb.mail.sending import next_try_words, trouble
from cpweb.meetings import logic as meetings
from cpweb.meetings import rules as meeting_rules
from tests.conftest import PASSWORD
from tests.test_html_pages import problems


class SmtpServer:
    """A mail server on 127.0.0.1 that can be down, slow, or refuse an address."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.received: list = []  # the parsed messages, in order of arrival
        self.recipients: list[str] = []  # the envelope's, of each message
        self.refuse: set[str] = set()
        self.delay = 0.0
        self.utf8 = True  # SMTPUTF8: addresses with letters like ö
        self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Dit adres bestaat niet"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(message)
        self.recipients += envelope.rcpt_tos
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=self.utf8)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def addresses(self) -> list[str]:
        return sorted(self.recipients)


@pytest.fixture
def smtp(app):
    """Mail goes to a real SMTP server, which is down until the test starts it."""
    server = SmtpServer()
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False,
                      MAIL_TIMEOUT_SECONDS=5)
    yield server
    wait_for_sending(app)
    server.stop()


@pytest.fixture
def meeting_with_members(app, make_body, make_user):
    """A published meeting of a body with a secretary and members; returns (secretary, meeting, everyone)."""

    def make(members=3):
        body = make_body()
        secretary = make_user(role="secretaris", bodies=[body])
        others = [make_user(bodies=[body]) for _n in range(members)]
        meeting = meetings.create_meetings(body.id, [local_today() + timedelta(days=14)], {
            "title": "Vergadering", "kind": meeting_rules.REGULAR, "location": "Werkplein", "online_url": "",
            "visibility": meeting_rules.MEMBERS, "start": clock(19, 30), "end": clock(21, 0)},
            publish_at=utcnow() - timedelta(hours=1))[0]
        db.session.commit()
        return secretary, meeting, [secretary, *others]

    return make


def rows(status=None) -> list[OutboxMail]:
    query = db.select(OutboxMail).order_by(OutboxMail.id)
    return list(db.session.scalars(query.filter_by(status=status) if status else query))


def later(minutes: int):
    return utcnow() + timedelta(minutes=minutes)


# --- a change and its mails: kept or lost together --------------------------------------------------

def test_a_mail_waits_for_the_commit_and_goes_with_a_rollback(app, mails):
    send_mail("iemand@example.org", "Onderwerp", "Tekst")
    assert mails == [] and [r.status for r in rows()] == [WAITING]  # nothing leaves before the commit
    db.session.rollback()
    db.session.commit()
    assert mails == [] and rows() == []
    send_mail("iemand@example.org", "Onderwerp", "Tekst")
    db.session.commit()
    assert [m.to for m in mails] == ["iemand@example.org"] and [r.status for r in rows()] == [SENT]


def test_a_mail_never_committed_is_an_error_in_tests(app):
    with pytest.raises(RuntimeError, match="never committed"):
        with app.app_context():
            send_mail("iemand@example.org", "Onderwerp", "Tekst")


def test_sending_is_registered_with_cron(app):
    assert "send-mail" in [job.name for job in cron_jobs()]


# --- a real SMTP server ------------------------------------------------------------------------------

def test_server_down_then_up_every_waiting_mail_arrives_once(app, client, auth, smtp, meeting_with_members, runner):
    secretary, meeting, people = meeting_with_members(3)
    auth.login(secretary)
    response = client.post(f"/vergaderingen/{meeting.id}/uitnodigen")
    assert response.status_code == 303  # the change is saved; nobody sees an error
    wait_for_sending(app)
    waiting = rows(WAITING)
    assert len(waiting) == 4 and all(r.attempts == 1 and "Connection refused" in r.last_error for r in waiting)
    assert send_waiting()[SENT] == 0  # cron waits out the pause
    smtp.start()
    assert send_waiting(now=later(6))[SENT] == 4
    assert "0 verstuurd" in runner.invoke(args=["cpweb", "send-mail"]).output  # nothing twice
    assert smtp.addresses() == sorted(p.email for p in people)
    assert {r.status for r in rows()} == {SENT}


def test_send_mail_command_does_not_wait_out_the_pause(app, smtp, runner):
    app.config["MAIL_SEND_AT_ONCE"] = False
    send_mail("iemand@example.org", "Onderwerp", "Tekst")
    db.session.commit()
    assert send_waiting()[WAITING] == 1
    smtp.start()
    result = runner.invoke(args=["cpweb", "send-mail"])
    assert "1 verstuurd, 0 wachten op een nieuwe poging, 0 mislukt" in result.output
    assert smtp.addresses() == ["iemand@example.org"]


def test_a_refused_address_is_marked_and_the_others_arrive(app, client, auth, smtp, meeting_with_members,
                                                           make_user):
    admin = make_user(role="beheerder")
    secretary, meeting, people = meeting_with_members(3)
    smtp.refuse.add(people[2].email)
    smtp.start()
    auth.login(secretary)
    client.post(f"/vergaderingen/{meeting.id}/uitnodigen")
    wait_for_sending(app)
    [refused] = rows(FAILED)
    assert refused.to_address == people[2].email and refused.last_error.startswith("550")
    assert refused.attempts == 1  # refused for good: not tried again
    invited = sorted(p.email for p in people if p is not people[2])
    assert sorted(a for a in smtp.addresses() if a != admin.email) == invited
    notice = next(m for m in smtp.received if m["To"].addresses[0].addr_spec == admin.email)
    assert notice["Subject"] == "E-mails niet verstuurd" and people[2].email in notice.get_body().get_content()
    assert "De mailserver weigerde deze e-mail. Kijk of het e-mailadres klopt." in notice.get_body().get_content()


def test_a_slow_server_does_not_hold_up_the_request(app, client, auth, smtp, meeting_with_members):
    """A server that takes a second a mail: the request must answer well before the first is sent,
    a margin a loaded machine needs, so the four mails take four seconds to arrive."""
    secretary, meeting, people = meeting_with_members(3)
    smtp.delay = 1.0  # 4 s for the four mails, if the request waited for them
    smtp.start()
    auth.login(secretary)
    start = time.perf_counter()
    response = client.post(f"/vergaderingen/{meeting.id}/uitnodigen")
    assert response.status_code == 303 and time.perf_counter() - start < smtp.delay
    wait_for_sending(app)
    assert smtp.addresses() == sorted(p.email for p in people)


def test_a_requests_mails_go_out_once_its_answer_is_closed(app, client, auth, smtp, meeting_with_members):
    """The sending thread starts after the server has written the answer and closed it, so it
    never takes the CPU from the answer (and its time tells nobody whether a mail was made)."""
    secretary, meeting, people = meeting_with_members(1)
    smtp.start()
    auth.login(secretary)
    response = client.post(f"/vergaderingen/{meeting.id}/uitnodigen", buffered=False)
    assert response.status_code == 303
    wait_for_sending(app)
    assert smtp.addresses() == [], "not before the answer is closed"
    response.close()
    wait_for_sending(app)
    assert smtp.addresses() == sorted(p.email for p in people)


def test_two_senders_at_once_send_each_mail_once(app, smtp):
    app.config["MAIL_SEND_AT_ONCE"] = False
    for n in range(8):
        send_mail(f"lid{n}@example.org", f"Bericht {n}", "Tekst")
    db.session.commit()
    smtp.delay = 0.05
    smtp.start()
    start = threading.Barrier(2)
    outcomes = []

    def sender():
        with app.app_context():
            start.wait()
            outcomes.append(send_waiting()[SENT])
            db.session.remove()

    threads = [threading.Thread(target=sender) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(outcomes) == 8 and len(smtp.received) == 8
    assert len({m["Message-ID"] for m in smtp.received}) == 8


class Crash(BaseException):
    """The process dies (kill -9, power cut): nothing after it runs."""


def test_a_crash_between_sending_and_marking_loses_nothing_and_keeps_the_message_id(app, smtp, monkeypatch):
    app.config["MAIL_SEND_AT_ONCE"] = False
    send_mail("iemand@example.org", "Onderwerp", "Tekst")
    db.session.commit()
    smtp.start()
    send = transport.SmtpSender.send

    def send_then_crash(self, to, raw):
        send(self, to, raw)
        raise Crash

    monkeypatch.setattr(transport.SmtpSender, "send", send_then_crash)
    with pytest.raises(Crash):
        send_waiting()
    db.session.rollback()
    monkeypatch.undo()
    [mail] = rows()
    assert mail.status == SENDING and len(smtp.received) == 1
    assert send_waiting()[SENT] == 0  # the claim may still be alive: nobody sends it twice yet
    assert send_waiting(now=later(11))[SENT] == 1  # the claim expired: sent again
    assert mail.status == SENT and mail.attempts == 2
    first, second = smtp.received
    assert first["Message-ID"] == second["Message-ID"] == mail.message_id


@pytest.mark.parametrize("utf8", [True, False])
def test_an_address_with_accents_needs_a_server_that_takes_it(app, smtp, utf8):
    smtp.utf8 = utf8
    smtp.start()
    send_mail("jöhn@example.org", "Onderwerp", "Tekst")
    db.session.commit()
    wait_for_sending(app)
    [mail] = rows()
    if utf8:
        assert mail.status == SENT and smtp.addresses() == ["jöhn@example.org"]
    else:  # refused for good, not tried for two days
        assert mail.status == FAILED and "SMTPUTF8" in mail.last_error and smtp.received == []


def test_visitor_gets_the_receipt_and_later_the_mail(app, client, smtp, runner, municipality_id):
    app.config["SIGNAL_MIN_FILL_SECONDS"] = 0
    html = client.get("/signaal").text
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/signaal", data={
        "started": started, "category": "communicatie", "sentiment": "beter", "municipality": municipality_id,
        "organisation_kind": "uwv", "description": "De brief was niet te begrijpen.", "hp_kleur": "",
        "contact_name": "Jan", "contact_email": "jan@example.org", "consent": "y"})
    assert response.status_code == 303
    receipt = client.get("/signaal/ontvangen")
    assert receipt.status_code == 200 and "S-" in receipt.text
    wait_for_sending(app)
    [waiting] = rows(WAITING)
    assert waiting.to_address == "jan@example.org"
    smtp.start()
    runner.invoke(args=["cpweb", "send-mail"])
    [mail] = smtp.received
    assert mail["To"].addresses[0].addr_spec == "jan@example.org" and "S-" in mail["Subject"]
    assert "/profiel" not in mail.get_body().get_content()  # no members-only page for a visitor


def test_create_user_says_whether_the_invitation_went_out(app, runner, smtp):
    def create(email):
        return runner.invoke(args=["cpweb", "create-user", email, "--name", "Nieuw Lid"]).output

    output = create("eerst@example.org")
    assert "de uitnodiging staat klaar om te verzenden (ConnectionRefusedError" in output and "send-mail" in output
    smtp.start()
    assert "de uitnodiging is verstuurd." in create("daarna@example.org")
    app.config["MAIL_BACKEND"] = "console"
    assert "e-mail is niet ingesteld" in create("console@example.org")


@pytest.fixture
def municipality_id(app):
    from cpweb.bodies.models import Organisation

    organisation = Organisation(name="Gemeente Dongen", kind="gemeente")
    db.session.add(organisation)
    db.session.commit()
    return str(organisation.id)


# --- retries and giving up ---------------------------------------------------------------------------

def test_pauses_grow_and_the_admins_hear_when_it_stops(app, smtp, make_user):
    admin = make_user(role="beheerder")
    app.config["MAIL_SEND_AT_ONCE"] = False
    send_mail("iemand@example.org", "Onderwerp", "Tekst")
    db.session.commit()
    [mail] = rows()
    now = utcnow()
    pauses = []
    for _n in range(4):
        send_waiting(now=now)
        pauses.append(round((mail.next_attempt_at - now).total_seconds() / 60))
        now = mail.next_attempt_at
    assert pauses == [5, 10, 20, 40] and mail.status == WAITING
    send_waiting(now=mail.first_failed_at + timedelta(hours=app.config["MAIL_GIVE_UP_HOURS"]))
    assert mail.status == FAILED and mail.finished_at is not None
    [notice] = [r for r in rows() if r.to_address == admin.email]
    assert notice.status == WAITING and b"iemand@example.org" in notice.message


# --- the message itself ----------------------------------------------------------------------------

def test_plain_text_from_the_site_with_reply_to_and_a_message_id(app, make_user, mails):
    member = make_user(name="Karin Bakker")
    send_mail(member, "Herinnering: vergadering", "Tot donderdag.\n\nGroet, het secretariaat", kind="reminders")
    db.session.commit()
    message = mails[-1].message
    assert message["From"].addresses[0].display_name == app.config["SITE_NAME"]
    assert message["To"].addresses[0].display_name == "Karin Bakker"
    assert str(message["Reply-To"]) == app.config["CONTACT_EMAIL"]
    assert message["Message-ID"] == rows()[0].message_id
    assert message.get_content_type() == "text/plain" and message["Content-Transfer-Encoding"] == "quoted-printable"
    body = mails[-1].body
    assert body.startswith("Tot donderdag.") and "Vragen? Stuur een e-mail naar secretariaat@example.org." in body
    assert "/profiel#emails" in body  # a member who can log in may change their choices


def test_optional_kinds_have_an_unsubscribe_link_and_headers(app, make_user, mails):
    member = make_user()
    send_mail(member, "Herinnering", "Tekst", kind="reminders")
    send_mail(member, "Nieuw wachtwoord", "Tekst")  # an account mail cannot be stopped
    db.session.commit()
    reminder, account = mails
    link = re.search(r"Meld u af: (\S+)", reminder.body).group(1)
    assert reminder.message["List-Unsubscribe"] == f"<{link}>"
    assert reminder.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Meld u af" not in account.body and account.message["List-Unsubscribe"] is None


def test_mails_to_people_without_an_account_link_to_no_members_page(app, make_user, mails):
    invited = make_user(password=None)  # has not chosen a password yet: cannot log in
    send_mail("gast@example.org", "Gewijzigd", "Tekst", kind="updates")
    send_mail(invited, "Uitnodiging", "Tekst")
    db.session.commit()
    assert all("/profiel" not in mail.body for mail in mails)
    assert "/e-mail/afmelden/" in mails[0].body


def test_an_activity_with_an_address_as_contact_gets_the_replies(client, mails):
    from cpweb.activities import logic as activities
    from cpweb.activities import rules as activity_rules

    activity = activities.save_activity(None, {
        "title": "Kennismaking", "description": "", "kind": "training", "organiser": "lcr", "organiser_name": "",
        "scope": "regionaal", "day": local_today() + timedelta(days=10), "start": clock(10), "end_day": None,
        "end": clock(12), "location": "Werkplein", "online_url": "", "external_url": "",
        "audience": activity_rules.EVERYONE, "capacity": None, "signup_deadline": None,
        "contact": "Piet@Example.org"}, ())
    activity.status = activity_rules.PUBLISHED
    db.session.commit()
    activities.guest_sign_up(activity.id, "Gert Gast", "gert@example.org")
    assert str(mails[-1].message["Reply-To"]) == "Piet@Example.org"
    assert "Vragen? Stuur een e-mail naar Piet@Example.org." in mails[-1].body


# --- stopping mails without logging in ---------------------------------------------------------------

def unsubscribe_link(mail) -> str:
    return re.search(r"Meld u af: http://localhost(\S+)", mail.body).group(1)


def test_a_member_unsubscribes_with_one_click_without_login(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production: the one-click post has no token
    member = make_user()
    send_mail(member, "Herinnering", "Tekst", kind="reminders")
    db.session.commit()
    link = unsubscribe_link(outbox()[-1])
    page = client.get(link)
    assert page.status_code == 200 and "Herinneringen voor vergaderingen" in page.text and "Afmelden" in page.text
    assert "reminders" in chosen_kinds(member)  # opening the link changes nothing
    # RFC 8058: the mail program posts without cookies or a CSRF token.
    response = client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "U bent afgemeld" in response.text
    assert "reminders" not in chosen_kinds(member) and "digest" in chosen_kinds(member)
    assert send_mail(member, "Herinnering", "Tekst", kind="reminders") is False
    assert client.post(link).status_code == 200  # twice is fine


def test_a_guest_unsubscribes_and_the_site_keeps_no_address(client, mails):
    send_mail("Gast@Example.org", "Gewijzigd", "Tekst", kind="updates")
    db.session.commit()
    link = unsubscribe_link(mails[-1])
    assert "gast" not in link.lower()  # the address is not in the link
    page = client.post(link)
    assert "U bent afgemeld" in page.text and "/profiel" not in page.text
    assert opted_out("gast@example.org", "updates") and not opted_out("gast@example.org", "reminders")
    assert all("gast" not in row.address_hash for row in db.session.scalars(db.select(MailOptOut)))
    assert send_mail("gast@example.org", "Gewijzigd", "Tekst", kind="updates") is False
    assert send_mail("gast@example.org", "Aangemeld", "Tekst") is True  # what they asked for still comes
    db.session.commit()


@pytest.mark.parametrize("token", ["onzin", "eyJ4IjoxfQ.abc"])
def test_a_broken_unsubscribe_link_says_what_to_do(client, token):
    response = client.get(f"/e-mail/afmelden/{token}")
    assert response.status_code == 404 and "Deze link werkt niet" in response.text
    assert client.post(f"/e-mail/afmelden/{token}").status_code == 404


# --- what the admins see ------------------------------------------------------------------------------

def test_admin_sees_waiting_failed_and_sent_mails_and_retries(app, client, auth, mails):
    send_mail("verstuurd@example.org", "Verstuurd onderwerp", "Tekst")
    db.session.commit()
    app.config["MAIL_SEND_AT_ONCE"] = False
    send_mail("wacht@example.org", "Wacht onderwerp", "Tekst")
    send_mail("mislukt@example.org", "Mislukt onderwerp", "Tekst")
    db.session.commit()
    waiting, failed = rows(WAITING)
    failed.status, failed.attempts, failed.last_error, failed.finished_at = FAILED, 3, "550 Onbekend adres", utcnow()
    db.session.commit()
    auth.login(role="beheerder")
    html = client.get("/beheer/e-mails").text
    for text in ("wacht@example.org", "Wacht onderwerp", "mislukt@example.org", "550 Onbekend adres",
                 "verstuurd@example.org", "Opnieuw proberen"):
        assert text in html
    assert problems(html) == []
    app.config["MAIL_SEND_AT_ONCE"] = True
    response = client.post(f"/beheer/e-mails/{failed.id}/opnieuw")
    assert response.status_code == 303
    assert failed.status == SENT and mails[-1].to == "mislukt@example.org"
    client.post(f"/beheer/e-mails/{failed.id}/opnieuw")  # sent already: nothing happens
    assert len([m for m in mails if m.to == "mislukt@example.org"]) == 1
    assert client.post("/beheer/e-mails/9999/opnieuw").status_code == 404


def test_banner_when_mail_is_not_set_up(app, client, auth):
    auth.login(role="beheerder")
    assert "E-mail is niet ingesteld" not in client.get("/beheer/").text
    app.config["MAIL_BACKEND"] = "console"
    assert "E-mail is niet ingesteld" in client.get("/beheer/").text


def test_mail_trouble_is_told_to_the_admins_and_the_secretaries_whose_mails_wait(
        app, client, auth, smtp, meeting_with_members, make_body, make_user):
    """The mail server is down: the secretary reads where the invitation goes, not that it went;
    the admins and this body's secretary see on their home page how many mails wait and when the
    next try comes (in Dutch time); a secretary of another body and a member see nothing."""
    secretary, meeting, people = meeting_with_members(3)
    other_secretary = make_user(role="secretaris", bodies=[make_body()])
    admin = make_user(role="beheerder")
    auth.login(secretary)
    response = client.post(f"/vergaderingen/{meeting.id}/uitnodigen", follow_redirects=True)
    assert "De uitnodiging gaat naar 4 mensen." in response.text and "verstuurd naar" not in response.text
    assert "Uitnodiging gemaakt op" in response.text and "Bekijk of de e-mails zijn verstuurd" in response.text
    wait_for_sending(app)
    next_try = time_short(rows(WAITING)[0].next_attempt_at)
    banner = "4 e-mails konden nog niet worden verstuurd; we proberen het opnieuw "
    home = client.get("/").text
    assert banner in home and next_try in home and "Bekijk de e-mails" in home
    auth.logout()
    auth.login(admin)
    for path in ("/", "/beheer/", "/beheer/e-mails"):
        assert banner in client.get(path).text, path
    for user in (other_secretary, people[1]):
        auth.logout()
        auth.login(user)
        assert "konden nog niet worden verstuurd" not in client.get("/").text


def test_a_mail_given_up_stays_in_the_banner_until_it_is_retried(app, client, auth, mails):
    app.config["MAIL_SEND_AT_ONCE"] = False
    send_mail("mislukt@example.org", "Onderwerp", "Tekst")
    db.session.commit()
    [mail] = rows()
    mail.status, mail.attempts, mail.error_kind, mail.finished_at = FAILED, 1, "refused", utcnow()
    db.session.commit()
    auth.login(role="beheerder")
    assert "1 e-mail is niet verstuurd. We proberen het niet meer." in client.get("/").text
    app.config["MAIL_SEND_AT_ONCE"] = True
    client.post("/beheer/e-mails/opnieuw")
    assert mail.status == SENT and "niet verstuurd" not in client.get("/").text


def test_next_try_in_dutch_local_time(app):
    now = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    with app.test_request_context():
        assert next_try_words(now + timedelta(minutes=20), now) == "we proberen het opnieuw om 12:20"  # CEST
        assert next_try_words(datetime(2026, 7, 1, 23, 0, tzinfo=UTC), now) == (
            "we proberen het opnieuw op donderdag 2 juli 2026, 01:00")
        assert next_try_words(now - timedelta(minutes=1), now) == "we proberen het binnen een paar minuten opnieuw"


def test_the_trouble_queries_read_the_status_indexes(app):
    """The banner's queries are on every admin's and secretary's home page: they must find the
    waiting and failed mails through an index, whatever the number of mails sent."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's")
    statements = []

    def listener(*args):
        statements.append((args[2], args[3]))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        trouble()
        trouble([1, 2])
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 2
    for statement, parameters in statements:
        plan = " ".join(str(row[-1]) for row in
                        db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
        assert "INDEX" in plan and "SCAN outbox_mails" not in plan, plan


def test_failure_kinds_in_plain_dutch():
    import smtplib

    def lost(cause):
        try:
            raise transport.ConnectionLost("x") from cause
        except transport.ConnectionLost as error:
            return error

    assert transport.failure_kind(lost(ConnectionRefusedError(111, "Connection refused"))) == "unreachable"
    assert transport.failure_kind(lost(smtplib.SMTPAuthenticationError(535, b"no"))) == "settings"
    assert transport.failure_kind(transport.PermanentFailure("550")) == "refused"
    assert transport.failure_kind(transport.TemporaryFailure("451")) == "busy"
    assert transport.failure_kind(ValueError("bug")) == "unknown"


def test_the_outbox_tells_ready_retrying_and_failed_apart_in_plain_dutch(app, client, auth, smtp):
    app.config["MAIL_SEND_AT_ONCE"] = False
    for address in ("klaar@example.org", "later@example.org", "mislukt@example.org"):
        send_mail(address, "Onderwerp", "Tekst")
    db.session.commit()
    ready, retrying, failed = rows()
    send_waiting(ids=[retrying.id, failed.id])  # the server is down
    failed.status, failed.error_kind, failed.last_error = FAILED, "refused", "550 5.1.1 Dit adres bestaat niet"
    db.session.commit()
    auth.login(role="beheerder")
    html = client.get("/beheer/e-mails").text
    assert problems(html) == []
    assert html.count("<strong>Staat klaar</strong>") == 1
    assert "<strong>Wacht op een nieuwe poging</strong>: we proberen het opnieuw " in html
    assert time_short(retrying.next_attempt_at) in html
    assert "De mailserver was niet bereikbaar." in html
    assert "De mailserver weigerde deze e-mail. Kijk of het e-mailadres klopt." in html
    # The technical text only behind a details element.
    technical = re.findall(r'<details><summary>Wat de mailserver zei</summary><p class="technical">([^<]+)</p>', html)
    assert any("Connection refused" in t for t in technical) and "550 5.1.1 Dit adres bestaat niet" in technical
    assert html.count("Connection refused") == 1
    assert "Alles opnieuw proberen" in html
    smtp.start()
    app.config["MAIL_SEND_AT_ONCE"] = True
    response = client.post("/beheer/e-mails/opnieuw", follow_redirects=True)
    assert "3 e-mails staan weer klaar om te versturen." in response.text
    wait_for_sending(app)
    assert {r.status for r in rows()} == {SENT}
    assert smtp.addresses() == ["klaar@example.org", "later@example.org", "mislukt@example.org"]
    assert "Er wacht geen e-mail." in client.post("/beheer/e-mails/opnieuw", follow_redirects=True).text


def test_the_outbox_keeps_its_words_whole(app):
    """Words in the outbox's tables stay whole ("Pogingen", not "Pogi ngen")."""
    css = (Path(app.static_folder) / "css" / "site.css").read_text()
    assert ".mail-table th, .mail-table td { overflow-wrap: break-word; }" in css
    assert "break-all" not in "".join(rule for rule in css.split("}") if ".mail-table" in rule)


def test_a_secretary_sees_and_retries_only_the_mails_of_their_own_bodies(app, client, auth, make_body, mails):
    body, other = make_body(), make_body()
    app.config["MAIL_SEND_AT_ONCE"] = False
    send_mail("eigen@example.org", "Eigen onderwerp", "Tekst", body_id=body.id)
    send_mail("ander@example.org", "Ander onderwerp", "Tekst", body_id=other.id)
    send_mail("beheer@example.org", "Zonder orgaan", "Tekst")
    db.session.commit()
    own, others, site = rows()
    auth.login(role="lid", bodies=[body])
    assert client.get("/beheer/e-mails").status_code == 403
    assert client.post("/beheer/e-mails/opnieuw").status_code == 403
    auth.logout()
    auth.login(role="secretaris", bodies=[body])
    html = client.get("/beheer/e-mails").text
    assert "eigen@example.org" in html and "ander@example.org" not in html and "beheer@example.org" not in html
    assert "Leden</a>" not in html  # no admin tabs: they lead to pages a secretary may not open
    assert problems(html) == []
    assert client.post(f"/beheer/e-mails/{others.id}/opnieuw").status_code == 404
    app.config["MAIL_SEND_AT_ONCE"] = True
    response = client.post("/beheer/e-mails/opnieuw", follow_redirects=True)
    assert "1 e-mail staat weer klaar om te versturen." in response.text
    assert [m.to for m in mails] == ["eigen@example.org"] and others.status == WAITING and site.status == WAITING


def test_healthz_fails_when_a_mail_waits_too_long(app, client):
    app.config["MAIL_SEND_AT_ONCE"] = False
    assert client.get("/healthz").json["checks"]["mail"] == {
        "ok": True, "oldest_waiting_s": 0, "max_age_s": 3600, "failing_for_s": 0, "max_failing_s": 1200}
    send_mail("iemand@example.org", "Onderwerp", "Tekst")
    db.session.commit()
    rows()[0].created_at = utcnow() - timedelta(minutes=61)
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503 and not response.json["checks"]["mail"]["ok"]
    assert response.json["checks"]["mail"]["oldest_waiting_s"] >= 3660


def test_healthz_fails_when_a_mail_keeps_failing_after_its_first_try(app, client):
    app.config["MAIL_SEND_AT_ONCE"] = False
    send_mail("iemand@example.org", "Onderwerp", "Tekst")
    db.session.commit()
    mail = rows()[0]
    mail.first_failed_at = utcnow() - timedelta(minutes=19)
    db.session.commit()
    assert client.get("/healthz").status_code == 200
    mail.first_failed_at = utcnow() - timedelta(minutes=21)
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["checks"]["mail"]["failing_for_s"] >= 21 * 60


def test_sent_mails_are_purged_and_in_the_register(app):
    send_mail("oud@example.org", "Oud", "Tekst")
    send_mail("nieuw@example.org", "Nieuw", "Tekst")
    db.session.commit()
    old, new = rows()
    old.finished_at = utcnow() - timedelta(days=app.config["MAIL_RETENTION_DAYS"] + 1)
    db.session.commit()
    assert run_purge(utcnow(), dry_run=True)["sent mails"] == 1
    run_purge(utcnow())
    db.session.commit()
    assert [r.to_address for r in rows()] == ["nieuw@example.org"]
    assert {"Verstuurde e-mails", "Afmeldingen voor e-mails"} <= {str(entry.name) for entry in register()}


# --- honest messages, and links an admin can pass on ------------------------------------------------

def test_invitation_says_it_is_ready_to_send_and_the_admin_can_show_the_link_once(client, auth, mails):
    admin = auth.login(role="beheerder")
    response = client.post("/beheer/leden/uitnodigen", data={"name": "Karin Bakker", "email": "karin@example.org",
                                                             "role": "lid"}, follow_redirects=True)
    assert "De uitnodiging voor Karin Bakker staat klaar om te verzenden." in response.text
    karin = db.session.scalar(db.select(User).filter_by(email="karin@example.org"))
    page = client.post(f"/beheer/leden/{karin.id}/link")
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"] and problems(page.text) == []
    link = re.search(r'id="copy-link" type="text" readonly value="http://localhost([^"]+)"', page.text).group(1)
    assert "/wachtwoord/invitation/" in link
    assert "copy-link" not in client.get(f"/beheer/leden/{karin.id}").text  # shown once
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="link_shown"))
    assert entry.actor_id == admin.id and entry.subject_id == karin.id
    auth.logout()
    response = client.post(link, data={"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 303


def test_admin_sends_or_shows_a_password_link_for_a_member(client, auth, make_user, mails):
    member = make_user()
    auth.login(role="beheerder")
    response = client.post(f"/beheer/leden/{member.id}/wachtwoordlink", follow_redirects=True)
    assert "staat klaar om te verzenden" in response.text
    assert mails[-1].to == member.email and "/wachtwoord/password-reset/" in mails[-1].body
    page = client.post(f"/beheer/leden/{member.id}/link")
    assert "/wachtwoord/password-reset/" in page.text and "De link werkt 24 uur." in page.text
    member.is_active_member = False
    db.session.commit()
    assert client.post(f"/beheer/leden/{member.id}/link").status_code == 303
    assert client.post(f"/beheer/leden/{member.id}/wachtwoordlink").status_code == 303
    assert len(mails) == 1
