"""The record of processing (verwerkingsregister, GDPR article 30): each feature adds what it keeps.

Retention texts are functions of the configuration, so the register shows what this site really does.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .hooks import hooks


@dataclass(frozen=True)
class Processing:
    name: object
    purpose: object
    people: object  # whose data
    data: object  # which data
    recipients: object
    retention: Callable[[dict], str]  # config -> text


SECURITY_MEASURES = [
    _l("Alleen uitgenodigde leden kunnen inloggen; wachtwoorden worden versleuteld opgeslagen (scrypt)."),
    _l("Leden zien alleen de gegevens van hun eigen organen; de rol bepaalt wat iemand mag."),
    _l("De website gebruikt https, beveiligde cookies en laadt niets van andere websites."),
    _l("Wie iets verandert aan leden en rollen, staat in het logboek. Ook wie de contactgegevens bij een signaal bekeek."),
    _l("Uitloggen stopt de sessie ook op de server. Een nieuw wachtwoord stopt de sessies op andere apparaten."),
    _l("Wie persoonsgegevens van anderen ziet, logt in met een tweede stap: een code uit een app of een passkey. "
       "Na een paar verkeerde wachtwoorden moet iemand steeds langer wachten."),
    _l("Gegevens worden automatisch gewist als de bewaartermijn voorbij is."),
]


def register() -> list[Processing]:
    """What the features registered (hooks.processing), in the order of FEATURES."""
    return list(hooks().processing_register)
