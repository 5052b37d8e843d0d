"""Dutch is the source language; the English catalogue must cover every text and be compiled."""
import re
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "cpweb" / "translations" / "en" / "LC_MESSAGES"


def read_catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def test_every_text_in_code_and_templates_has_an_english_translation(tmp_path):
    template = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--ignore-dirs=.*", "-k", "_l",
                                "-k", "lazy_gettext", "-k", "_m", "-k", "gettext_markup", "-k", "_lm",
                                "-k", "lazy_gettext_markup", "-o", str(template), str(ROOT)])
    english = read_catalog(ENGLISH / "messages.po")
    missing = []
    for message in read_catalog(template):
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
