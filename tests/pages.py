"""Every page to audit (axe in the browser, valid HTML without), per kind of visitor.

A feature adds its pages to the plain lists below. Paths refer to the demo data
(cpweb/demo.py): member 1 is the beheerder, body 1 is the Klankbordgroep Werkplein.
An entry may also be a function that returns the path, called inside the app context with the
demo data loaded: for links with a signed token, and for a meeting, activity, dossier or proposal
in a given state, which is found by that state (the demo is built around the day it is loaded, so
which row is in which state is no fixed id). tests/test_html_pages.py fails when a GET route is
reached by none of the entries, so a new page cannot be forgotten.
"""
from collections.abc import Callable
from urllib.parse import urlsplit

from cpweb.activities import rules as activity_rules
from cpweb.activities.models import Activity, Signup
from cpweb.advice import rules as advice_rules
from cpweb.advice.models import Advice
from cpweb.auth import tokens
from cpweb.auth.models import User
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import local_today
from cpweb.mail.preferences import unsubscribe_url
from cpweb.meetings import rules as meeting_rules
from cpweb.meetings.models import ActionItem, AgendaItem, Meeting, Minutes
from cpweb.proposals import rules as proposal_rules
from cpweb.proposals.models import Proposal

# role -> demo account; "guest" is not logged in. The demo's beheerder and secretaris log in with
# the second factor (the site's default); HALFWAY typed only the password of a member with one
# (the demo's Mohamed chose it himself) and sees the second step's pages.
HALFWAY = "tweede-stap"
ACCOUNTS = {
    "guest": None,
    "lid": "lid@example.org",
    "secretaris": "secretaris@example.org",
    "beheerder": "beheerder@example.org",
    HALFWAY: "mohamed@example.org",
}

NOT_FOUND = "/deze-pagina-bestaat-niet"
EXPIRED_LINK = "/wachtwoord/invitation/verlopen-link"
ACTIVITY_FILTER_ERROR = "/activiteiten/?maand=2026-13"
REPORT_WITH_ERRORS = "/signalen/overzicht?start=2026-12-31&end=2026-01-01"  # a GET form with errors
# Demo documents (cpweb/documents/demo.py): 1 is public Markdown, 3 is for all members,
# 4 only for the ambassadeurs (not the demo lid). Files themselves are not HTML: a guest's
# download of a members-only document is the 404 page.
MEMBERS_DOCUMENT = "/documenten/3"
MEMBERS_DOWNLOAD = "/documenten/3/download"
BODY_DOCUMENT = "/documenten/4"
HANDBOOK_SEARCH_ERROR = "/handboek/zoeken?q=" + "lang" * 51  # a search longer than 200 characters
SEARCH_ERROR = "/zoeken?q=a"  # one letter: too short to search
BROKEN_UNSUBSCRIBE_LINK = "/e-mail/afmelden/half-overgenomen"


# A meeting, activity, dossier or proposal in a given state, found by that state: its path.

def _found(prefix: str, select, what: str) -> str:
    found = db.session.scalar(select.limit(1))
    assert found is not None, f"the demo has no {what}"
    return f"{prefix}/{found}"


def coming_meeting() -> str:
    """The klankbordgroep's next meeting (public, planned): the secretary's tools."""
    return _found("/vergaderingen", db.select(Meeting.id).filter(
        Meeting.status == meeting_rules.PLANNED, Meeting.visibility == meeting_rules.PUBLIC,
        Meeting.starts_at > utcnow()).order_by(Meeting.starts_at), "public meeting ahead")


def held_meeting() -> str:
    """The klankbordgroep's latest public meeting held whose minutes were approved."""
    return _found("/vergaderingen", db.select(Meeting.id).join(Minutes).filter(
        Meeting.status == meeting_rules.HELD, Meeting.visibility == meeting_rules.PUBLIC,
        Minutes.status == meeting_rules.APPROVED).order_by(Meeting.starts_at.desc()), "meeting with approved minutes")


def _first_item(meeting: str) -> str:
    """The first item on the agenda of the meeting at this path."""
    meeting_id = int(meeting.rsplit("/", 1)[1])
    return _found(f"{meeting}/agendapunten", db.select(AgendaItem.id).filter_by(meeting_id=meeting_id)
                  .order_by(AgendaItem.position), "agenda item")


def held_meeting_item() -> str:
    return _first_item(held_meeting())


def remove_item_page() -> str:
    """The confirmation before an agenda item of the coming meeting is removed."""
    return _first_item(coming_meeting()) + "/verwijderen"


def attach_stuk_page() -> str:
    """The form that adds a stuk to the first agenda item of the coming meeting."""
    return _first_item(coming_meeting()) + "/stukken"


def detach_no_stuk() -> str:
    """Taking a stuk off asks first on the same page as the other confirmations; the first item has
    no stukken, so this reaches the route with a stuk that is not there: the 404 page."""
    return _first_item(coming_meeting()) + "/stukken/3/weghalen"


def edit_action_item_page() -> str:
    """Changing an open action item of the klankbordgroep (body 1)."""
    return _found("/vergaderingen/actiepunten", db.select(ActionItem.id).filter(
        ActionItem.body_id == 1, ActionItem.done_at.is_(None)).order_by(ActionItem.id), "open action item") + "/bewerken"


def approve_minutes_page() -> str:
    """The confirmation before the shared minutes of the klankbordgroep's latest meeting are approved."""
    return _found("/vergaderingen", db.select(Minutes.meeting_id).join(Meeting).filter(
        Minutes.status == meeting_rules.SHARED, Meeting.visibility == meeting_rules.PUBLIC),
        "shared minutes") + "/verslag/verder"


def _activity(what: str, *where, latest: bool = False) -> str:
    return _found("/activiteiten", db.select(Activity.id).filter(*where).order_by(
        Activity.starts_at.desc() if latest else Activity.starts_at), what)


def members_activity() -> str:
    """The first coming activity for members only, with a limit on places."""
    return _activity("members' activity ahead", Activity.audience == activity_rules.MEMBERS,
                     Activity.capacity.is_not(None), Activity.starts_at > utcnow())


def open_activity() -> str:
    """A coming activity open to everyone, with a limit on places: a guest signs up with name and e-mail."""
    return _activity("activity ahead open to everyone", Activity.audience == activity_rules.EVERYONE,
                     Activity.capacity.is_not(None), Activity.starts_at > utcnow())


def full_activity() -> str:
    """A coming activity whose places are taken, with someone waiting."""
    waiting = db.select(Signup.activity_id).filter(Signup.status == activity_rules.WAITING)
    return _activity("full activity ahead", Activity.starts_at > utcnow(), Activity.id.in_(waiting))


def past_activity() -> str:
    """An activity that took place, with its report."""
    return _activity("past activity with a report", Activity.starts_at < utcnow(), Activity.report != "", latest=True)


def _dossier(status: str) -> str:
    return _found("/advies", db.select(Advice.id).filter_by(status=status).order_by(Advice.id), f"{status} dossier")


def done_dossier() -> str:
    """Done: the whole timeline."""
    return _dossier(advice_rules.DONE)


def sent_dossier() -> str:
    """Sent, waiting for a response; the demo member drafts it."""
    return _dossier(advice_rules.SENT)


def dossier_in_preparation() -> str:
    return _dossier(advice_rules.PREPARING)


def _proposal(what: str, *where) -> str:
    return _found("/voorstellen", db.select(Proposal.id).filter(*where).order_by(Proposal.id), what)


def consent_proposal() -> str:
    """Open, asks consent on a concept advice; the demo member has not answered."""
    return _proposal("open consent proposal", Proposal.kind == proposal_rules.CONSENT,
                     Proposal.status == proposal_rules.OPEN)


def date_poll() -> str:
    """Open: the best date so far, and a link to plan the meeting."""
    return _proposal("open date poll", Proposal.kind == proposal_rules.DATE, Proposal.status == proposal_rules.OPEN)


def decided_proposal() -> str:
    """Closed, with its outcome and who answered what."""
    return _proposal("proposal with an outcome", Proposal.status == proposal_rules.CLOSED,
                     Proposal.outcome.is_not(None))


def proposal_waiting_for_outcome() -> str:
    """Closed and anonymous: counts and remarks without names; for the secretary, the outcome form."""
    return _proposal("closed anonymous proposal without an outcome", Proposal.status == proposal_rules.CLOSED,
                     Proposal.anonymous.is_(True), Proposal.outcome.is_(None))


def at(find: Callable[[], str], suffix: str = "") -> Callable[[], str]:
    """An entry: the page `suffix` of the row that `find` finds."""
    def path() -> str:
        return find() + suffix

    path.__name__ = find.__name__ + suffix
    return path


# The demo member has not answered it: a guest gets the 404 page.
MEMBERS_PROPOSAL = at(consent_proposal)
# A visitor's link to follow a signal that is not (or no longer) there; the page behind a working
# one is checked in tests/test_signal_follow.py (its token exists only in the visitor's hands).
BROKEN_FOLLOW_LINK = "/signaal/volgen/" + "half-overgenomen" * 3


def invitation_link() -> str:
    """The page where an invited member chooses a password."""
    user = db.session.scalar(db.select(User).filter_by(email="ria@example.org"))
    return f"/wachtwoord/{tokens.INVITATION}/{tokens.make_token(user, tokens.INVITATION)}"


def guest_signup_link(suffix: str = "") -> str:
    """The page a guest reaches from the link in their e-mail (a demo activity open to everyone has a guest)."""
    signup = db.session.scalar(db.select(Signup).filter(Signup.guest_email.is_not(None)))
    return f"/activiteiten/aanmelding/{signup.token}{suffix}"


def guest_withdraw_link() -> str:
    return guest_signup_link("/afmelden")


def unsubscribe_link() -> str:
    """The page behind "Meld u af" in a reminder to the demo member."""
    user = db.session.scalar(db.select(User).filter_by(email="lid@example.org"))
    return urlsplit(unsubscribe_url(user, user.email, "reminders")).path


def published_advice_page() -> str:
    """The public page of the demo's advice that is on the website."""
    advice = db.session.scalar(db.select(Advice).filter(Advice.published_at.is_not(None)))
    return f"/onze-adviezen/{advice.id}"


def plan_meeting_page() -> str:
    """The confirmation before the demo's open date poll becomes a meeting on its first date."""
    poll = db.session.get(Proposal, int(date_poll().rsplit("/", 1)[1]))
    return f"/voorstellen/{poll.id}/plannen/{poll.options[0].id}"


def last_years_report() -> str:
    return f"/jaarverslag/{local_today().year - 1}"


GUEST = [
    "/",
    "/inloggen",
    "/zoeken",
    "/zoeken?q=vergadering",
    "/privacy",
    "/toegankelijkheid",
    "/organen/",
    "/organen/klankbordgroep-werkplein",
    "/wachtwoord-vergeten",
    "/uitloggen",
    "/signaal",
    "/signaal/ontvangen",  # without a sent signal: says so
    "/signaal/poster",
    BROKEN_FOLLOW_LINK,
    "/contact",
    "/vergaderingen/",
    held_meeting,  # a public meeting of the klankbordgroep
    "/agenda",
    "/agenda?weergave=lijst&maand=2026-03",
    "/activiteiten/",
    "/activiteiten/?archief=1",
    open_activity,  # open to everyone: a guest signs up with name and e-mail
    guest_signup_link,
    guest_withdraw_link,
    "/onze-adviezen",
    published_advice_page,
    "/van-andere-raden",
    "/agenda?weergave=komend&andere=1",
    "/documenten",
    "/documenten?q=clientenraad",
    "/documenten/1",
    "/documenten/1/bekijken",  # Markdown, rendered
    MEMBERS_DOCUMENT,  # 404 for guests
    MEMBERS_DOWNLOAD,  # 404 for guests
    MEMBERS_PROPOSAL,  # 404 for guests
    invitation_link,
    EXPIRED_LINK,
    unsubscribe_link,
    BROKEN_UNSUBSCRIBE_LINK,
    NOT_FOUND,
]

LID = [
    # First: changing the second factor counts on the password typed at login for 15 minutes.
    "/profiel/tweede-stap/app",  # setting up the app: QR code and key
    "/profiel/tweede-stap",  # no second factor yet
    "/profiel/tweede-stap/bevestigen",
    "/",
    "/profiel",
    "/organen/",
    "/organen/klankbordgroep-werkplein",
    "/uitloggen",
    "/beheer/",  # refused: the 403 page
    "/signaal",  # a member records a signal
    "/signalen",  # the demo member is in the body that handles signals
    "/signalen/1",  # reads the text and history; the contact details are for secretaries
    "/vergaderingen/",
    held_meeting,
    at(held_meeting, "/verslag"),
    "/vergaderingen/actiepunten",
    "/agenda",
    "/agenda?weergave=komend&andere=1",  # with the events of the councils the site follows
    "/agenda/koppelen",
    "/activiteiten/",
    full_activity,  # full: the demo member is on the waiting list or can join it
    past_activity,
    "/activiteiten/nieuw",  # a member proposes
    "/advies/",
    "/advies/?status=&jaar=2026&q=brief",
    sent_dossier,
    "/advies/nieuw",
    "/advies/overzicht",
    "/voorstellen/",
    MEMBERS_PROPOSAL,  # waits for the demo member's answer
    decided_proposal,
    proposal_waiting_for_outcome,
    last_years_report,
    "/documenten",
    "/documenten?q=werk&kind=md",
    "/documenten/nieuw",
    MEMBERS_DOCUMENT,
    BODY_DOCUMENT,  # 404: not in that body
    "/handboek/",
    "/handboek/wat-doet-een-clientenraad",
    "/handboek/zo-werkt-de-raad",  # a chapter: its pages listed
    "/handboek/wat-gebeurt-er-met-een-signaal/versies",  # two revisions
    "/handboek/wat-gebeurt-er-met-een-signaal/versies/2",
    "/handboek/zoeken?q=signa",
    "/handboek/zoeken?q=niets-gevonden",
    "/zoeken?q=vergadering+werkplein",
    "/zoeken?q=werk&soort=documenten",
    "/zoeken?q=niets-gevonden",
]

SECRETARIS = [
    "/",
    "/profiel",
    "/signalen",
    "/signalen?status=alle&category=communicatie",
    "/signalen?status=spam",
    "/signalen/1",
    "/signalen/1/bericht",  # a message for the visitor: nobody is mailed (the demo visitor left a phone number)
    "/signalen/overzicht",
    REPORT_WITH_ERRORS,
    "/signalen/onderwerpen",
    "/signalen/onderwerpen/nieuw",
    "/signalen/onderwerpen/1",
    "/vergaderingen/nieuw",
    coming_meeting,
    at(held_meeting, "/bewerken"),
    at(held_meeting, "/verslag"),
    at(coming_meeting, "/verslag"),  # a draft: the secretary writes it
    at(coming_meeting, "/afgelasten"),  # the confirmations: who gets a mail, a personal message
    at(coming_meeting, "/uitnodigen"),
    at(coming_meeting, "/stukken-compleet"),
    at(coming_meeting, "/gaat-toch-door"),
    approve_minutes_page,
    remove_item_page,
    attach_stuk_page,
    detach_no_stuk,
    at(members_activity, "/afgelasten"),
    at(held_meeting, "/presentie"),
    held_meeting_item,
    "/vergaderingen/instellingen/1",
    "/vergaderingen/actiepunten?klaar=1",
    edit_action_item_page,
    "/agenda?maand=2026-03&orgaan=1",
    members_activity,
    at(members_activity, "/bewerken"),
    at(past_activity, "/verslag"),
    ACTIVITY_FILTER_ERROR,
    done_dossier,
    at(dossier_in_preparation, "/bewerken"),
    "/advies/overzicht?jaar=2025",
    "/voorstellen/nieuw",
    date_poll,
    proposal_waiting_for_outcome,
    at(consent_proposal, "/sluiten"),
    plan_meeting_page,
    "/organen/klankbordgroep-werkplein/stemrecht",
    "/documenten",
    "/documenten/1/bewerken",
    "/documenten/1/nieuwe-versie",
    "/documenten/prullenbak",
    "/documenten/soorten",
    "/documenten/soorten/nieuw",
    "/documenten/soorten/1",
    "/handboek/",  # with the buttons to move pages
    "/handboek/nieuw",
    "/handboek/wat-gebeurt-er-met-een-signaal/bewerken",
    "/handboek/wat-gebeurt-er-met-een-signaal/versies/1",  # an older revision: restore
    "/handboek/wat-doet-een-clientenraad/versies/1",  # the first revision of a page
    HANDBOOK_SEARCH_ERROR,
    SEARCH_ERROR,
    "/zoeken?q=vergadering+werkplein",
    "/zoeken?q=signaal",
    "/beheer/e-mails",  # the mails of the secretary's own bodies
]

BEHEERDER = [
    "/profiel/tweede-stap/passkey",  # first, as above
    "/zoeken?q=advies",
    "/profiel/tweede-stap",  # the app on, recovery codes left, passkeys
    "/beheer/leden/2/tweede-stap",  # confirm wiping the demo secretary's second factor
    "/",
    "/beheer/",
    "/beheer/?q=jan",
    "/beheer/bronnen",  # no source followed in the demo: the form to add one
    "/beheer/leden/uitnodigen",
    "/beheer/leden/1",
    "/beheer/organen",
    "/beheer/organen/nieuw",
    "/beheer/organen/1",
    "/beheer/logboek",
    "/beheer/verwerkingsregister",
    "/beheer/organisaties",
    "/beheer/documenten-nakijken",
    "/beheer/organisaties/nieuw",
    "/beheer/organisaties/1",
    "/beheer/e-mails",
    NOT_FOUND,
]

HALFWAY_PAGES = [
    "/inloggen/code",
    "/inloggen/herstelcode",
]

PAGES = {"guest": GUEST, "lid": LID, "secretaris": SECRETARIS, "beheerder": BEHEERDER, HALFWAY: HALFWAY_PAGES}

# Pages with form errors: (role, path, form data). The form on the page that has the first field
# is filled in and sent as a person would (to its own action).
FORM_ERRORS = [
    ("guest", "/inloggen", {"email": "beheerder@example.org", "password": "een-fout-wachtwoord"}),
    ("guest", "/wachtwoord-vergeten", {"email": "geen-adres"}),
    ("beheerder", "/beheer/leden/uitnodigen", {"name": "", "email": "geen-adres"}),
    ("beheerder", "/beheer/organen/nieuw", {"name": ""}),
    ("beheerder", "/beheer/organisaties/nieuw", {"name": ""}),
    ("guest", "/signaal", {"description": "kort"}),
    ("guest", "/contact", {"email": "geen-adres"}),
    ("secretaris", "/signalen/onderwerpen/nieuw", {"label": ""}),
    ("secretaris", "/vergaderingen/nieuw", {"title": "", "repeat": "list", "dates": "1-13-2026"}),
    ("secretaris", at(held_meeting, "/bewerken"), {"title": "", "start": "20:00", "end": "19:00"}),
    ("secretaris", "/vergaderingen/instellingen/1", {"documents_days": "99"}),
    ("guest", open_activity, {"name": "", "email": "geen-adres"}),
    ("secretaris", "/activiteiten/nieuw", {"title": "", "capacity": "-1", "end": "08:00"}),
    ("lid", "/advies/nieuw", {"title": "", "deadline": "morgen"}),
    ("secretaris", sent_dossier, {"response_on": "", "response_summary": "x"}),
    ("secretaris", "/voorstellen/nieuw", {"title": "", "closes_on": "2020-01-01"}),
    ("secretaris", proposal_waiting_for_outcome, {"text": ""}),  # the outcome; the answer form's errors: tests/browser
    ("secretaris", "/documenten/1/bewerken", {"title": ""}),
    ("secretaris", "/documenten/soorten/nieuw", {"label": ""}),
    ("secretaris", "/handboek/nieuw", {"title": "", "slug": "Geen goed adres!"}),
    ("secretaris", "/handboek/zo-werkt-de-raad/bewerken", {"title": "", "slug": "wat-doet-een-clientenraad"}),
    ("lid", "/profiel", {"current_password": "niet-mijn-wachtwoord", "password": "kort",
                         "password_again": "anders"}),
]

# GET endpoints that answer with something other than HTML (calendar files); tests of their own cover them.
NOT_HTML = {"calendar.public_feed", "calendar.private_feed", "meetings.ics", "activities.ics",
            "activities.participants_csv", "annual_report.markdown", "annual_report.word", "proposals.answers_csv",
            "annual_report.index",  # a redirect to last year's report
            "ops.healthz", "ops.favicon"}
NOT_HTML |= {"feeds.atom", "meetings.stukken_zip"}

# Pages that answer with another status than 200 on purpose: by entry, or by (role, entry).
STATUS = {NOT_FOUND: 404, EXPIRED_LINK: 410, ("lid", "/beheer/"): 403, REPORT_WITH_ERRORS: 422,
          ACTIVITY_FILTER_ERROR: 422, HANDBOOK_SEARCH_ERROR: 422, SEARCH_ERROR: 422, ("guest", MEMBERS_DOCUMENT): 404,
          ("guest", MEMBERS_DOWNLOAD): 404, ("lid", BODY_DOCUMENT): 404, ("guest", MEMBERS_PROPOSAL): 404,
          BROKEN_UNSUBSCRIBE_LINK: 404, detach_no_stuk: 404, BROKEN_FOLLOW_LINK: 404}


def expected_status(role: str, entry) -> int:
    return STATUS.get((role, entry), STATUS.get(entry, 200))


def resolve(path) -> str:
    """The path of an entry; call inside an app context with the demo data."""
    return path() if callable(path) else path


def all_pages() -> list[tuple[str, object]]:
    """(role, path or function) for every page, for pytest.mark.parametrize."""
    return [(role, path) for role, paths in PAGES.items() for path in paths]


def page_id(role: str, path) -> str:
    return f"{role}:{getattr(path, '__name__', path)}"
