"""The annual report: its numbers agree with the records they come from, over generated data."""
import io
import os
import random
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from docx import Document

from cpweb.activities import rules as activity_rules
from cpweb.activities.annual import year_numbers as activity_numbers
from cpweb.activities.models import Activity, Signup
from cpweb.advice import logic as advice_logic
from cpweb.advice import rules as advice_rules
from cpweb.advice.models import Advice
from cpweb.annual_report.word import column_widths
from cpweb.core.annual import sections_for
from cpweb.core.database import utcnow
from cpweb.core.extensions import db
from cpweb.core.i18n import AMSTERDAM
from cpweb.meetings import rules as meeting_rules
from cpweb.meetings.annual import year_numbers as meeting_numbers
from cpweb.meetings.models import Attendance, Commitment, Meeting

YEAR = utcnow().year - 1  # a whole year in the past: nothing is still planned


@pytest.fixture
def generated(app, make_body, make_user):
    """Meetings, attendance, advice and activities spread over the year before, this year and the one before that."""
    rng = random.Random(11)
    bodies = [make_body("Klankbordgroep Participatiewet"), make_body()]
    users = [make_user(bodies=bodies) for _ in range(4)]
    db.session.add(Commitment(body_id=bodies[0].id, kind="regular", times_per_year=8, label="8 keer"))
    for n in range(60):
        start = datetime(YEAR - 1, 12, 1, 18, tzinfo=UTC) + timedelta(days=rng.randint(0, 420), hours=rng.randint(0, 5))
        meeting = Meeting(body_id=rng.choice(bodies).id, title=f"V{n}", starts_at=start, ends_at=start + timedelta(hours=2),
                          status=rng.choice([meeting_rules.PLANNED, meeting_rules.HELD, meeting_rules.CANCELLED]),
                          published_at=start)
        db.session.add(meeting)
        db.session.flush()
        for user in users:
            db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id, present=rng.choice([True, False, None])))
    for n in range(40):
        sent = date(YEAR, 1, 1) + timedelta(days=rng.randint(-60, 420))
        done = rng.random() < 0.5
        db.session.add(Advice(body_id=rng.choice(bodies).id, title=f"Advies over de bijstandsnorm {n}",
                              addressee_text="Wethouder Werkgelegenheidsbevordering", kind=rng.choice(list(advice_rules.KINDS)),
                              topic="beleid", status=advice_rules.DONE if done else advice_rules.SENT, sent_on=sent,
                              response_on=sent + timedelta(days=rng.randint(5, 60)) if done else None,
                              outcome=rng.choice(list(advice_rules.OUTCOMES)) if done else None))
    for n in range(30):
        start = datetime(YEAR, 1, 1, 9, tzinfo=UTC) + timedelta(days=rng.randint(-40, 400))
        activity = Activity(title=f"Act{n}", kind=rng.choice(list(activity_rules.KINDS)), organiser="lcr", scope="regionaal",
                            starts_at=start, ends_at=start + timedelta(hours=3),
                            status=rng.choice([activity_rules.PUBLISHED, activity_rules.CANCELLED]))
        db.session.add(activity)
        db.session.flush()
        for user in users:
            db.session.add(Signup(activity_id=activity.id, user_id=user.id,
                                  status=rng.choice([activity_rules.CONFIRMED, activity_rules.WAITING])))
        for guest in range(rng.randint(0, 3)):
            db.session.add(Signup(activity_id=activity.id, guest_name=f"Gast {guest}", guest_email=f"gast{guest}@example.org",
                                  status=rng.choice([activity_rules.CONFIRMED, activity_rules.WAITING])))
    db.session.commit()
    return bodies


def in_year(moment: datetime) -> bool:
    return moment.astimezone(AMSTERDAM).year == YEAR


def test_meeting_numbers_agree_with_the_records(generated):
    rows = {row["body"]: row for row in meeting_numbers(YEAR)}
    for body in generated:
        meetings = [m for m in db.session.scalars(db.select(Meeting).filter_by(body_id=body.id)) if in_year(m.starts_at)]
        row = rows[body.name]
        assert row["cancelled"] == sum(m.status == meeting_rules.CANCELLED for m in meetings)
        assert row["held"] == sum(m.status != meeting_rules.CANCELLED for m in meetings)
        assert row["planned"] == 0
        ids = {m.id for m in meetings}
        recorded = [a for a in db.session.scalars(db.select(Attendance)) if a.meeting_id in ids and a.present is not None]
        assert row["attendance"] == round(100 * sum(a.present for a in recorded) / len(recorded))
    assert rows[generated[0].name]["target"] == 8


def test_advice_numbers_agree_with_the_records(generated):
    numbers = advice_logic.overview([b.id for b in generated], YEAR)
    for body in generated:
        advices = [a for a in db.session.scalars(db.select(Advice).filter_by(body_id=body.id)) if a.sent_on.year == YEAR]
        n = numbers[body.id]
        assert n["total"] == len(advices)
        assert n["asked"] == sum(a.kind == "gevraagd" for a in advices)
        for outcome in advice_rules.OUTCOMES:
            assert n["outcomes"][outcome] == sum(a.outcome == outcome for a in advices)
        days = [(a.response_on - a.sent_on).days for a in advices if a.response_on]
        assert n["average_days"] == round(sum(days) / len(days), 1)


def test_activity_numbers_agree_with_the_records(generated):
    table = {row[0]: row[1:] for row in activity_numbers(YEAR)}
    activities = [a for a in db.session.scalars(db.select(Activity))
                  if in_year(a.starts_at) and a.status == activity_rules.PUBLISHED]
    for kind, label in activity_rules.KINDS.items():
        mine = [a for a in activities if a.kind == kind]
        if not mine:
            assert label not in table
            continue
        ids = {a.id for a in mine}
        confirmed = [s for s in db.session.scalars(db.select(Signup))
                     if s.activity_id in ids and s.status == activity_rules.CONFIRMED]
        assert table[label] == [len(mine), sum(1 for s in confirmed if s.user_id is not None),
                                sum(1 for s in confirmed if s.user_id is None)]


def tables_of(section) -> list:
    return [table for table in section.tables if table.rows]


def test_report_page_markdown_and_an_honest_empty_year(client, auth, generated):
    assert client.get(f"/jaarverslag/{YEAR}").status_code == 303  # members only
    member = auth.login(bodies=generated)
    html = client.get(f"/jaarverslag/{YEAR}").text
    assert "Vergaderingen" in html and "Adviezen" in html and generated[0].name in html
    assert "Advies over de bijstandsnorm" in html and "Wethouder Werkgelegenheidsbevordering" in html
    markdown = client.get(f"/jaarverslag/{YEAR}.md")
    assert markdown.headers["Content-Disposition"].startswith("attachment")
    assert markdown.text.startswith(f"# Jaarverslag {YEAR}") and "| Orgaan |" in markdown.text
    assert markdown.text.index("## Voorwoord") < markdown.text.index("## Vergaderingen") < markdown.text.index("## Vooruitblik")
    assert f"_Vervang deze zin: wat wil de raad in {YEAR + 1} doen?_" in markdown.text
    assert client.get("/jaarverslag/").status_code == 303
    assert client.get(f"/jaarverslag/{utcnow().year + 1}").status_code == 404
    assert "Geen gegevens over dit jaar." in client.get("/jaarverslag/2001").text
    assert len(sections_for(2001, member)) == 4


def test_the_page_shows_the_first_rows_of_a_long_list_and_the_downloads_all(client, auth, generated, monkeypatch):
    monkeypatch.setattr("cpweb.annual_report.views.PAGE_ROWS", 2)
    auth.login(bodies=generated)
    activities = [a for a in db.session.scalars(db.select(Activity).order_by(Activity.starts_at))
                  if in_year(a.starts_at) and a.status == activity_rules.PUBLISHED]
    assert len(activities) > 2
    html = client.get(f"/jaarverslag/{YEAR}").text
    listed = html[html.index("De activiteiten die zijn gehouden."):]
    table = listed[:listed.index("</table>")]
    assert table.count("<tr>") == 1 + 2 and activities[0].title in table  # the header and the first two
    assert "Dit zijn de eerste 2. In het Word-bestand en de tekst staan ze allemaal." in listed
    markdown = client.get(f"/jaarverslag/{YEAR}.md").text
    assert all(a.title in markdown for a in activities) and "Dit zijn de eerste" not in markdown


def test_the_lists_name_each_advice_meeting_and_activity_the_reader_may_open(app, generated, make_user):
    sections = {s.title: s for s in sections_for(YEAR, make_user(bodies=[generated[0]]))}
    advices = [a for a in db.session.scalars(db.select(Advice).order_by(Advice.sent_on, Advice.id))
               if a.sent_on.year == YEAR and a.body_id == generated[0].id]
    listed = sections["Adviezen"].tables[-1]
    assert listed.header == ["Advies", "Verstuurd", "Aan", "Uitkomst"]
    assert [row[0] for row in listed.rows] == [a.title for a in advices]  # not the other body's advice
    assert [row[3] for row in listed.rows] == [a.outcome_label or "Nog geen reactie" for a in advices]
    meetings = [m for m in db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at))
                if in_year(m.starts_at) and m.status != meeting_rules.CANCELLED and m.body_id == generated[0].id]
    held = sections["Vergaderingen"].tables[-1]
    assert [row[2] for row in held.rows] == [m.title for m in meetings]
    first = meetings[0]
    recorded = [a.present for a in db.session.scalars(db.select(Attendance).filter_by(meeting_id=first.id))
                if a.present is not None]
    assert held.rows[0][3] == f"{sum(recorded)} van {len(recorded)}"
    activities = [a for a in db.session.scalars(db.select(Activity))
                  if in_year(a.starts_at) and a.status == activity_rules.PUBLISHED]
    assert len(sections["Activiteiten"].tables[-1].rows) == len(activities)


def word_document(client, year: int):
    return Document(io.BytesIO(client.get(f"/jaarverslag/{year}.docx").data))


def test_the_word_file_is_a4_dutch_with_room_for_own_text_and_real_tables(client, auth, generated):
    assert client.get(f"/jaarverslag/{YEAR}.docx").status_code == 303  # members only
    member = auth.login(bodies=generated)
    response = client.get(f"/jaarverslag/{YEAR}.docx")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    assert response.headers["Content-Disposition"] == f'attachment; filename="jaarverslag-{YEAR}.docx"'
    document = Document(io.BytesIO(response.data))
    page = document.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    sections = sections_for(YEAR, member)
    assert headings == ([("Title", f"Jaarverslag {YEAR}"), ("Heading 1", "Voorwoord"), ("Heading 1", "Samenstelling")]
                        + [("Heading 1", s.title) for s in sections] + [("Heading 1", "Vooruitblik")])
    placeholders = [p for p in document.paragraphs if p.text.startswith("Vervang deze zin")]
    assert len(placeholders) == 3 and all(p.runs[0].font.highlight_color for p in placeholders)
    assert document.core_properties.title == f"Jaarverslag {YEAR}"
    languages = set(document.styles.element.xpath("//w:lang/@w:val"))
    assert languages == {"nl-NL"}  # spelling check and screen readers read the text as Dutch
    tables = [table for section in sections for table in tables_of(section)]
    assert len(document.tables) == len(tables) >= 7
    for table, data in zip(document.tables, tables):
        cells = [[cell.text for cell in row.cells] for row in table.rows]
        assert cells == [[str(h) for h in data.header]] + [[str(v) for v in row] for row in data.rows]
        assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # announced and repeated as the header row
        widths = [column.width.mm for column in table.columns]
        assert sum(widths) <= 170.1  # the text width between the margins
        longest = [max(len(word) for row in cells for word in row[i].split() or [""]) for i in range(len(widths))]
        assert all(width >= 2.0 * letters for width, letters in zip(widths, longest))  # no word split up
    empty = word_document(client, 2001)
    assert "Geen gegevens over dit jaar." in [p.text for p in empty.paragraphs]
    assert client.get(f"/jaarverslag/{utcnow().year + 1}.docx").status_code == 404


def test_column_widths_give_names_room_and_numbers_little():
    widths = column_widths(["Orgaan", "Gehouden", "Afgelast"], [["Klankbordgroep Participatiewet", 12, 1]])
    assert widths[0] > 2 * widths[1] and sum(widths) < 170
    wide = column_widths(["Advies", "Verstuurd", "Aan", "Uitkomst"],
                         [["Een heel lang advies over " * 5, "12 september 2026", "Wethouder Werkgelegenheidsbevordering",
                           "Deels overgenomen"]])
    assert sum(wide) == pytest.approx(170) and wide[2] >= 27 * 2.0


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_word_file_on_a4_without_breaking_a_word(client, auth, generated, tmp_path):
    auth.login(bodies=generated)
    source = tmp_path / "jaarverslag.docx"
    source.write_bytes(client.get(f"/jaarverslag/{YEAR}.docx").data)
    # A profile of its own, so conversions running side by side do not wait for each other's lock.
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], env={**os.environ, "HOME": str(tmp_path)},
                   check=True, capture_output=True, timeout=240)
    pdf = (tmp_path / "jaarverslag.pdf").read_bytes()
    if keep := os.environ.get("CPWEB_ANNUAL_PAGES"):  # a folder to look at the pages in
        shutil.copy(source, keep)
        shutil.copy(tmp_path / "jaarverslag.pdf", keep)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}  # A4 in points
    if not shutil.which("pdftotext"):
        return
    printed = subprocess.run(["pdftotext", str(tmp_path / "jaarverslag.pdf"), "-"], check=True, capture_output=True,
                             text=True).stdout.split()
    words = {word for table in Document(source).tables for row in table.rows for cell in row.cells
             for word in cell.text.split() if any(c.isalnum() for c in word)}
    assert words and words <= set(printed)  # a word broken over lines prints as pieces


def test_the_held_activities_count_guests_apart_from_members(generated):
    from cpweb.activities.annual import activities_section
    from cpweb.auth.models import User

    reader = db.session.scalars(db.select(User)).first()
    section = activities_section(YEAR, reader, None)
    numbers, held = section.tables
    assert numbers.header[2:] == ["Aanmeldingen van leden", "Aanmeldingen van gasten"]
    assert held.header[3:] == ["Leden", "Gasten"]
    guests = sum(row[3] for row in activity_numbers(YEAR))
    assert guests > 0 and sum(row[4] for row in held.rows) <= guests
