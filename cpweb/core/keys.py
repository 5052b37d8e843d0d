"""Keys made from what a person typed: a body's web address, a handbook page's, a category's key."""
import re
import unicodedata
from collections.abc import Callable


def slugify(text: str, fallback: str, max_length: int) -> str:
    """'Wat doet een cliëntenraad?' -> 'wat-doet-een-clientenraad': letters and digits joined by
    hyphens, at most max_length long; the fallback when nothing of the text is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or fallback


def free_key(base: str, taken: Callable[[str], bool], max_length: int) -> str:
    """base, or else the first of base-2, base-3, … that is not taken; cut to fit max_length."""
    key, n = base, 1
    while taken(key):
        n += 1
        suffix = f"-{n}"
        key = base[:max_length - len(suffix)].rstrip("-") + suffix
    return key
