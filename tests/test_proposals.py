"""Proposals between meetings: each kind, who may answer, hidden and anonymous answers, closing, the
outcome in the dossier, on the next meeting and in the annual report, reminders, retention, speed."""
import re
from datetime import datetime, time, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy.orm.attributes import set_committed_value

from cpweb.advice import logic as advice_logic
from cpweb.advice.models import AdviceEvent
from cpweb.bodies.models import Membership
from cpweb.calendar.sources import events_between
from cpweb.core.annual import sections_for
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today
from cpweb.core.retention import run_purge
from cpweb.mail import choose_kinds, chosen_kinds
from cpweb.meetings import logic as meetings_logic
from cpweb.meetings import rules as meeting_rules
from cpweb.meetings.models import Decision, Meeting
from cpweb.proposals import logic, rules
from cpweb.proposals.models import Proposal, ProposalAnswer
from tests.conftest import count_queries

SOON = datetime(2030, 5, 14, 19, 30)


# --- rules --------------------------------------------------------------------------------------------

def test_dates_are_read_one_per_line_with_or_without_an_end_time():
    slots, unreadable = rules.parse_dates("14-05-2030 19:30-21:00\n\n15-5-2030 10.00\n14-05-2030 19:30-21:00\n"
                                          "morgen\n31-02-2030 10:00\n16-05-2030 20:00-19:00")
    assert slots == [(SOON, datetime(2030, 5, 14, 21)), (datetime(2030, 5, 15, 10), datetime(2030, 5, 15, 12))]
    assert unreadable == ["morgen", "31-02-2030 10:00", "16-05-2030 20:00-19:00"]
    assert rules.parse_choices(" Rood \n\nrood\nGroen  blauw\n") == ["Rood", "Groen blauw"]


def test_an_answer_needs_what_its_kind_asks():
    assert "bezwaar" in str(rules.remark_problem(rules.CONSENT, rules.OBJECT, "  "))
    assert rules.remark_problem(rules.CONSENT, rules.OBJECT, "Te duur") is None
    assert rules.remark_problem(rules.VOTE, rules.AGAINST, "") is None
    assert "elke datum" in str(rules.picks_problem(rules.DATE, {1: rules.YES}, [1, 2], 1))
    assert rules.picks_problem(rules.DATE, {1: rules.YES, 2: rules.NO}, [1, 2], 1) is None
    assert "hoogstens 2" in str(rules.picks_problem(rules.CHOICE, dict.fromkeys([1, 2, 3], rules.YES), [1, 2, 3], 2))
    assert rules.picks_problem(rules.CHOICE, {}, [1, 2], 1) is not None
    assert rules.picks_problem(rules.CHOICE, {9: rules.YES}, [1, 2], 1) is not None


def test_counting_says_it_in_one_line_and_finds_the_best_date():
    votes = rules.count_answers(rules.VOTE, [rules.FOR] * 7 + [rules.ABSTAIN])
    assert rules.summary(rules.VOTE, votes) == "7 voor, 1 onthouding"
    consent = rules.count_answers(rules.CONSENT, [rules.AGREE, rules.AGREE, rules.OBJECT])
    assert rules.summary(rules.CONSENT, consent) == "2 stemmen in, 1 bezwaar"
    assert rules.summary(rules.VOTE, rules.count_answers(rules.VOTE, [])) == "Geen antwoorden."
    dates = rules.count_options([(1, "maandag"), (2, "dinsdag"), (3, "woensdag")],
                                [(1, rules.YES), (1, rules.MAYBE), (2, rules.YES), (2, rules.MAYBE), (3, rules.NO)])
    assert rules.best_option(dates).key == 1  # a tie goes to the earliest
    assert rules.summary(rules.DATE, dates) == "Beste datum: maandag (1 ja, 1 misschien)"
    assert rules.best_option(rules.count_options([(1, "x")], [(1, rules.NO)])) is None


def test_the_suggested_outcome_follows_the_answers():
    assert rules.suggested_outcome(rules.CONSENT, rules.count_answers(rules.CONSENT, [rules.AGREE])) == rules.DECIDED
    assert rules.suggested_outcome(rules.CONSENT, rules.count_answers(
        rules.CONSENT, [rules.AGREE, rules.OBJECT])) == rules.REJECTED
    assert rules.suggested_outcome(rules.VOTE, rules.count_answers(
        rules.VOTE, [rules.FOR, rules.AGAINST])) == rules.REJECTED
    assert rules.suggested_outcome(rules.VOTE, rules.count_answers(rules.VOTE, [])) == rules.NO_DECISION


def test_closing_and_reminder_times():
    now = datetime(2030, 5, 1, 12)
    assert rules.closing_problem(now, now) is not None
    assert rules.closing_problem(now + timedelta(days=400), now) is not None
    assert rules.closing_problem(now + timedelta(days=2), now) is None
    day = timedelta(hours=24)
    closes = now + timedelta(hours=10)
    assert rules.reminder_due(now, closes, now - timedelta(days=3), day)
    assert not rules.reminder_due(now, closes, now - timedelta(hours=5), day)  # opened inside the window
    assert not rules.reminder_due(now, now + timedelta(hours=30), now - timedelta(days=3), day)
    assert rules.is_closed(rules.OPEN, now, now) and not rules.is_closed(rules.OPEN, closes, now)


@pytest.fixture
def body(make_body):
    return make_body("Klankbordgroep Voorstellen")


@pytest.fixture
def people(make_user, body):
    return SimpleNamespace(secretary=make_user(role="secretaris", bodies=[body], name="Sam Secretaris"),
                           anna=make_user(bodies=[body], name="Anna Antwoord"),
                           bert=make_user(bodies=[body], name="Bert Bezwaar"))


def proposal_values(body, **changes) -> dict:
    values = {"body_id": body.id, "title": "Folder meelezen", "text": "Lezen we *mee*?", "kind": rules.VOTE,
              "voters": rules.ALL, "results": rules.WHILE_OPEN, "anonymous": False, "max_choices": 1,
              "closes_at": utcnow() + timedelta(days=3), "advice_id": None, "meeting_id": None,
              "choices": ["Rood", "Groen", "Blauw"],
              "dates": [(SOON, SOON + timedelta(hours=2)), (SOON + timedelta(days=1), SOON + timedelta(days=1, hours=2))]}
    values.update(changes)
    return values


@pytest.fixture
def make_proposal(app, body, people):
    def make(**changes):
        return logic.create_proposal(proposal_values(body, **changes), people.secretary)

    return make


def close_now(proposal) -> None:
    """As if its closing time passed and the cron job came by."""
    proposal.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    logic.close_due()


def answers(proposal) -> list[ProposalAnswer]:
    return list(db.session.scalars(db.select(ProposalAnswer).filter_by(proposal_id=proposal.id)))


def form_data(**changes) -> dict:
    data = {"body": "", "title": "Concept-advies ketenjaarplan", "text": "Stemt u in met het concept?",
            "kind": rules.CONSENT, "choices": "", "max_choices": "1", "dates": "",
            "closes_on": (local_today() + timedelta(days=5)).isoformat(), "closes_time": "17:00",
            "voters": rules.ALL, "results": rules.WHILE_OPEN, "names": rules.NAMED, "advice": "", "meeting": ""}
    data.update(changes)
    return data


# --- opening ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, extra, options", [
    (rules.CONSENT, {}, 0),
    (rules.VOTE, {}, 0),
    (rules.CHOICE, {"choices": "Rood\nGroen\nBlauw", "max_choices": "2"}, 3),
    (rules.DATE, {"dates": "14-05-2030 19:30-21:00\n15-05-2030 19:30"}, 2),
])
def test_a_secretary_opens_each_kind_and_the_members_who_may_answer_get_a_mail(
        client, auth, body, people, mails, kind, extra, options):
    people.bert.memberships[0].votes = False
    db.session.commit()
    auth.login(people.secretary)
    response = client.post("/voorstellen/nieuw", data=form_data(body=str(body.id), kind=kind, voters=rules.VOTING,
                                                                **extra))
    assert response.status_code == 303, response.text
    proposal = db.session.scalar(db.select(Proposal))
    assert proposal.kind == kind and len(proposal.options) == options and proposal.voters == rules.VOTING
    assert proposal.max_choices == (2 if kind == rules.CHOICE else 1)
    assert sorted(m.to for m in mails) == sorted([people.secretary.email, people.anna.email])  # not Bert: no vote
    assert f"/voorstellen/{proposal.id}" in mails[0].body and "Meld u af" in mails[0].body
    page = client.get(f"/voorstellen/{proposal.id}")
    assert page.status_code == 200 and "Stemt u in met het concept?" in page.text


def test_a_member_who_switched_proposals_off_gets_no_mail_and_can_unsubscribe_from_one(
        client, make_proposal, people, mails):
    choose_kinds(people.bert, chosen_kinds(people.bert) - {"proposals"})
    db.session.commit()
    make_proposal()
    assert people.bert.email not in [m.to for m in mails]
    link = re.search(r"Meld u af: http://localhost(\S+)", next(m for m in mails if m.to == people.anna.email).body)[1]
    assert client.post(link).status_code == 200
    assert "proposals" not in chosen_kinds(people.anna) and "reminders" in chosen_kinds(people.anna)


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "Vul een titel in."),
    ({"closes_on": "2020-01-01"}, "Kies een sluittijd in de toekomst."),
    ({"closes_time": "later"}, "Vul een tijd in zoals 17:00."),
    ({"kind": rules.CHOICE, "choices": "Alleen rood"}, "Schrijf minstens twee mogelijkheden op"),
    ({"kind": rules.CHOICE, "choices": "Rood\nGroen", "max_choices": "3"}, "Kies niet meer dan er mogelijkheden zijn."),
    ({"kind": rules.DATE, "dates": "14-05-2030 19:30\nvolgende week"}, "Deze regels kunnen we niet lezen: volgende week."),
    ({"kind": ""}, "Kies wat u aan de leden vraagt."),
])
def test_bad_proposal_input_keeps_what_was_typed(client, auth, body, people, mails, changes, message):
    auth.login(people.secretary)
    response = client.post("/voorstellen/nieuw", data=form_data(body=str(body.id), text="Mijn eigen tekst", **changes))
    assert response.status_code == 422 and message in response.text and "Mijn eigen tekst" in response.text
    assert db.session.scalar(db.select(Proposal)) is None and not mails


def test_only_a_dossier_or_meeting_of_the_body_can_be_linked(client, auth, body, people, make_body, make_user):
    other = make_body("Ander orgaan")
    dossier = advice_logic.save_advice(None, {"body_id": other.id, "title": "Elders", "kind": "gevraagd",
                                              "topic": "beleid", "addressee_id": None, "addressee_text": "UWV",
                                              "summary": "", "requested_on": None, "deadline": None}, [], None)
    db.session.commit()
    with pytest.raises(logic.Refused, match="dossier van dit orgaan"):
        logic.create_proposal(proposal_values(body, advice_id=dossier.id), make_user(role="beheerder"))
    assert db.session.scalar(db.select(Proposal)) is None


def test_members_propose_only_where_the_body_allows_it(client, auth, body, people):
    auth.login(people.anna)
    assert client.get("/voorstellen/nieuw").status_code == 403
    assert "Nieuw voorstel" not in client.get("/voorstellen/").text
    body.members_propose = True
    db.session.commit()
    assert client.post("/voorstellen/nieuw", data=form_data(body=str(body.id))).status_code == 303
    proposal = db.session.scalar(db.select(Proposal))
    assert proposal.created_by_id == people.anna.id
    assert client.post(f"/voorstellen/{proposal.id}/sluiten").status_code == 403  # closing is the secretary's


# --- access ----------------------------------------------------------------------------------------

ROUTES = [("get", ""), ("post", "/antwoord"), ("get", "/sluiten"), ("post", "/sluiten"), ("post", "/uitkomst"),
          ("post", "/stukken"), ("get", "/antwoorden.csv")]


@pytest.mark.parametrize("method, suffix", ROUTES)
def test_guests_and_members_of_other_bodies_get_the_404_page(client, auth, make_proposal, make_body, method, suffix):
    proposal = make_proposal()
    url = f"/voorstellen/{proposal.id}{suffix}"
    assert getattr(client, method)(url).status_code == 404  # a guest
    auth.login(bodies=[make_body("Ander orgaan")])
    response = getattr(client, method)(url)
    assert response.status_code == 404 and "Deze pagina bestaat niet" in response.text
    assert answers(proposal) == []


def test_the_list_and_the_form_send_a_guest_to_log_in(client):
    assert client.get("/voorstellen/").status_code == 303
    assert client.get("/voorstellen/nieuw").status_code == 303


@pytest.mark.parametrize("method, suffix", [("get", "/sluiten"), ("post", "/sluiten"), ("post", "/uitkomst")])
def test_a_plain_member_may_not_close_or_write_the_outcome(client, auth, make_proposal, people, method, suffix):
    proposal = make_proposal()
    auth.login(people.anna)
    assert getattr(client, method)(f"/voorstellen/{proposal.id}{suffix}", data={"outcome": "decided", "text": "x",
                                                                               "confirmed": "1"}).status_code == 403
    assert proposal.status == rules.OPEN and proposal.outcome is None


# --- answering -------------------------------------------------------------------------------------

def test_consent_an_objection_needs_a_reason_and_keeps_the_choice(client, auth, make_proposal, people):
    proposal = make_proposal(kind=rules.CONSENT)
    auth.login(people.bert)
    response = client.post(f"/voorstellen/{proposal.id}/antwoord", data={"choice": rules.OBJECT, "remark": ""})
    assert response.status_code == 422 and "Schrijf op wat uw bezwaar is." in response.text
    assert re.search(r'<input checked[^>]*value="object"', response.text)
    assert answers(proposal) == []
    response = client.post(f"/voorstellen/{proposal.id}/antwoord", data={"choice": rules.OBJECT, "remark": "Te duur"})
    assert response.status_code == 303
    [stored] = answers(proposal)
    assert (stored.choice, stored.remark, stored.user_id) == (rules.OBJECT, "Te duur", people.bert.id)
    page = client.get(f"/voorstellen/{proposal.id}").text
    assert "1 bezwaar" in page and "Te duur" in page and "Bert Bezwaar" in page


def test_vote_answer_and_change_it_one_row_and_the_form_shows_the_current_answer(client, auth, make_proposal, people):
    proposal = make_proposal(kind=rules.VOTE)
    auth.login(people.anna)
    assert client.post(f"/voorstellen/{proposal.id}/antwoord", data={"choice": rules.FOR}).status_code == 303
    assert client.post(f"/voorstellen/{proposal.id}/antwoord",
                       data={"choice": rules.ABSTAIN, "remark": "Ik twijfel"}).status_code == 303
    [stored] = answers(proposal)
    assert stored.choice == rules.ABSTAIN and stored.remark == "Ik twijfel"
    page = client.get(f"/voorstellen/{proposal.id}").text
    assert re.search(r'<input checked[^>]*value="abstain"', page) and "Antwoord veranderen" in page
    assert "1 onthouding" in page


def test_choice_up_to_n_options(client, auth, make_proposal, people):
    proposal = make_proposal(kind=rules.CHOICE, max_choices=2)
    red, green, blue = (o.id for o in proposal.options)
    auth.login(people.anna)
    response = client.post(f"/voorstellen/{proposal.id}/antwoord", data={"picks": [red, green, blue]})
    assert response.status_code == 422 and "Kies hoogstens 2 mogelijkheden." in response.text
    assert client.post(f"/voorstellen/{proposal.id}/antwoord", data={"picks": []}).status_code == 422
    assert client.post(f"/voorstellen/{proposal.id}/antwoord", data={"picks": [red, blue]}).status_code == 303
    assert {p.option_id for p in answers(proposal)[0].picks} == {red, blue}
    assert client.post(f"/voorstellen/{proposal.id}/antwoord", data={"picks": [green]}).status_code == 303
    assert {p.option_id for p in answers(proposal)[0].picks} == {green}
    assert "Groen: 1" in client.get(f"/voorstellen/{proposal.id}").text


def _best_date_answered(client, auth, proposal, people):
    first, second = (o.id for o in proposal.options)
    auth.login(people.anna)
    response = client.post(f"/voorstellen/{proposal.id}/antwoord", data={f"option_{first}": rules.YES})
    assert response.status_code == 422 and "Kies ja, misschien of nee bij deze datum." in response.text
    assert client.post(f"/voorstellen/{proposal.id}/antwoord",
                       data={f"option_{first}": rules.NO, f"option_{second}": rules.YES}).status_code == 303
    auth.logout()
    return second


def _meetings() -> list[Meeting]:
    return list(db.session.scalars(db.select(Meeting)))


def test_a_date_poll_becomes_one_meeting_titled_by_body_and_date_closed_and_linked_both_ways(
        client, auth, make_proposal, people, body):
    proposal = make_proposal(kind=rules.DATE, title="Wanneer vergaderen we extra?")
    second = _best_date_answered(client, auth, proposal, people)
    auth.login(people.secretary)
    page = client.get(f"/voorstellen/{proposal.id}").text
    assert "Beste datum: woensdag 15 mei 2030" in page
    plan = f"/voorstellen/{proposal.id}/plannen/{second}"
    assert f'href="{plan}"' in page
    ask = client.get(plan)
    assert ask.status_code == 200 and "Vergadering plannen?" in ask.text and "woensdag 15 mei 2030" in ask.text
    assert _meetings() == []  # asking plans nothing
    response = client.post(plan)
    [meeting] = _meetings()
    assert response.status_code == 303 and response.location.endswith(f"/vergaderingen/{meeting.id}")
    assert meeting.title == "Klankbordgroep Voorstellen, woensdag 15 mei 2030" and meeting.body_id == body.id
    assert meeting.is_published(utcnow()) and [i.title for i in meeting.items] == meeting_rules.STANDARD_ITEMS
    assert proposal.status == rules.CLOSED and proposal.planned_meeting_id == meeting.id
    page = client.get(f"/voorstellen/{proposal.id}").text
    assert "Gepland met dit voorstel: Klankbordgroep Voorstellen, woensdag 15 mei 2030" in page
    assert f'href="/vergaderingen/{meeting.id}"' in page and "/plannen/" not in page
    meeting_page = client.get(f"/vergaderingen/{meeting.id}").text
    assert f'href="/voorstellen/{proposal.id}">Wanneer vergaderen we extra?</a>' in meeting_page
    # The same form posted again (a double click, a second tab): one meeting, and a clear message.
    again = client.post(plan, follow_redirects=True)
    assert "Met dit voorstel is al een vergadering gepland. Er komt geen tweede." in again.text
    assert len(_meetings()) == 1


def test_two_plans_at_once_leave_one_meeting(app, make_proposal, people):
    proposal = make_proposal(kind=rules.DATE)
    option = proposal.options[0].id
    logic.plan_meeting(proposal, option)
    # The second request read the poll before the first one committed.
    set_committed_value(proposal, "planned_meeting_id", None)
    with pytest.raises(logic.Refused, match="al een vergadering gepland"):
        logic.plan_meeting(proposal, option)
    assert len(_meetings()) == 1


def test_only_the_secretary_plans_and_only_on_a_date_of_the_poll(client, auth, make_proposal, people):
    poll, vote = make_proposal(kind=rules.DATE), make_proposal(kind=rules.VOTE)
    option = poll.options[0].id
    auth.login(people.anna)
    assert client.get(f"/voorstellen/{poll.id}/plannen/{option}").status_code == 403
    assert client.post(f"/voorstellen/{poll.id}/plannen/{option}").status_code == 403
    auth.logout()
    auth.login(people.secretary)
    other = make_proposal(kind=rules.DATE).options[0].id
    assert client.post(f"/voorstellen/{poll.id}/plannen/{other}").status_code == 404
    assert client.post(f"/voorstellen/{vote.id}/plannen/{option}").status_code == 404
    assert _meetings() == [] and poll.status == rules.OPEN


def test_the_outcome_of_a_planned_date_poll_names_the_meeting_with_its_link(client, auth, make_proposal, people, mails):
    proposal = make_proposal(kind=rules.DATE)
    second = _best_date_answered(client, auth, proposal, people)
    auth.login(people.secretary)
    client.post(f"/voorstellen/{proposal.id}/plannen/{second}")
    [meeting] = _meetings()
    page = client.get(f"/voorstellen/{proposal.id}").text
    text = re.search(r'<textarea[^>]*name="text"[^>]*>\s*([^<]*)</textarea>', page)[1].strip()
    assert text == "De vergadering is op woensdag 15 mei 2030, 19:30."
    client.post(f"/voorstellen/{proposal.id}/uitkomst", data={"outcome": rules.DECIDED, "text": text, "confirmed": "1"})
    mail = mails[-1]
    assert mail.subject == "Uitkomst: Folder meelezen"
    assert "Beste datum" not in mail.body
    assert (f"De vergadering: Klankbordgroep Voorstellen, woensdag 15 mei 2030, woensdag 15 mei 2030, 19:30\n"
            f"http://localhost/vergaderingen/{meeting.id}") in mail.body


def test_answering_after_closing_is_refused_and_nothing_stored(client, auth, make_proposal, people):
    proposal = make_proposal()
    proposal.closes_at = utcnow() - timedelta(minutes=1)  # the cron job has not come by yet
    db.session.commit()
    auth.login(people.anna)
    response = client.post(f"/voorstellen/{proposal.id}/antwoord", data={"choice": rules.FOR})
    assert response.status_code == 409 and "Dit voorstel is gesloten." in response.text
    assert answers(proposal) == []


def test_only_voting_members_answer_a_proposal_for_voting_members(client, auth, make_proposal, people):
    people.bert.memberships[0].votes = False
    db.session.commit()
    proposal = make_proposal(voters=rules.VOTING)
    auth.login(people.bert)
    page = client.get(f"/voorstellen/{proposal.id}").text
    assert "Alleen leden met stemrecht antwoorden op dit voorstel." in page and "Antwoord opslaan" not in page
    response = client.post(f"/voorstellen/{proposal.id}/antwoord", data={"choice": rules.FOR})
    assert response.status_code == 409 and "Alleen leden met stemrecht" in response.text
    assert answers(proposal) == []
    assert "0 van de 2 leden hebben geantwoord" in page  # Bert is not counted


def test_an_admin_who_is_no_member_reads_but_does_not_answer(client, auth, make_proposal, make_user):
    proposal = make_proposal()
    auth.login(make_user(role="beheerder"))
    assert "Alleen leden van" in client.get(f"/voorstellen/{proposal.id}").text
    response = client.post(f"/voorstellen/{proposal.id}/antwoord", data={"choice": rules.FOR})
    assert response.status_code == 409 and answers(proposal) == []


def test_answering_twice_at_once_stores_one_answer_and_says_so(client, auth, make_proposal, people, monkeypatch):
    proposal = make_proposal()
    auth.login(people.anna)
    assert client.post(f"/voorstellen/{proposal.id}/antwoord", data={"choice": rules.FOR}).status_code == 303
    # The second request looked before the first one's answer was there, as two windows sent at once.
    monkeypatch.setattr(logic, "answer_of", lambda proposal, user: None)
    response = client.post(f"/voorstellen/{proposal.id}/antwoord", data={"choice": rules.AGAINST})
    assert response.status_code == 409 and "Er kwam net al een antwoord van u binnen" in response.text
    [stored] = answers(proposal)
    assert stored.choice == rules.FOR


def test_htmx_redraws_the_answers_in_place_with_the_new_counts(client, auth, make_proposal, people):
    proposal = make_proposal()
    auth.login(people.anna)
    page = client.get(f"/voorstellen/{proposal.id}")
    assert "<html" in page.text
    response = client.post(f"/voorstellen/{proposal.id}/antwoord", data={"choice": rules.FOR},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="answers"')
    assert "Uw antwoord is opgeslagen." in response.text and "1 voor" in response.text
    bad = client.post(f"/voorstellen/{proposal.id}/antwoord", data={}, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "Kies uw antwoord." in bad.text and "<html" not in bad.text


# --- who sees what ---------------------------------------------------------------------------------

def test_hidden_answers_show_only_after_closing(client, auth, make_proposal, people):
    proposal = make_proposal(results=rules.AFTER_CLOSING)
    logic.answer(proposal, people.bert, rules.AGAINST, {}, "Liever niet")
    auth.login(people.anna)
    page = client.get(f"/voorstellen/{proposal.id}").text
    assert "1 van de 3 leden heeft geantwoord." in page and "U ziet de antwoorden als het voorstel gesloten is." in page
    assert "Bert Bezwaar" not in page and "Liever niet" not in page and "1 tegen" not in page
    assert client.get(f"/voorstellen/{proposal.id}/antwoorden.csv").status_code == 404
    close_now(proposal)
    page = client.get(f"/voorstellen/{proposal.id}").text
    assert "1 tegen" in page and "Bert Bezwaar" in page and "Liever niet" in page
    assert "Niet geantwoord" in page and "Anna Antwoord" in page
    assert "Bert Bezwaar" in client.get(f"/voorstellen/{proposal.id}/antwoorden.csv").text


def test_an_anonymous_proposal_never_shows_who_answered_what(client, auth, make_proposal, people, body):
    proposal = make_proposal(anonymous=True)
    logic.answer(proposal, people.bert, rules.AGAINST, {}, "Te veel werk")
    logic.answer(proposal, people.anna, rules.FOR, {}, "")
    auth.login(people.anna)
    for when in ("open", "closed"):
        page = client.get(f"/voorstellen/{proposal.id}").text
        results = page[page.index('id="uitslag"'):]
        assert "1 voor, 1 tegen" in results and "Te veel werk" in results
        assert "Bert Bezwaar" not in page and "Anna Antwoord" not in results and "Niet geantwoord" not in results
        csv = client.get(f"/voorstellen/{proposal.id}/antwoorden.csv").text
        assert "Bert" not in csv and "Anna" not in csv and "Naam" not in csv and "Beantwoord op" not in csv
        assert "Te veel werk" in csv
        if when == "open":
            close_now(proposal)
    assert {a.user_id for a in answers(proposal)} == {None}  # closing took the names off
    logic.write_outcome(proposal, rules.DECIDED, "Aangenomen.", people.secretary)
    report = "\n".join(table.markdown for section in sections_for(utcnow().year, people.secretary)
                       for table in section.tables)
    assert body.name in report and "Bert" not in report and "Anna" not in report
    assert "Bert" not in client.get(f"/jaarverslag/{utcnow().year}").text


def test_a_member_sees_their_own_answer_of_an_open_anonymous_proposal(client, auth, make_proposal, people):
    proposal = make_proposal(anonymous=True)
    logic.answer(proposal, people.anna, rules.FOR, {}, "")
    auth.login(people.anna)
    assert re.search(r'<input checked[^>]*value="for"', client.get(f"/voorstellen/{proposal.id}").text)


# --- closing and the outcome -----------------------------------------------------------------------

def test_the_secretary_closes_early_after_a_question(client, auth, make_proposal, people):
    proposal = make_proposal()
    auth.login(people.secretary)
    question = client.get(f"/voorstellen/{proposal.id}/sluiten")
    assert question.status_code == 200 and "Ja, nu sluiten" in question.text and proposal.status == rules.OPEN
    assert client.post(f"/voorstellen/{proposal.id}/sluiten").status_code == 303
    assert proposal.status == rules.CLOSED and proposal.closed_at <= utcnow()
    assert "Schrijf de uitkomst op" in client.get(f"/voorstellen/{proposal.id}").text
    assert client.post(f"/voorstellen/{proposal.id}/sluiten").status_code == 303  # already closed: says so


def test_cron_closes_what_is_due_once(app, make_proposal):
    due, later = make_proposal(), make_proposal()
    due.closes_at = utcnow() - timedelta(minutes=3)
    db.session.commit()
    assert logic.close_due() == 1 and logic.close_due() == 0
    assert due.status == rules.CLOSED and due.closed_at == due.closes_at and later.status == rules.OPEN


@pytest.fixture
def dossier(body):
    advice = advice_logic.save_advice(None, {"body_id": body.id, "title": "Ketenjaarplan", "kind": "gevraagd",
                                             "topic": "beleid", "addressee_id": None, "addressee_text": "UWV",
                                             "summary": "", "requested_on": None, "deadline": None}, [], None)
    db.session.commit()
    return advice


def next_meeting(body, days=10, visibility=meeting_rules.MEMBERS):
    meeting = meetings_logic.create_meetings(body.id, [local_today() + timedelta(days=days)], {
        "title": "Vergadering", "kind": meeting_rules.REGULAR, "location": "", "online_url": "",
        "visibility": visibility, "start": time(19, 30), "end": time(21)}, publish_at=utcnow())[0]
    db.session.commit()
    return meeting


def test_the_outcome_is_read_back_then_lands_in_the_dossier_the_agenda_and_the_minutes(
        client, auth, make_proposal, people, body, dossier, mails):
    meeting, later = next_meeting(body), next_meeting(body, days=40)
    proposal = make_proposal(advice_id=dossier.id)
    for member, choice in ((people.anna, rules.FOR), (people.bert, rules.ABSTAIN), (people.secretary, rules.FOR)):
        logic.answer(proposal, member, choice, {}, "")
    close_now(proposal)
    auth.login(people.secretary)
    page = client.get(f"/voorstellen/{proposal.id}").text
    assert re.search(r'<input checked[^>]*value="decided"', page) and "2 voor, 1 onthouding" in page
    data = {"outcome": rules.DECIDED, "text": "Aangenomen, met de opmerking van Bert."}
    check = client.post(f"/voorstellen/{proposal.id}/uitkomst", data=data)
    assert check.status_code == 200 and "Uitkomst vastleggen en versturen" in check.text and "krijgen 3 leden" in check.text
    assert proposal.outcome is None and len(mails) == 3  # only the opening mails so far
    assert client.post(f"/voorstellen/{proposal.id}/uitkomst", data={**data, "confirmed": "1"}).status_code == 303
    assert proposal.outcome == rules.DECIDED and proposal.placed_meeting_id == meeting.id
    assert len(mails) == 6 and mails[-1].subject == "Uitkomst: Folder meelezen"
    timeline = [e.text for e in db.session.scalars(db.select(AdviceEvent).filter_by(advice_id=dossier.id))]
    assert any("Besloten. 2 voor, 1 onthouding. Aangenomen, met de opmerking van Bert." in text for text in timeline)
    item = next(item for item in meeting.items if item.title == logic.AGENDA_TITLE)
    assert "Folder meelezen" in item.description and f"/voorstellen/{proposal.id}" in item.description
    assert not any(i.title == logic.AGENDA_TITLE for i in later.items)
    [decision] = db.session.scalars(db.select(Decision).filter_by(meeting_id=meeting.id)).all()
    assert "Folder meelezen" in decision.text and "2 voor, 1 onthouding" in decision.text
    again = client.post(f"/voorstellen/{proposal.id}/uitkomst", data={**data, "confirmed": "1"}, follow_redirects=True)
    assert "De uitkomst is al vastgelegd." in again.text and len(mails) == 6


def test_an_open_proposal_has_no_outcome_yet(client, auth, make_proposal, people):
    proposal = make_proposal()
    auth.login(people.secretary)
    response = client.post(f"/voorstellen/{proposal.id}/uitkomst", data={"outcome": rules.DECIDED, "text": "x",
                                                                          "confirmed": "1"}, follow_redirects=True)
    assert "Het voorstel is nog open." in response.text and proposal.outcome is None


def test_an_outcome_without_a_next_meeting_waits_for_one_and_a_public_agenda_names_no_proposal(
        app, make_proposal, people, body):
    first, second = make_proposal(title="Eerste ronde"), make_proposal(title="Tweede ronde")
    for proposal in (first, second):
        close_now(proposal)
        logic.write_outcome(proposal, rules.DECIDED, "Aangenomen.", people.secretary)
    assert first.placed_meeting_id is None
    meeting = next_meeting(body, visibility=meeting_rules.PUBLIC)
    logic.close_due()  # the cron job
    assert first.placed_meeting_id == second.placed_meeting_id == meeting.id
    [item] = [item for item in meeting.items if item.title == logic.AGENDA_TITLE]
    assert "2 voorstellen zijn buiten de vergadering afgerond." in item.description
    assert "Eerste ronde" not in item.description
    assert len(db.session.scalars(db.select(Decision).filter_by(meeting_id=meeting.id)).all()) == 2
    logic.close_due()
    assert len(db.session.scalars(db.select(Decision).filter_by(meeting_id=meeting.id)).all()) == 2


def test_two_servers_running_cron_at_once_place_a_waiting_outcome_once(app, make_proposal, people, body,
                                                                       monkeypatch):
    """The second server found the outcome still waiting, but the first placed it before it got there."""
    proposal = make_proposal()
    close_now(proposal)
    logic.write_outcome(proposal, rules.DECIDED, "Aangenomen.", people.secretary)
    meeting = next_meeting(body)
    summary_of = logic.summary_of

    def the_other_server_first(waiting):
        monkeypatch.setattr(logic, "summary_of", summary_of)
        with app.app_context():  # a session of its own, as another process has
            logic.close_due()
        return summary_of(waiting)

    monkeypatch.setattr(logic, "summary_of", the_other_server_first)
    logic.close_due()
    db.session.expire_all()
    assert len(db.session.scalars(db.select(Decision).filter_by(meeting_id=meeting.id)).all()) == 1
    assert [item.title for item in meeting.items].count(logic.AGENDA_TITLE) == 1
    assert proposal.placed_meeting_id == meeting.id


# --- reminders, calendar, home, annual report ------------------------------------------------------

def test_one_reminder_before_closing_to_who_has_not_answered(app, make_proposal, people, mails):
    proposal = make_proposal()
    proposal.created_at = utcnow() - timedelta(days=3)
    proposal.closes_at = utcnow() + timedelta(hours=5)
    logic.answer(proposal, people.anna, rules.FOR, {}, "")
    choose_kinds(people.secretary, chosen_kinds(people.secretary) - {"proposals"})
    db.session.commit()
    before = len(mails)
    assert logic.send_reminders() == 1 and logic.send_reminders() == 0
    [reminder] = mails[before:]
    assert reminder.to == people.bert.email and reminder.subject == "Herinnering: Folder meelezen"


def test_the_calendar_shows_the_closing_time_to_members_who_may_answer(app, make_proposal, people, make_user, body):
    people.bert.memberships[0].votes = False
    db.session.commit()
    proposal = make_proposal(voters=rules.VOTING)
    start, end = utcnow(), utcnow() + timedelta(days=10)
    [event] = events_between(people.anna, start, end)
    assert event.starts_at == proposal.closes_at and "Folder meelezen" in event.title and event.kind == "proposal"
    assert events_between(people.bert, start, end) == []
    assert events_between(make_user(), start, end) == []


def test_the_home_page_says_what_waits_for_an_answer(client, auth, make_proposal, people):
    proposal = make_proposal()
    auth.login(people.anna)
    assert "Wacht op uw antwoord" in client.get("/").text
    logic.answer(proposal, people.anna, rules.FOR, {}, "")
    assert "Wacht op uw antwoord" not in client.get("/").text
    close_now(proposal)
    auth.logout()
    auth.login(people.secretary)
    assert "schrijf de uitkomst op" in client.get("/").text


def test_the_annual_report_counts_proposals_and_outcomes_per_body(app, make_proposal, people, body):
    decided, rejected, waiting = make_proposal(), make_proposal(), make_proposal()
    for proposal in (decided, rejected, waiting):
        close_now(proposal)
    logic.write_outcome(decided, rules.DECIDED, "Ja.", people.secretary)
    logic.write_outcome(rejected, rules.REJECTED, "Nee.", people.secretary)
    make_proposal()  # still open: not counted
    [section] = [s for s in sections_for(utcnow().year, people.secretary) if s.title == "Besluiten buiten de vergadering"]
    assert [table.rows for table in section.tables] == [[[body.name, 3, 1, 1, 0, 1]]]


# --- retention -------------------------------------------------------------------------------------

def test_names_and_remarks_go_after_the_retention_period_and_the_counts_stay(client, auth, make_proposal, people):
    proposal = make_proposal()
    logic.answer(proposal, people.bert, rules.AGAINST, {}, "Te duur")
    close_now(proposal)
    later = utcnow() + timedelta(days=366)
    assert run_purge(later, dry_run=True)["proposal answers"] == 1
    assert run_purge(utcnow(), dry_run=False)["proposal answers"] == 0
    assert run_purge(later)["proposal answers"] == 1
    db.session.commit()
    [stored] = answers(proposal)
    assert (stored.user_id, stored.remark, stored.choice) == (None, "", rules.AGAINST)
    auth.login(people.anna)
    page = client.get(f"/voorstellen/{proposal.id}").text
    assert "1 tegen" in page and "De namen zijn gewist" in page and "Niet geantwoord" not in page


# --- voting rights, papers, speed ------------------------------------------------------------------

def test_the_secretary_marks_members_as_not_voting_on_the_body_page(client, auth, body, people, make_body, make_user):
    auth.login(people.anna)
    assert client.get(f"/organen/{body.slug}/stemrecht").status_code == 403
    auth.logout()
    auth.login(make_user(role="secretaris", bodies=[make_body("Elders")]))
    assert client.get(f"/organen/{body.slug}/stemrecht").status_code == 404
    auth.logout()
    auth.login(people.secretary)
    assert "Stemrecht aanpassen" in client.get(f"/organen/{body.slug}").text
    response = client.post(f"/organen/{body.slug}/stemrecht", data={"voting": [people.secretary.id, people.anna.id]})
    assert response.status_code == 303
    votes = {m.user_id: m.votes for m in db.session.scalars(db.select(Membership).filter_by(body_id=body.id))}
    assert votes == {people.secretary.id: True, people.anna.id: True, people.bert.id: False}
    assert "stemt niet mee" in client.get(f"/organen/{body.slug}").text
    assert client.post(f"/organen/{body.slug}/stemrecht", data={"voting": ["999"]}).status_code == 422


def test_a_paper_added_to_a_proposal_is_for_the_body_by_default(client, auth, make_proposal, people, body):
    import io

    proposal = make_proposal()
    auth.login(people.secretary)
    response = client.post(f"/voorstellen/{proposal.id}/stukken", content_type="multipart/form-data",
                           data={"bestand": (io.BytesIO(b"Concept-advies over het ketenjaarplan."), "concept.txt")})
    assert response.status_code == 303
    from cpweb.documents.models import BODY, Document

    document = db.session.scalar(db.select(Document))
    assert document.visibility == BODY and document.body_id == body.id
    assert "concept" in client.get(f"/voorstellen/{proposal.id}").text
    auth.logout()
    auth.login(people.anna)
    assert client.post(f"/voorstellen/{proposal.id}/stukken").status_code == 403


def test_a_proposal_about_a_dossier_shows_the_dossiers_papers_the_reader_may_see(client, auth, make_proposal, people,
                                                                                 dossier):
    import io

    from cpweb.documents.models import Document

    dossier.title = "Ketenjaarplan <b>2027</b>"
    db.session.commit()
    proposal = make_proposal(advice_id=dossier.id, title="Concept-advies over het ketenjaarplan")
    auth.login(people.anna)
    assert "Geen stukken bij dit voorstel." in client.get(f"/voorstellen/{proposal.id}").text
    auth.logout()
    auth.login(people.secretary)
    for name in ("concept-advies.txt", "oude-versie.txt"):
        response = client.post(f"/advies/{dossier.id}/stukken", content_type="multipart/form-data",
                               data={"bestand": (io.BytesIO(f"Tekst van {name}".encode()), name), "wie": "body"})
        assert response.status_code == 303
    binned = db.session.scalar(db.select(Document).filter_by(title="oude-versie.txt"))
    assert client.post(f"/documenten/{binned.id}/verwijderen").status_code == 303
    auth.logout()
    auth.login(people.anna)
    page = client.get(f"/voorstellen/{proposal.id}").text
    assert "Geen stukken bij dit voorstel." not in page
    assert "Uit het adviesdossier ‘Ketenjaarplan &lt;b&gt;2027&lt;/b&gt;’" in page
    assert ">concept-advies.txt</a>" in page and "oude-versie.txt" not in page  # in the bin: for no reader


def test_pages_run_a_constant_number_of_queries(client, auth, make_proposal, make_user, people, body):
    proposal = make_proposal(kind=rules.DATE)
    logic.answer(proposal, people.bert, None, {o.id: rules.NO for o in proposal.options}, "")
    close_now(make_proposal(title="Eerste ronde"))
    auth.login(people.anna)
    page, index = f"/voorstellen/{proposal.id}", "/voorstellen/"
    few, few_in_list = count_queries(client, page), count_queries(client, index)
    for n in range(8):
        member = make_user(bodies=[body])
        logic.answer(proposal, member, None, {o.id: rules.YES for o in proposal.options}, f"Opmerking {n}")
        closed = make_proposal(title=f"Ronde {n}")
        close_now(closed)
        make_proposal(title=f"Open {n}")
    html = client.get(page).text
    assert "Opmerking 7" in html and "9 van de 11 leden" in html
    assert count_queries(client, page) == few
    assert "Ronde 7" in client.get(index).text and "Open 7" in client.get(index).text
    assert count_queries(client, index) == few_in_list


def test_the_home_page_runs_as_many_queries_for_many_waiting_proposals_of_many_bodies(
        client, auth, make_proposal, make_body, people):
    make_proposal(title="Open in de eigen raad")
    auth.login(people.anna)
    few = count_queries(client, "/")
    for n in range(4):
        other = make_body()
        db.session.add_all(Membership(body_id=other.id, user_id=user.id) for user in (people.anna, people.secretary))
        logic.create_proposal(proposal_values(other, title=f"Open {n}"), people.secretary)
    assert "Open 3" in client.get("/").text
    assert count_queries(client, "/") == few


def test_the_form_lists_the_first_open_dossiers_and_the_chosen_one_wherever_it_is(client, auth, body, people, monkeypatch):
    monkeypatch.setattr(logic, "LINKABLE_DOSSIERS", 1)
    first, later = (advice_logic.save_advice(None, {
        "body_id": body.id, "title": title, "kind": "gevraagd", "topic": "beleid", "addressee_id": None,
        "addressee_text": "UWV", "summary": "", "requested_on": None, "deadline": deadline}, [], None)
        for title, deadline in (("Ketenjaarplan", local_today()), ("Minimabeleid", local_today() + timedelta(days=30))))
    db.session.commit()
    auth.login(people.secretary)
    page = client.get("/voorstellen/nieuw").text
    assert "Ketenjaarplan" in page and "Minimabeleid" not in page  # the nearest deadline first
    assert "Minimabeleid" in client.get(f"/voorstellen/nieuw?dossier={later.id}").text
    response = client.post("/voorstellen/nieuw", data=form_data(body=str(body.id), advice=str(later.id)))
    assert response.status_code == 303 and db.session.scalar(db.select(Proposal)).advice_id == later.id


@pytest.mark.parametrize("typed", ["abc", "9" * 30, "²", "-1", " "])
def test_a_dossier_number_that_is_no_rows_id_leaves_the_form_as_it_is(client, auth, body, people, typed):
    auth.login(people.secretary)
    response = client.get(f"/voorstellen/nieuw?dossier={typed}")
    assert response.status_code == 200 and "Geen dossier" in response.text
