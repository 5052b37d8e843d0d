"""What the council publishes for others: 'Onze adviezen' and the Atom feeds of advice and public
documents, with the audience of the pages, a 304 for a follower that is up to date, and a
tombstone for what was withdrawn."""
import io
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from werkzeug.datastructures import FileStorage

from cpweb.advice import letters, logic, rules
from cpweb.bodies.models import Organisation
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today
from cpweb.documents import logic as documents_logic

NS = {"a": "http://www.w3.org/2005/Atom", "fh": "http://purl.org/syndication/history/1.0",
      "at": "http://purl.org/atompub/tombstones/1.0"}
HOSTILE = '<i hx-get="/x" hx-trigger="load">Jaarplan</i>'


@pytest.fixture
def body(make_body):
    return make_body("Klankbordgroep Feeds")


@pytest.fixture
def secretary(make_user, body):
    return make_user(role="secretaris", bodies=[body])


@pytest.fixture
def make_advice(app, body, secretary):
    organisation = Organisation(name="Gemeente Teststad", kind="gemeente")
    db.session.add(organisation)
    db.session.commit()

    def make(title="Brieven in eenvoudige taal", sent=True, topic="communicatie"):
        advice = logic.save_advice(None, {"body_id": body.id, "title": title, "kind": "ongevraagd", "topic": topic,
                                          "addressee_id": organisation.id, "addressee_text": "",
                                          "summary": "Intern: wat Piet zei.", "requested_on": local_today(),
                                          "deadline": None}, [], secretary)
        if sent:
            assert logic.take_step(advice, rules.PREPARING, {}, secretary) is None
            assert logic.take_step(advice, rules.SENT, {"sent_on": local_today() - timedelta(days=3)}, secretary) is None
        db.session.commit()
        return advice

    return make


def attach(advice, user, audience: str, title: str):
    upload = FileStorage(io.BytesIO(f"{title} {audience}".encode()), filename=f"{title}.txt")
    attached = letters.attach(advice.id, user, {"upload": upload, "audience": audience})
    assert attached.document is not None, attached.problem
    return attached.document


def entries(response) -> dict[str, ET.Element]:
    root = ET.fromstring(response.data)
    return {e.findtext("a:title", namespaces=NS): e for e in root.findall("a:entry", NS)}


# --- publishing on the dossier ----------------------------------------------------------------------

def test_the_secretary_puts_sent_advice_on_the_public_page_with_a_text_for_the_public(client, auth, make_advice,
                                                                                       secretary):
    advice = make_advice()
    auth.login(secretary)
    assert "Op de website zetten" in client.get(f"/advies/{advice.id}").text
    response = client.post(f"/advies/{advice.id}/openbaar", data={"public_summary": "Wij vroegen om brieven in B1."})
    assert response.status_code == 303
    auth.logout()
    page = client.get("/onze-adviezen").text
    assert advice.title in page and "Wij vroegen om brieven in B1." in page and "Gemeente Teststad" in page
    assert "Intern: wat Piet zei." not in page and "Dat weten we nog niet." in page
    assert client.get(f"/onze-adviezen/{advice.id}").status_code == 200


def test_an_idea_cannot_go_on_the_website_and_an_empty_text_is_refused_with_what_was_typed_kept(
        client, auth, make_advice, secretary):
    idea = make_advice(sent=False)
    auth.login(secretary)
    assert "Op de website zetten" not in client.get(f"/advies/{idea.id}").text
    response = client.post(f"/advies/{idea.id}/openbaar", data={"public_summary": "Te vroeg"})
    assert response.status_code == 422 and "Alleen een advies dat is verstuurd" in response.text
    sent = make_advice(title="Verstuurd")
    response = client.post(f"/advies/{sent.id}/openbaar", data={"public_summary": "  "})
    assert response.status_code == 422 and "Schrijf een korte tekst voor de website." in response.text
    assert db.session.get(type(sent), sent.id).published_at is None
    assert client.get("/onze-adviezen").text.count("Verstuurd") == 0


def test_only_who_may_change_the_dossier_may_publish_it(client, auth, make_advice, make_body, body):
    advice = make_advice()
    auth.login(role="lid", bodies=[body])
    assert client.post(f"/advies/{advice.id}/openbaar", data={"public_summary": "x"}).status_code == 403
    auth.logout()
    auth.login(role="secretaris", bodies=[make_body("Ander orgaan")])
    assert client.post(f"/advies/{advice.id}/openbaar", data={"public_summary": "x"}).status_code == 404
    auth.logout()
    assert client.post(f"/advies/{advice.id}/openbaar", data={"public_summary": "x"}).status_code in (302, 303)
    assert db.session.get(type(advice), advice.id).published_at is None


def test_a_guest_sees_the_public_letter_of_published_advice_and_nothing_narrower(
        client, auth, make_advice, secretary, make_body):
    advice = make_advice()
    public = attach(advice, secretary, "public", "Adviesbrief")
    members = attach(advice, secretary, "members", "Werkversie")
    own_body = attach(advice, secretary, "body", "Aantekeningen")
    assert client.get(f"/documenten/{public.id}").status_code == 404  # not yet published
    logic.publish(advice.id, "Tekst", secretary)
    page = client.get(f"/onze-adviezen/{advice.id}").text
    assert "Adviesbrief" in page and "Werkversie" not in page and "Aantekeningen" not in page
    assert client.get(f"/documenten/{public.id}").status_code == 200
    assert client.get(f"/documenten/{members.id}").status_code in (302, 303, 404)
    auth.login(role="lid", bodies=[make_body("Ander orgaan")])
    assert client.get(f"/documenten/{own_body.id}").status_code == 404


def test_unpublished_and_unknown_advice_is_a_404_and_bad_filters_too(client, make_advice):
    advice = make_advice()
    assert client.get(f"/onze-adviezen/{advice.id}").status_code == 404
    assert client.get("/onze-adviezen/999999").status_code == 404
    assert client.get("/onze-adviezen?jaar=1999").status_code == 404
    assert client.get("/onze-adviezen?onderwerp=%3Cscript%3E").status_code == 404
    assert client.get("/onze-adviezen?pagina=99").status_code == 404


def test_the_public_page_filters_by_year_and_subject(client, make_advice, secretary):
    logic.publish(make_advice(title="Over bejegening", topic="bejegening").id, "Tekst", secretary)
    logic.publish(make_advice(title="Over beleid", topic="beleid").id, "Tekst", secretary)
    year = (local_today() - timedelta(days=3)).year
    page = client.get(f"/onze-adviezen?jaar={year}&onderwerp=bejegening").text
    assert "Over bejegening" in page and "Over beleid" not in page
    fragment = client.get("/onze-adviezen?onderwerp=beleid", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and "Over beleid" in fragment


# --- the feeds ------------------------------------------------------------------------------------

def test_the_advice_feed_holds_published_advice_only_and_is_complete(client, make_advice, secretary):
    published = make_advice(title=HOSTILE)
    make_advice(title="Niet openbaar")
    logic.publish(published.id, "Voor iedereen", secretary)
    response = client.get("/feeds/adviezen.atom")
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.data)
    assert root.find("fh:complete", NS) is not None
    found = entries(response)
    assert list(found) == [HOSTILE]  # the title is text in the XML, never markup
    entry = found[HOSTILE]
    assert entry.find("a:link[@rel='alternate']", NS).get("href") == f"http://localhost/onze-adviezen/{published.id}"
    assert "Voor iedereen" in entry.findtext("a:summary", namespaces=NS)
    assert "Intern" not in response.text


def test_withdrawn_advice_leaves_a_tombstone_and_coming_back_removes_it(client, make_advice, secretary):
    advice = make_advice()
    logic.publish(advice.id, "Tekst", secretary)
    first = client.get("/feeds/adviezen.atom")
    entry_id = entries(first)[advice.title].findtext("a:id", namespaces=NS)
    logic.unpublish(advice.id, secretary)
    root = ET.fromstring(client.get("/feeds/adviezen.atom").data)
    assert root.findall("a:entry", NS) == []
    [tombstone] = root.findall("at:deleted-entry", NS)
    assert tombstone.get("ref") == entry_id and tombstone.get("when")
    logic.publish(advice.id, "Weer terug", secretary)
    root = ET.fromstring(client.get("/feeds/adviezen.atom").data)
    assert root.findall("at:deleted-entry", NS) == [] and len(root.findall("a:entry", NS)) == 1


def test_a_follower_that_is_up_to_date_gets_a_304(client, make_advice, secretary):
    logic.publish(make_advice().id, "Tekst", secretary)
    etag = client.get("/feeds/adviezen.atom").headers["ETag"]
    again = client.get("/feeds/adviezen.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    logic.publish(make_advice(title="Nieuw advies").id, "Tekst", secretary)
    assert client.get("/feeds/adviezen.atom", headers={"If-None-Match": etag}).status_code == 200


def test_the_documents_feed_holds_what_a_guest_sees_in_the_library(client, make_user):
    author = make_user(role="secretaris")
    for title, visibility in (("Openbaar beleid", "public"), ("Voor leden", "members")):
        documents_logic.store_upload(FileStorage(io.BytesIO(title.encode()), filename="stuk.txt"), title=title,
                                     uploaded_by=author, body=None, visibility=visibility)
    db.session.commit()
    assert list(entries(client.get("/feeds/documenten.atom"))) == ["Openbaar beleid"]


def test_an_unknown_feed_is_a_404(client):
    assert client.get("/feeds/leden.atom").status_code == 404
