"""A starter handbook for the demo, written for cpweb in plain Dutch (B1)."""
from ..core.extensions import db
from ..demo import DemoRegion
from . import logic

# (chapter title, chapter text, [(page title, page text), ...])
CHAPTERS = [
    ("Zo werkt de raad", """
Welkom bij de raad. In dit hoofdstuk leest u wat de raad doet. U leest ook wie erin zitten en hoe vaak we vergaderen.

Heeft u een vraag? Stel die gerust aan de secretaris of de voorzitter.
""", [
        ("Wat doet een cliëntenraad?", """
Een cliëntenraad is een groep vrijwilligers. Zij praten mee namens mensen die een uitkering hebben of werk zoeken.

Wij letten op hoe de gemeente en UWV met hun klanten omgaan. Wat gaat goed? Wat kan beter?

## Wat doen we?

- We geven **advies** aan de gemeente en UWV. Soms vragen zij erom. Soms geven we het uit onszelf.
- We luisteren naar **signalen**: ervaringen van klanten, goed of slecht.
- We praten met medewerkers en met het management van het Werkplein.

## Wat doen we niet?

We helpen geen klanten met hun eigen zaak. Iemand met een probleem over de eigen uitkering verwijzen we door. Bijvoorbeeld naar de klantmanager of de ombudsman.
"""),
        ("Wie zit er in de raad?", """
In de raad zitten mensen die zelf ervaring hebben met een uitkering of met werk zoeken. Die ervaring is heel belangrijk. Daardoor weten we wat klanten meemaken.

## De rollen

- **De voorzitter** leidt de vergadering en is het gezicht van de raad.
- **De secretaris** maakt de agenda, verstuurt de stukken en schrijft het verslag. Stukken zijn de papieren voor de vergadering.
- **De leden** lezen de stukken, praten mee en nemen besluiten.

Nieuwe leden krijgen een maatje. Dat is een ervaren lid. U kunt hem of haar alles vragen.
"""),
        ("Hoe vaak vergaderen we?", """
We vergaderen ongeveer één keer per maand. De data staan in de agenda op deze website.

## Voor de vergadering

- U krijgt de agenda en de stukken een week van tevoren.
- Lees de stukken rustig door. Schrijf uw vragen op.
- Kunt u niet komen? Laat het de secretaris weten. Dat kan met één klik bij de vergadering.

## Na de vergadering

De secretaris schrijft een verslag. In de volgende vergadering stellen we het verslag vast. Dat betekent: we zijn het eens dat het klopt.
"""),
    ]),
    ("Afspraken met het Werkplein", """
De raad heeft afspraken gemaakt met het Werkplein. Het Werkplein is het kantoor waar de gemeente en UWV samen klanten helpen. De afspraken staan in een convenant. Dat is een soort contract.
""", [
        ("Hoe vaak praten we met elkaar?", """
In het convenant staat hoe vaak we met het Werkplein praten.

- **Vier keer per jaar** is er overleg tussen de raad en de manager van het Werkplein.
- **Twee ambassadeurs** van de raad praten **drie keer per jaar** met het management. Zij brengen op wat de raad ziet en hoort.
- Eén keer per jaar kijken we samen terug. Wat ging goed? Wat spreken we af voor het nieuwe jaar?

Gaat een overleg niet door? Dan plannen we binnen een maand een nieuwe datum.
"""),
        ("Welke informatie wisselen we uit?", """
Goed advies geven kan alleen als we goede informatie hebben. Daarom staat in het convenant wat we van elkaar krijgen.

## Wat krijgt de raad?

- Plannen en nieuw beleid, op tijd. Dan kunnen we er nog iets van vinden.
- Cijfers over klanten, zonder namen.
- Het antwoord op ons advies, op papier.

## Wat geeft de raad?

- Een overzicht van de signalen: wat voor signalen en hoeveel. Nooit met namen.
- Onze adviezen.
- Een jaarverslag.
"""),
    ]),
    ("Signalen", """
Een signaal is een ervaring van een klant. Het kan goed of slecht zijn. Signalen laten zien wat er echt gebeurt. Daarom zijn ze zo belangrijk voor de raad.
""", [
        ("Hoe neemt u een signaal aan?", """
Soms vertelt iemand u iets over het Werkplein. Bijvoorbeeld in de wachtkamer of op een verjaardag. Zo pakt u dat aan:

1. Luister goed. Laat de persoon uitpraten.
2. Schrijf op wat er gebeurde. Gebruik de woorden van de persoon zelf.
3. Vraag of de persoon een reactie wil. Zo ja: vraag hoe we hem of haar kunnen bereiken.
4. Zet het signaal op de website, via ‘Signaal doorgeven’.

## Anoniem

Een signaal is **anoniem**. Dat betekent: zonder naam. We geven een naam alleen door als de persoon daar toestemming voor geeft. Vraag dat altijd eerst.

Beloof niets wat u niet kunt waarmaken. U kunt zeggen: ‘De raad kijkt ernaar. We kunnen uw eigen zaak niet oplossen.’
"""),
        ("Wat gebeurt er met een signaal?", """
Elk signaal komt bij de secretaris. Die kijkt er binnen een week naar.

- Past het signaal bij eerdere signalen? Dan zien we misschien een patroon.
- Een patroon bespreken we in de vergadering.
- Soms maken we er een advies van.

Eén keer per kwartaal sturen we een overzicht naar het management. Daarin staat alleen wat voor signalen we kregen en hoeveel. Er staan geen namen in.
"""),
    ]),
    ("Advies geven", """
Advies geven is de belangrijkste taak van de raad. De wet zegt dat de gemeente de raad moet betrekken bij beleid over werk en inkomen.

## Gevraagd en ongevraagd advies

Er zijn twee soorten advies.

- **Gevraagd advies**: de gemeente of UWV vraagt ons om een mening. Bijvoorbeeld over een nieuw plan.
- **Ongevraagd advies**: wij geven uit onszelf advies. Bijvoorbeeld omdat we veel dezelfde signalen krijgen.

Beide soorten zijn even belangrijk. Een ongevraagd advies laat zien dat de raad zelf goed oplet.
""", [
        ("Van idee tot reactie", """
Zo gaat een advies, stap voor stap:

1. **Idee of vraag.** Er komt een vraag binnen, of een lid heeft een idee.
2. **Voorbereiden.** Twee of drie leden schrijven een concept. Zij gebruiken signalen en eigen ervaring.
3. **Bespreken.** De raad bespreekt het concept in de vergadering.
4. **Versturen.** De secretaris stuurt het advies als brief.
5. **Reactie.** De gemeente moet **schriftelijk** reageren. Zij moet ook uitleggen **waarom** zij een advies niet overneemt.
6. **Nagesprek.** Soms praten we daarna nog over de reactie.

Komt er na zes weken geen reactie? Dan vraagt de secretaris ernaar.
"""),
    ]),
]

# The page with two revisions: the first version, later made clearer.
FIRST_VERSION = """
Elk signaal komt bij de secretaris.

- Past het signaal bij eerdere signalen? Dan zien we misschien een patroon.
- Een patroon bespreken we in de vergadering.
"""


def demo_handbook(region: DemoRegion) -> None:
    author = region.users.get("secretaris@example.org") or next(iter(region.users.values()), None)
    for chapter_title, chapter_text, pages in CHAPTERS:
        chapter = logic.save_page(None, title=chapter_title, text=chapter_text.strip(), user=author)
        for title, text in pages:
            if title == "Wat gebeurt er met een signaal?":
                page = logic.save_page(None, title=title, text=FIRST_VERSION.strip(), user=author,
                                       parent_id=chapter.id, note="Eerste versie")
                logic.save_page(page, title=title, text=text.strip(), user=author, parent_id=chapter.id,
                                note="Termijn en het overzicht voor het management toegevoegd")
            else:
                logic.save_page(None, title=title, text=text.strip(), user=author, parent_id=chapter.id)
    db.session.flush()
