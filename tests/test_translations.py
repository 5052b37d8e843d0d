"""Dutch is the source language; the English catalogue must cover every text and be compiled."""
import re
from pathlib import Path

import pytest

from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "cpweb" / "translations" / "en" / "LC_MESSAGES"


def read_catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def dutch_texts(tmp_path_factory):
    """Every text in the code and templates as Babel extracts it: Dutch, the source language."""
    template = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--ignore-dirs=.*", "-k", "_l",
                                "-k", "lazy_gettext", "-k", "_m", "-k", "gettext_markup", "-k", "_lm",
                                "-k", "lazy_gettext_markup", "-o", str(template), str(ROOT)])
    return read_catalog(template)


def test_every_text_in_code_and_templates_has_an_english_translation(dutch_texts):
    english = read_catalog(ENGLISH / "messages.po")
    missing = []
    for message in dutch_texts:
        if not message.id:
            continue
        translated = english.get(message.id)
        strings = translated.string if translated else None
        if not translated or not (all(strings) if isinstance(strings, tuple) else strings):
            missing.append(message.id)
    assert missing == [], "Run `make translations` and translate these in messages.po:\n" + "\n".join(map(str, missing))


def messages(catalog) -> dict:
    """Each message's context and id with its translation: what the app looks up. (Plural forms are
    tuples in a .po file and lists in a .mo file.)"""
    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {(m.context, plain(m.id)): plain(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def test_compiled_catalogue_matches_the_po_file():
    # Message by message, not byte by byte: each Babel release writes its own header into the .mo.
    with (ENGLISH / "messages.mo").open("rb") as f:
        compiled = read_mo(f)
    assert messages(compiled) == messages(read_catalog(ENGLISH / "messages.po")), "Run `make translations` to compile"


def test_placeholders_survive_translation():
    for message in read_catalog(ENGLISH / "messages.po"):
        if message.id and message.string:
            source = message.id if isinstance(message.id, str) else message.id[0]
            target = message.string if isinstance(message.string, str) else message.string[0]
            for placeholder in re.findall(r"%\(\w+\)[sd]", source):
                assert placeholder in target, (source, target)


# Words a volunteer or a visitor at B1 level does not know. Say what it does instead: "Vet: zet **
# voor en achter de woorden", "de openbare agenda toevoegen", "Hoe wilt u de agenda zien?".
JARGON = ["Markdown", "iCal", "iCalendar", "weergave", "URL", "token", "e-mailadres-token", "webcal", "otpauth", "HTML"]
JARGON_WORD = re.compile(r"\b(" + "|".join(map(re.escape, JARGON)) + r")\b", re.IGNORECASE)
# A month or a day as a machine writes it; people read "mei 2026" and "12 mei 2026".
ISO_DATE = re.compile(r"\b\d{4}-\d{2}(-\d{2})?\b")
# What is left out: the values filled in, and the name of a button in another program, quoted as
# it shows there (Google's ‘Via URL’).
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
QUOTED = re.compile(r"‘[^’]*’")


def b1_problems(text: str) -> list[str]:
    plain = QUOTED.sub("", PLACEHOLDER.sub("", text))
    return [repr(word) for word in JARGON_WORD.findall(plain)] + [f"date {date.group()!r}" for date in ISO_DATE.finditer(plain)]


def test_dutch_texts_have_no_jargon_and_no_dates_for_machines(dutch_texts):
    found = []
    for message in dutch_texts:
        for text in ([message.id] if isinstance(message.id, str) else message.id):
            if text and (problems := b1_problems(text)):
                found.append(f"{', '.join(problems)} in: {text[:100]}")
    assert found == [], "Write these in plain Dutch (B1):\n" + "\n".join(found)


def test_b1_check_finds_what_it_should():
    assert b1_problems("U kunt Markdown gebruiken.") == ["'Markdown'"]
    assert b1_problems("Weergave: Standaard, openbare agenda (iCal)") == ["'Weergave'", "'iCal'"]
    assert b1_problems("Vul een maand in zoals 2026-05.") == ["date '2026-05'"]
    assert b1_problems("Uw e-mailadres-token is verlopen") == ["'e-mailadres-token'"]
    assert b1_problems("Kies ‘Via URL’. Kenmerk S-2026-0043, %(url)s, webadres") == []
