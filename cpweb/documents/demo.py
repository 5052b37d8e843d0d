"""Demo documents, written for cpweb: plain-text and Markdown files, some of them public."""
import io
from datetime import timedelta

from werkzeug.datastructures import FileStorage

from ..core.database import utcnow
from ..core.i18n import local_today
from ..demo import DemoRegion
from ..meetings import logic as meetings_logic
from ..meetings import stukken
from . import logic, places
from .models import BODY, MEMBERS, PUBLIC

# (title, category, tags, body slug or None, visibility, file name, text); {last_year} and
# {next_year} in them are filled in around the year the demo is loaded.
DOCUMENTS = [
    ("Werkboek arbeidsmarktbeleid voor cliëntenraden", "werkboek", "arbeidsmarkt, re-integratie", None, PUBLIC,
     "werkboek-arbeidsmarktbeleid.md",
     "# Werkboek arbeidsmarktbeleid\n\nDit werkboek helpt de cliëntenraad om mee te praten over het "
     "arbeidsmarktbeleid van de regio.\n\n## Stap 1: wat wil de gemeente?\n\nLees het beleidsplan. "
     "Schrijf op welke groepen werkzoekenden genoemd worden.\n\n## Stap 2: wat horen wij?\n\nVerzamel "
     "signalen van cliënten over werk zoeken, scholing en proefplaatsingen."),
    ("Checklist voor een goed gesprek met de klantmanager", "checklist", "klantmanager, gesprek", None, PUBLIC,
     "checklist-gesprek.txt",
     "Checklist voor een goed gesprek\n\n- Krijgt u de uitnodiging op tijd?\n- Weet u waar het gesprek over "
     "gaat?\n- Mag u iemand meenemen?\n- Krijgt u na afloop op papier wat is afgesproken?"),
    ("Brief aan de wethouder over de bereikbaarheid van het Werkplein", "brief", "bereikbaarheid",
     "klankbordgroep-werkplein", MEMBERS, "brief-bereikbaarheid.txt",
     "Geachte wethouder,\n\nDe klankbordgroep hoort vaak dat het Werkplein op vrijdag slecht bereikbaar is. "
     "Mensen die doordeweeks werken, kunnen dan niemand spreken. Wij vragen u om een avondspreekuur."),
    ("Verslag overleg met het management van het Werkplein", "verslag", "overleg, management",
     "ambassadeurs", BODY, "verslag-overleg-management.md",
     "# Verslag overleg management\n\nAanwezig: de ambassadeurs en de manager dienstverlening.\n\n"
     "Besproken: de wachttijden aan de balie, de nieuwe folder over de bijstand en de signalen van het "
     "afgelopen kwartaal."),
    ("Ketenjaarplan {next_year}: concept", "jaarplan", "jaarplan, keten", "klankbordgroep-werkplein", BODY,
     "ketenjaarplan-{next_year}-concept.md",
     "# Ketenjaarplan {next_year} (concept)\n\nDe gemeenten en UWV willen in {next_year} meer mensen met een "
     "arbeidsbeperking aan werk helpen. De klankbordgroep geeft advies over dit plan."),
    ("Uitkomsten klanttevredenheidsonderzoek", "onderzoek", "tevredenheid, onderzoek", None, PUBLIC,
     "klanttevredenheid-uitkomsten.csv",
     "vraag;tevreden;niet tevreden\nBereikbaarheid;61;39\nDuidelijkheid van brieven;48;52\n"
     "Bejegening aan de balie;82;18\n"),
    ("Advies over begrijpelijke brieven", "advies", "brieven, taal", "werkgroep-communicatie", MEMBERS,
     "advies-begrijpelijke-brieven.md",
     "# Advies over begrijpelijke brieven\n\nDe werkgroep las twintig brieven mee. Veel brieven zijn te "
     "moeilijk. Ons advies: schrijf op taalniveau B1, zet bovenaan wat iemand moet doen, en noem een "
     "telefoonnummer waar iemand echt opneemt."),
    ("Huishoudelijk reglement van de cliëntenraad", "overig", "reglement", "clientenraad-dongen", MEMBERS,
     "huishoudelijk-reglement.txt",
     "Huishoudelijk reglement\n\nArtikel 1. De cliëntenraad vergadert minstens zes keer per jaar.\n"
     "Artikel 2. Besluiten worden genomen met meerderheid van stemmen."),
    ("Welkom in de klankbordgroep: informatie voor nieuwe leden", "overig", "nieuwe leden, welkom", None, PUBLIC,
     "welkom-nieuwe-leden.md",
     "# Welkom!\n\nFijn dat u meedoet. In de klankbordgroep praten we over de dienstverlening van het "
     "Werkplein. U krijgt een vrijwilligersvergoeding en reiskosten."),
    ("Verslag vergadering cliëntenraad maart", "verslag", "vergadering", "clientenraad-dongen", BODY,
     "verslag-maart.txt",
     "Verslag vergadering maart\n\nDe voorzitter opent de vergadering. Het verslag van februari wordt "
     "vastgesteld. De raad bespreekt het minimabeleid en de schuldhulpverlening."),
    ("Checklist toegankelijke bijeenkomst", "checklist", "toegankelijkheid", None, MEMBERS,
     "checklist-bijeenkomst.md",
     "# Checklist toegankelijke bijeenkomst\n\n- Is de zaal te bereiken met een rolstoel?\n- Is er een "
     "ringleiding?\n- Staan de stukken op tijd online?"),
    ("Jaarverslag klankbordgroep {last_year}", "verslag", "jaarverslag", "klankbordgroep-werkplein", PUBLIC,
     "jaarverslag-{last_year}.md",
     "# Jaarverslag {last_year}\n\nDe klankbordgroep vergaderde acht keer. We gaven drie gevraagde en twee "
     "ongevraagde adviezen. We ontvingen 140 signalen van cliënten."),
]


def demo_documents(region: DemoRegion) -> None:
    """Twelve documents of several kinds; five of them public."""
    secretary = region.users["secretaris@example.org"]
    now = utcnow()
    years = {"last_year": local_today().year - 1, "next_year": local_today().year + 1}
    for n, (title, category, tags, slug, visibility, filename, text) in enumerate(DOCUMENTS):
        upload = FileStorage(io.BytesIO(text.format(**years).encode()), filename=filename.format(**years))
        document = logic.store_upload(upload, title=title.format(**years), uploaded_by=secretary,
                                      body=region.bodies[slug] if slug else None, visibility=visibility,
                                      category_key=category, tags=tags)
        document.created_at = document.updated_at = now - timedelta(days=3 * (len(DOCUMENTS) - n))
        if title == STUK:
            _on_next_agenda(region, secretary, document)


# The klankbordgroep's next meeting has this stuk on its agenda, so its secretary can say the stukken are complete.
STUK = "Ketenjaarplan {next_year}: concept"


def _on_next_agenda(region: DemoRegion, secretary, document) -> None:
    meeting = meetings_logic.next_meeting_of(region.bodies["klankbordgroep-werkplein"].id, utcnow())
    item = next(item for item in meeting.items if item.presenter)  # the meeting's own topic, not a standard item
    places.attach(stukken.place_of(item), secretary, document_id=document.id, reuse="keep")
