"""Advice dossiers: steps from idea to outcome, attention, links, the overview, the weekly digest."""
from datetime import date, time, timedelta

import pytest

from cpweb.advice import logic, rules
from cpweb.advice.commands import send_digest
from cpweb.advice.models import Advice, AdviceEvent
from cpweb.bodies.models import Organisation
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today
from tests.conftest import count_queries


@pytest.fixture
def body(make_body):
    return make_body("Klankbordgroep Advies")


@pytest.fixture
def organisation(app):
    organisation = Organisation(name="Gemeente Teststad", kind="gemeente")
    db.session.add(organisation)
    db.session.commit()
    return organisation


@pytest.fixture
def make_advice(app, body, organisation):
    def make(status_steps=(), deadline=None, title="Brieven in eenvoudige taal", advice_body=None, actor=None, **fields):
        advice = logic.save_advice(None, {"body_id": (advice_body or body).id, "title": title, "kind": "ongevraagd",
                                          "topic": "communicatie", "addressee_id": organisation.id,
                                          "addressee_text": "", "summary": "", "requested_on": local_today(),
                                          "deadline": deadline, **fields}, [], actor)
        for target, step_fields in status_steps:
            assert logic.take_step(advice, target, step_fields, actor) is None
        db.session.commit()
        return advice

    return make


def form_data(body, organisation, **changes):
    data = {"body": str(body.id), "title": "Advies over schuldhulp", "kind": "gevraagd", "topic": "beleid",
            "addressee": str(organisation.id), "addressee_text": "", "summary": "Wat we hoorden.",
            "requested_on": local_today().isoformat(), "deadline": "", "version": ""}
    data.update(changes)
    return data


# --- rules ----------------------------------------------------------------------------------------

def test_attention_rules():
    today = date(2026, 5, 1)
    assert rules.attention(rules.PREPARING, date(2026, 4, 30), None, today, 6).key == "overdue"
    assert rules.attention(rules.IDEA, date(2026, 5, 10), None, today, 6).key == "soon"
    assert rules.attention(rules.IDEA, date(2026, 6, 10), None, today, 6) is None
    assert rules.attention(rules.SENT, None, date(2026, 3, 1), today, 6).key == "no_response"
    assert rules.attention(rules.SENT, None, date(2026, 4, 1), today, 6) is None
    assert rules.attention(rules.DONE, date(2026, 1, 1), None, today, 6) is None


def test_step_rules_catch_dates_out_of_order_and_an_outcome_without_response():
    sent = date(2026, 3, 1)
    assert "eerder" in str(rules.step_problem(rules.SENT, rules.RESPONDED, {"response_on": date(2026, 2, 1)}, sent, None))
    assert "Onbekend" in str(rules.step_problem(rules.SENT, rules.DONE, {"outcome": rules.ADOPTED}, sent, None))
    assert rules.step_problem(rules.SENT, rules.DONE, {"outcome": rules.UNKNOWN}, sent, None) is None
    assert rules.step_problem(rules.IDEA, rules.RESPONDED, {}, None, None) is not None
    assert rules.average_days(10 + 20, 2) == 15.0
    assert rules.average_days(20, 3) == 6.7
    assert rules.average_days(0, 0) is None


# --- routes -----------------------------------------------------------------------------------------

def test_member_starts_a_dossier_and_walks_it_to_an_outcome(client, auth, body, organisation):
    secretary = auth.login(role="secretaris", bodies=[body])
    response = client.post("/advies/nieuw", data=form_data(body, organisation))
    assert response.status_code == 303
    advice = db.session.scalar(db.select(Advice))
    sent_on = local_today() - timedelta(days=30)
    for target, fields in [("preparing", {}), ("sent", {"sent_on": sent_on.isoformat()}),
                           ("responded", {"response_on": local_today().isoformat(), "response_summary": "Goed idee.",
                                          "reasons_given": "y"}),
                           ("follow_up", {"follow_up_on": local_today().isoformat(), "follow_up_notes": "Besproken."}),
                           ("done", {"outcome": "partly"})]:
        response = client.post(f"/advies/{advice.id}/stap", data={"target": target, **fields})
        assert response.status_code == 303, response.text
    assert advice.status == rules.DONE and advice.outcome == rules.PARTLY and advice.reasons_given
    html = client.get(f"/advies/{advice.id}").text
    assert "Deels overgenomen" in html and "Advies verstuurd op" in html and secretary.name in html
    assert db.session.scalar(db.select(db.func.count()).select_from(AdviceEvent)) == 6


@pytest.mark.parametrize("target, fields, message", [
    ("responded", {"response_on": "2020-01-01"}, "De reactie kan niet eerder zijn dan het advies."),
    ("responded", {}, "Vul in wanneer de reactie kwam."),
    ("done", {"outcome": "adopted"}, "Zonder reactie is de uitkomst onbekend."),
    ("idea", {}, "Kies een van de mogelijkheden in de lijst."),
])
def test_bad_steps_are_refused_with_a_message(client, auth, body, make_advice, target, fields, message):
    advice = make_advice(status_steps=[(rules.PREPARING, {}), (rules.SENT, {"sent_on": local_today()})])
    auth.login(role="secretaris", bodies=[body])
    response = client.post(f"/advies/{advice.id}/stap", data={"target": target, "response_summary": "Mijn tekst", **fields})
    assert response.status_code == 422 and message in response.text and "Mijn tekst" in response.text
    assert advice.status == rules.SENT


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "Vul het onderwerp in."),
    ({"title": "x" * 300}, "Gebruik hoogstens 200 tekens."),
    ({"addressee": ""}, "Kies aan wie het advies gaat, of schrijf het op."),
    ({"deadline": "2000-01-01"}, "De termijn kan niet voor de aanvraag liggen."),
    ({"kind": ""}, "Kies gevraagd of ongevraagd."),
])
def test_bad_dossier_input_keeps_what_was_typed(client, auth, body, organisation, changes, message):
    auth.login(bodies=[body])
    response = client.post("/advies/nieuw", data=form_data(body, organisation, summary="Mijn samenvatting", **changes))
    assert response.status_code == 422 and message in response.text and "Mijn samenvatting" in response.text
    assert db.session.scalar(db.select(Advice)) is None


def test_markdown_in_a_dossier_is_made_safe(client, auth, body, make_advice):
    advice = make_advice(summary="<script>alert(1)</script> [x](javascript:alert(1)) **vet**")
    auth.login(bodies=[body])
    html = client.get(f"/advies/{advice.id}").text
    assert "<strong>vet</strong>" in html and "<script>alert" not in html and "javascript:alert" not in html


def test_another_bodys_dossier_is_404_and_a_plain_member_cannot_edit(client, auth, body, make_advice, make_body):
    advice = make_advice()
    assert client.get(f"/advies/{advice.id}").status_code == 303  # guests log in first
    auth.login(bodies=[make_body()])
    for path in ("", "/bewerken"):
        assert client.get(f"/advies/{advice.id}{path}").status_code == 404
    auth.logout()
    auth.login(bodies=[body])  # a member, not a drafter
    assert client.get(f"/advies/{advice.id}").status_code == 200
    assert client.get(f"/advies/{advice.id}/bewerken").status_code == 403
    assert client.post(f"/advies/{advice.id}/stap", data={"target": "preparing"}).status_code == 403


def test_a_dossier_runs_the_same_few_queries_however_many_notes_and_drafters(client, auth, body, make_advice, make_user):
    advice = make_advice()
    auth.login(bodies=[body])  # may read, not edit: no link form, so no meetings to choose from
    assert "Of een vergadering" not in client.get(f"/advies/{advice.id}").text
    few = count_queries(client, f"/advies/{advice.id}")
    writers = [make_user(bodies=[body]) for _ in range(4)]
    advice.drafters = writers
    for n, writer in enumerate(writers * 3):
        logic.add_note(advice, writer, f"Notitie {n}")
    db.session.commit()
    html = client.get(f"/advies/{advice.id}").text
    assert "Notitie 11" in html and all(writer.name in html for writer in writers)
    # user, dossier, its drafters (a query of their own: joined, SQLite built every dossier's), the
    # member's bodies, timeline with actors, links, documents, and the main menu's question whether
    # this member reads signals
    assert count_queries(client, f"/advies/{advice.id}") == few <= 8


def test_a_drafter_may_edit_and_a_stale_edit_is_refused(client, auth, body, organisation, make_advice, make_user):
    drafter = make_user(bodies=[body])
    advice = make_advice()
    advice.drafters = [drafter]
    db.session.commit()
    auth.login(drafter)
    data = form_data(body, organisation, title="Nieuwe titel", drafters=[str(drafter.id)], version=str(advice.version))
    assert client.post(f"/advies/{advice.id}/bewerken", data=data).status_code == 303
    assert advice.title == "Nieuwe titel"
    response = client.post(f"/advies/{advice.id}/bewerken", data={**data, "title": "Oude versie", "version": "0"})
    assert response.status_code == 409 and "Iemand anders heeft dit dossier veranderd" in response.text
    assert "Oude versie" in response.text and advice.title == "Nieuwe titel"


def test_notes_and_links_to_signals_and_meetings(client, auth, body, make_advice):
    from cpweb.meetings import logic as meetings
    from cpweb.signals import logic as signals

    advice = make_advice()
    meeting = meetings.create_meetings(body.id, [local_today()], {
        "title": "Vergadering", "kind": "regular", "location": "", "online_url": "", "visibility": "members",
        "start": time(19), "end": time(21)}, None)[0]
    signal = signals.store_signal({"category": "communicatie", "sentiment": "beter", "organisation_kind": "gemeente",
                                   "description": "Een brief die niemand snapte."})
    db.session.commit()
    auth.login(role="beheerder")
    client.post(f"/advies/{advice.id}/notitie", data={"note": "Gebeld met de gemeente."})
    assert client.post(f"/advies/{advice.id}/koppelen", data={"reference": signal.reference}).status_code == 303
    assert client.post(f"/advies/{advice.id}/koppelen", data={"meeting": str(meeting.id)}).status_code == 303
    response = client.post(f"/advies/{advice.id}/koppelen", data={"reference": "S-1999-9999"})
    assert response.status_code == 422 and "Er is geen signaal met dit kenmerk." in response.text
    html = client.get(f"/advies/{advice.id}").text
    assert "Gebeld met de gemeente." in html and signal.reference in html and "Vergadering, " in html


def test_attention_on_the_list_the_home_page_and_in_the_weekly_digest(client, auth, body, make_advice, make_user,
                                                                      mails):
    make_advice(deadline=local_today() + timedelta(days=3), title="Bijna te laat")
    make_advice(status_steps=[(rules.PREPARING, {}), (rules.SENT, {"sent_on": local_today() - timedelta(weeks=8)})],
                title="Geen reactie")
    secretary = make_user(role="secretaris", bodies=[body])
    auth.login(secretary)
    html = client.get("/advies/").text
    assert "Termijn binnen 14 dagen" in html and "Nog geen reactie" in html
    assert "Bijna te laat" in client.get("/").text
    with client.application.test_request_context():
        assert send_digest() == 1
        assert send_digest() == 0  # once a week
    assert "Geen reactie" in mails[-1].body and mails[-1].to == secretary.email


def test_overview_counts_per_body_and_year(client, auth, body, make_advice):
    year = local_today().year
    sent = date(year, 1, 10)
    make_advice(status_steps=[(rules.PREPARING, {}), (rules.SENT, {"sent_on": sent}),
                              (rules.RESPONDED, {"response_on": sent + timedelta(days=20)}),
                              (rules.DONE, {"outcome": rules.ADOPTED})], kind="gevraagd")
    make_advice(status_steps=[(rules.PREPARING, {}), (rules.SENT, {"sent_on": sent})])
    make_advice()  # not sent: not counted
    auth.login(bodies=[body])
    numbers = logic.overview([body.id], year)[body.id]
    assert (numbers["total"], numbers["asked"], numbers["unasked"], numbers["average_days"]) == (2, 1, 1, 20.0)
    html = client.get(f"/advies/overzicht?jaar={year}").text
    assert "<svg" in html and "Klankbordgroep Advies" in html
    assert ">20</td>" in html  # the average days, Dutch style: no "20.0"
    assert client.get("/advies/overzicht?jaar=kerst").status_code == 404
    assert "nog geen adviezen uitgebracht" in client.get("/advies/overzicht?jaar=2001").text


def test_list_runs_a_constant_number_of_queries(client, auth, body, make_advice):
    auth.login(bodies=[body])
    make_advice(deadline=local_today())
    small = count_queries(client, "/advies/")
    for n in range(15):
        make_advice(title=f"Dossier {n}", deadline=local_today() + timedelta(days=n))
    assert count_queries(client, "/advies/") == small


def test_the_advice_letter_is_kept_in_the_library(client, auth, body, make_advice):
    import io

    advice = make_advice()
    auth.login(role="secretaris", bodies=[body])
    response = client.post(f"/advies/{advice.id}/stukken", content_type="multipart/form-data",
                           data={"bestand": (io.BytesIO(b"Geachte wethouder, wij adviseren u het volgende."), "advies.txt")})
    assert response.status_code == 303
    html = client.get(f"/advies/{advice.id}").text
    assert "advies.txt" in html and "Stuk toegevoegd: advies.txt" in html
    document_id = int(html.split('href="/documenten/')[1].split('"')[0])
    assert advice.title in client.get(f"/documenten/{document_id}").text  # the document says where it is used
    response = client.post(f"/advies/{advice.id}/stukken", data={}, follow_redirects=True)
    assert "Kies een bestand of een document uit de bibliotheek." in response.text
