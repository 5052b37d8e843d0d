"""Lists secretaries keep (cpweb.web.categories): keys made once, kept through renames."""
from cpweb.core.extensions import db
from cpweb.documents.models import DocumentCategory
from cpweb.signals.models import SignalCategory
from cpweb.web.categories import categories, new_key


def test_a_key_comes_from_the_label_and_is_never_taken_twice(app):
    assert new_key(SignalCategory, "Wachttijden bij het loket", "onderwerp") == "wachttijden-bij-het-loke"  # 24 at most
    db.session.add(SignalCategory(key="loket", label="Loket"))
    db.session.commit()
    assert new_key(SignalCategory, "Loket", "onderwerp") == "loket-2"
    assert new_key(SignalCategory, "???", "onderwerp") == "onderwerp"


def test_renaming_keeps_the_key_and_a_retired_entry_is_only_listed_for_secretaries(app, client, auth):
    auth.login(role="secretaris")
    response = client.post("/documenten/soorten/nieuw", data={"label": "Jaarplan", "position": "5", "is_active": "y"})
    assert response.status_code == 303
    made = db.session.scalar(db.select(DocumentCategory).filter_by(label="Jaarplan"))
    response = client.post(f"/documenten/soorten/{made.id}", data={"label": "Jaarplan (concept)", "position": "5"})
    assert response.status_code == 303
    db.session.refresh(made)
    assert (made.key, made.label, made.is_active) == ("jaarplan", "Jaarplan (concept)", False)
    assert made not in categories(DocumentCategory) and made in categories(DocumentCategory, active_only=False)
    assert "Jaarplan (concept)" in client.get("/documenten/soorten").text


def test_a_bad_entry_is_refused_with_what_was_typed_kept(app, client, auth):
    auth.login(role="secretaris")
    response = client.post("/signalen/onderwerpen/nieuw", data={"label": "Bejegening aan de balie", "position": "abc"})
    assert response.status_code == 422
    assert "Vul een getal in." in response.text and 'value="Bejegening aan de balie"' in response.text
