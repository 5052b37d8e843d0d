"""Who sees a file: chosen where it is added, never wider than its place (issue 15, items 3 to 6 and 9).

For every way a document is added (library, agenda item, activity, dossier) and every state of its
place, as guest, member in no body, member of another body, member of the body, secretary and admin:
the document page, the download, the library list, search and the place's own page all agree.
"""
import io
import re
from datetime import time, timedelta

import pytest
from flask_login import AnonymousUserMixin

from cpweb.activities import logic as activities
from cpweb.activities import rules as activity_rules
from cpweb.advice import logic as advice
from cpweb.advice import rules as advice_rules
from cpweb.bodies.models import Organisation
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today
from cpweb.documents import access, logic, places
from cpweb.documents.models import Document, DocumentLink
from cpweb.meetings import actions as meeting_actions
from cpweb.meetings import logic as meetings
from cpweb.meetings import rules as meeting_rules
from cpweb.signals import logic as signals

WORD = "zonnepaneelsubsidie"  # in the file's text, to find it by search
CONTENT = f"Concept advies over de {WORD}. Nog niet voor iedereen.".encode()
ROLES = ("guest", "no body", "other body", "member", "secretary", "admin")
EVERYONE, MEMBERS_ALL = set(ROLES), set(ROLES) - {"guest"}
BODY_ONLY, MANAGERS, NOBODY = {"member", "secretary", "admin"}, {"secretary", "admin"}, set()


@pytest.fixture
def world(app, make_body, make_user):
    """A body with its member and secretary, another body with a member, a member in no body, an admin."""
    body, other = make_body("Cliëntenraad Noord"), make_body("Cliëntenraad Zuid")
    users = {"no body": make_user(), "other body": make_user(bodies=[other]), "member": make_user(bodies=[body]),
             "secretary": make_user(role="secretaris", bodies=[body]), "admin": make_user(role="beheerder")}
    organisation = Organisation(name="Gemeente Teststad", kind="gemeente")
    db.session.add(organisation)
    db.session.commit()
    return {"body": body, "other": other, "users": users, "organisation": organisation}


def as_role(client, auth, world, role):
    auth.logout()
    if role != "guest":
        auth.login(world["users"][role])


def make_meeting(world, visibility=meeting_rules.PUBLIC):
    meeting = meetings.create_meetings(world["body"].id, [local_today() + timedelta(days=10)], {
        "title": "Vergadering", "kind": meeting_rules.REGULAR, "location": "", "online_url": "",
        "visibility": visibility, "start": time(19), "end": time(21)}, publish_at=None)[0]
    db.session.commit()
    return meeting


def make_activity(world, audience=activity_rules.EVERYONE, bodies=()):
    activity = activities.save_activity(None, {
        "title": "Training", "description": "", "kind": "training", "organiser": "lcr", "organiser_name": "",
        "scope": "regionaal", "day": local_today() + timedelta(days=10), "start": time(10), "end_day": None,
        "end": time(12), "location": "", "online_url": "", "external_url": "", "audience": audience,
        "capacity": None, "signup_deadline": None, "contact": ""}, bodies)
    db.session.commit()
    return activity


def make_dossier(world):
    dossier = advice.save_advice(None, {"body_id": world["body"].id, "title": "Brieven", "kind": "ongevraagd",
                                        "topic": "communicatie", "addressee_id": world["organisation"].id,
                                        "addressee_text": "", "summary": "", "requested_on": local_today(),
                                        "deadline": None}, [], None)
    db.session.commit()
    return dossier


def form_default(html: str, suffix) -> str:
    """The audience the attach form starts at, as the browser would send it untouched."""
    return re.search(rf'id="wie-{suffix}-\d+" name="wie" value="(\w+)" checked', html).group(1)


def upload(audience, name="concept.txt", content=CONTENT):
    data = {"bestand": (io.BytesIO(content), name)}
    return data | ({"wie": audience} if audience else {})


def attach_as_secretary(client, auth, world, page: str, action: str, suffix, audience=None):
    """The secretary adds a file with the form on `page`; without an audience, the form's own default."""
    as_role(client, auth, world, "secretary")
    audience = audience or form_default(client.get(page).text, suffix)
    response = client.post(action, data=upload(audience), content_type="multipart/form-data")
    assert response.status_code == 303, response.text
    return db.session.scalars(db.select(Document).order_by(Document.id.desc())).first()


def attach_to_item(client, auth, world, meeting, audience=None):
    """The secretary adds a file to the meeting's first item, with the item's form (a page of its own)."""
    form_page = f"/vergaderingen/{meeting.id}/agendapunten/{meeting.items[0].id}/stukken"
    return attach_as_secretary(client, auth, world, form_page, form_page, meeting.items[0].id, audience)


def fetch(client, path: str):
    """GET a file: read it and close it (a file response left open is a ResourceWarning)."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


def who_sees(client, auth, world, document, page: str) -> dict[str, set[str]]:
    """Per way of looking, the roles that see the document."""
    seen = {"page": set(), "download": set(), "library": set(), "search": set(), "place": set()}
    version = document.current.id
    for role in ROLES:
        as_role(client, auth, world, role)
        checks = {
            "page": client.get(f"/documenten/{document.id}").status_code == 200,
            "download": fetch(client, f"/documenten/{document.id}/download/{version}").status_code == 200,
            "library": f'href="/documenten/{document.id}"' in client.get("/documenten").text,
            "search": f'href="/documenten/{document.id}"' in client.get(f"/documenten?q={WORD}").text,
            "place": f'href="/documenten/{document.id}"' in client.get(page).text,
        }
        for way, yes in checks.items():
            if yes:
                seen[way].add(role)
    return seen


def assert_seen_by(seen: dict[str, set[str]], expected: set[str], place_expected: set[str] | None = None):
    for way, roles in seen.items():
        wanted = expected if way != "place" or place_expected is None else place_expected
        assert roles == wanted, f"{way}: seen by {sorted(roles)}, expected {sorted(wanted)}"


# --- an agenda item (stuk) ------------------------------------------------------------------------

def set_meeting_state(meeting, state):
    now = utcnow()
    meeting.published_at = {"draft": None, "scheduled": now + timedelta(days=2)}.get(state, now - timedelta(hours=1))
    if state == "cancelled":
        meeting_actions.cancel_meeting(meeting.id)
    if state == "binned":  # the agenda item is gone
        meeting_actions.remove_item(meeting.id, meeting.items[0].id)
    db.session.commit()


@pytest.mark.parametrize("visibility, audience, state, expected", [
    # The form's default on a public meeting: the body's members, once the meeting is published.
    (meeting_rules.PUBLIC, None, "draft", MANAGERS),
    (meeting_rules.PUBLIC, None, "scheduled", MANAGERS),
    (meeting_rules.PUBLIC, None, "published", BODY_ONLY),
    (meeting_rules.PUBLIC, None, "cancelled", BODY_ONLY),
    (meeting_rules.PUBLIC, None, "binned", MANAGERS),
    # Chosen public: nobody but the secretaries until the meeting is published.
    (meeting_rules.PUBLIC, places.PUBLIC, "draft", MANAGERS),
    (meeting_rules.PUBLIC, places.PUBLIC, "scheduled", MANAGERS),
    (meeting_rules.PUBLIC, places.PUBLIC, "published", EVERYONE),
    (meeting_rules.PUBLIC, places.PUBLIC, "cancelled", EVERYONE),
    (meeting_rules.PUBLIC, places.PUBLIC, "binned", MANAGERS),
    (meeting_rules.PUBLIC, places.MEMBERS, "published", MEMBERS_ALL),
    # Public on a meeting for the body's members only: never wider than the meeting.
    (meeting_rules.MEMBERS, places.PUBLIC, "published", BODY_ONLY),
    (meeting_rules.MEMBERS, None, "published", BODY_ONLY),
])
def test_a_stuk_is_seen_as_chosen_and_never_wider_than_its_meeting(client, auth, world, visibility, audience, state,
                                                                   expected):
    meeting = make_meeting(world, visibility)
    item = meeting.items[0]
    page = f"/vergaderingen/{meeting.id}"
    document = attach_to_item(client, auth, world, meeting, audience)
    assert document.visibility == (audience or places.BODY) and document.body == world["body"]
    set_meeting_state(meeting, state)
    assert_seen_by(who_sees(client, auth, world, document, page), expected,
                   place_expected=NOBODY if state == "binned" else None)


# --- an activity ----------------------------------------------------------------------------------

@pytest.mark.parametrize("audience_of_activity, one_body, audience, state, expected", [
    # An activity for everyone: its papers start at all members, never public by themselves.
    (activity_rules.EVERYONE, False, None, activity_rules.PUBLISHED, MEMBERS_ALL),
    (activity_rules.EVERYONE, False, None, activity_rules.PROPOSED, MANAGERS),
    (activity_rules.EVERYONE, False, None, activity_rules.CANCELLED, MEMBERS_ALL),
    (activity_rules.EVERYONE, False, None, activity_rules.DECLINED, MANAGERS),
    (activity_rules.EVERYONE, False, places.PUBLIC, activity_rules.PUBLISHED, EVERYONE),
    (activity_rules.EVERYONE, False, places.PUBLIC, activity_rules.PROPOSED, MANAGERS),
    # For one body only: its members (issue 15: these were stored for all members).
    (activity_rules.BODIES, True, None, activity_rules.PUBLISHED, BODY_ONLY),
    # For all members: chosen public is still only for members, while the activity is.
    (activity_rules.MEMBERS, False, places.PUBLIC, activity_rules.PUBLISHED, MEMBERS_ALL),
])
def test_an_activity_paper_is_seen_as_chosen_and_never_wider_than_its_activity(
        client, auth, world, audience_of_activity, one_body, audience, state, expected):
    activity = make_activity(world, audience_of_activity, [world["body"]] if one_body else [])
    page = f"/activiteiten/{activity.id}"
    document = attach_as_secretary(client, auth, world, page, f"/activiteiten/{activity.id}/stukken", "activiteit",
                                   audience)
    assert document.visibility == (audience or (places.BODY if one_body else places.MEMBERS))
    activity.status = state
    db.session.commit()
    assert_seen_by(who_sees(client, auth, world, document, page), expected)


# --- a dossier ------------------------------------------------------------------------------------

@pytest.mark.parametrize("audience, done", [(None, False), (None, True), (places.PUBLIC, False)])
def test_a_dossier_letter_is_for_the_body_and_never_wider_than_its_dossier(client, auth, world, audience, done):
    dossier = make_dossier(world)
    page = f"/advies/{dossier.id}"
    document = attach_as_secretary(client, auth, world, page, f"/advies/{dossier.id}/stukken", "dossier", audience)
    assert document.visibility == (audience or places.BODY)
    if done:
        dossier.status = advice_rules.DONE
        db.session.commit()
    assert_seen_by(who_sees(client, auth, world, document, page), BODY_ONLY)


# --- the library ----------------------------------------------------------------------------------

@pytest.mark.parametrize("visibility, expected", [("public", EVERYONE), ("members", MEMBERS_ALL),
                                                  ("body", BODY_ONLY)])
def test_a_library_document_keeps_its_own_audience_also_on_a_draft_meeting(client, auth, world, visibility, expected):
    as_role(client, auth, world, "secretary")
    response = client.post("/documenten/nieuw", content_type="multipart/form-data", data={
        "title": "Werkboek", "description": "", "category": "werkboek", "tags": "", "visibility": visibility,
        "body": str(world["body"].id), "file": (io.BytesIO(CONTENT), "werkboek.txt")})
    assert response.status_code == 303
    document = db.session.scalar(db.select(Document))
    assert document.standalone is True
    meeting = make_meeting(world)  # a draft: only the secretaries see it
    item = meeting.items[0]
    response = client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken",
                           data={"document": str(document.id), "wie": visibility})  # the same audience: no question
    assert response.status_code == 303
    assert_seen_by(who_sees(client, auth, world, document, f"/vergaderingen/{meeting.id}"), expected,
                   place_expected=MANAGERS)


def test_a_document_in_the_bin_is_seen_by_no_one(client, auth, world):
    meeting = make_meeting(world)
    set_meeting_state(meeting, "published")
    document = attach_to_item(client, auth, world, meeting, places.PUBLIC)
    assert client.post(f"/documenten/{document.id}/verwijderen").status_code == 303
    assert_seen_by(who_sees(client, auth, world, document, f"/vergaderingen/{meeting.id}"), NOBODY)


def test_the_query_and_the_check_for_one_document_agree(app, world, make_user):
    meeting = make_meeting(world)
    item = meeting.items[0]
    secretary = world["users"]["secretary"]
    attached = [places.attach(places.Place("agenda_item", item.id, world["body"], places.BODY, "de vergadering"),
                              secretary, upload=_file(f"{n}".encode() * 10, f"{n}.txt"), audience=audience).document
                for n, audience in enumerate((places.PUBLIC, places.MEMBERS, places.BODY))]
    db.session.commit()
    for state in ("draft", "published"):
        set_meeting_state(meeting, state)
        for user in [AnonymousUserMixin(), *world["users"].values()]:
            listed = set(db.session.scalars(access.visible_documents_query(user)))
            for document in attached:
                assert access.can_view(user, document) is (document in listed), (state, user, document.visibility)


def _file(content: bytes, name: str):
    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(content), filename=name)


# --- the form and the audience next to each file --------------------------------------------------

def test_every_attached_file_shows_its_audience_and_a_secretary_changes_it_there(client, auth, world):
    meeting = make_meeting(world)
    set_meeting_state(meeting, "published")
    item = meeting.items[0]
    page = f"/vergaderingen/{meeting.id}"
    document = attach_to_item(client, auth, world, meeting)
    html = client.get(page).text
    assert "Wie mag het zien: Alleen leden van Cliëntenraad Noord" in html
    assert f'action="/documenten/{document.id}/wie-mag-het-zien"' in html
    back = f"/vergaderingen/{meeting.id}#item-{item.id}"
    response = client.post(f"/documenten/{document.id}/wie-mag-het-zien",
                           data={"wie": "public", "orgaan": str(world["body"].id), "next": back})
    assert response.status_code == 303 and response.headers["Location"] == back
    assert document.visibility == places.PUBLIC
    as_role(client, auth, world, "guest")
    assert f'href="/documenten/{document.id}"' in client.get(page).text
    # A member sees the audience, but no way to change it.
    as_role(client, auth, world, "member")
    html = client.get(page).text
    assert "Wie mag het zien: Openbaar" in html and "wie-mag-het-zien" not in html


@pytest.mark.parametrize("role, status", [("guest", 303), ("member", 403), ("other body", 404)])
def test_only_who_looks_after_a_document_changes_its_audience(client, auth, world, role, status):
    meeting = make_meeting(world)
    set_meeting_state(meeting, "published")
    document = attach_to_item(client, auth, world, meeting)
    as_role(client, auth, world, role)
    response = client.post(f"/documenten/{document.id}/wie-mag-het-zien", data={"wie": "public", "next": "/"})
    assert response.status_code == status
    assert document.visibility == places.BODY


def test_a_changed_audience_needs_a_body_one_may_choose_and_a_local_return_address(client, auth, world):
    meeting = make_meeting(world)
    document = attach_to_item(client, auth, world, meeting, places.MEMBERS)
    path = f"/documenten/{document.id}/wie-mag-het-zien"
    response = client.post(path, data={"wie": "body", "orgaan": str(world["other"].id), "next": "https://evil.example/"},
                           follow_redirects=True)
    assert "Kies wie het document mag zien." in response.text and document.visibility == places.MEMBERS
    response = client.post(path, data={"wie": "iedereen", "next": "https://evil.example/"})
    assert response.headers["Location"] == f"/documenten/{document.id}"
    assert document.visibility == places.MEMBERS


def test_the_attach_form_asks_who_may_see_it_and_refuses_what_it_does_not_offer(client, auth, world):
    meeting = make_meeting(world)
    item = meeting.items[0]
    action = f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken"
    as_role(client, auth, world, "secretary")
    # The meeting page links each item to a form of its own (the library's list is not repeated per item).
    meeting_page = client.get(f"/vergaderingen/{meeting.id}").text
    assert f'href="{action}"' in meeting_page and "Wie mag het stuk zien?" not in meeting_page
    html = client.get(action).text
    assert "Wie mag het stuk zien?" in html and "Wie de vergadering niet mag zien, ziet het stuk ook niet." in html
    assert f"Bij agendapunt ‘{item.title}’" in html and f'action="{action}"' in html
    assert form_default(html, item.id) == places.BODY
    response = client.post(action, data=upload("iedereen"), content_type="multipart/form-data")
    assert response.status_code == 422  # the problem is said on the form, which starts again at its default
    assert "Kies wie het stuk mag zien." in response.text and form_default(response.text, item.id) == places.BODY
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0


def test_the_attach_form_keeps_what_was_chosen_when_something_is_missing(client, auth, world):
    document = library_document(client, auth, world, visibility="members")
    meeting = make_meeting(world)
    item = meeting.items[0]
    action = f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken"
    response = client.post(action, data={"wie": places.MEMBERS})  # no file, no document
    assert response.status_code == 422 and "<title>Fout:" in response.text
    assert "Kies een bestand of een document uit de bibliotheek." in response.text
    assert form_default(response.text, item.id) == places.MEMBERS
    response = client.post(action, data={"document": str(document.id), "wie": "iedereen"})  # not a choice here
    assert response.status_code == 422 and "Kies wie het stuk mag zien." in response.text
    assert f'<option value="{document.id}" selected>' in response.text
    assert links() == 0


@pytest.mark.parametrize("role, status", [("guest", 303), ("member", 403), ("other body", 404)])
def test_only_who_runs_the_meeting_opens_the_attach_form(client, auth, world, role, status):
    meeting = make_meeting(world)
    set_meeting_state(meeting, "published")
    as_role(client, auth, world, role)
    action = f"/vergaderingen/{meeting.id}/agendapunten/{meeting.items[0].id}/stukken"
    assert client.get(action).status_code == status
    assert client.get(f"/vergaderingen/{meeting.id}/agendapunten/999999/stukken").status_code in (status, 404)


def test_an_activity_for_several_bodies_offers_no_single_body(client, auth, world):
    activity = make_activity(world, activity_rules.BODIES, [world["body"], world["other"]])
    as_role(client, auth, world, "secretary")
    html = client.get(f"/activiteiten/{activity.id}").text
    assert form_default(html, "activiteit") == places.MEMBERS and "Alleen leden van" not in html
    response = client.post(f"/activiteiten/{activity.id}/stukken", data=upload("body"),
                           content_type="multipart/form-data", follow_redirects=True)
    assert "Kies wie het stuk mag zien." in response.text


# --- reusing a file that is already in the library ------------------------------------------------

def library_document(client, auth, world, visibility="public", content=CONTENT):
    as_role(client, auth, world, "secretary")
    response = client.post("/documenten/nieuw", content_type="multipart/form-data", data={
        "title": "Het origineel", "description": "", "category": "werkboek", "tags": "", "visibility": visibility,
        "body": "", "file": (io.BytesIO(content), "origineel.txt")})
    assert response.status_code == 303
    return db.session.scalars(db.select(Document).order_by(Document.id.desc())).first()


def links() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(DocumentLink))


def test_the_same_file_again_asks_before_anything_changes(client, auth, world):
    document = library_document(client, auth, world)
    meeting = make_meeting(world)
    action = f"/vergaderingen/{meeting.id}/agendapunten/{meeting.items[0].id}/stukken"
    response = client.post(action, data=upload(places.BODY, name="kopie.txt"), content_type="multipart/form-data")
    html = response.text
    assert response.status_code == 200 and "Dit bestand staat al in de bibliotheek" in html
    assert f'href="/documenten/{document.id}"' in html and "Nu mag dit het zien:" in html and "Openbaar" in html
    assert "Zo laten: Openbaar. Iedereen kan het zien, ook mensen zonder account. Ook in de bibliotheek." in html
    assert ("Veranderen in: Alleen leden van Cliëntenraad Noord. Alleen de leden van Cliëntenraad Noord kunnen "
            "het zien. Ook in de bibliotheek.") in html
    assert f'action="{action}"' in html
    assert links() == 0 and document.visibility == places.PUBLIC
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 1

    answer = {"document": str(document.id), "wie": places.BODY, "vraag": "1"}
    response = client.post(action, data=answer)  # no choice made: asked again, with the reason
    assert response.status_code == 422 and "Kies of het zo blijft of verandert." in response.text and links() == 0
    assert client.post(action, data=answer | {"hergebruik": "keep"}).status_code == 303
    assert links() == 1 and document.visibility == places.PUBLIC


def test_the_same_file_again_may_change_its_audience_when_the_person_says_so(client, auth, world):
    document = library_document(client, auth, world)
    dossier = make_dossier(world)
    action = f"/advies/{dossier.id}/stukken"
    assert "Dit bestand staat al" in client.post(action, data=upload(None, "kopie.txt"),
                                                 content_type="multipart/form-data").text
    response = client.post(action, data={"document": str(document.id), "wie": places.BODY, "vraag": "1",
                                         "hergebruik": "change"})
    assert response.status_code == 303 and links() == 1
    assert document.visibility == places.BODY and document.body == world["body"]
    as_role(client, auth, world, "guest")
    assert client.get(f"/documenten/{document.id}").status_code == 404


def test_a_file_with_the_same_audience_is_attached_without_asking(client, auth, world):
    document = library_document(client, auth, world, visibility="members")
    activity = make_activity(world)
    response = client.post(f"/activiteiten/{activity.id}/stukken", data=upload(places.MEMBERS, "kopie.txt"),
                           content_type="multipart/form-data")
    assert response.status_code == 303 and links() == 1 and document.visibility == places.MEMBERS


def test_who_may_not_change_the_audience_can_only_keep_it(client, auth, world, make_user):
    document = library_document(client, auth, world)
    dossier = make_dossier(world)
    drafter = make_user(bodies=[world["body"]])
    dossier.drafters = [drafter]
    db.session.commit()
    auth.logout()
    auth.login(drafter)
    action = f"/advies/{dossier.id}/stukken"
    html = client.post(action, data=upload(None, "kopie.txt"), content_type="multipart/form-data").text
    assert "U kunt niet veranderen wie het mag zien." in html and "Veranderen in" not in html
    response = client.post(action, data={"document": str(document.id), "wie": places.BODY, "vraag": "1",
                                         "hergebruik": "change"})  # not offered: asked again
    assert response.status_code == 422 and document.visibility == places.PUBLIC and links() == 0
    client.post(action, data={"document": str(document.id), "wie": places.BODY, "vraag": "1", "hergebruik": "keep"})
    assert links() == 1 and document.visibility == places.PUBLIC


def test_choosing_a_library_document_with_another_audience_asks_too(client, auth, world):
    document = library_document(client, auth, world)
    meeting = make_meeting(world)
    action = f"/vergaderingen/{meeting.id}/agendapunten/{meeting.items[0].id}/stukken"
    assert f'<option value="{document.id}">Het origineel (Openbaar)</option>' in client.get(action).text
    response = client.post(action, data={"document": str(document.id), "wie": places.BODY})
    assert "Dit bestand staat al in de bibliotheek" in response.text and links() == 0


def test_a_document_one_may_not_see_cannot_be_chosen(client, auth, world):
    hidden = logic.store_upload(_file(CONTENT, "zuid.txt"), title="Van Zuid", uploaded_by=world["users"]["other body"],
                                body=world["other"], visibility=places.BODY)
    db.session.commit()
    meeting = make_meeting(world)
    item = meeting.items[0]
    as_role(client, auth, world, "secretary")
    response = client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken",
                           data={"document": str(hidden.id), "wie": places.BODY, "hergebruik": "keep"},
                           follow_redirects=True)
    assert "Kies een bestand of een document uit de bibliotheek." in response.text and links() == 0


# --- cross-references -----------------------------------------------------------------------------

def test_used_at_names_only_places_the_visitor_may_open(client, auth, world):
    document = library_document(client, auth, world)
    draft = make_meeting(world)
    draft.items[0].title = "Geheim agendapunt"
    closed = make_meeting(world, visibility=meeting_rules.MEMBERS)
    closed.items[0].title = "Besloten agendapunt"
    set_meeting_state(closed, "published")
    open_meeting = make_meeting(world)
    open_meeting.items[0].title = "Openbaar agendapunt"
    set_meeting_state(open_meeting, "published")
    dossier = make_dossier(world)
    as_role(client, auth, world, "secretary")
    for meeting in (draft, closed, open_meeting):
        client.post(f"/vergaderingen/{meeting.id}/agendapunten/{meeting.items[0].id}/stukken",
                    data={"document": str(document.id), "wie": "public"})
    client.post(f"/advies/{dossier.id}/stukken", data={"document": str(document.id), "wie": "public"})
    assert links() == 4
    shown = {}
    for role in ("guest", "other body", "member", "secretary"):
        as_role(client, auth, world, role)
        html = client.get(f"/documenten/{document.id}").text
        used_at = html.partition("Gebruikt bij")[2].partition("Versies")[0]
        shown[role] = {title for title in ("Geheim agendapunt", "Besloten agendapunt", "Openbaar agendapunt",
                                           "Brieven") if title in used_at}
    assert shown == {"guest": {"Openbaar agendapunt"}, "other body": {"Openbaar agendapunt"},
                     "member": {"Besloten agendapunt", "Openbaar agendapunt", "Brieven"},
                     "secretary": {"Geheim agendapunt", "Besloten agendapunt", "Openbaar agendapunt", "Brieven"}}


def test_a_dossier_links_only_meetings_and_signals_the_reader_may_open(client, auth, world):
    dossier = make_dossier(world)
    draft = make_meeting(world)
    draft.title = "Conceptvergadering"
    signal = signals.store_signal({"category": "communicatie", "sentiment": "beter", "organisation_kind": "gemeente",
                                   "description": "Een brief die niemand snapte."})
    db.session.commit()
    secretary = world["users"]["secretary"]
    assert advice.link_meeting(dossier, draft.id, secretary) is None
    assert advice.link_signal(dossier, signal.reference, world["users"]["admin"]) is None
    db.session.commit()
    as_role(client, auth, world, "member")
    html = client.get(f"/advies/{dossier.id}").text
    # (The timeline says that a link was made, without naming what.)
    assert "Conceptvergadering" not in html and f"/vergaderingen/{draft.id}" not in html
    assert f"{signal.reference}:" not in html and f"/signalen/{signal.id}" not in html
    as_role(client, auth, world, "admin")
    html = client.get(f"/advies/{dossier.id}").text
    assert "Conceptvergadering" in html and f"{signal.reference}:" in html
    member = world["users"]["member"]
    assert advice.link_meeting(dossier, draft.id, member) == "Kies een vergadering van dit orgaan."


# --- existing sites: public documents attached before this rule -----------------------------------

def legacy_public_stuk(world, title="Oud stuk"):
    """As an earlier version stored a stuk of a public meeting: public, and on its own."""
    meeting = make_meeting(world)
    secretary = world["users"]["secretary"]
    document = logic.store_upload(_file(title.encode() * 5, f"{title}.txt"), title=title, uploaded_by=secretary,
                                  body=world["body"], visibility=places.PUBLIC, standalone=None)
    db.session.add(DocumentLink(document=document, target_kind="agenda_item", target_id=meeting.items[0].id))
    db.session.commit()
    return document, meeting


def test_nothing_changes_by_itself_and_an_admin_checks_the_old_public_stukken(client, auth, world):
    document, meeting = legacy_public_stuk(world)
    loose = library_document(client, auth, world)  # public, not attached: nothing to check
    as_role(client, auth, world, "guest")
    assert client.get(f"/documenten/{document.id}").status_code == 200  # as before the upgrade
    as_role(client, auth, world, "admin")
    html = client.get("/beheer/documenten-nakijken").text
    assert "Oud stuk" in html and loose.title not in html and "Vergadering" in html
    assert "Documenten nakijken" in client.get("/beheer/").text
    response = client.post(f"/beheer/documenten-nakijken/{document.id}", data={"besluit": "plek"})
    assert response.status_code == 303 and document.standalone is False
    assert "Er is niets na te kijken." in client.get("/beheer/documenten-nakijken").text
    as_role(client, auth, world, "guest")
    assert client.get(f"/documenten/{document.id}").status_code == 404  # the meeting is a draft
    set_meeting_state(meeting, "published")
    assert client.get(f"/documenten/{document.id}").status_code == 200


def test_an_admin_may_keep_an_old_stuk_public_on_its_own(client, auth, world):
    document, _meeting = legacy_public_stuk(world)
    as_role(client, auth, world, "admin")
    assert client.post(f"/beheer/documenten-nakijken/{document.id}", data={"besluit": "los"}).status_code == 303
    assert document.standalone is True
    assert client.post(f"/beheer/documenten-nakijken/{document.id}", data={"besluit": "x"}).status_code == 400
    assert client.post("/beheer/documenten-nakijken/999", data={"besluit": "los"}).status_code == 404
    as_role(client, auth, world, "guest")
    assert client.get(f"/documenten/{document.id}").status_code == 200


@pytest.mark.parametrize("role, status", [("guest", 303), ("member", 403), ("secretary", 403)])
def test_only_admins_check_old_documents(client, auth, world, role, status):
    document, _meeting = legacy_public_stuk(world)
    as_role(client, auth, world, role)
    assert client.get("/beheer/documenten-nakijken").status_code == status
    assert client.post(f"/beheer/documenten-nakijken/{document.id}", data={"besluit": "los"}).status_code == status
    assert document.standalone is None


def test_the_edit_page_puts_a_placed_document_on_its_own_in_the_library(client, auth, world):
    meeting = make_meeting(world)
    document = attach_to_item(client, auth, world, meeting, places.PUBLIC)
    html = client.get(f"/documenten/{document.id}/bewerken").text
    assert "Ook los in de bibliotheek" in html
    assert "Alleen als zij ook de vergadering, de activiteit of het dossier mogen zien" in client.get(
        f"/documenten/{document.id}").text
    client.post(f"/documenten/{document.id}/bewerken", data={
        "title": "Jaarplan", "description": "", "category": "werkboek", "tags": "", "visibility": "public",
        "body": str(world["body"].id), "standalone": "y"})
    assert document.standalone is True
    as_role(client, auth, world, "guest")
    assert client.get(f"/documenten/{document.id}").status_code == 200
    loose = library_document(client, auth, world, "members", content=b"Een ander bestand.")
    # A library upload that was never attached: no such choice.
    assert "Ook los in de bibliotheek" not in client.get(f"/documenten/{loose.id}/bewerken").text
