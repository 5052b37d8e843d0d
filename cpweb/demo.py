"""A plausible demo region, written for cpweb: one Werkplein, eight municipalities, four bodies.

Kept beside `create_app` rather than in core or web: the region is made of several features' rows
(members, bodies, the features' own demo steps), which core and web may not import."""
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
from flask import current_app

from .admin.members import create_member
from .auth import twofactor
from .auth.login import second_factor_required
from .auth.models import User
from .bodies.models import Body, Organisation
from .core.database import run_seeders
from .core.extensions import db
from .core.hooks import hooks
from .web.urls import site_url

MUNICIPALITIES = ["Dongen", "Gilze en Rijen", "Goirle", "Hilvarenbeek", "Loon op Zand",
                  "Oisterwijk", "Tilburg", "Waalwijk"]
ORGANISATIONS = [("UWV", "uwv"), ("Werkplein Hart van Brabant", "werkplein"),
                 ("Landelijke Cliëntenraad", "lcr")]

BODIES = [
    ("klankbordgroep-werkplein", "Klankbordgroep Werkplein Hart van Brabant", "klankbordgroep",
     "De klankbordgroep praat met het Werkplein over de dienstverlening aan werkzoekenden. "
     "We komen minstens acht keer per jaar bij elkaar. We geven gevraagd en ongevraagd advies.\n\n"
     "Heeft u iets meegemaakt op het Werkplein? **Geef het door als signaal.** Zo horen wij wat goed "
     "gaat en wat beter kan."),
    ("clientenraad-dongen", "Cliëntenraad Dongen", "clientenraad",
     "De cliëntenraad geeft de gemeente Dongen advies over werk, inkomen en meedoen. "
     "Onze leden hebben zelf ervaring met een uitkering of met werk zoeken."),
    ("ambassadeurs", "Ambassadeurs Werkplein", "ambassadeurs",
     "Twee ambassadeurs praten drie keer per jaar met het management van het Werkplein. "
     "Zij nemen de signalen van de klankbordgroep mee."),
    ("werkgroep-communicatie", "Werkgroep Brieven en Communicatie", "werkgroep",
     "Deze werkgroep leest brieven en folders mee. Zijn ze duidelijk? Staat erin wat iemand moet doen?"),
]

# (name, e-mail, role, bodies); functions other than "lid" below.
MEMBERS = [
    ("Annelies de Vries", "beheerder@example.org", "beheerder", ["klankbordgroep-werkplein"]),
    ("Henk Janssen", "secretaris@example.org", "secretaris", ["klankbordgroep-werkplein", "ambassadeurs"]),
    ("Fatima El Amrani", "fatima@example.org", "secretaris", ["clientenraad-dongen"]),
    ("Joke van den Berg", "lid@example.org", "lid", ["klankbordgroep-werkplein", "werkgroep-communicatie"]),
    ("Mohamed Yilmaz", "mohamed@example.org", "lid", ["klankbordgroep-werkplein"]),
    ("Ria Verhoeven", "ria@example.org", "lid", ["klankbordgroep-werkplein", "werkgroep-communicatie"]),
    ("Gerrit Smits", "gerrit@example.org", "lid", ["clientenraad-dongen"]),
    ("Sandra Claassen", "sandra@example.org", "lid", ["ambassadeurs", "klankbordgroep-werkplein"]),
    ("Wim de Jong", "wim@example.org", "lid", ["ambassadeurs"]),
    ("Priya Ramdin", "priya@example.org", "lid", ["clientenraad-dongen"]),
]
FUNCTIONS = {("secretaris@example.org", "klankbordgroep-werkplein"): "secretaris",
             ("fatima@example.org", "clientenraad-dongen"): "secretaris",
             ("mohamed@example.org", "klankbordgroep-werkplein"): "voorzitter",
             ("sandra@example.org", "ambassadeurs"): "ambassadeur",
             ("wim@example.org", "ambassadeurs"): "ambassadeur"}


# Besides the roles that must (TWO_FACTOR_ROLES), this member chose a second factor himself.
OWN_SECOND_FACTOR = {"mohamed@example.org"}


@dataclass
class DemoRegion:
    """What the core demo made, for the features' own demo steps to build on."""

    bodies: dict[str, Body] = field(default_factory=dict)  # by slug
    users: dict[str, User] = field(default_factory=dict)  # by e-mail
    organisations: dict[str, Organisation] = field(default_factory=dict)  # by name


def _instance_file(name: str) -> Path:
    return Path(current_app.instance_path) / name


def _password_file() -> Path:
    return _instance_file("demo-login.txt")


def _app_key_file() -> Path:
    return _instance_file("demo-app-key.txt")


def load_demo() -> str:
    """Add the demo region once; returns how to log in."""
    run_seeders()
    if db.session.scalar(db.select(Body.id).limit(1)) is None:
        _create_demo(_new_secret(_password_file(), "demo-" + secrets.token_urlsafe(9)),
                     _new_secret(_app_key_file(), twofactor.new_secret()))
    return _login_text()


def _new_secret(path: Path, value: str) -> str:
    """A fresh password or app key for the demo accounts, kept in the instance folder for the owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value)
    return value


def demo_app_codes() -> tuple[str, str, int] | None:
    """(the code of now, the next one, seconds the first still works) for the demo's second factor.

    The site accepts the next code as well (one step of slack), and each code only once: who logs
    in twice within half a minute uses the next one the second time.
    """
    try:
        totp = pyotp.TOTP(_app_key_file().read_text().strip())
    except FileNotFoundError:
        return None
    now = time.time()
    return totp.at(now), totp.at(now + totp.interval), int(totp.interval - now % totp.interval)


def _login_text() -> str:
    try:
        password = _password_file().read_text().strip()
    except FileNotFoundError:
        return "Deze site heeft al gegevens; demo-accounts zijn niet aangemaakt."
    text = (
        f"Demo-gegevens staan klaar. Ga naar {site_url('auth.login')}\n"
        f"  beheerder:  beheerder@example.org  wachtwoord: {password}\n"
        f"  secretaris: secretaris@example.org wachtwoord: {password}\n"
        f"  lid:        lid@example.org        wachtwoord: {password}"
    )
    with_app = db.session.scalars(db.select(User.email).filter(User.totp_secret.is_not(None)).order_by(User.id)).all()
    if with_app and _app_key_file().exists():
        text += (
            "\nTweede stap: na het wachtwoord vraagt de site een code van 6 cijfers aan\n"
            f"  {', '.join(with_app)}.\n"
            "  Met een app voor inlogcodes: voeg deze sleutel toe: "
            f"{twofactor.readable_secret(_app_key_file().read_text().strip())}\n"
            "  Zonder app: in een tweede venster geeft deze opdracht de code:\n"
            "    .venv/bin/flask --app app cpweb demo-code"
        )
    return text


def _create_demo(password: str, app_key: str) -> None:
    region = DemoRegion()
    for name, kind in [(f"Gemeente {m}", "gemeente") for m in MUNICIPALITIES] + ORGANISATIONS:
        region.organisations[name] = Organisation(name=name, kind=kind)
        db.session.add(region.organisations[name])
    for slug, name, kind, description in BODIES:
        region.bodies[slug] = Body(slug=slug, name=name, kind=kind, description=description,
                                   receives_signals=kind == "klankbordgroep")
        db.session.add(region.bodies[slug])
    db.session.flush()
    slugs_by_id = {body.id: slug for slug, body in region.bodies.items()}
    for name, email, role, slugs in MEMBERS:
        user = create_member(email, name, role, [region.bodies[s].id for s in slugs], password=password)
        for membership in user.memberships:
            membership.function = FUNCTIONS.get((email, slugs_by_id[membership.body_id]), "lid")
        if second_factor_required(user) or email in OWN_SECOND_FACTOR:
            user.totp_secret = app_key
        region.users[email] = user
    db.session.flush()
    for step in hooks().demo_steps:
        step(region)
    db.session.commit()
