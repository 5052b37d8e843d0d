"""Every page to audit (axe in the browser, valid HTML without), per kind of visitor.

A feature adds its pages to the plain lists below. Paths refer to the demo data
(cpweb/demo.py): member 1 is the beheerder, body 1 is the Klankbordgroep Werkplein.
An entry may also be a function that returns the path, called inside the app context with the
demo data loaded (for links with a signed token). tests/test_html_pages.py fails when a GET
route is reached by none of the entries, so a new page cannot be forgotten.
"""

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
BROKEN_UNSUBSCRIBE_LINK = "/e-mail/afmelden/half-overgenomen"
# Demo proposals (cpweb/proposals/demo.py) of the klankbordgroep: 1 asks consent on a concept advice
# (the demo lid has not answered), 2 is a date poll, 3 is closed with an outcome, 4 is closed and
# anonymous, its outcome not written yet.
MEMBERS_PROPOSAL = "/voorstellen/1"
# Taking a stuk off asks first on the same page as the other confirmations; the demo has no
# stukken, so this reaches the route with a stuk that is not there: the 404 page.
DETACH_NO_STUK = "/vergaderingen/8/agendapunten/1/stukken/3/weghalen"


def invitation_link() -> str:
    """The page where an invited member chooses a password."""
    from cpweb.auth import tokens
    from cpweb.auth.models import User
    from cpweb.extensions import db

    user = db.session.scalar(db.select(User).filter_by(email="ria@example.org"))
    return f"/wachtwoord/{tokens.INVITATION}/{tokens.make_token(user, tokens.INVITATION)}"


def guest_signup_link(suffix: str = "") -> str:
    """The page a guest reaches from the link in their e-mail (demo activity 3 has a guest)."""
    from cpweb.activities.models import Signup
    from cpweb.extensions import db

    signup = db.session.scalar(db.select(Signup).filter(Signup.guest_email.is_not(None)))
    return f"/activiteiten/aanmelding/{signup.token}{suffix}"


def guest_withdraw_link() -> str:
    return guest_signup_link("/afmelden")


def unsubscribe_link() -> str:
    """The page behind "Meld u af" in a reminder to the demo member."""
    from urllib.parse import urlsplit

    from cpweb.auth.models import User
    from cpweb.extensions import db
    from cpweb.mail.preferences import unsubscribe_url

    user = db.session.scalar(db.select(User).filter_by(email="lid@example.org"))
    return urlsplit(unsubscribe_url(user, user.email, "reminders")).path


def remove_item_page() -> str:
    """The confirmation before an agenda item of meeting 8 is removed."""
    from cpweb.extensions import db
    from cpweb.meetings.models import AgendaItem

    item = db.session.scalar(db.select(AgendaItem).filter_by(meeting_id=8).order_by(AgendaItem.position))
    return f"/vergaderingen/8/agendapunten/{item.id}/verwijderen"


def approve_minutes_page() -> str:
    """The confirmation before the shared minutes of the latest meeting held are approved."""
    from cpweb.extensions import db
    from cpweb.meetings import rules
    from cpweb.meetings.models import Minutes

    minutes = db.session.scalar(db.select(Minutes).filter_by(status=rules.SHARED))
    return f"/vergaderingen/{minutes.meeting_id}/verslag/verder"


def published_advice_page() -> str:
    """The public page of the demo's advice that is on the website."""
    from cpweb.advice.models import Advice
    from cpweb.extensions import db

    advice = db.session.scalar(db.select(Advice).filter(Advice.published_at.is_not(None)))
    return f"/onze-adviezen/{advice.id}"


def last_years_report() -> str:
    from cpweb.i18n import local_today

    return f"/jaarverslag/{local_today().year - 1}"


GUEST = [
    "/",
    "/inloggen",
    "/privacy",
    "/toegankelijkheid",
    "/organen/",
    "/organen/klankbordgroep-werkplein",
    "/wachtwoord-vergeten",
    "/uitloggen",
    "/signaal",
    "/signaal/ontvangen",  # without a sent signal: says so
    "/signaal/poster",
    "/vergaderingen/",
    "/vergaderingen/1",  # a public meeting of the klankbordgroep
    "/agenda",
    "/agenda?weergave=lijst&maand=2026-03",
    "/activiteiten/",
    "/activiteiten/?archief=1",
    "/activiteiten/3",  # open to everyone: a guest signs up with name and e-mail
    guest_signup_link,
    guest_withdraw_link,
    "/onze-adviezen",
    published_advice_page,
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
    "/vergaderingen/1",
    "/vergaderingen/1/verslag",
    "/vergaderingen/actiepunten",
    "/agenda",
    "/agenda/koppelen",
    "/activiteiten/",
    "/activiteiten/2",  # full: the demo member is on the waiting list or can join it
    "/activiteiten/6",  # past, with a report
    "/activiteiten/nieuw",  # a member proposes
    "/advies/",
    "/advies/?status=&jaar=2026&q=brief",
    "/advies/2",  # sent, waiting for a response; the demo member drafts it
    "/advies/nieuw",
    "/advies/overzicht",
    "/voorstellen/",
    MEMBERS_PROPOSAL,  # waits for the demo member's answer
    "/voorstellen/3",  # closed, with its outcome and who answered what
    "/voorstellen/4",  # anonymous: counts and remarks without names
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
]

SECRETARIS = [
    "/",
    "/profiel",
    "/signalen",
    "/signalen?status=alle&category=communicatie",
    "/signalen?status=spam",
    "/signalen/1",
    "/signalen/overzicht",
    REPORT_WITH_ERRORS,
    "/signalen/onderwerpen",
    "/signalen/onderwerpen/nieuw",
    "/signalen/onderwerpen/1",
    "/vergaderingen/nieuw",
    "/vergaderingen/8",  # the last of the klankbordgroep's year: the secretary's tools
    "/vergaderingen/1/bewerken",
    "/vergaderingen/1/verslag",
    "/vergaderingen/8/verslag",  # a draft: the secretary writes it
    "/vergaderingen/8/afgelasten",  # the confirmations: who gets a mail, a personal message
    "/vergaderingen/8/uitnodigen",
    "/vergaderingen/8/stukken-compleet",
    "/vergaderingen/8/gaat-toch-door",
    approve_minutes_page,
    remove_item_page,
    DETACH_NO_STUK,
    "/activiteiten/1/afgelasten",
    "/vergaderingen/1/presentie",
    "/vergaderingen/1/agendapunten/1",
    "/vergaderingen/instellingen/1",
    "/vergaderingen/actiepunten?klaar=1",
    "/agenda?maand=2026-03&orgaan=1",
    "/activiteiten/1",
    "/activiteiten/1/bewerken",
    "/activiteiten/6/verslag",
    ACTIVITY_FILTER_ERROR,
    "/advies/1",  # done: the whole timeline
    "/advies/3/bewerken",
    "/advies/overzicht?jaar=2025",
    "/voorstellen/nieuw",
    "/voorstellen/2",  # a date poll: the best date, and a link to plan the meeting
    "/voorstellen/4",  # closed: the outcome form
    "/voorstellen/1/sluiten",
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
    "/beheer/e-mails",  # the mails of the secretary's own bodies
]

BEHEERDER = [
    "/profiel/tweede-stap/passkey",  # first, as above
    "/profiel/tweede-stap",  # the app on, recovery codes left, passkeys
    "/beheer/leden/2/tweede-stap",  # confirm wiping the demo secretary's second factor
    "/",
    "/beheer/",
    "/beheer/?q=jan",
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
    ("secretaris", "/signalen/onderwerpen/nieuw", {"label": ""}),
    ("secretaris", "/vergaderingen/nieuw", {"title": "", "repeat": "list", "dates": "1-13-2026"}),
    ("secretaris", "/vergaderingen/1/bewerken", {"title": "", "start": "20:00", "end": "19:00"}),
    ("secretaris", "/vergaderingen/instellingen/1", {"documents_days": "99"}),
    ("guest", "/activiteiten/3", {"name": "", "email": "geen-adres"}),
    ("secretaris", "/activiteiten/nieuw", {"title": "", "capacity": "-1", "end": "08:00"}),
    ("lid", "/advies/nieuw", {"title": "", "deadline": "morgen"}),
    ("secretaris", "/advies/2", {"response_on": "", "response_summary": "x"}),
    ("secretaris", "/voorstellen/nieuw", {"title": "", "closes_on": "2020-01-01"}),
    ("secretaris", "/voorstellen/4", {"text": ""}),  # the outcome; the answer form's errors: tests/browser
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

# Pages that answer with another status than 200 on purpose: by path, or by (role, path).
STATUS = {NOT_FOUND: 404, EXPIRED_LINK: 410, ("lid", "/beheer/"): 403, REPORT_WITH_ERRORS: 422,
          ACTIVITY_FILTER_ERROR: 422, HANDBOOK_SEARCH_ERROR: 422, ("guest", MEMBERS_DOCUMENT): 404,
          ("guest", MEMBERS_DOWNLOAD): 404, ("lid", BODY_DOCUMENT): 404, ("guest", MEMBERS_PROPOSAL): 404,
          BROKEN_UNSUBSCRIBE_LINK: 404, DETACH_NO_STUK: 404}


def expected_status(role: str, path: str) -> int:
    return STATUS.get((role, path), STATUS.get(path, 200))


def resolve(path) -> str:
    """The path of an entry; call inside an app context with the demo data."""
    return path() if callable(path) else path


def all_pages() -> list[tuple[str, object]]:
    """(role, path or function) for every page, for pytest.mark.parametrize."""
    return [(role, path) for role, paths in PAGES.items() for path in paths]


def page_id(role: str, path) -> str:
    return f"{role}:{getattr(path, '__name__', path)}"
