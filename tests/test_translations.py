"""Dutch is the source language; the English catalogue must cover every text and be compiled."""
import re
from io import BytesIO
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "cpweb" / "translations" / "en" / "LC_MESSAGES"


def read_catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def test_every_text_in_code_and_templates_has_an_english_translation(tmp_path):
    template = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--ignore-dirs=.*", "-k", "_l",
                                "-k", "lazy_gettext", "-o", str(template), str(ROOT)])
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


def test_compiled_catalogue_matches_the_po_file():
    expected = BytesIO()
    write_mo(expected, read_catalog(ENGLISH / "messages.po"))
    assert (ENGLISH / "messages.mo").read_bytes() == expected.getvalue(), "Run `make translations` to compile"


def test_placeholders_survive_translation():
    for message in read_catalog(ENGLISH / "messages.po"):
        if message.id and message.string:
            source = message.id if isinstance(message.id, str) else message.id[0]
            target = message.string if isinstance(message.string, str) else message.string[0]
            for placeholder in re.findall(r"%\(\w+\)[sd]", source):
                assert placeholder in target, (source, target)
