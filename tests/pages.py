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
# Demo documents (cpweb/documents/demo.py): 1 is public Markdown, 3 is for all members,
# 4 only for the ambassadeurs (not the demo lid). Files themselves are not HTML: a guest's
# download of a members-only document is the 404 page.
MEMBERS_DOCUMENT = "/documenten/3"
MEMBERS_DOWNLOAD = "/documenten/3/download"
BODY_DOCUMENT = "/documenten/4"


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
    "/documenten",
    "/documenten?q=clientenraad",
    "/documenten/1",
    "/documenten/1/bekijken",  # Markdown, rendered
    MEMBERS_DOCUMENT,  # 404 for guests
    MEMBERS_DOWNLOAD,  # 404 for guests
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
    "/documenten",
    "/documenten?q=werk&kind=md",
    "/documenten/nieuw",
    MEMBERS_DOCUMENT,
    BODY_DOCUMENT,  # 404: not in that body
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
    "/documenten",
    "/documenten/1/bewerken",
    "/documenten/1/nieuwe-versie",
    "/documenten/prullenbak",
    "/documenten/soorten",
    "/documenten/soorten/nieuw",
    "/documenten/soorten/1",
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
    ("secretaris", "/documenten/1/bewerken", {"title": ""}),
    ("secretaris", "/documenten/soorten/nieuw", {"label": ""}),
    ("lid", "/profiel", {"current_password": "niet-mijn-wachtwoord", "password": "kort",
                         "password_again": "anders"}),
]

# Pages that answer with another status than 200 on purpose: by path, or by (role, path).
STATUS = {NOT_FOUND: 404, EXPIRED_LINK: 410, ("lid", "/beheer/"): 403, REPORT_WITH_ERRORS: 422,
          ("guest", MEMBERS_DOCUMENT): 404, ("guest", MEMBERS_DOWNLOAD): 404, ("lid", BODY_DOCUMENT): 404}


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
