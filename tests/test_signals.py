"""Signals: the public form, its defences, triage, the counts report and retention."""
import re
import time as time_module
from datetime import date, datetime, time, timedelta

import pytest

from cpweb.bodies.models import Organisation
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.signals import logic, rules
from cpweb.signals.models import Signal
from tests.conftest import PASSWORD, count_queries

TEXT = "De brief over mijn uitkering was niet te begrijpen."


@pytest.fixture
def municipality(app):
    organisation = Organisation(name="Gemeente Dongen", kind="gemeente")
    db.session.add(organisation)
    db.session.commit()
    return organisation


@pytest.fixture
def form_data(app, client, municipality):
    """What a visitor sends: a fresh form token, filled in a while ago."""
    app.config["SIGNAL_MIN_FILL_SECONDS"] = 0

    def make(**overrides):
        html = client.get("/signaal").text
        started = re.search(r'name="started" type="hidden" value="([^"]+)"', html).group(1)
        data = {"started": started, "category": "communicatie", "sentiment": "beter",
                "municipality": str(municipality.id), "organisation_kind": "uwv", "description": TEXT, "hp_kleur": ""}
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return make


@pytest.fixture
def make_signal(app):
    def make(**fields):
        fields.setdefault("category", "bejegening")
        fields.setdefault("sentiment", "beter")
        fields.setdefault("organisation_kind", "gemeente")
        fields.setdefault("description", TEXT)
        signal = logic.store_signal(fields)
        db.session.commit()
        return signal

    return make


def only_signal() -> Signal:
    return db.session.scalars(db.select(Signal)).one()


# --- the public form -------------------------------------------------------------------------

def test_form_is_public_plain_and_explains_privacy(client, municipality):
    html = client.get("/signaal").text
    assert "<h1>Signaal doorgeven</h1>" in html and "novalidate" in html
    assert "komt niet in uw dossier" in html
    assert "Gemeente Dongen" in html and "Weet ik niet" in html
    assert 'type="radio"' in html and 'data-counter="5000"' in html
    assert 'class="hp" aria-hidden="true"' in html and 'tabindex="-1"' in html


def test_anonymous_signal_is_stored_and_receipt_shows_reference(client, form_data, mails):
    response = client.post("/signaal", data=form_data())
    assert response.status_code == 303 and response.headers["Location"] == "/signaal/ontvangen"
    signal = only_signal()
    year = utcnow().year
    assert signal.reference == f"S-{year}-0001" and signal.status == rules.NEW
    assert not signal.has_contact and signal.consent_at is None and not signal.suspected_spam
    receipt = client.get("/signaal/ontvangen").text
    assert f"S-{year}-0001" in receipt and "Wat gebeurt er nu?" in receipt
    assert mails == []  # nobody to notify: no secretaries here, no address given


def test_references_count_up_within_the_year(client, form_data):
    client.post("/signaal", data=form_data())
    client.post("/signaal", data=form_data())
    assert sorted(db.session.scalars(db.select(Signal.reference))) == [
        f"S-{utcnow().year}-0001", f"S-{utcnow().year}-0002"]


def test_contact_details_only_with_consent(client, form_data, mails):
    response = client.post("/signaal", data=form_data(contact_email="jan@example.org"))
    assert response.status_code == 422 and "Zet een vinkje als wij contact met u mogen opnemen" in response.text
    assert 'value="jan@example.org"' in response.text and TEXT in response.text
    response = client.post("/signaal", data=form_data(consent="y"))
    assert "Vul uw e-mailadres of telefoonnummer in" in response.text
    client.post("/signaal", data=form_data(contact_name="Jan", contact_email="jan@example.org", consent="y"))
    signal = only_signal()
    assert signal.contact_email == "jan@example.org" and signal.consent_version == rules.CONSENT_VERSION
    assert signal.consent_at is not None
    assert mails[-1].to == "jan@example.org" and signal.reference in mails[-1].subject
    assert "binnen twee weken" in client.get("/signaal/ontvangen").text


@pytest.mark.parametrize("overrides, message", [
    ({"description": ""}, "Vertel wat er gebeurde."),
    ({"description": "abc"}, "Schrijf iets meer: minstens 10 tekens."),
    ({"description": "x" * 5001}, "Gebruik hoogstens 5.000 tekens."),
    ({"category": None}, "Kies waar het over gaat."),
    ({"category": "verzonnen"}, "Kies een van de mogelijkheden in de lijst."),
    ({"sentiment": None}, "Kies of het goed ging of beter kan."),
    ({"municipality": "999"}, "Kies een van de mogelijkheden in de lijst."),
    ({"municipality": ""}, "Kies uw gemeente, of kies ‘Weet ik niet’."),
    ({"organisation_kind": "ns"}, "Kies een van de mogelijkheden in de lijst."),
    ({"happened_on": "gisteren"}, "Vul een datum in zoals 19-05-2026."),
    ({"happened_on": (date.today() + timedelta(days=3)).isoformat()}, "Kies een datum die al geweest is."),
    ({"contact_email": "jan@", "consent": "y"}, "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
    ({"contact_phone": "bel me", "consent": "y"}, "Vul een telefoonnummer in zoals 06 12345678."),
])
def test_bad_input_gets_a_dutch_instruction_and_keeps_the_text(client, form_data, overrides, message):
    data = form_data(**overrides)
    response = client.post("/signaal", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert "<title>Fout: Signaal doorgeven" in response.text
    if data.get("description"):
        assert data["description"][:50] in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Signal)) == 0


def test_html_is_shown_as_typed_never_run(client, form_data, auth):
    client.post("/signaal", data=form_data(description="<script>alert(1)</script> en <b>vet</b>"))
    signal = only_signal()
    auth.login(role="secretaris")
    html = client.get(f"/signalen/{signal.id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_honeypot_and_fast_submissions_are_kept_but_marked(app, client, form_data):
    client.post("/signaal", data=form_data(hp_kleur="blauw"))
    assert only_signal().suspected_spam and only_signal().spam_reason == "honeypot"
    app.config["SIGNAL_MIN_FILL_SECONDS"] = 60
    client.post("/signaal", data=form_data())
    reasons = set(db.session.scalars(db.select(Signal.spam_reason)))
    assert reasons == {"honeypot", "too_fast"}


def test_forged_or_missing_form_token_counts_as_opened_just_now(app, client, form_data):
    client.post("/signaal", data=form_data(started="vervalst"))
    assert not only_signal().suspected_spam  # not spam on its own: no minimum time is set here
    app.config["SIGNAL_MIN_FILL_SECONDS"] = 3
    client.post("/signaal", data=form_data(started=None))
    assert set(db.session.scalars(db.select(Signal.spam_reason))) == {None, "too_fast"}


def opened_a_minute_ago(monkeypatch):
    """The form's token as if the visitor opened the form a minute ago (itsdangerous signs the time)."""
    from itsdangerous.timed import TimestampSigner

    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time_module.time()) - 60)


def test_a_mistake_then_sending_again_at_once_is_not_spam(app, client, form_data, monkeypatch, make_user, mails):
    """A visitor forgets the consent box, ticks it and sends again within a second, as a browser
    does: the time to fill in counts from when the form was first opened, not from the error page."""
    secretary = make_user(role="secretaris")
    with monkeypatch.context() as patch:
        opened_a_minute_ago(patch)
        data = form_data(contact_email="jan@example.org")
    app.config["SIGNAL_MIN_FILL_SECONDS"] = 3
    response = client.post("/signaal", data=data)
    assert response.status_code == 422 and "Zet een vinkje" in response.text
    carried = re.search(r'name="started" type="hidden" value="([^"]+)"', response.text).group(1)
    assert carried == data["started"]
    client.post("/signaal", data={**data, "started": carried, "consent": "y"})
    signal = only_signal()
    assert not signal.suspected_spam and signal.spam_reason is None
    assert sorted(m.to for m in mails) == sorted([secretary.email, "jan@example.org"])


def test_a_forged_token_on_an_error_page_starts_the_clock_now(client, form_data):
    response = client.post("/signaal", data=form_data(started="vervalst", description=""))
    carried = re.search(r'name="started" type="hidden" value="([^"]+)"', response.text).group(1)
    assert carried != "vervalst" and logic.read_form_token(carried)[0] is not None


def test_suspected_spam_with_contact_details_still_reaches_the_secretaries(app, client, form_data, make_user, mails):
    """The visitor asked for contact and reads that we will call: the secretaries hear of it,
    marked as possible spam; the address itself gets nothing (it may be a robot's)."""
    secretary = make_user(role="secretaris")
    app.config["SIGNAL_MIN_FILL_SECONDS"] = 60
    client.post("/signaal", data=form_data(contact_email="jan@example.org", consent="y"))
    signal = only_signal()
    assert signal.suspected_spam and signal.spam_reason == "too_fast"
    assert [m.to for m in mails] == [secretary.email]
    assert "(mogelijk spam)" in mails[0].subject and "Zo snel typt geen mens." in mails[0].body
    assert "binnen twee weken contact" in client.get("/signaal/ontvangen").text  # the secretaries know
    client.post("/signaal", data=form_data(description="Zonder contactgegevens, ook te snel."))
    assert len(mails) == 1  # without contact details it only waits in the spam list
    client.post("/inloggen", data={"email": secretary.email, "password": PASSWORD})
    client.post(f"/signalen/{signal.id}/geen-spam")
    assert len(mails) == 1  # they heard of it already


def test_the_spam_list_link_counts_and_the_reason_is_plain_dutch(client, auth, make_signal):
    spam = make_signal(suspected_spam=True, spam_reason="too_fast")
    make_signal(suspected_spam=True, spam_reason="honeypot", status=rules.CANCELLED)
    make_signal()
    auth.login(role="secretaris")
    assert "Mogelijk spam: 1 signaal" in client.get("/signalen").text
    page = client.get(f"/signalen/{spam.id}").text
    assert "too_fast" not in page and "Zo snel typt geen mens." in page


def test_double_click_stores_once(client, form_data):
    data = form_data()
    client.post("/signaal", data=data)
    client.post("/signaal", data=data)
    assert db.session.scalar(db.select(db.func.count()).select_from(Signal)) == 1


def test_missing_csrf_token_keeps_the_text_and_explains(csrf_app, municipality):
    csrf_app.config["SIGNAL_MIN_FILL_SECONDS"] = 0
    client = csrf_app.test_client()
    response = client.post("/signaal", data={"category": "bejegening", "sentiment": "goed", "organisation_kind": "uwv",
                                             "municipality": str(municipality.id), "description": TEXT})
    assert response.status_code == 422
    assert "te lang open" in response.text and TEXT in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Signal)) == 0


def test_rate_limit_gives_a_friendly_429(app, client, form_data):
    app.config["SIGNAL_RATE_LIMIT"] = "2 per hour"
    statuses = [client.post("/signaal", data=form_data()).status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    assert "Even wachten" in client.post("/signaal", data=form_data()).text


def test_no_ip_address_is_stored(client, form_data):
    client.post("/signaal", data=form_data(), environ_base={"REMOTE_ADDR": "203.0.113.7"})
    row = db.session.execute(db.select(Signal.__table__)).one()
    assert "203.0.113.7" not in " ".join(str(value) for value in row)


def test_member_records_a_signal_with_its_source(client, auth, form_data):
    member = auth.login()
    html = client.get("/signaal").text
    assert "Hoe kwam dit signaal binnen?" in html
    client.post("/signaal", data=form_data(source="spreekuur", hp_kleur="ingevuld-door-browser"))
    signal = only_signal()
    assert signal.source == "spreekuur" and signal.recorded_by_id == member.id and not signal.suspected_spam


def test_receipt_without_a_signal_says_so(client):
    assert "Geen signaal verstuurd" in client.get("/signaal/ontvangen").text


def test_secretaries_get_a_mail_for_each_new_signal(client, form_data, make_user, mails):
    secretary = make_user(role="secretaris")
    make_user(role="secretaris", muted_mail_kinds="signals")
    make_user(role="lid")
    client.post("/signaal", data=form_data())
    assert [m.to for m in mails] == [secretary.email]
    assert "/signalen/" in mails[0].body


def test_a_signal_mail_belongs_to_a_body_of_the_secretary_so_their_outbox_shows_it(client, form_data, make_user,
                                                                                  make_body):
    from cpweb.mail.models import OutboxMail

    body = make_body("Klankbordgroep Signalen")
    make_user(role="secretaris", bodies=[body])
    client.post("/signaal", data=form_data())
    [mail] = db.session.scalars(db.select(OutboxMail).filter(OutboxMail.subject.like("Nieuw signaal%"))).all()
    assert mail.body_id == body.id


# --- triage ----------------------------------------------------------------------------------

TRIAGE_URLS = ["/signalen", "/signalen/1", "/signalen/overzicht", "/signalen/onderwerpen",
               "/signalen/onderwerpen/nieuw", "/signalen/onderwerpen/1"]


@pytest.mark.parametrize("url", TRIAGE_URLS)
def test_guests_must_log_in_and_members_are_refused(client, auth, make_signal, url):
    make_signal()
    assert client.get(url).status_code == 303
    auth.login(role="lid")
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/signalen/1/status", "/signalen/1/notitie", "/signalen/1/toewijzen",
                                 "/signalen/1/contact-wissen"])
def test_members_cannot_triage(client, auth, make_signal, url):
    make_signal()
    auth.login(role="lid")
    assert client.post(url, data={"status": "in_behandeling"}).status_code == 403


@pytest.mark.parametrize("url", ["/signaal", "/signalen/1/status", "/signalen/1/notitie", "/signalen/1/toewijzen",
                                 "/signalen/1/contact-wissen"])
def test_triage_posts_need_a_csrf_token(csrf_app, url):
    # /signaal answers 422 with the form (text kept); the others refuse with the 400 page.
    assert csrf_app.test_client().post(url, data={}).status_code in (303, 400, 422)


def test_unknown_signal_is_404(client, auth):
    auth.login(role="secretaris")
    assert client.get("/signalen/999").status_code == 404


def test_triage_list_filters_and_answers_htmx_with_the_list(client, auth, make_signal):
    make_signal(category="werk", description="Over een cursus om weer aan het werk te gaan.")
    make_signal(category="uitkering")
    auth.login(role="secretaris")
    html = client.get("/signalen?category=werk").text
    assert '<td data-label="Onderwerp">Werk en re-integratie<br>' in html
    assert '<td data-label="Onderwerp">Uitkering en regels<br>' not in html
    fragment = client.get("/signalen?q=cursus", headers={"HX-Request": "true"}).text
    assert fragment.strip().startswith('<div id="signal-list">') and "1 signaal" in fragment
    # The folded filters' summary counts what is chosen; htmx gets the new count with the list.
    assert '<span id="filter-count" hx-swap-oob="true"> (1 gekozen)</span>' in fragment
    assert '<summary>Zoeken en filteren<span id="filter-count"> (1 gekozen)</span></summary>' in html
    assert client.get("/signalen?status=onzin").status_code == 400


def test_triage_list_uses_a_constant_number_of_queries(client, auth, make_signal, municipality, make_user):
    auth.login(role="secretaris")
    make_signal(municipality_id=municipality.id, assignee_id=make_user().id)
    few = count_queries(client, "/signalen")
    for _ in range(15):
        make_signal(municipality_id=municipality.id, assignee_id=make_user().id)
    assert count_queries(client, "/signalen") == few


def test_status_follows_the_transition_table(client, auth, make_signal):
    signal = make_signal()
    auth.login(role="secretaris")
    response = client.post(f"/signalen/{signal.id}/status", data={"status": "afgerond"})
    assert response.status_code == 422 and "Kies een van de mogelijkheden" in response.text
    client.post(f"/signalen/{signal.id}/status", data={"status": "in_behandeling"})
    response = client.post(f"/signalen/{signal.id}/status", data={"status": "doorgegeven", "passed_to": ""})
    assert "Kies aan wie het signaal is doorgegeven." in response.text
    client.post(f"/signalen/{signal.id}/status", data={"status": "doorgegeven", "passed_to": "uwv", "note": "Per mail."})
    assert signal.status == "doorgegeven"
    client.post(f"/signalen/{signal.id}/status", data={"status": "afgerond"})
    assert signal.status == "afgerond" and signal.closed_at is not None
    history = client.get(f"/signalen/{signal.id}").text
    assert "UWV – Per mail." in history


def test_cancelling_needs_a_reason_and_a_duplicate_its_original(client, auth, make_signal):
    original, signal = make_signal(), make_signal()
    auth.login(role="secretaris")
    response = client.post(f"/signalen/{signal.id}/status", data={"status": "geannuleerd"})
    assert "Kies waarom het signaal geannuleerd wordt." in response.text
    response = client.post(f"/signalen/{signal.id}/status", data={"status": "geannuleerd", "reason": "dubbel"})
    assert "Vul het kenmerk in van het signaal dat blijft." in response.text
    response = client.post(f"/signalen/{signal.id}/status",
                           data={"status": "geannuleerd", "reason": "dubbel", "original": signal.reference})
    assert "Er is geen ander signaal met dit kenmerk." in response.text and signal.status == "nieuw"
    client.post(f"/signalen/{signal.id}/status",
                data={"status": "geannuleerd", "reason": "dubbel", "original": original.reference.lower()})
    assert signal.status == "geannuleerd" and signal.duplicate_of_id == original.id
    assert f'>{original.reference}</a>' in client.get(f"/signalen/{signal.id}").text


def test_status_change_by_htmx_returns_the_triage_panel(client, auth, make_signal):
    signal = make_signal()
    auth.login(role="secretaris")
    response = client.post(f"/signalen/{signal.id}/status", data={"status": "in_behandeling"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.strip().startswith('<div id="signal-triage">') and "<html" not in response.text
    assert "De status is nu: In behandeling." in response.text


def test_notes_assignment_and_erasing_contact(client, auth, make_signal, make_user, make_body):
    signal = make_signal(contact_email="jan@example.org", consent_at=utcnow(), consent_version="2026-11")
    receiving = make_body(receives_signals=True)
    helper = make_user(name="Ria Helpt", bodies=[receiving])
    outsider = make_user(name="Piet Buiten")
    auth.login(role="secretaris", bodies=[receiving])
    assert client.post(f"/signalen/{signal.id}/toewijzen", data={"assignee": str(outsider.id)}).status_code == 422
    assert client.post(f"/signalen/{signal.id}/notitie", data={"text": ""}).status_code == 422
    client.post(f"/signalen/{signal.id}/notitie", data={"text": "Gebeld, voicemail."})
    client.post(f"/signalen/{signal.id}/toewijzen", data={"assignee": str(helper.id)})
    assert signal.assignee_id == helper.id
    client.post(f"/signalen/{signal.id}/contact-wissen")
    assert signal.contact_email is None and signal.contact_erased_at is not None
    html = client.get(f"/signalen/{signal.id}").text
    assert "Gebeld, voicemail." in html and "opgepakt door Ria Helpt" in html and "contactgegevens gewist" in html


# --- who sees what: the access matrix ---------------------------------------------------------

EVERYONE = ("guest", "no_body", "other_body", "other_secretary", "receiving", "assignee", "secretary", "admin")
READERS = {"receiving", "assignee", "secretary", "admin"}
HANDLERS = {"assignee", "secretary", "admin"}  # see the contact details, change status, add notes
MANAGERS = {"secretary", "admin"}
CONTACT = {"contact_name": "Fatima Yilmaz", "contact_email": "fatima@example.org", "contact_phone": "0612345678",
           "consent_at": utcnow(), "consent_version": "2026-11"}


@pytest.fixture
def people(app, make_body, make_user):
    """One of each: members of no body, of another body, of the body that receives signals."""
    receiving, other = make_body(receives_signals=True), make_body()
    return {"no_body": make_user(), "other_body": make_user(bodies=[other]),
            "other_secretary": make_user(role="secretaris", bodies=[other]),
            "receiving": make_user(bodies=[receiving]), "assignee": make_user(bodies=[receiving]),
            "secretary": make_user(role="secretaris", bodies=[receiving]), "admin": make_user(role="beheerder")}


def browser_of(app, people, role):
    browser = app.test_client()
    if role != "guest":
        response = browser.post("/inloggen", data={"email": people[role].email, "password": PASSWORD})
        assert response.status_code == 303
    return browser


def assigned_signal(people) -> Signal:
    signal = logic.store_signal({"category": "bejegening", "sentiment": "beter", "organisation_kind": "gemeente",
                                 "description": TEXT, "assignee_id": people["assignee"].id, **CONTACT})
    return signal


# (method, path, form data, who may, status for them). {id} is a fresh signal with contact details,
# assigned to "assignee"; {role} keeps each role's new subject apart.
SIGNAL_ROUTES = [
    ("GET", "/signaal", None, set(EVERYONE), 200),
    ("GET", "/signaal/ontvangen", None, set(EVERYONE), 200),
    ("GET", "/signaal/poster", None, set(EVERYONE), 200),
    ("GET", "/signalen", None, READERS, 200),
    ("GET", "/signalen?status=spam", None, READERS, 200),
    ("GET", "/signalen/{id}", None, READERS, 200),
    ("POST", "/signalen/{id}/status", {"status": "in_behandeling"}, HANDLERS, 303),
    ("POST", "/signalen/{id}/notitie", {"text": "Gebeld, voicemail."}, HANDLERS, 303),
    ("POST", "/signalen/{id}/toewijzen", {"assignee": ""}, MANAGERS, 303),
    ("POST", "/signalen/{id}/geen-spam", {}, MANAGERS, 303),
    ("POST", "/signalen/{id}/contact-wissen", {}, MANAGERS, 303),
    ("GET", "/signalen/overzicht", None, READERS, 200),
    ("GET", "/signalen/overzicht?formaat=csv", None, READERS, 200),
    ("GET", "/signalen/onderwerpen", None, MANAGERS, 200),
    ("GET", "/signalen/onderwerpen/nieuw", None, MANAGERS, 200),
    ("POST", "/signalen/onderwerpen/nieuw", {"label": "Nieuw {role}", "position": "1", "is_active": "y"}, MANAGERS, 303),
    ("GET", "/signalen/onderwerpen/1", None, MANAGERS, 200),
    ("POST", "/signalen/onderwerpen/1", {"label": "Bejegening", "position": "0", "is_active": "y"}, MANAGERS, 303),
]


@pytest.mark.parametrize("method, path, data, allowed, status", SIGNAL_ROUTES, ids=[f"{r[0]} {r[1]}" for r in SIGNAL_ROUTES])
def test_every_signal_route_for_every_kind_of_visitor(app, people, method, path, data, allowed, status):
    for role in EVERYONE:
        signal = assigned_signal(people)
        url = path.format(id=signal.id)
        form = {name: value.format(role=role) for name, value in (data or {}).items()}
        browser = browser_of(app, people, role)
        response = browser.get(url) if method == "GET" else browser.post(url, data=form)
        if role in allowed:
            assert response.status_code == status, (role, response.status_code)
        elif role == "guest":
            assert response.status_code == 303 and response.headers["Location"].startswith("/inloggen"), role
        else:
            assert response.status_code == 403, (role, response.status_code)
            assert signal.events == [] and signal.contact_email == CONTACT["contact_email"], role  # nothing changed


def test_everyone_may_send_a_signal(app, people, form_data):
    for role in EVERYONE:
        response = browser_of(app, people, role).post("/signaal", data=form_data(description=f"{TEXT} ({role})"))
        assert response.status_code == 303, role
    assert db.session.scalar(db.select(db.func.count()).select_from(Signal)) == len(EVERYONE)


def test_contact_details_only_for_secretaries_admins_and_the_assignee_and_each_showing_is_logged(app, people):
    from cpweb.core.audit import AuditEntry

    signal = assigned_signal(people)
    for role in sorted(READERS):
        browser = browser_of(app, people, role)
        page = browser.get(f"/signalen/{signal.id}").text
        fragment = browser.get(f"/signalen/{signal.id}", headers={"HX-Request": "true"}).text
        assert fragment.strip().startswith('<div id="signal-triage">')
        shown = [value in page and value in fragment for value in ("Fatima Yilmaz", "fatima@example.org", "0612345678",
                                                                   "Toestemming gegeven op")]
        assert shown == [role in HANDLERS] * 4, role
        assert TEXT in page, role  # everyone who reads signals reads the text
        logged = db.session.scalars(db.select(AuditEntry).filter_by(actor_id=people[role].id)).all()
        assert [(e.action, e.detail) for e in logged] == [("signal_contact_shown", signal.reference)] * (
            2 if role in HANDLERS else 0), role
    browser = browser_of(app, people, "receiving")
    assert "De contactgegevens ziet alleen de secretaris" in browser.get(f"/signalen/{signal.id}").text
    log = browser_of(app, people, "admin").get("/beheer/logboek").text
    assert "Contactgegevens van een signaal bekeken" in log and signal.reference in log


def test_a_change_by_htmx_that_shows_the_contact_details_again_is_logged(app, people):
    from cpweb.core.audit import AuditEntry

    signal = assigned_signal(people)
    response = browser_of(app, people, "assignee").post(f"/signalen/{signal.id}/status", data={"status": "in_behandeling"},
                                                        headers={"HX-Request": "true"})
    assert "fatima@example.org" in response.text and signal.status == "in_behandeling"
    assert db.session.scalar(db.select(AuditEntry.detail).filter_by(actor_id=people["assignee"].id)) == signal.reference


def test_readers_see_no_forms_they_may_not_use(app, people):
    signal = assigned_signal(people)
    pages = {role: browser_of(app, people, role).get(f"/signalen/{signal.id}").text for role in READERS}
    for role, page in pages.items():
        assert ("/status" in page, "/notitie" in page) == (role in HANDLERS,) * 2, role
        assert ("/toewijzen" in page, "/contact-wissen" in page) == (role in MANAGERS,) * 2, role
    assert "/signalen/onderwerpen" not in browser_of(app, people, "receiving").get("/signalen").text
    assert "/signalen/onderwerpen" in browser_of(app, people, "secretary").get("/signalen").text


def test_an_assignee_who_left_the_receiving_body_sees_nothing_more(app, people):
    signal = assigned_signal(people)
    people["assignee"].memberships = []
    db.session.commit()
    browser = browser_of(app, people, "assignee")
    assert browser.get(f"/signalen/{signal.id}").status_code == 403
    assert browser.post(f"/signalen/{signal.id}/notitie", data={"text": "Nog iets"}).status_code == 403


def test_signals_can_only_be_given_to_those_who_read_them(app, people):
    candidates = {user.id for user in logic.triage_candidates()}
    assert candidates == {people[role].id for role in READERS}


def test_without_a_receiving_body_secretaries_manage_and_members_read_nothing(app, make_user):
    secretary, member, admin = make_user(role="secretaris"), make_user(), make_user(role="beheerder")
    signal = logic.store_signal({"category": "bejegening", "sentiment": "beter", "organisation_kind": "gemeente",
                                 "description": TEXT, "assignee_id": member.id})
    assert [logic.can_manage_signals(u) for u in (secretary, member, admin)] == [True, False, True]
    assert [logic.can_handle(u, signal) for u in (secretary, member, admin)] == [True, False, True]


# --- the report ------------------------------------------------------------------------------

def test_report_counts_by_kind_without_spam_or_cancelled(client, auth, make_signal):
    make_signal(category="bejegening", sentiment="goed")
    make_signal(category="bejegening", sentiment="beter")
    make_signal(category="bejegening", sentiment="beter", suspected_spam=True)
    cancelled = make_signal(category="werk")
    cancelled.status = rules.CANCELLED
    db.session.commit()
    auth.login(role="secretaris")
    html = client.get("/signalen/overzicht").text
    assert "<svg" in html and 'role="img"' in html
    csv = client.get("/signalen/overzicht?formaat=csv&start=2020-01-01&end=2099-12-31").text
    assert '"Bejegening: hoe u behandeld werd";1;1;2;0' in csv  # the spam one is not counted
    assert '"Werk en re-integratie";0;0;0;0' in csv
    assert TEXT not in csv  # counts only


def test_a_formula_typed_as_a_subject_is_inert_in_the_report_csv(client, auth, make_signal):
    from cpweb.signals.models import SignalCategory

    auth.login(role="secretaris")
    client.post("/signalen/onderwerpen/nieuw", data={"label": "=cmd|' /C calc'!A0", "position": "1", "is_active": "y"})
    key = db.session.scalar(db.select(SignalCategory.key).filter_by(label="=cmd|' /C calc'!A0"))
    make_signal(category=key)
    text = client.get("/signalen/overzicht?formaat=csv&start=2020-01-01&end=2099-12-31").text
    assert """"'=cmd|' /C calc'!A0";0;1;1;0""" in text
    assert not any(line.startswith('"=') for line in text.splitlines())


def test_report_refuses_a_reversed_period(client, auth):
    auth.login(role="secretaris")
    response = client.get("/signalen/overzicht?start=2026-12-31&end=2026-01-01")
    assert response.status_code == 422 and "Kies een einddatum na de begindatum." in response.text


def test_period_bounds_follow_amsterdam_days():
    begin, finish = logic.period_bounds(date(2026, 7, 1), date(2026, 7, 31))
    assert begin.utcoffset() == timedelta(hours=2) and (finish - begin) == timedelta(days=31)


def at_noon(day: date):
    return datetime.combine(day, time(12), logic.AMSTERDAM)


def test_the_previous_quarter_of_q4_is_q3(client, auth, make_signal):
    make_signal(category="werk", created_at=at_noon(date(2026, 11, 2)))
    make_signal(category="werk", created_at=at_noon(date(2026, 7, 1)))
    make_signal(category="werk", created_at=at_noon(date(2026, 9, 30)))
    make_signal(category="werk", created_at=at_noon(date(2026, 6, 30)))  # Q2: in neither
    auth.login(role="secretaris")
    html = client.get("/signalen/overzicht?start=2026-10-01&end=2026-12-31").text
    assert "Vorige periode: woensdag 1 juli 2026 tot en met woensdag 30 september 2026." in html
    csv = client.get("/signalen/overzicht?formaat=csv&start=2026-10-01&end=2026-12-31").text
    assert '"Werk en re-integratie";0;1;1;2' in csv


def test_report_csv_has_the_period_the_totals_and_the_municipalities(client, auth, make_signal, municipality):
    day = at_noon(date(2026, 2, 3))
    make_signal(category="werk", sentiment="goed", municipality_id=municipality.id, created_at=day)
    make_signal(category="werk", municipality_id=municipality.id, created_at=day)
    make_signal(category="bejegening", created_at=day)
    make_signal(category="bejegening", created_at=at_noon(date(2025, 12, 3)))
    auth.login(role="secretaris")
    lines = client.get("/signalen/overzicht?formaat=csv&start=2026-01-01&end=2026-03-31").text.lstrip("\ufeff").splitlines()
    assert lines[:3] == ['"Periode";"Van donderdag 1 januari 2026 tot en met dinsdag 31 maart 2026"',
                         '"Vorige periode";"Van woensdag 1 oktober 2025 tot en met woensdag 31 december 2025"', ""]
    assert '"Totaal";1;2;3;1' in lines
    assert lines[-4:] == ['"Gemeente";"Aantal"', '"Gemeente Dongen";2', '"Weet ik niet";1', '"Totaal";3']


def test_previous_period_and_named_periods():
    assert logic.previous_period(date(2026, 10, 1), date(2026, 12, 31)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert logic.previous_period(date(2026, 4, 1), date(2026, 6, 30)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert logic.previous_period(date(2026, 1, 1), date(2026, 3, 31)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert logic.previous_period(date(2026, 10, 1), date(2026, 11, 22)) == (date(2026, 7, 1), date(2026, 8, 22))
    assert logic.previous_period(date(2026, 1, 1), date(2026, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 31))
    assert logic.previous_period(date(2028, 1, 1), date(2028, 2, 29)) == (date(2027, 10, 1), date(2027, 11, 30))
    assert logic.previous_period(date(2026, 1, 1), date(2026, 5, 17)) == (date(2025, 1, 1), date(2025, 5, 17))
    assert logic.previous_period(date(2026, 7, 1), date(2026, 8, 31)) == (date(2026, 4, 1), date(2026, 5, 31))
    assert logic.previous_period(date(2026, 8, 1), date(2026, 8, 31)) == (date(2026, 7, 1), date(2026, 7, 31))
    assert logic.previous_period(date(2026, 3, 10), date(2026, 3, 19)) == (date(2026, 2, 28), date(2026, 3, 9))
    labels = [str(label) for label, _start, _end in logic.named_periods(date(2026, 11, 22))]
    assert labels == ["Dit kwartaal", "Vorig kwartaal", "Dit jaar", "Vorig jaar"]
    assert logic.named_periods(date(2026, 2, 1))[1][1:] == (date(2025, 10, 1), date(2025, 12, 31))


def test_poster_has_a_local_qr_code_to_the_form(client):
    html = client.get("/signaal/poster").text
    assert '<svg role="img"' in html and "http://localhost/signaal" in html and "<title>QR-code" in html


def test_default_period_is_the_current_quarter():
    assert logic.default_period(date(2026, 11, 22)) == (date(2026, 10, 1), date(2026, 11, 22))
    assert logic.default_period(date(2026, 1, 5)) == (date(2026, 1, 1), date(2026, 1, 5))


# --- rules and retention ---------------------------------------------------------------------

def test_transition_table_is_complete_and_closed_states_only_reopen():
    assert set(rules.TRANSITIONS) == set(rules.STATUSES)
    for targets in rules.TRANSITIONS.values():
        assert set(targets) <= set(rules.STATUSES)
    for closed in rules.CLOSED:
        assert rules.next_statuses(closed) == (rules.REOPENED,)
    assert rules.can_move("nieuw", "in_behandeling") and not rules.can_move("nieuw", "afgerond")


def test_spam_reason_rules(app):
    with app.app_context():
        app.config["SIGNAL_MIN_FILL_SECONDS"] = 3
        assert logic.spam_reason("iets", 100) == "honeypot"
        assert logic.spam_reason("", None) == "too_fast"
        assert logic.spam_reason("", 1) == "too_fast"
        assert logic.spam_reason("", 10) is None


def test_purge_erases_contact_after_closing_and_deletes_old_spam(app, runner, make_signal):
    long_ago = utcnow() - timedelta(days=400)
    closed = make_signal(contact_email="jan@example.org", consent_at=long_ago, status=rules.DONE,
                         closed_at=utcnow() - timedelta(days=100))
    open_with_contact = make_signal(contact_phone="0612345678", consent_at=long_ago)
    make_signal(suspected_spam=True, created_at=long_ago)
    make_signal(status=rules.CANCELLED, created_at=long_ago, closed_at=long_ago)
    keep = make_signal(created_at=long_ago)

    dry = runner.invoke(args=["cpweb", "purge", "--dry-run"])
    # The closed one's contact details, and the link of the one cancelled long ago.
    assert "signal contact details: 2 zou verwijderen" in dry.output
    assert "spam and cancelled signals: 2 zou verwijderen" in dry.output
    result = runner.invoke(args=["cpweb", "purge"])
    assert "spam and cancelled signals: 2 verwijderd" in result.output
    db.session.expire_all()
    assert closed.contact_email is None and closed.description == TEXT
    assert open_with_contact.contact_phone == "0612345678"
    assert {s.id for s in db.session.scalars(db.select(Signal))} == {closed.id, open_with_contact.id, keep.id}


def test_secretary_home_shows_new_signals(client, auth, make_signal):
    make_signal()
    auth.login(role="secretaris")
    assert "Er is 1 nieuw signaal." in client.get("/").text
    auth.logout()
    auth.login(role="lid")
    assert "nieuw signaal" not in client.get("/").text


def test_demo_brings_signals(app, runner):
    runner.invoke(args=["cpweb", "demo"])
    assert db.session.scalar(db.select(db.func.count()).select_from(Signal)) == 40


def test_daily_digest_goes_once_to_those_who_chose_it(app, make_signal, make_user, mails):
    from cpweb.mail import choose_kinds
    from cpweb.signals.commands import send_digest

    wants = make_user(role="secretaris")
    choose_kinds(wants, ["signals_digest"])
    make_user(role="secretaris")  # default: a mail per signal, no digest
    db.session.commit()
    yesterday = utcnow().astimezone(logic.AMSTERDAM).date() - timedelta(days=1)
    signal = make_signal(created_at=utcnow() - timedelta(days=1))
    make_signal(created_at=utcnow() - timedelta(days=1), suspected_spam=True)
    with app.test_request_context():
        assert send_digest(yesterday) == 1
        assert send_digest(yesterday) == 0  # a second run the same day sends nothing
    assert [m.to for m in mails] == [wants.email] and signal.reference in mails[0].body


def test_digest_command_runs_from_the_command_line(runner):
    result = runner.invoke(args=["cpweb", "signals-digest"])
    assert result.exit_code == 0 and "signals-digest" in result.output


def test_secretaries_keep_the_list_of_subjects(client, auth, make_signal):
    from cpweb.signals.models import SignalCategory

    old = make_signal(category="anders")
    auth.login(role="secretaris")
    response = client.post("/signalen/onderwerpen/nieuw", data={"label": "Schuldhulp", "position": "2", "is_active": "y"})
    assert response.status_code == 303
    new = db.session.scalar(db.select(SignalCategory).filter_by(label="Schuldhulp"))
    assert new.key == "schuldhulp"
    other = db.session.scalar(db.select(SignalCategory).filter_by(key="anders"))
    client.post(f"/signalen/onderwerpen/{other.id}", data={"label": "Iets heel anders", "position": "9"})
    client.get("/signalen/onderwerpen")  # shows the flash message, which names it
    form = client.get("/signaal").text
    assert "Schuldhulp" in form and "Iets heel anders" not in form  # retired: off the form
    assert "Iets heel anders" in client.get(f"/signalen/{old.id}").text  # the old signal keeps it
    response = client.post("/signalen/onderwerpen/nieuw", data={"label": "", "position": "x"})
    assert response.status_code == 422
    assert "Vul het onderwerp in." in response.text and "Vul een getal in." in response.text
    assert client.get("/signalen/onderwerpen/999").status_code == 404


def test_a_retired_subject_cannot_be_sent(client, form_data, auth):
    from cpweb.signals.models import SignalCategory

    db.session.scalar(db.select(SignalCategory).filter_by(key="werk")).is_active = False
    db.session.commit()
    response = client.post("/signaal", data=form_data(category="werk"))
    assert response.status_code == 422 and "Kies een van de mogelijkheden in de lijst." in response.text



def test_suspected_spam_has_its_own_list_and_can_be_restored(client, auth, make_signal, make_user, mails):
    spam = make_signal(suspected_spam=True, spam_reason="honeypot", description="Koop goedkope horloges hier.")
    make_signal(description="Een gewoon signaal over de balie.")
    secretary = auth.login(role="secretaris")
    assert "goedkope horloges" not in client.get("/signalen?status=alle").text
    spam_list = client.get("/signalen?status=spam").text
    assert spam.reference in spam_list and "gewoon signaal" not in spam_list
    client.post(f"/signalen/{spam.id}/geen-spam")
    assert not spam.suspected_spam
    assert spam.reference in client.get("/signalen").text
    assert [m.to for m in mails] == [secretary.email]  # now it is real: secretaries hear of it


def test_triage_list_filters_on_municipality_and_period(client, auth, make_signal, municipality):
    make_signal(municipality_id=municipality.id, description="In Dongen gebeurd.")
    make_signal(description="Gemeente onbekend.", created_at=utcnow() - timedelta(days=60))
    auth.login(role="secretaris")
    assert "In Dongen" not in client.get("/signalen?municipality=onbekend").text  # texts are not listed
    listed = client.get(f"/signalen?municipality={municipality.id}").text
    assert "1 signaal" in listed
    recent = (utcnow() - timedelta(days=7)).date().isoformat()
    assert "1 signaal" in client.get(f"/signalen?start={recent}").text
    assert client.get("/signalen?start=gisteren").status_code == 400


def test_members_of_the_receiving_body_triage_and_others_do_not(client, auth, make_body, make_user, make_signal):
    receiving, other = make_body(receives_signals=True), make_body()
    make_signal()
    auth.login(role="lid", bodies=[receiving])
    assert client.get("/signalen").status_code == 200
    auth.logout()
    auth.login(role="secretaris", bodies=[other])
    assert client.get("/signalen").status_code == 403
    auth.logout()
    auth.login(role="beheerder")
    assert client.get("/signalen").status_code == 200


def test_only_the_receiving_bodys_secretaries_hear_of_new_signals(app, make_body, make_user):
    receiving, other = make_body(receives_signals=True), make_body()
    inside = make_user(role="secretaris", bodies=[receiving])
    make_user(role="secretaris", bodies=[other])
    admin = make_user(role="beheerder")
    assert {u.id for u in logic.secretaries()} == {inside.id, admin.id}


def test_privacy_statement_and_register_say_who_sees_the_contact_details(client, auth):
    statement = client.get("/privacy").text
    assert "ziet alleen de secretaris, de beheerder van de website en het lid dat uw signaal oppakt" in statement
    assert "lezen alleen wat er gebeurde" in statement
    auth.login(role="beheerder")
    register = client.get("/beheer/verwerkingsregister").text
    assert "alleen de secretarissen, de beheerders en het lid dat het signaal oppakt" in register
    assert "lezen de tekst en de geschiedenis" in register and "wie de contactgegevens bij een signaal bekeek" in register
