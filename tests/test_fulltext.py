"""cpweb.core.fulltext on whichever engine the suite runs (SQLite FTS5 or PostgreSQL): the same answers."""
import random
import string

import pytest

from cpweb.core import fulltext
from cpweb.core.extensions import db
from cpweb.handbook.models import SEARCH


def found(typed: str) -> list[int]:
    matching = SEARCH.matching(typed)
    return [] if matching is None else [row.id for row in db.session.execute(matching.order_by("score"))]


def test_put_replace_remove_and_read_back(app):
    SEARCH.put(1, title="Vergaderen", text="De cliëntenraad vergadert op dinsdag.")
    SEARCH.put(2, title="Signalen", text="Een signaal van een klant.")
    assert found("clientenraad") == [1] and found("CLIËNTEN dins") == [1] and found("dinsdag signaal") == []
    SEARCH.put(1, title="Vergaderen", text="Op donderdag.")
    assert found("dinsdag") == [] and found("donderdag") == [1]
    assert SEARCH.stored([1, 2, 3], "text") == {1: ("Op donderdag.",), 2: ("Een signaal van een klant.",)}
    SEARCH.remove([1])
    assert found("donderdag") == [] and found("signaal") == [2]


def test_a_word_in_the_title_weighs_more_than_in_the_text(app):
    SEARCH.put(1, title="Over de raad", text="De begroting van het werkplein.")
    SEARCH.put(2, title="De begroting", text="Over de raad van het werkplein.")
    assert found("begroting") == [2, 1] and found("raad") == [1, 2]


def test_the_start_of_a_word_finds_it_even_where_a_stemmer_would_cut_differently(app):
    SEARCH.put(1, title="Gemeente", text="Raadsleden en re-integratie")
    for typed in ("gemeen", "gemeente", "raad", "raadsleden", "re integr", "integratie"):
        assert found(typed) == [1], typed


@pytest.mark.parametrize("typed", ['"', "AND OR NOT", "werk*", "title:werk", "(", "NEAR(a b)", "-", "' OR 1=1 --",
                                   "a & b | !c", "<->", "werk:*B", "\\", "%_", "x" * 300, "één_twee"])
def test_nothing_typed_breaks_a_query(app, typed):
    SEARCH.put(1, title="Werk", text="Werk en inkomen")
    found(typed)


def test_a_text_too_varied_for_one_index_row_is_still_indexed(app):
    rng = random.Random(1)
    variety = " ".join("".join(rng.choices(string.ascii_lowercase, k=7)) for _ in range(130_000))
    SEARCH.put(1, title="Tabel", text="begin " + variety)
    assert found("begin") == [1] and found("tabel") == [1]


def test_snippets_mark_every_match_and_escape_the_rest():
    assert fulltext.snippet("De <b>Cliëntenraad</b> en de raad", "clienten raad") == (
        "De &lt;b&gt;<mark>Cliëntenraad</mark>&lt;/b&gt; en de <mark>raad</mark>")
    assert fulltext.snippet("niets", "raad") is None
    assert fulltext.opening("kort <b>") == "kort &lt;b&gt;"
    assert str(fulltext.opening("woord " * 100)).endswith("woord…")


@pytest.mark.parametrize("position", [0, 500, 3_000, 20_000, 99_990])
def test_a_snippet_is_found_wherever_the_word_is_in_a_long_text(position):
    text = ("woord " * 20_000)[:position] + " cliëntenraad " + "einde " * 10
    piece = fulltext.snippet(text, "clientenraad")
    assert "<mark>cliëntenraad</mark>" in piece and len(piece) < 300
    assert fulltext.snippet(text, "ontbreekt") is None
