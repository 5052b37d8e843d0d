"""Demo signals: a quarter's worth of plausible experiences, written for cpweb."""
import random
from datetime import timedelta

from ..core.database import utcnow
from ..core.extensions import db
from ..demo import DemoRegion
from . import logic, rules
from .models import Signal

EXAMPLES = [
    ("bejegening", "goed", "werkplein", "De medewerker bij de balie nam echt de tijd voor mij. Ze legde rustig uit welke papieren ik nog moest brengen."),
    ("bejegening", "beter", "gemeente", "Ik voelde me niet serieus genomen. Mijn klantmanager keek de hele tijd op haar telefoon tijdens het gesprek."),
    ("communicatie", "beter", "uwv", "De brief over mijn uitkering was heel moeilijk. Ik snapte niet wat ik moest doen en voor wanneer."),
    ("communicatie", "beter", "gemeente", "Ik kreeg twee brieven die elkaar tegenspraken. Niemand kon mij aan de telefoon vertellen welke klopte."),
    ("communicatie", "goed", "werkplein", "Fijn dat er nu een folder is in makkelijke taal over de bijstand. Mijn buurvrouw begreep het ook meteen."),
    ("deskundigheid", "beter", "uwv", "De adviseur wist niet hoe het zat met parttime werken naast mijn WW. Ik kreeg drie verschillende antwoorden."),
    ("werk", "goed", "werkplein", "Via de werkgever-dag heb ik een proefplaatsing gekregen bij een groenbedrijf. Daar ben ik heel blij mee."),
    ("werk", "beter", "gemeente", "Ik wil graag een cursus doen om weer aan het werk te komen, maar ik hoor al maanden niets."),
    ("uitkering", "beter", "gemeente", "Mijn uitkering kwam twee weken te laat. Ik moest geld lenen voor de huur."),
    ("uitkering", "beter", "uwv", "Ik moest alles opnieuw invullen omdat het systeem mijn gegevens kwijt was."),
    ("bereikbaarheid", "beter", "werkplein", "Het Werkplein is op vrijdag dicht en de telefoon wordt niet opgenomen. Ik werk doordeweeks."),
    ("bereikbaarheid", "goed", "uwv", "Ik werd binnen een dag teruggebeld, zoals beloofd."),
    ("anders", "beter", "anders", "De wachtruimte is te klein. Er was geen plek om te zitten met mijn rollator."),
]


def demo_signals(region: DemoRegion) -> None:
    """Forty signals over the last three months, some already triaged."""
    rng = random.Random(2026)  # the same demo every time
    municipalities = [o for o in region.organisations.values() if o.kind == "gemeente"]
    secretary = region.users["secretaris@example.org"]
    now = utcnow()
    for n in range(40):
        category, sentiment, kind, text = EXAMPLES[n % len(EXAMPLES)]
        created = now - timedelta(days=rng.randint(0, 90), hours=rng.randint(0, 12))
        signal = Signal(reference=rules.format_reference(created.year, n + 1), created_at=created, category=category,
                        sentiment=sentiment, organisation_kind=kind, description=text,
                        municipality=rng.choice(municipalities + [None]),
                        source=rng.choice(["online", "online", "online", "telefoon", "spreekuur"]),
                        status=rules.NEW)  # set now: the moves below start from it
        if n == 0:  # one visitor asked to be called back
            signal.contact_name, signal.contact_phone = "Fatima Yilmaz", "06 12345678"
            signal.consent_at, signal.consent_version = created, rules.CONSENT_VERSION
        logic.new_follow_token(signal)  # each came through the form; the links went to the visitors
        db.session.add(signal)
        if n % 3 == 0:
            logic.set_status(signal, secretary, rules.IN_PROGRESS)
        if n % 6 == 0:
            logic.set_status(signal, secretary, rules.DONE, note="Besproken met het Werkplein.")
