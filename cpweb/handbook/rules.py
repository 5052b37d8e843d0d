"""The rules of handbook pages, as plain functions and constants."""
import re

from ..core import keys

MAX_TITLE = 200
MAX_SLUG = 100
MAX_TEXT = 50_000
MAX_NOTE = 300
# Paths under /handboek/ that are pages of their own, so no handbook page may take them.
RESERVED_SLUGS = {"nieuw", "zoeken"}
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(title: str) -> str:
    """'Wat doet een cliëntenraad?' -> 'wat-doet-een-clientenraad'."""
    return keys.slugify(title, "pagina", MAX_SLUG)
