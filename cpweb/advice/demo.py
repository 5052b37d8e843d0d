"""Demo advice dossiers of the sounding-board group, written for cpweb."""
from datetime import timedelta

from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import local_today
from ..demo import DemoRegion
from . import logic, rules

# What the public reads on 'Onze adviezen' about the dossier that is on the website.
PUBLIC_SUMMARY = ("Veel mensen begrepen de brief over de energietoeslag niet. Wij vroegen de gemeente om de brief "
                  "in eenvoudige taal te schrijven. De gemeente deed dat, en testte de nieuwe brief met ons.")
DOSSIERS = [
    # (title, kind, topic, addressee, days ago requested, deadline in days, steps)
    ("Brieven over de energietoeslag in eenvoudige taal", "ongevraagd", "communicatie", "Gemeente Tilburg", 120, None,
     [(rules.PREPARING, {}), (rules.SENT, {"sent_on": 90}), (rules.RESPONDED, {"response_on": 50, "reasons_given": True,
      "response_summary": "De gemeente past de brief aan en test hem met de klankbordgroep."}),
      (rules.DONE, {"outcome": rules.ADOPTED})]),
    ("Bereikbaarheid van het Werkplein op vrijdag", "ongevraagd", "bejegening", "Werkplein Hart van Brabant", 70, None,
     [(rules.PREPARING, {}), (rules.SENT, {"sent_on": 60})]),
    ("Reactie op het ketenjaarplan", "gevraagd", "beleid", "UWV", 20, 10, [(rules.PREPARING, {})]),
    ("Ervaringen met re-integratietrajecten", "ongevraagd", "re-integratie", "Gemeente Dongen", 5, None, []),
]


def demo_advice(region: DemoRegion) -> None:
    today = local_today()
    body = region.bodies["klankbordgroep-werkplein"]
    secretary = region.users["secretaris@example.org"]
    drafters = [region.users["lid@example.org"], region.users["mohamed@example.org"]]
    for title, kind, topic, addressee, ago, deadline, steps in DOSSIERS:
        organisation = region.organisations[addressee]
        advice = logic.save_advice(None, {
            "body_id": body.id, "title": title, "kind": kind, "topic": topic, "addressee_id": organisation.id,
            "addressee_text": "", "summary": "Wat wij van klanten hoorden, en wat wij voorstellen.",
            "requested_on": today - timedelta(days=ago),
            "deadline": today + timedelta(days=deadline) if deadline is not None else None}, drafters, secretary)
        for target, fields in steps:
            dated = {k: today - timedelta(days=v) if k.endswith("_on") else v for k, v in fields.items()}
            assert logic.take_step(advice, target, dated, secretary) is None
        if advice.status == rules.DONE:
            advice.published_at, advice.public_summary = utcnow(), PUBLIC_SUMMARY
    db.session.flush()
