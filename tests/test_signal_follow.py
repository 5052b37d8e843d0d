"""A visitor follows their signal with a private link; the council writes them a message; the
contact form for questions that are not signals."""
import re
from datetime import datetime, time, timedelta

import pytest

from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import AMSTERDAM, date_long, local_today
from cpweb.core.privacy import register
from cpweb.meetings import logic as meetings
from cpweb.meetings import rules as meeting_rules
from cpweb.signals import logic, rules
from cpweb.signals.models import Signal, SignalAgendaItem
from tests.test_signals import TEXT, form_data, municipality  # noqa: F401 (fixtures)
from tests.test_signals_agenda import browser, council  # noqa: F401 (a fixture)

LINK = re.compile(r"/signaal/volgen/([A-Za-z0-9_-]+)")


def follow_link(text: str) -> str:
    return "/signaal/volgen/" + LINK.search(text).group(1)


def anonymous_signal(**fields) -> tuple[Signal, str]:
    signal = logic.store_signal({"category": "bejegening", "sentiment": "beter", "organisation_kind": "uwv",
                                 "description": TEXT, **fields})
    db.session.commit()
    return signal, "/signaal/volgen/" + signal.follow_token


def test_the_receipt_and_the_mail_carry_the_private_link(client, form_data, mails):
    client.post("/signaal", data=form_data(contact_name="Jan", contact_email="jan@example.org", consent="y"))
    signal = db.session.scalars(db.select(Signal)).one()
    receipt = client.get("/signaal/ontvangen").text
    link = follow_link(receipt)
    assert link == follow_link(mails[-1].body) and "Volg uw signaal" in receipt
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 40 and signal.reference not in token
    # Only the token's hash is kept.
    assert signal.follow_token_hash != token and token not in str(db.session.execute(
        db.select(Signal.__table__)).all())
    page = client.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    assert signal.reference in page.text and "Ontvangen" in page.text
    assert date_long(signal.created_at) in page.text and "Communicatie en informatie" in page.text
    assert "Jan" not in page.text and "jan@example.org" not in page.text and TEXT not in page.text


def test_an_anonymous_visitor_gets_the_link_on_the_receipt_too(client, form_data, mails):
    client.post("/signaal", data=form_data())
    link = follow_link(client.get("/signaal/ontvangen").text)
    assert client.get(link).status_code == 200 and mails == []


def test_the_same_form_sent_twice_keeps_the_link_on_the_receipt(client, form_data):
    data = form_data()
    client.post("/signaal", data=data)
    first = follow_link(client.get("/signaal/ontvangen").text)
    client.post("/signaal", data=data)
    assert follow_link(client.get("/signaal/ontvangen").text) == first


def test_the_reference_alone_reveals_nothing(client, app):
    signal, link = anonymous_signal()
    for path in (f"/signaal/{signal.reference}", f"/signaal/volgen/{signal.reference}",
                 f"/signaal/volgen/{signal.follow_token_hash}", link[:-1], link + "x", "/signaal/volgen/" + "a" * 500):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Bejegening" not in response.text
    assert "Deze link werkt niet, of niet meer" in client.get(link + "x").text


def test_the_page_says_the_status_as_the_visitor_reads_it(client, app, make_user, council):
    signal, link = anonymous_signal()
    assert "Ontvangen" in client.get(link).text
    secretary = council["secretary"]
    logic.set_status(signal, secretary, rules.IN_PROGRESS, note="Geheime notitie over Piet")
    logic.add_note(signal.id, secretary, "Nog een geheime notitie")
    signal = db.session.get(Signal, signal.id)
    page = client.get(link).text
    assert "In behandeling" in page and "geheime notitie" not in page.lower() and secretary.name not in page
    assert "Geagendeerd" not in page


def test_a_discussed_signal_names_the_meetings_date_not_its_title(client, app, council):
    signal, link = anonymous_signal(status=rules.IN_PROGRESS)
    body = council["receiving"]
    day = local_today() - timedelta(days=3)
    fields = {"kind": meeting_rules.REGULAR, "location": "Werkplein", "online_url": "",
              "start": time(19, 30), "end": time(21, 0)}
    meeting = meetings.create_meetings(body.id, [day], {"title": "Besloten overleg met de wethouder",
                                                        "visibility": "members", **fields}, publish_at=None)[0]
    db.session.add(SignalAgendaItem(signal=signal, agenda_item=meeting.items[0]))
    logic.set_status(signal, council["secretary"], rules.ON_AGENDA)
    db.session.commit()
    assert "In behandeling" in client.get(link).text
    logic.set_status(signal, council["secretary"], rules.DISCUSSED)
    db.session.commit()
    page = client.get(link).text
    when = date_long(datetime.combine(day, time(19, 30), AMSTERDAM))
    assert "Besproken" in page and f"in de vergadering van {when}" in page
    assert "Besloten overleg" not in page
    logic.set_status(signal, council["secretary"], rules.DONE)
    db.session.commit()
    page = client.get(link).text
    assert "Afgerond" in page and f"in de vergadering van {when}" in page


def test_the_secretary_writes_a_message_after_seeing_who_gets_it(app, council, mails):
    signal = council["signal"]  # with Anna Jansen's contact details
    client = browser(app, council["secretary"])
    show = client.get(f"/signalen/{signal.id}").text
    assert f"/signalen/{signal.id}/bericht" in show
    ask = client.get(f"/signalen/{signal.id}/bericht")
    assert ask.status_code == 200 and "Anna Jansen" in ask.text and "1 persoon krijgt een e-mail" in ask.text
    assert mails == []
    empty = client.post(f"/signalen/{signal.id}/bericht", data={"note": "  "})
    assert empty.status_code == 422 and "Schrijf het bericht." in empty.text
    long = client.post(f"/signalen/{signal.id}/bericht", data={"note": "x" * 2001})
    assert long.status_code == 422 and "Gebruik hoogstens 2.000 tekens." in long.text and "x" * 2001 in long.text
    saved = client.post(f"/signalen/{signal.id}/bericht", data={"note": "Wij spraken de gemeente hierover."})
    assert saved.status_code == 303
    assert [m.to for m in mails] == ["anna@example.org"]
    assert "Wij spraken de gemeente hierover." in mails[0].body and signal.reference in mails[0].subject
    assert council["secretary"].name not in mails[0].body
    history = client.get(f"/signalen/{signal.id}").text
    assert "bericht voor de indiener: Wij spraken de gemeente hierover." in history
    assert "wacht om verstuurd te worden" in history


def test_a_message_for_an_anonymous_visitor_mails_nobody(app, council, client, mails):
    signal, link = anonymous_signal()
    secretary_client = browser(app, council["secretary"])
    ask = secretary_client.get(f"/signalen/{signal.id}/bericht").text
    assert "Niemand krijgt een e-mail." in ask and 'name="note"' in ask
    assert secretary_client.post(f"/signalen/{signal.id}/bericht", data={"note": "Dank u, wij gaan ermee aan de slag."}
                                 ).status_code == 303
    assert mails == []
    page = client.get(link).text
    assert "Dank u, wij gaan ermee aan de slag." in page and date_long(local_today()) in page


@pytest.mark.parametrize("who, status", [("reader", 403), ("outsider", 403), (None, 303)])
def test_only_who_handles_the_signal_writes_to_the_visitor(app, council, who, status):
    signal = council["signal"]
    client = browser(app, council[who] if who else None)
    assert client.get(f"/signalen/{signal.id}/bericht").status_code == status
    assert client.post(f"/signalen/{signal.id}/bericht", data={"note": "Hallo"}).status_code == status
    assert not any(event.kind == "message" for event in signal.events)


def test_the_assignee_may_write_to_the_visitor(app, council):
    signal, reader = council["signal"], council["reader"]
    logic.assign(signal.id, council["secretary"], reader.id)
    client = browser(app, reader)
    assert client.post(f"/signalen/{signal.id}/bericht", data={"note": "Ik bel u deze week."}).status_code == 303


def test_the_link_stops_when_the_contact_details_are_erased(app, council, client):
    signal, link = anonymous_signal(contact_email="piet@example.org", consent_at=utcnow())
    assert client.get(link).status_code == 200
    secretary_client = browser(app, council["secretary"])
    secretary_client.post(f"/signalen/{signal.id}/contact-wissen")
    assert client.get(link).status_code == 404
    # Nothing reaches the visitor any more: no way to write.
    response = secretary_client.get(f"/signalen/{signal.id}/bericht")
    assert response.status_code == 303
    assert "/bericht" not in secretary_client.get(f"/signalen/{signal.id}").text


def test_the_purge_ends_the_link_of_a_long_closed_signal_without_contact_details(app, runner, client):
    long_ago = utcnow() - timedelta(days=200)
    closed, closed_link = anonymous_signal(status=rules.DONE, closed_at=long_ago)
    open_, open_link = anonymous_signal()
    recent, recent_link = anonymous_signal(status=rules.DONE, closed_at=utcnow() - timedelta(days=10))
    assert "signal contact details: 1 verwijderd" in runner.invoke(args=["cpweb", "purge"]).output
    assert client.get(closed_link).status_code == 404
    assert client.get(open_link).status_code == 200 and client.get(recent_link).status_code == 200
    db.session.expire_all()
    assert not any(event.kind == "contact_erased" for event in db.session.get(Signal, closed.id).events)


# --- the contact form ----------------------------------------------------------------------------

def test_the_footer_links_the_contact_form_not_a_bare_address(client):
    home = client.get("/").text
    assert 'href="/contact"' in home and "mailto:" not in home


def test_a_question_goes_to_the_secretariat_by_the_outbox(app, client, mails):
    page = client.get("/contact")
    assert page.status_code == 200 and "Uw vraag" in page.text and 'href="/signaal"' in page.text
    response = client.post("/contact", data={"name": "Els", "email": "els@example.org",
                                             "question": "Wanneer is het volgende spreekuur?"})
    assert response.status_code == 303
    assert [m.to for m in mails] == [app.config["CONTACT_EMAIL"]]
    assert "Wanneer is het volgende spreekuur?" in mails[0].body and "els@example.org" in mails[0].body
    assert mails[0].message["Reply-To"] == "els@example.org"
    assert "U krijgt antwoord per e-mail" in client.get("/").text


@pytest.mark.parametrize("data, message", [
    ({"email": "", "question": "Een vraag"}, "Vul een e-mailadres in."),
    ({"email": "els", "question": "Een vraag"}, "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
    ({"email": "els@example.org", "question": ""}, "Schrijf uw vraag."),
    ({"email": "els@example.org", "question": "x" * 3001}, "Gebruik hoogstens 3.000 tekens."),
])
def test_a_question_with_a_mistake_comes_back_with_what_was_typed(client, mails, data, message):
    response = client.post("/contact", data={"name": "Els de Vries", **data})
    assert response.status_code == 422 and message in response.text
    assert 'value="Els de Vries"' in response.text and data["question"] in response.text
    assert mails == []


def test_the_contact_form_is_rate_limited(app, client):
    app.config["SIGNAL_RATE_LIMIT"] = "2 per hour"
    data = {"email": "els@example.org", "question": "Een vraag"}
    assert [client.post("/contact", data=data).status_code for _ in range(3)] == [303, 303, 429]


def test_the_contact_form_is_in_the_processing_register(app):
    entry = next(p for p in register() if str(p.name) == "Vragen via het contactformulier")
    assert "7 dagen" in str(entry.retention(app.config)) and "e-mailadres" in str(entry.data)


def test_the_follow_page_and_the_contact_form_are_valid_html(client, council):
    from tests.test_html_pages import problems

    signal, link = anonymous_signal()
    logic.write_to_visitor(signal.id, council["secretary"], "Wij bespreken het in december.")
    for path in (link, "/contact"):
        assert problems(client.get(path).text) == [], path


# --- triage in one step each -------------------------------------------------------------------------

def test_a_new_signal_goes_on_an_agenda_in_one_save(app, council):
    signal, _link = anonymous_signal()
    client = browser(app, council["secretary"])
    item = council["meeting"].items[0]
    response = client.post(f"/signalen/{signal.id}/status", data={"status": "geagendeerd", "agenda": str(item.id)})
    assert response.status_code == 303 and signal.status == rules.ON_AGENDA


def test_the_assignee_hears_of_it_unless_they_switched_it_off(app, council, mails):
    from cpweb.mail.preferences import choose_kinds, chosen_kinds

    signal, reader = council["signal"], council["reader"]
    client = browser(app, council["secretary"])
    client.post(f"/signalen/{signal.id}/toewijzen", data={"assignee": str(reader.id)})
    assert [m.to for m in mails] == [reader.email] and signal.reference in mails[0].subject
    assert "anna@example.org" not in mails[0].body and f"/signalen/{signal.id}" in mails[0].body
    client.post(f"/signalen/{signal.id}/toewijzen", data={"assignee": str(reader.id)})  # no change: no mail
    client.post(f"/signalen/{signal.id}/toewijzen", data={"assignee": ""})
    assert len(mails) == 1
    choose_kinds(reader, chosen_kinds(reader) - {"signals_assigned"})
    db.session.commit()
    client.post(f"/signalen/{signal.id}/toewijzen", data={"assignee": str(reader.id)})
    assert len(mails) == 1
    # Taking it oneself mails nobody.
    client.post(f"/signalen/{signal.id}/toewijzen", data={"assignee": str(council["secretary"].id)})
    assert len(mails) == 1


def test_the_signal_page_links_the_contact_and_names_each_thing_once(app, council, municipality):
    signal = council["signal"]  # at the municipality, with Anna's address and phone
    signal.municipality = municipality
    db.session.commit()
    page = browser(app, council["secretary"]).get(f"/signalen/{signal.id}").text
    assert 'href="mailto:anna@example.org"' in page and 'href="tel:0612345678"' in page
    assert page.count("Wie pakt dit op?") == 1 and page.count("Notitie (alleen voor leden)") == 1
    facts = page.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "<dd>Gemeente Dongen</dd>" in facts and "<dd>Gemeente</dd>" not in facts and "Woont in" not in facts
    signal.organisation_kind = "uwv"
    db.session.commit()
    facts = browser(app, council["secretary"]).get(f"/signalen/{signal.id}").text.split('<dl class="facts">')[1]
    assert "<dd>UWV</dd>" in facts and "Woont in</dt><dd>Gemeente Dongen</dd>" in facts
