"""Hostile text everywhere a person can type, and every page and mail shows it as text.

The demo data with markup appended to every text a person can type (titles, names, body names,
labels, options, file names, remarks, guest names, signal texts, notes, minutes…); then every page
of tests/pages.py as each role, forms sent back with such text, and the site's mails (70 of 22
kinds). A payload that comes out as an element or an attribute (htmx acts on hx-* attributes
whatever the CSP says), or shown escaped twice (&lt; on the screen), fails.
"""
import json
from pathlib import Path

import html5lib
import pytest
from markupsafe import escape
from sqlalchemy import Text

from cpweb.core.config import TWO_FACTOR_ROLES as DEFAULT_TWO_FACTOR_ROLES
from cpweb.core.extensions import db
from cpweb.demo import load_demo
from tests.conftest import shared_app_context, shared_test_app
from tests.pages import ACCOUNTS, PAGES, expected_status, resolve
from tests.test_html_pages import form_for, log_in

PAYLOADS = ['<i hx-get="/x" hx-trigger="load">', "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>',
            "[x](javascript:alert(1))"]
HOSTILE = " ".join(PAYLOADS)

# Every column a person types into, by table; the rest are keys, states, addresses and hashes.
TYPED = {
    "bodies": ["name", "description"],
    "organisations": ["name"],
    "users": ["name"],
    "document_categories": ["label"],
    "signal_categories": ["label"],
    "documents": ["title", "description", "tags"],
    "document_versions": ["original_name"],
    "handbook_pages": ["title", "text"],
    "handbook_revisions": ["title", "text", "note"],
    "meetings": ["title", "location", "guests"],
    "meeting_commitments": ["label"],
    "meeting_settings": ["standard_items"],
    "agenda_items": ["title", "description", "presenter"],
    "attendances": ["message"],
    "minutes": ["text"],
    "minutes_corrections": ["text"],
    "action_items": ["description"],
    "decisions": ["text"],
    "activities": ["title", "description", "organiser_name", "location", "contact", "decline_reason", "report"],
    "activity_signups": ["guest_name"],
    "advices": ["title", "addressee_text", "summary", "response_summary", "follow_up_notes"],
    "advice_events": ["text"],
    "proposals": ["title", "text", "outcome_text"],
    "proposal_options": ["label"],
    "proposal_answers": ["remark"],
    "signals": ["description", "contact_name"],
    "signal_events": ["text"],
    "passkeys": ["name"],
}

# Forms sent back with hostile text: what was typed comes back in the fields and in the messages
# (a proposal's and a meeting series' unreadable lines are quoted in the message).
FORMS_SENT = [
    ("guest", "/signaal", {"description": "<i hx-get=\"/x\" hx-trigger=\"load\">"}),
    ("guest", "/activiteiten/3", {"name": HOSTILE, "email": HOSTILE}),
    ("lid", "/advies/nieuw", {"title": HOSTILE, "deadline": HOSTILE}),
    ("lid", "/profiel", {"name": HOSTILE, "email": HOSTILE}),
    ("secretaris", "/voorstellen/nieuw", {"title": HOSTILE, "kind": "date", "dates": "\n".join(PAYLOADS)}),
    ("secretaris", "/voorstellen/nieuw", {"title": "", "kind": "choice", "choices": HOSTILE}),
    ("secretaris", "/vergaderingen/nieuw", {"title": HOSTILE, "repeat": "list", "dates": "\n".join(PAYLOADS)}),
    ("secretaris", "/handboek/nieuw", {"title": HOSTILE, "slug": HOSTILE}),
    ("secretaris", "/documenten/soorten/nieuw", {"label": HOSTILE, "position": "x"}),
    ("beheerder", "/beheer/leden/uitnodigen", {"name": HOSTILE, "email": HOSTILE}),
    ("beheerder", "/beheer/organen/nieuw", {"name": "", "description": HOSTILE}),
]


# Searches that find the payloads: the pieces of text shown around what was found.
SEARCHES = ["/documenten?q=onerror", "/documenten?q=svg+onload", "/handboek/zoeken?q=onerror"]


def _hostile(value: str | None, length: int | None) -> str | None:
    """The text with as many payloads after it as its column holds (all of them, where it can)."""
    if value is None:
        return None
    for count in range(len(PAYLOADS), 0, -1):
        longer = f"{value} {' '.join(PAYLOADS[:count])}"
        if length is None or len(longer) <= length:
            return longer
    return value


def poison() -> int:
    """Append the payloads to every typed text of the demo data; the number of texts changed."""
    changed = 0
    for table_name, columns in TYPED.items():
        table = db.metadata.tables[table_name]
        for row in db.session.execute(db.select(table)).mappings().all():
            values = {}
            for name in columns:
                column = table.columns[name]
                length = None if isinstance(column.type, Text) else column.type.length
                new = _hostile(row[name], length)
                if new != row[name]:
                    values[name] = new
            if values:
                key = {column.name: row[column.name] for column in table.primary_key.columns}
                db.session.execute(db.update(table).filter_by(**key).values(**values))
                changed += len(values)
    _index_again()
    return changed


def _index_again() -> None:
    """Search shows pieces of the indexed texts: index the hostile ones, the files' texts too."""
    from cpweb.documents import search
    from cpweb.documents.models import Document
    from cpweb.handbook.logic import index_page
    from cpweb.handbook.models import HandbookPage

    db.session.expire_all()
    for document in db.session.scalars(db.select(Document)):
        search.index(document, f"{search.indexed_text(document.id)} {HOSTILE}")
    for page in db.session.scalars(db.select(HandbookPage)):
        index_page(page)


def markup_found(html: str) -> list[str]:
    """Where a payload became an element or an attribute, or shows escaped twice."""
    tree = html5lib.HTMLParser(namespaceHTMLElements=False).parse(html)
    found = []
    # html5lib has undone one escaping: what still looks escaped was escaped twice.
    twice = [str(escape(payload)) for payload in PAYLOADS if escape(payload) != payload] + ["&lt;", "&#34;", "&amp;"]
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rpartition("}")[2]  # <svg> is in its own namespace
        for name, value in element.attrib.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")
            if value.strip().lower().startswith("javascript:"):
                found.append(f'<{tag} {name}="{value}">')
            if name.startswith("hx-") and value in ("/x", "load"):
                found.append(f'<{tag} {name}="{value}">')
            if any(escaped in value for escaped in twice):
                found.append(f'escaped twice in <{tag} {name}="{value[:80]}">')
        if tag == "img" and element.get("src") == "x":
            found.append("<img src=x>")
        for text in (element.text, element.tail):
            if text and any(escaped in text for escaped in twice):
                found.append(f"escaped twice: {text.strip()[:80]}")
    return found


# Where a page shows what people typed and htmx has nothing to do: hx-disable there (or around it).
QUIET = {"flash", "error-summary", "error-message", "prose", "history"}


def not_quiet(html: str) -> list[str]:
    """Regions of QUIET classes where htmx may still act, and htmx settings that let it run script."""
    tree = html5lib.HTMLParser(namespaceHTMLElements=False).parse(html)
    found = []

    def walk(element, disabled: bool):
        disabled = disabled or element.get("hx-disable") is not None
        classes = set((element.get("class") or "").split())
        if classes & QUIET and not disabled:
            found.append(f'<{element.tag} class="{element.get("class")}"> without hx-disable')
        for child in element:
            if isinstance(child.tag, str):
                walk(child, disabled)

    walk(tree, False)
    config = tree.find(".//meta[@name='htmx-config']")
    settings = json.loads(config.get("content")) if config is not None else {}
    if (settings.get("allowEval"), settings.get("allowScriptTags"), settings.get("selfRequestsOnly")) != (False, False,
                                                                                                         True):
        found.append(f"htmx-config {settings}")
    return found


def shown(html: str) -> bool:
    """Whether a payload is on the page as text (so the page did show hostile text)."""
    return any(payload.replace('"', "&#34;").replace("<", "&lt;").replace(">", "&gt;") in html
               or str(escape(payload)) in html for payload in PAYLOADS)


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory, schema_template):
    def fill():
        load_demo()
        assert poison() > 100

    with shared_test_app(tmp_path_factory.mktemp("hostile"), schema_template, fill, WTF_CSRF_ENABLED=True,
                         TWO_FACTOR_ROLES=DEFAULT_TWO_FACTOR_ROLES) as app:
        yield app


@pytest.fixture
def hostile(hostile_app):
    with shared_app_context(hostile_app) as app:
        yield app


@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_shows_typed_text_as_text(hostile, role):
    """One client per role, logged in once, visits the role's own pages in their order (as the
    browser's audit does), then every other role's pages (another role's page may show the same
    data differently, or be refused); each is parsed and searched for the payloads as markup."""
    client = hostile.test_client()
    password = (Path(hostile.instance_path) / "demo-login.txt").read_text().strip()
    if ACCOUNTS[role]:
        log_in(client, role, password)
    own = [resolve(entry) for entry in PAGES[role]]
    others = sorted({resolve(entry) for name, entries in PAGES.items() if name != role for entry in entries}
                    .union(SEARCHES) - set(own))
    problems, with_text = [], 0
    for entry, path in [*zip(PAGES[role], own), *((None, path) for path in others)]:
        response = client.get(path)
        if entry is not None and response.status_code != expected_status(role, entry):
            problems.append(f"{path}: status {response.status_code}")
        elif response.status_code >= 500:
            problems.append(f"{path}: status {response.status_code}")
        if response.mimetype == "text/html" and not response.location:
            problems += [f"{path}: {found}" for found in markup_found(response.text) + not_quiet(response.text)]
            with_text += shown(response.text)
    assert problems == []
    assert with_text >= len(PAGES[role]) // 3, "the hostile text should be on many of these pages"


@pytest.mark.parametrize("role, path, data", FORMS_SENT, ids=[f"{r}:{p}" for r, p, _ in FORMS_SENT])
def test_hostile_text_sent_in_a_form_comes_back_as_text(hostile, role, path, data):
    client = hostile.test_client()
    password = (Path(hostile.instance_path) / "demo-login.txt").read_text().strip()
    if ACCOUNTS[role]:
        log_in(client, role, password)
    action, token = form_for(client, path, next(iter(data)))
    response = client.post(action, data={**data, "csrf_token": token})
    assert response.status_code in (200, 422)
    assert markup_found(response.text) + not_quiet(response.text) == []
    assert shown(response.text)


def test_the_same_file_again_names_the_document_in_the_library_as_text(hostile):
    """The issue's attack, without a browser: the message names the first upload by its title."""
    from io import BytesIO

    from cpweb.documents import storage
    from cpweb.documents.models import MEMBERS, Document, DocumentVersion

    version = db.session.scalar(db.select(DocumentVersion).join(Document).filter(Document.visibility == MEMBERS)
                                .order_by(DocumentVersion.id))
    with storage.open_stored(version.stored_name) as stored:
        content = stored.read()
    client = hostile.test_client()
    log_in(client, "beheerder", (Path(hostile.instance_path) / "demo-login.txt").read_text().strip())
    action, token = form_for(client, "/documenten/nieuw", "title")
    response = client.post(action, data={"csrf_token": token, "title": "Jaarplan", "category": "overig",
                                         "body": "", "visibility": MEMBERS, "file": (BytesIO(content), "jaarplan.txt")})
    assert response.status_code == 422
    assert "Dit bestand staat al in de bibliotheek" in response.text
    assert markup_found(response.text) + not_quiet(response.text) == []
    assert shown(response.text)


def test_the_checker_finds_markup_and_double_escaping():
    page = ("<!doctype html><html><body>"
            + "".join(PAYLOADS[:3]) + '<a href="javascript:alert(1)">x</a>'
            + f"<p>{escape(str(escape(PAYLOADS[1])))}</p><p>{escape(PAYLOADS[1])}</p></body></html>")
    found = markup_found(page)
    assert '<i hx-get="/x">' in found and '<i hx-trigger="load">' in found
    assert "<img src=x>" in found and "<img onerror=…>" in found and "<svg onload=…>" in found
    assert '<a href="javascript:alert(1)">' in found
    assert len([f for f in found if f.startswith("escaped twice")]) == 1
    quiet = ('<!doctype html><html><head><meta name="htmx-config" content=\'{"allowEval": false}\'></head><body>'
             '<p class="flash flash-success">a</p><div hx-disable><p class="error-message">b</p></div>'
             '<div class="prose" hx-disable><p class="history">c</p></div></body></html>')
    assert not_quiet(quiet) == ['<p class="flash flash-success"> without hx-disable', "htmx-config {'allowEval': False}"]


def _mail_texts(message) -> tuple[list[str], list[str]]:
    """(text parts, HTML parts) of a mail, the subject first among the text."""
    texts, pages = [str(message["Subject"])], []
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            texts.append(part.get_content())
        elif part.get_content_type() == "text/html":
            pages.append(part.get_content())
    return texts, pages


def _send_every_kind_of_mail(now) -> None:
    """Each mail the site writes, about the hostile demo data (what the demo has none of is skipped)."""
    from cpweb.activities import logic as activities
    from cpweb.activities import rules as activity_rules
    from cpweb.activities.models import Activity
    from cpweb.advice.commands import send_digest as advice_digest
    from cpweb.auth import notices, tokens
    from cpweb.auth.models import User
    from cpweb.bodies.models import Body
    from cpweb.core.hooks import hooks
    from cpweb.core.i18n import as_local
    from cpweb.meetings import notices as meeting_mails
    from cpweb.meetings.models import ActionItem, Meeting, MinutesCorrection
    from cpweb.proposals import logic as proposals
    from cpweb.proposals import rules as proposal_rules
    from cpweb.proposals.models import Proposal
    from cpweb.signals import logic as signals
    from cpweb.signals.commands import send_digest as signals_digest
    from cpweb.signals.models import Signal

    meeting = db.session.scalar(db.select(Meeting).filter(Meeting.items.any()).order_by(Meeting.id))
    for send in (meeting_mails.send_invitations, meeting_mails.send_change, meeting_mails.send_documents_complete,
                 meeting_mails.send_minutes_shared):
        send(meeting, note=HOSTILE)
    meeting_mails.send_reminder(meeting)
    meeting_mails.send_change(meeting, reinstated=True)
    for correction in db.session.scalars(db.select(MinutesCorrection).limit(1)):
        meeting_mails.send_correction_proposed(db.session.get(Meeting, correction.meeting_id), correction)
    for item in db.session.scalars(db.select(ActionItem).filter(ActionItem.owner_id.is_not(None)).limit(1)):
        meeting_mails.send_action_item_assigned(item)
        meeting_mails.send_action_item_overdue(item)

    member = db.session.scalar(db.select(User).filter_by(email="lid@example.org"))
    admin = db.session.scalar(db.select(User).filter_by(email="beheerder@example.org"))
    notices.email_changed(member, "oud@example.org", now)
    notices.password_changed(member, now)
    notices.second_factor_changed(member, HOSTILE, now)
    notices.second_factor_reset(member, now)
    notices.account_locked(member, 15, now)
    bodies = ", ".join(db.session.scalars(db.select(Body.name)))
    tokens.send_password_link(member, tokens.INVITATION, invited_by=admin.name, bodies=bodies)
    tokens.request_password_reset(member.email)

    signal = db.session.scalar(db.select(Signal).order_by(Signal.id))
    signal.contact_email = "melder@example.org"
    signal.follow_token = signals.new_follow_token(signal)  # the visitor's link, made as the signal is sent
    signals.notify_secretaries(signal)
    signals.confirm_to_visitor(signal)
    signals_digest(as_local(signal.created_at).date())
    advice_digest(as_local(now).date())

    activity = db.session.scalar(db.select(Activity).filter_by(audience=activity_rules.EVERYONE).order_by(Activity.id))
    activities._tell_secretaries(activity, member.name)
    activities._tell_participants(activity, HOSTILE)
    activities.guest_sign_up(activity.id, HOSTILE, "nieuwe-gast@example.org")

    secretary = db.session.scalar(db.select(User).filter_by(email="secretaris@example.org"))
    closed = db.session.scalar(db.select(Proposal).filter(Proposal.closes_at < now, Proposal.outcome.is_(None)
                                                          | (Proposal.outcome == "")).order_by(Proposal.id))
    proposals.write_outcome(closed, next(iter(proposal_rules.OUTCOMES)), HOSTILE, secretary, now)
    for send_reminders in hooks().reminder_senders.values():
        send_reminders(now)


def test_every_mail_keeps_typed_text_as_plain_text(app):
    """Mails are plain text: a payload arrives as typed, never escaped for a page (&lt; &amp;)."""
    from cpweb.core.database import utcnow
    from cpweb.mail.transport import outbox

    with app.test_request_context():
        load_demo()
        poison()
        db.session.commit()
        outbox().clear()
        _send_every_kind_of_mail(utcnow())
        db.session.commit()  # the outbox sends what was committed
        mails = [mail.message for mail in outbox()]
    problems, with_payload = [], 0
    for message in mails:
        texts, pages = _mail_texts(message)
        subject = texts[0]
        for text in texts:
            problems += [f"{subject}: {escaped!r} in the text" for escaped in ("&lt;", "&gt;", "&amp;", "&#34;", "&#39;",
                                                                              "&quot;") if escaped in text]
        for page in pages:
            problems += [f"{subject} (HTML): {found}" for found in markup_found(page)]
        with_payload += any(payload in text for text in texts for payload in PAYLOADS)
    assert problems == []
    assert len(mails) >= 20 and with_payload >= len(mails) // 2, (len(mails), with_payload)
