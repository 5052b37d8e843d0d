"""Demo activities in and around the region, written for cpweb."""
from datetime import time, timedelta

from ..core.extensions import db
from ..core.i18n import local_today
from ..demo import DemoRegion
from . import logic, rules
from .models import Signup

EXAMPLES = [
    # (days from today, days long, title, kind, organiser, scope, audience, capacity, description)
    (9, 1, "Training: het werkboek arbeidsmarktbeleid", "training", "lcr", "landelijk", rules.MEMBERS, 12,
     "Een ochtend oefenen met het werkboek. We lezen samen een beleidsplan en schrijven een kort advies."),
    (16, 1, "Kennismaking met de districtscliëntenraad", "kennismaking", "uwv", "regionaal", rules.MEMBERS, 2,
     "Twee leden van onze klankbordgroep praten met de districtscliëntenraad van UWV."),
    (23, 1, "Informatieavond: de nieuwe Participatiewet", "informatie", "gemeente", "lokaal", rules.EVERYONE, 40,
     "De gemeente legt uit wat er verandert. Iedereen is welkom, ook als u geen lid bent."),
    (37, 2, "Landelijke ontmoetingsdagen cliëntenraden", "overleg", "lcr", "landelijk", rules.MEMBERS, None,
     "Twee dagen met workshops en ontmoetingen met cliëntenraden uit het hele land."),
    (51, 1, "Open dag Werkplein", "werkbezoek", "anders", "regionaal", rules.EVERYONE, None,
     "Kijk achter de schermen van het Werkplein. Aanmelden is niet nodig, maar wel fijn."),
    (-20, 1, "Werkbezoek aan het leerwerkbedrijf", "werkbezoek", "gemeente", "regionaal", rules.MEMBERS, 10,
     "We bekeken hoe mensen met een uitkering er werkervaring opdoen."),
]


def demo_activities(region: DemoRegion) -> None:
    today = local_today()
    members = list(region.users.values())
    for days, length, title, kind, organiser, scope, audience, capacity, description in EXAMPLES:
        day = today + timedelta(days=days)
        activity = logic.save_activity(None, {
            "title": title, "description": description, "kind": kind, "organiser": organiser,
            "organiser_name": "Werkplein Hart van Brabant" if organiser == "anders" else "", "scope": scope,
            "day": day, "start": time(10, 0), "end_day": day + timedelta(days=length - 1), "end": time(15, 30),
            "location": "Werkplein, Stationsstraat 1", "online_url": "", "external_url": "", "audience": audience,
            "capacity": capacity, "signup_deadline": day - timedelta(days=2) if capacity else None,
            "contact": "Henk Janssen (secretaris)"}, bodies=[])
        db.session.flush()
        taken = min(len(members), (capacity or 4) + (1 if capacity == 2 else 0))
        for n, member in enumerate(members[:taken]):
            status = rules.new_place_status(capacity, n)
            db.session.add(Signup(activity_id=activity.id, user_id=member.id, status=status))
        if audience == rules.EVERYONE and capacity:
            db.session.add(Signup(activity_id=activity.id, guest_name="Demo Gast", guest_email="gast@example.org",
                                  status=rules.CONFIRMED))
        if days < 0:
            activity.report = "We zagen hoe het leerwerkbedrijf werkt. **Tip**: vraag naar de begeleiding na zes maanden."
