"""Keys from typed text: one slugify and one free_key for bodies, handbook pages and categories."""
from cpweb.core.keys import free_key, slugify


def test_slugify_keeps_letters_and_digits_and_never_ends_in_a_hyphen():
    assert slugify("Cliëntenraad Gilze en Rijen!", "orgaan", 80) == "clientenraad-gilze-en-rijen"
    assert slugify("Loket en wachttijden", "onderwerp", 6) == "loket"
    assert slugify("???", "onderwerp", 24) == "onderwerp"


def test_free_key_counts_on_and_stays_within_the_length():
    taken = {"raad", "raad-2", "x" * 10}
    assert free_key("raad", taken.__contains__, 10) == "raad-3"
    assert free_key("vrij", taken.__contains__, 10) == "vrij"
    assert free_key("x" * 10, taken.__contains__, 10) == "x" * 8 + "-2"
    assert free_key("abcdefg-ij", {"abcdefg-ij"}.__contains__, 10) == "abcdefg-2"
