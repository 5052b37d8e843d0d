"""The advice outcome is kept at every step that asks for it, and the annual report counts it (its table of outcomes)."""
import re

from cpweb.advice import rules
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today
from tests.test_advice import body, make_advice, organisation  # noqa: F401 (fixtures)


def test_the_outcome_belongs_to_the_steps_after_a_response():
    assert rules.step_outcome(rules.RESPONDED, rules.PARTLY, None) == rules.PARTLY
    assert rules.step_outcome(rules.FOLLOW_UP, rules.ADOPTED, rules.PARTLY) == rules.ADOPTED
    assert rules.step_outcome(rules.DONE, None, rules.PARTLY) == rules.PARTLY
    assert rules.step_outcome(rules.PREPARING, rules.ADOPTED, None) is None  # not asked there: ignored
    assert rules.step_problem(rules.RESPONDED, rules.DONE, {}, None, local_today(), rules.PARTLY) is None


def _table_row(markdown: str, name: str) -> list[str]:
    line = next(line for line in markdown.splitlines() if line.startswith(f"| {name} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_an_outcome_chosen_with_the_response_is_stored_and_counted(client, auth, body, make_advice):
    today = local_today()
    advice = make_advice(status_steps=[(rules.PREPARING, {}), (rules.SENT, {"sent_on": today})])
    auth.login(role="secretaris", bodies=[body])
    page = client.get(f"/advies/{advice.id}").text
    assert "reveal reveal-target-responded" in page and "reveal reveal-outcome" in page
    response = client.post(f"/advies/{advice.id}/stap", data={"target": "responded", "response_on": today.isoformat(),
                                                              "outcome": "partly"})
    assert response.status_code == 303, response.text
    db.session.expire_all()
    assert advice.outcome == rules.PARTLY and advice.status == rules.RESPONDED
    assert "Uitkomst: Deels overgenomen." in client.get(f"/advies/{advice.id}").text
    report = client.get(f"/jaarverslag/{today.year}.md").text.split("## Adviezen")[1].split("\n## ")[0]
    assert _table_row(report, "Deels overgenomen") == ["Deels overgenomen", "1"]
    assert _table_row(report, "Nog geen reactie") == ["Nog geen reactie", "0"]
    # Closing later keeps it without asking again.
    assert client.post(f"/advies/{advice.id}/stap", data={"target": "done"}).status_code == 303
    db.session.expire_all()
    assert advice.status == rules.DONE and advice.outcome == rules.PARTLY


def test_later_steps_show_the_stored_outcome_in_its_select(client, auth, body, make_advice):
    today = local_today()
    advice = make_advice(status_steps=[(rules.PREPARING, {}), (rules.SENT, {"sent_on": today}),
                                       (rules.RESPONDED, {"response_on": today, "outcome": rules.PARTLY})])
    auth.login(role="secretaris", bodies=[body])
    page = client.get(f"/advies/{advice.id}").text
    select = page.split('name="outcome"')[1].split("</select>")[0]
    assert re.search(r'<option selected value="partly">', select), select
    assert "<option selected" not in select.replace('<option selected value="partly">', "")


def test_an_outcome_sent_with_a_step_that_does_not_ask_for_it_is_ignored(client, auth, body, make_advice):
    advice = make_advice()
    auth.login(role="secretaris", bodies=[body])
    client.post(f"/advies/{advice.id}/stap", data={"target": "preparing", "outcome": "adopted",
                                                    "sent_on": local_today().isoformat()})
    db.session.expire_all()
    assert advice.status == rules.PREPARING and advice.outcome is None and advice.sent_on is None


def test_a_step_posted_twice_is_taken_once_and_says_so(client, auth, body, make_advice):
    advice = make_advice(status_steps=[(rules.PREPARING, {})])
    auth.login(role="secretaris", bodies=[body])
    data = {"target": "sent", "sent_on": local_today().isoformat()}
    assert client.post(f"/advies/{advice.id}/stap", data=data).status_code == 303
    again = client.post(f"/advies/{advice.id}/stap", data=data)
    assert again.status_code == 422 and "Deze stap is al opgeslagen: Uitgebracht." in again.text
    db.session.expire_all()
    assert advice.status == rules.SENT


def test_the_next_step_card_says_its_heading_once(client, auth, body, make_advice):
    """The heading names the card; its select asks its own question (not "Volgende stap" twice)."""
    advice = make_advice(status_steps=[(rules.PREPARING, {})])
    auth.login(role="secretaris", bodies=[body])
    page = client.get(f"/advies/{advice.id}").text
    card = page.split('id="stap-kop"')[1].split("</section>")[0]
    assert card.count("Volgende stap") == 1, card
    assert "Wat is er gebeurd?" in card
