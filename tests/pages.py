"""Every page to audit (axe in the browser, valid HTML without), per kind of visitor.

A feature adds its pages to the plain lists below. Paths refer to the demo data
(cpweb/demo.py): member 1 is the beheerder, body 1 is the Klankbordgroep Werkplein.
tests/test_html_pages.py fails when a GET route without arguments is in none of the lists.
"""

# role -> demo account; "guest" is not logged in.
ACCOUNTS = {
    "guest": None,
    "lid": "lid@example.org",
    "secretaris": "secretaris@example.org",
    "beheerder": "beheerder@example.org",
}

NOT_FOUND = "/deze-pagina-bestaat-niet"

GUEST = [
    "/",
    "/inloggen",
    "/privacy",
    "/toegankelijkheid",
    "/organen/",
    "/organen/klankbordgroep-werkplein",
    "/wachtwoord-vergeten",
    "/uitloggen",
    NOT_FOUND,
]

LID = [
    "/",
    "/profiel",
    "/organen/",
    "/organen/klankbordgroep-werkplein",
    "/uitloggen",
]

SECRETARIS = [
    "/",
    "/profiel",
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
    NOT_FOUND,
]

PAGES = {"guest": GUEST, "lid": LID, "secretaris": SECRETARIS, "beheerder": BEHEERDER}

# Pages with form errors: (role, path, form data). The form is filled in and sent as a person would.
FORM_ERRORS = [
    ("guest", "/inloggen", {"email": "beheerder@example.org", "password": "een-fout-wachtwoord"}),
    ("guest", "/wachtwoord-vergeten", {"email": "geen-adres"}),
    ("beheerder", "/beheer/leden/uitnodigen", {"name": "", "email": "geen-adres"}),
    ("beheerder", "/beheer/organen/nieuw", {"name": ""}),
]

# Pages that answer with another status than 200 on purpose.
STATUS = {NOT_FOUND: 404}


def all_pages() -> list[tuple[str, str]]:
    """(role, path) for every page, for pytest.mark.parametrize."""
    return [(role, path) for role, paths in PAGES.items() for path in paths]


def page_id(role: str, path: str) -> str:
    return f"{role}:{path}"
