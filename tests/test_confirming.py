"""Asking first: the confirmation pages name who gets a mail, nothing happens before the POST,
the personal message goes into the mail, and what was removed can be put back for a while."""
import re

import pytest

from cpweb.core.extensions import db
from cpweb.mail import choose_kinds
from cpweb.meetings import actions, logic, rules
from cpweb.web.confirming import read_undo_token, undo_token
from tests.test_activities import make_activity  # noqa: F401 (a fixture)
from tests.test_meetings import body, make_meeting, member, secretary, upload  # noqa: F401 (fixtures)


@pytest.fixture
def quiet(make_user, body):  # noqa: F811
    """A member who switched off every optional mail."""
    user = make_user(bodies=[body], name="Stille Sam")
    choose_kinds(user, set())
    db.session.commit()
    return user


def named(page: str) -> list[str]:
    block = re.search(r'<ul class="confirm-recipients">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def count_said(page: str) -> int:
    return int(re.search(r"(\d+) (?:persoon krijgt|mensen krijgen) een e-mail", page).group(1))


def addressees(mails, user_by_email) -> list[str]:
    return sorted(user_by_email[m.to] for m in mails)


@pytest.mark.parametrize("action, subject", [("afgelasten", "Afgelast"), ("uitnodigen", "Uitnodiging"),
                                             ("stukken-compleet", "De stukken zijn compleet")])
def test_the_confirmation_names_who_gets_the_mail_and_the_mail_has_the_message(
        client, auth, secretary, member, quiet, make_meeting, mails, action, subject):  # noqa: F811
    meeting = make_meeting()
    auth.login(secretary)
    _stuk_on(client, meeting, meeting.items[0])  # "De stukken zijn compleet" asks for stukken
    page = client.get(f"/vergaderingen/{meeting.id}/{action}")
    assert page.status_code == 200 and 'tabindex="-1" autofocus' in page.text
    assert named(page.text) == ["Lid Lisa", "Sec Retaris"] and count_said(page.text) == 2
    assert "Stille Sam" not in page.text
    assert meeting.status == rules.PLANNED and meeting.invitations_sent_at is None and meeting.documents_complete_at is None \
        and not mails  # nothing yet
    answer = client.post(f"/vergaderingen/{meeting.id}/{action}", data={"note": "Sorry, de zaal is dicht."})
    assert answer.status_code == 303
    sent = [m for m in mails if m.subject.startswith(subject)]
    emails = {u.email: u.name for u in (secretary, member, quiet)}
    assert addressees(sent, emails) == named(page.text)
    assert all("Persoonlijk bericht:\nSorry, de zaal is dicht." in m.body for m in sent)


def test_the_htmx_confirmation_is_only_the_block(client, auth, secretary, make_meeting):  # noqa: F811
    meeting = make_meeting()
    auth.login(secretary)
    page = client.get(f"/vergaderingen/{meeting.id}/afgelasten", headers={"HX-Request": "true"})
    assert "<html" not in page.text and page.text.lstrip().startswith('<section id="confirm"')
    assert "<html" in client.get(f"/vergaderingen/{meeting.id}/afgelasten").text


def test_the_meeting_page_asks_first_instead_of_acting(client, auth, secretary, make_meeting):  # noqa: F811
    meeting = make_meeting()
    auth.login(secretary)
    _stuk_on(client, meeting, meeting.items[0])
    page = client.get(f"/vergaderingen/{meeting.id}").text
    for path in ("afgelasten", "uitnodigen", "stukken-compleet"):
        assert f'<a href="/vergaderingen/{meeting.id}/{path}"' in page
        assert f'action="/vergaderingen/{meeting.id}/{path}"' not in page


@pytest.mark.parametrize("path", ["afgelasten", "uitnodigen", "gaat-toch-door", "verslag/verder", "stukken-compleet"])
def test_confirmations_are_for_the_secretary_only(client, auth, member, make_meeting, make_user, make_body, path):  # noqa: F811
    meeting = make_meeting()
    assert client.get(f"/vergaderingen/{meeting.id}/{path}").status_code in (302, 303, 404)
    auth.login(member)
    assert client.get(f"/vergaderingen/{meeting.id}/{path}").status_code == 403
    assert client.post(f"/vergaderingen/{meeting.id}/{path}").status_code == 403
    auth.logout()
    auth.login(make_user(role="secretaris", bodies=[make_body("Ander orgaan")]))
    assert client.get(f"/vergaderingen/{meeting.id}/{path}").status_code == 404


def test_a_too_long_message_is_kept_and_explained(client, auth, secretary, make_meeting, mails):  # noqa: F811
    meeting = make_meeting()
    auth.login(secretary)
    answer = client.post(f"/vergaderingen/{meeting.id}/afgelasten", data={"note": "x" * 1001})
    assert answer.status_code == 422 and "Gebruik hoogstens 1.000 tekens." in answer.text and "x" * 1001 in answer.text
    assert meeting.status == rules.PLANNED and not mails


def test_a_cancelled_meeting_goes_ahead_after_all(client, auth, secretary, member, quiet, make_meeting, mails):  # noqa: F811
    meeting = make_meeting()
    auth.login(secretary)
    client.post(f"/vergaderingen/{meeting.id}/afgelasten")
    cancelled_to = sorted(m.to for m in mails if m.subject.startswith("Afgelast"))
    assert "De vergadering gaat toch door" in client.get(f"/vergaderingen/{meeting.id}").text
    page = client.get(f"/vergaderingen/{meeting.id}/gaat-toch-door")
    assert named(page.text) == ["Lid Lisa", "Sec Retaris"] and meeting.is_cancelled
    assert client.post(f"/vergaderingen/{meeting.id}/gaat-toch-door", data={"note": "De zaal is er weer."}).status_code == 303
    assert meeting.status == rules.PLANNED and meeting.sequence == 2
    again = [m for m in mails if m.subject.startswith("Gaat toch door")]
    assert sorted(m.to for m in again) == cancelled_to
    assert all("De zaal is er weer." in m.body for m in again)


def test_sharing_minutes_names_the_readers_and_approving_says_it_is_final(
        client, auth, secretary, member, quiet, make_meeting, mails):  # noqa: F811
    meeting = make_meeting()
    auth.login(secretary)
    assert client.get(f"/vergaderingen/{meeting.id}/verslag/verder").status_code == 303  # nothing to share yet
    actions.save_minutes(meeting.id, "## Opening\n\nDe voorzitter opent de vergadering.", 0)
    page = client.get(f"/vergaderingen/{meeting.id}/verslag/verder")
    assert named(page.text) == ["Lid Lisa", "Sec Retaris"]
    assert logic.minutes_of(meeting).status == rules.DRAFT
    client.post(f"/vergaderingen/{meeting.id}/verslag/verder", data={"note": "Graag voor vrijdag."})
    shared = [m for m in mails if m.subject.startswith("Verslag om te lezen")]
    assert sorted(m.to for m in shared) == sorted([member.email, secretary.email])
    assert all("Graag voor vrijdag." in m.body for m in shared)
    page = client.get(f"/vergaderingen/{meeting.id}/verslag/verder")
    assert "Dit kunt u niet terugdraaien." in page.text and "e-mail" not in page.text.split("<main")[1].split("</main>")[0]
    assert logic.minutes_of(meeting).status == rules.SHARED
    client.post(f"/vergaderingen/{meeting.id}/verslag/verder")
    assert logic.minutes_of(meeting).status == rules.APPROVED
    assert client.get(f"/vergaderingen/{meeting.id}/verslag/verder").status_code == 409


def test_a_removed_agenda_item_can_be_put_back(client, auth, secretary, make_meeting):  # noqa: F811
    meeting = make_meeting()
    titles = [item.title for item in meeting.items]
    second = meeting.items[1]
    auth.login(secretary)
    page = client.get(f"/vergaderingen/{meeting.id}/agendapunten/{second.id}/verwijderen")
    assert "Agendapunt weghalen?" in page.text and "Terugzetten" in page.text and "Niemand krijgt" not in page.text
    assert len(meeting.items) == len(titles)
    answer = client.post(f"/vergaderingen/{meeting.id}/agendapunten/{second.id}/verwijderen", follow_redirects=True)
    assert titles[1] not in [item.title for item in meeting.items]
    token = re.search(r'name="token" value="([^"]+)"', answer.text).group(1)
    assert client.post(f"/vergaderingen/{meeting.id}/agendapunten/terugzetten", data={"token": token}).status_code == 303
    db.session.expire_all()
    assert [item.title for item in meeting.items] == titles
    client.post(f"/vergaderingen/{meeting.id}/agendapunten/terugzetten", data={"token": token})  # twice is once
    db.session.expire_all()
    assert [item.title for item in meeting.items] == titles


def test_a_forged_or_foreign_undo_token_puts_nothing_back(client, auth, secretary, make_meeting):  # noqa: F811
    meeting, other = make_meeting(), make_meeting(title="Andere")
    removed = actions.remove_item(other.id, other.items[0].id)
    count = len(meeting.items)
    auth.login(secretary)
    for token in ("nep", undo_token("agenda-item", [other.id, removed]), undo_token("stuk", [meeting.items[0].id, 1])):
        answer = client.post(f"/vergaderingen/{meeting.id}/agendapunten/terugzetten", data={"token": token},
                             follow_redirects=True)
        assert "Terugzetten kan niet meer." in answer.text
    db.session.expire_all()
    assert len(meeting.items) == count


def test_an_undo_token_is_for_one_kind_and_a_while(app, monkeypatch):
    token = undo_token("stuk", [1, 2])
    assert read_undo_token(token, "stuk") == [1, 2] and read_undo_token(token, "agenda-item") is None
    monkeypatch.setattr("cpweb.web.confirming.UNDO_SECONDS", -1)
    assert read_undo_token(token, "stuk") is None


def _stuk_on(client, meeting, item) -> int:
    client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken", data=upload(),
                content_type="multipart/form-data")
    return int(client.get(f"/vergaderingen/{meeting.id}").text.split("/documenten/")[1].split('"')[0])


def test_a_removed_stuk_can_be_put_back(client, auth, secretary, make_meeting):  # noqa: F811
    meeting = make_meeting()
    item = meeting.items[0]
    auth.login(secretary)
    document_id = _stuk_on(client, meeting, item)
    path = f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken/{document_id}/weghalen"
    assert "Stuk weghalen?" in client.get(path).text
    assert f'href="/documenten/{document_id}"' in client.get(f"/vergaderingen/{meeting.id}").text
    answer = client.post(path, follow_redirects=True)
    assert f'href="/documenten/{document_id}"' not in answer.text
    token = re.search(r'name="token" value="([^"]+)"', answer.text).group(1)
    client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken/terugzetten", data={"token": token})
    assert f'href="/documenten/{document_id}"' in client.get(f"/vergaderingen/{meeting.id}").text
    assert client.get(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/stukken/999/weghalen").status_code == 404


def test_a_removed_item_takes_its_stukken_along_and_back(client, auth, secretary, make_meeting):  # noqa: F811
    meeting = make_meeting()
    item = meeting.items[0]
    title = item.title
    auth.login(secretary)
    document_id = _stuk_on(client, meeting, item)
    answer = client.post(f"/vergaderingen/{meeting.id}/agendapunten/{item.id}/verwijderen", follow_redirects=True)
    assert f'href="/documenten/{document_id}"' not in answer.text
    assert client.get(f"/documenten/{document_id}").status_code == 200  # still in the library
    token = re.search(r'name="token" value="([^"]+)"', answer.text).group(1)
    client.post(f"/vergaderingen/{meeting.id}/agendapunten/terugzetten", data={"token": token})
    db.session.expire_all()
    assert f'href="/documenten/{document_id}"' in client.get(f"/vergaderingen/{meeting.id}").text
    assert meeting.items[0].title == title


# --- activities ---------------------------------------------------------------------------------------

def test_cancelling_an_activity_names_members_and_guests_who_get_the_mail(
        client, auth, secretary, member, quiet, make_activity, mails):  # noqa: F811
    from cpweb.activities import logic as activities
    from cpweb.activities import rules as activity_rules
    from cpweb.mail.models import MailOptOut
    from cpweb.mail.preferences import address_hash

    activity = make_activity(audience=activity_rules.EVERYONE)
    for person in (member, quiet):
        activities.sign_up(activity.id, person)
    for name, email in (("Gert Gast", "gert@example.org"), ("Stille Gast", "stil@example.org")):
        activities.confirm_guest(activities.guest_sign_up(activity.id, name, email).id)
    db.session.add(MailOptOut(address_hash=address_hash("stil@example.org"), kind="updates"))
    db.session.commit()
    mails.clear()
    auth.login(secretary)
    page = client.get(f"/activiteiten/{activity.id}/afgelasten")
    assert sorted(named(page.text)) == ["Gert Gast", "Lid Lisa"] and count_said(page.text) == 2
    assert "Stille" not in page.text and "Dit kunt u niet terugdraaien." in page.text
    assert activity.status == activity_rules.PUBLISHED and not mails
    client.post(f"/activiteiten/{activity.id}/afgelasten", data={"note": "De trainer is ziek."})
    assert activity.is_cancelled
    sent = [m for m in mails if m.subject.startswith("Afgelast")]
    assert sorted(m.to for m in sent) == ["gert@example.org", member.email]
    assert all("Persoonlijk bericht:\nDe trainer is ziek." in m.body for m in sent)
