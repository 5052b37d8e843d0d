"""Every page to audit (axe in the browser, valid HTML without), per kind of visitor.

A feature adds its pages to the plain lists below. Paths refer to the demo data
(cpweb/demo.py): member 1 is the beheerder, body 1 is the Klankbordgroep Werkplein.
An entry may also be a function that returns the path, called inside the app context with the
demo data loaded (for links with a signed token). tests/test_html_pages.py fails when a GET
route is reached by none of the entries, so a new page cannot be forgotten.
"""

# role -> demo account; "guest" is not logged in.
ACCOUNTS = {
    "guest": None,
    "lid": "lid@example.org",
    "secretaris": "secretaris@example.org",
    "beheerder": "beheerder@example.org",
}

NOT_FOUND = "/deze-pagina-bestaat-niet"
EXPIRED_LINK = "/wachtwoord/invitation/verlopen-link"
REPORT_WITH_ERRORS = "/signalen/overzicht?start=2026-12-31&end=2026-01-01"  # a GET form with errors


def invitation_link() -> str:
    """The page where an invited member chooses a password."""
    from cpweb.auth import tokens
    from cpweb.auth.models import User
    from cpweb.extensions import db

    user = db.session.scalar(db.select(User).filter_by(email="ria@example.org"))
    return f"/wachtwoord/{tokens.INVITATION}/{tokens.make_token(user, tokens.INVITATION)}"


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
    invitation_link,
    EXPIRED_LINK,
    NOT_FOUND,
]

LID = [
    "/",
    "/profiel",
    "/organen/",
    "/organen/klankbordgroep-werkplein",
    "/uitloggen",
    "/beheer/",  # refused: the 403 page
    "/signaal",  # a member records a signal
    "/signalen",  # the demo member is in the body that handles signals
    "/vergaderingen/",
    "/vergaderingen/1",
    "/vergaderingen/1/verslag",
    "/vergaderingen/actiepunten",
    "/agenda",
    "/agenda/koppelen",
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
    "/vergaderingen/1/presentie",
    "/vergaderingen/1/agendapunten/1",
    "/vergaderingen/instellingen/1",
    "/vergaderingen/actiepunten?klaar=1",
    "/agenda?maand=2026-03&orgaan=1",
]

BEHEERDER = [
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
    "/beheer/organisaties/nieuw",
    "/beheer/organisaties/1",
    NOT_FOUND,
]

PAGES = {"guest": GUEST, "lid": LID, "secretaris": SECRETARIS, "beheerder": BEHEERDER}

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
    ("secretaris", "/vergaderingen/nieuw", {"title": "", "day": "gisteren", "dates": "1-13-2026"}),
    ("secretaris", "/vergaderingen/1/bewerken", {"title": "", "start": "20:00", "end": "19:00"}),
    ("secretaris", "/vergaderingen/instellingen/1", {"documents_days": "99"}),
    ("lid", "/profiel", {"current_password": "niet-mijn-wachtwoord", "password": "kort",
                         "password_again": "anders"}),
]

# GET endpoints that answer with something other than HTML (calendar files); tests of their own cover them.
NOT_HTML = {"calendar.public_feed", "calendar.private_feed", "meetings.ics", "ops.healthz"}

# Pages that answer with another status than 200 on purpose: by path, or by (role, path).
STATUS = {NOT_FOUND: 404, EXPIRED_LINK: 410, ("lid", "/beheer/"): 403, REPORT_WITH_ERRORS: 422}


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
