"""The handbook: who reads and edits, revisions and their diffs, restoring, edit conflicts, moving, search."""
import pytest

from cpweb.core.extensions import db
from cpweb.core.privacy import register
from cpweb.handbook import logic, rules
from cpweb.handbook.models import HandbookPage, HandbookRevision
from cpweb.web.home import sections_for
from tests.conftest import count_queries
from tests.test_html_pages import problems


@pytest.fixture
def make_page(app, make_user):
    author = []

    def make(title="Wat doet de raad?", text="De raad geeft **advies**.", parent=None, **fields):
        if not author:
            author.append(make_user(role="secretaris", name="Henk Janssen"))
        page = logic.save_page(None, title=title, text=text, user=author[0],
                               parent_id=parent.id if parent else None, **fields)
        db.session.commit()
        return page

    return make


def page_data(**changes):
    data = {"title": "Vergaderen", "text": "We vergaderen elke maand.", "note": "", "parent": "", "slug": ""}
    data.update(changes)
    return data


# --- access ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/handboek/", "/handboek/p", "/handboek/p/versies", "/handboek/p/versies/1",
                                  "/handboek/zoeken?q=raad", "/handboek/nieuw", "/handboek/p/bewerken"])
def test_guests_are_sent_to_log_in(client, make_page, path):
    make_page(slug="p")
    response = client.get(path)
    assert response.status_code == 303 and "/inloggen" in response.headers["Location"]
    htmx = client.get(path, headers={"HX-Request": "true"})
    assert "/inloggen" in htmx.headers["HX-Redirect"]


@pytest.mark.parametrize("method, path", [("get", "/handboek/nieuw"), ("post", "/handboek/nieuw"),
                                          ("get", "/handboek/p/bewerken"), ("post", "/handboek/p/bewerken"),
                                          ("post", "/handboek/p/verplaatsen"), ("post", "/handboek/p/versies/1/terugzetten")])
def test_members_read_but_cannot_edit(client, auth, make_page, method, path):
    make_page(slug="p")
    auth.login(role="lid")
    assert getattr(client, method)(path, data=page_data(richting="up")).status_code == 403
    assert db.session.scalar(db.select(HandbookPage).filter_by(slug="p")).revision == 1


def test_member_reads_contents_page_and_history(client, auth, make_page):
    chapter = make_page(title="Zo werkt de raad", text="Welkom.")
    page = make_page(title="Wie zit er in de raad?", text="De voorzitter **leidt**.", parent=chapter)
    after = make_page(title="Signalen", text="Een signaal is een ervaring.")
    auth.login()
    contents = client.get("/handboek/").text
    assert contents.index("Zo werkt de raad") < contents.index("Wie zit er in de raad?") < contents.index("Signalen")
    assert "Omhoog" not in contents and "Pagina toevoegen" not in contents
    html = client.get(f"/handboek/{page.slug}").text
    assert "<strong>leidt</strong>" in html
    assert f'href="/handboek/{chapter.slug}"' in html and 'aria-current="page"' in html  # breadcrumb
    assert f'href="/handboek/{chapter.slug}" rel="prev"' in html and f'href="/handboek/{after.slug}" rel="next"' in html
    assert "Pagina bewerken" not in html and 'class="inline-list no-print"' in html
    assert "Wie zit er in de raad?" in client.get(f"/handboek/{chapter.slug}").text  # the chapter lists its pages
    assert "Henk Janssen" in client.get(f"/handboek/{page.slug}/versies").text
    assert client.get("/handboek/bestaat-niet").status_code == 404
    assert client.get(f"/handboek/{page.slug}/versies/2").status_code == 404


# --- writing ---------------------------------------------------------------------------------------

def test_secretary_adds_and_edits_a_page_with_revisions(client, auth, make_page):
    chapter = make_page(title="Zo werkt de raad")
    user = auth.login(role="secretaris")
    response = client.post("/handboek/nieuw", data=page_data(parent=str(chapter.id), note="Eerste opzet"))
    assert response.status_code == 303 and response.headers["Location"] == "/handboek/vergaderen"
    page = db.session.scalar(db.select(HandbookPage).filter_by(slug="vergaderen"))
    assert (page.parent_id, page.revision, page.updated_by_id) == (chapter.id, 1, user.id)
    response = client.post("/handboek/vergaderen/bewerken",
                           data=page_data(text="We vergaderen elke maand.\nOp dinsdag.", note="Dag erbij",
                                          parent=str(chapter.id), base_revision="1"))
    assert response.status_code == 303
    revisions = logic.revisions(page)
    assert [(r.number, r.note, r.author_id) for r in revisions] == [(2, "Dag erbij", user.id), (1, "Eerste opzet", user.id)]
    diff = client.get("/handboek/vergaderen/versies/2").text
    assert "<ins><span class=\"visually-hidden\">Nieuw: </span>Op dinsdag.</ins>" in diff
    assert "Versie 1 terugzetten" in client.get("/handboek/vergaderen/versies/1").text
    assert "terugzetten" not in client.get("/handboek/vergaderen/versies/2").text  # the current one


def test_edit_form_shows_the_current_text_and_revision(client, auth, make_page):
    page = make_page(text="Oude tekst")
    auth.login(role="secretaris")
    html = client.get(f"/handboek/{page.slug}/bewerken").text
    assert 'name="base_revision" value="1"' in html and "Oude tekst</textarea>" in html


@pytest.mark.parametrize("data, message", [
    (page_data(title=""), "Vul een titel in."),
    (page_data(title="x" * 300), "Gebruik hoogstens 200 tekens."),
    (page_data(slug="Geen goed adres!"), "Gebruik alleen kleine letters, cijfers en streepjes"),
    (page_data(slug="nieuw"), "Een andere pagina heeft dit webadres al."),
    (page_data(slug="bestaand"), "Een andere pagina heeft dit webadres al."),
    (page_data(parent="9999"), "Kies een van de mogelijkheden in de lijst."),
])
def test_bad_input_keeps_what_was_typed(client, auth, make_page, data, message):
    make_page(slug="bestaand")
    auth.login(role="secretaris")
    response = client.post("/handboek/nieuw", data=data)
    assert response.status_code == 422
    assert message in response.text and "<title>Fout:" in response.text
    assert "We vergaderen elke maand.</textarea>" in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(HandbookPage)) == 1


def test_a_page_cannot_take_the_address_of_another_or_sit_inside_itself(client, auth, make_page):
    first = make_page(slug="eerste")
    second = make_page(title="Tweede", parent=first)
    auth.login(role="secretaris")
    response = client.post(f"/handboek/{second.slug}/bewerken", data=page_data(slug="eerste", base_revision="1"))
    assert response.status_code == 422 and "Een andere pagina heeft dit webadres al." in response.text
    response = client.post("/handboek/eerste/bewerken", data=page_data(parent=str(second.id), base_revision="1"))
    assert response.status_code == 422  # its own child is not on the list
    assert f'<option value="{second.id}"' not in client.get("/handboek/eerste/bewerken").text


def test_markdown_with_scripts_and_javascript_links_is_made_harmless(client, auth, make_page):
    page = make_page(text='<script>alert(1)</script>\n\n[klik](javascript:alert(2)) <img src=x onerror="alert(3)">')
    auth.login()
    html = client.get(f"/handboek/{page.slug}").text
    main = html[html.index("<h1>"):]
    assert "<script>alert" not in main and "javascript:" not in main and "onerror" not in main
    diff = client.get(f"/handboek/{page.slug}/versies/1").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in diff and "<script>alert" not in diff


# --- conflicts -------------------------------------------------------------------------------------

def test_a_stale_edit_shows_both_texts_and_saves_only_when_confirmed(client, auth, make_page, make_user):
    page = make_page(text="Regel een\nRegel twee")
    other = make_user(role="secretaris", name="Fatima Bakker")
    logic.save_page(page, title="Nieuwe titel", text="Regel een\nRegel twee, van Fatima", user=other)
    db.session.commit()
    auth.login(role="secretaris")
    mine = page_data(title="Wat doet de raad?", text="Regel een\nRegel twee, van mij", base_revision="1")
    response = client.post(f"/handboek/{page.slug}/bewerken", data=mine)
    assert response.status_code == 409
    html = response.text
    assert "Iemand anders heeft deze pagina ook veranderd" in html and "Fatima Bakker" in html
    assert "Regel twee, van mij</textarea>" in html  # what the user typed
    assert "<del><span class=\"visually-hidden\">Weg: </span>Regel twee, van Fatima</del>" in html  # the diff
    assert 'name="base_revision" value="2"' in html and "Mijn versie opslaan" in html
    assert "De titel is nu ‘Nieuwe titel’. Uw titel is ‘Wat doet de raad?’." in html
    assert problems(html) == []
    assert db.session.get(HandbookPage, page.id).revision == 2  # nothing saved yet
    response = client.post(f"/handboek/{page.slug}/bewerken", data={**mine, "base_revision": "2"})
    assert response.status_code == 303
    page = db.session.get(HandbookPage, page.id)
    assert (page.revision, page.text) == (3, "Regel een\nRegel twee, van mij")
    assert logic.find_revision(page, 2).text.endswith("van Fatima")  # nothing lost


def test_an_edit_without_a_starting_revision_is_a_conflict(client, auth, make_page):
    page = make_page()
    auth.login(role="secretaris")
    response = client.post(f"/handboek/{page.slug}/bewerken", data=page_data(base_revision="iets"))
    assert response.status_code == 409


# --- restoring -------------------------------------------------------------------------------------

def test_restore_adds_a_revision_and_keeps_history(client, auth, make_page):
    page = make_page(title="Eerst", text="Eerste tekst")
    auth.login(role="secretaris")
    client.post(f"/handboek/{page.slug}/bewerken", data=page_data(title="Later", text="Tweede tekst", base_revision="1"))
    response = client.post(f"/handboek/{page.slug}/versies/1/terugzetten")
    assert response.status_code == 303
    page = db.session.get(HandbookPage, page.id)
    assert (page.revision, page.title, page.text) == (3, "Eerst", "Eerste tekst")
    assert [r.text for r in logic.revisions(page)] == ["Eerste tekst", "Tweede tekst", "Eerste tekst"]
    assert logic.revisions(page)[0].note == "Versie 1 teruggezet"
    assert client.post(f"/handboek/{page.slug}/versies/9/terugzetten").status_code == 404
    assert client.post("/handboek/bestaat-niet/versies/1/terugzetten").status_code == 404


# --- moving ----------------------------------------------------------------------------------------

def test_move_with_htmx_and_without(client, auth, make_page):
    first, second, third = make_page(title="Een"), make_page(title="Twee"), make_page(title="Drie")
    auth.login(role="secretaris")
    response = client.post(f"/handboek/{third.slug}/verplaatsen", data={"richting": "up"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text and 'id="contents"' in response.text
    assert response.text.index("Drie") < response.text.index("Twee")
    response = client.post(f"/handboek/{first.slug}/verplaatsen", data={"richting": "down"})
    assert response.status_code == 303 and response.headers["Location"].startswith("/handboek/#pagina-")
    titles = [node.page.title for node in logic.outline().order]
    assert titles == ["Drie", "Een", "Twee"]
    client.post(f"/handboek/{third.slug}/verplaatsen", data={"richting": "up"})  # already first: nothing changes
    assert [node.page.title for node in logic.outline().order] == ["Drie", "Een", "Twee"]
    assert client.post(f"/handboek/{third.slug}/verplaatsen", data={"richting": "opzij"}).status_code == 400


def test_contents_page_for_htmx_is_the_contents_block(client, auth, make_page):
    make_page()
    auth.login()
    assert "<html" in client.get("/handboek/").text
    fragment = client.get("/handboek/", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and fragment.lstrip().startswith('<section id="contents"')


# --- search ----------------------------------------------------------------------------------------

def test_search_finds_prefixes_without_accents_and_marks_them(client, auth, make_page):
    make_page(title="Cliëntenraad", text="Een <b>cliëntenraad</b> geeft advies aan de gemeente.")
    make_page(title="Signalen", text="Over signalen.")
    results = logic.search_pages("clienten", 10)
    assert [page.title for page, _snippet in results] == ["Cliëntenraad"]
    snippet = str(results[0][1])
    assert "<mark>cliëntenraad</mark>" in snippet and "&lt;b" in snippet and "<b>" not in snippet
    assert [p.title for p, _s in logic.search_pages("advies gemeen", 10)] == ["Cliëntenraad"]
    assert logic.search_pages('"* OR ) NEAR(', 10) == []  # FTS syntax typed by a person breaks nothing
    assert logic.search_pages("", 10) == []
    auth.login()
    html = client.get("/handboek/zoeken?q=signa").text
    assert "1 pagina gevonden" in html and "<mark>signalen</mark>" in html
    assert client.get("/handboek/zoeken?q=" + "x" * 201).status_code == 422


def test_search_index_follows_edits_and_restores(app, make_page, make_user):
    page = make_page(title="Vergaderen", text="We vergaderen op dinsdag.")
    user = make_user(role="secretaris")
    logic.save_page(page, title="Vergaderen", text="We vergaderen op donderdag.", user=user)
    db.session.commit()
    assert logic.search_pages("dinsdag", 5) == [] and len(logic.search_pages("donderdag", 5)) == 1
    logic.restore(page, logic.find_revision(page, 1), user)
    db.session.commit()
    assert len(logic.search_pages("dinsdag", 5)) == 1


# --- the rest --------------------------------------------------------------------------------------

def test_line_diff_leaves_out_long_unchanged_stretches():
    old = "\n".join(f"regel {n}" for n in range(20))
    new = old.replace("regel 10", "regel tien")
    rows = logic.line_diff(old, new)
    assert [r.kind for r in rows].count("gap") == 2
    assert [(r.kind, r.text) for r in rows if r.kind in ("del", "ins")] == [("del", "regel 10"), ("ins", "regel tien")]
    assert logic.line_diff("zelfde", "zelfde") == []


def test_slugs():
    assert rules.slugify("Wat doet een cliëntenraad?") == "wat-doet-een-clientenraad"
    assert rules.slugify("!!!") == "pagina"


def test_pages_cost_a_constant_number_of_queries(client, auth, make_page):
    chapter = make_page(title="Hoofdstuk")
    page = make_page(title="Pagina", parent=chapter)
    auth.login()
    small = {url: count_queries(client, url) for url in ("/handboek/", f"/handboek/{page.slug}",
                                                           f"/handboek/{page.slug}/versies")}
    for n in range(10):
        extra = make_page(title=f"Hoofdstuk {n}")
        make_page(title=f"Pagina {n}", parent=extra)
        logic.save_page(page, title="Pagina", text=f"versie {n}", user=None, parent_id=chapter.id)
    db.session.commit()
    assert {url: count_queries(client, url) for url in small} == small


def test_home_section_and_privacy_register(app, make_page, make_user, client, auth):
    for title in ("Een", "Twee", "Drie", "Vier"):
        make_page(title=title)
    member = make_user()
    template, context = next(s for s in sections_for(member) if s[0] == "handbook/_home.html")
    assert [p.title for p in context["pages"]] == ["Vier", "Drie", "Twee"]
    auth.login(member)
    assert "Nieuw in het handboek" in client.get("/").text
    assert any(str(entry.name) == "Handboek voor leden" for entry in register())


def test_demo_handbook(app):
    from cpweb.demo import load_demo

    load_demo()
    pages = db.session.scalars(db.select(HandbookPage)).all()
    assert 8 <= len(pages) <= 12
    assert db.session.scalar(db.select(db.func.max(HandbookRevision.number))) == 2
    assert len(logic.search_pages("ambassadeurs", 5)) == 1
