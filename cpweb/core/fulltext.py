"""Full-text search for the features: one small interface, SQLite's FTS5 or PostgreSQL's own.

A feature declares its index once, with its table and weighted columns (the highest weight is the
title), registers it in its init_app (hooks.fulltext_index: Alembic leaves its table alone, and
`cpweb migrate-to-postgres` copies it), and keeps it up to date from Python in the same
transaction as its rows:

    PAGES = FullTextIndex("handbook_search", {"title": 5.0, "text": 1.0}, owner=HandbookPage.__table__)
    PAGES.put(page.id, title=..., text=...)       # add or replace
    PAGES.remove([page.id])
    matches = PAGES.matching(typed).subquery()    # (id, score): join it; ORDER BY score is best first
    PAGES.ids(typed)                              # the ids only; SQLite's ORDER BY id DESC LIMIT n reads n
    PAGES.in_title(typed, HandbookPage.id)        # a condition: every word is in the title (first column)
    PAGES.stored([page.id], "text")               # the text as indexed, e.g. for snippets

What a person types becomes words only (letters and digits); every word must occur, as the start
of a word, so no operator or quote typed can break a query. "clientenraad" finds "cliëntenraad".

SQLite: an FTS5 table (`unicode61 remove_diacritics 2`, prefix indexes, bm25 with the weights).
PostgreSQL: a table with the same columns and a stored generated tsvector (setweight per column)
under a GIN index, in the configuration `cpweb_dutch`: `dutch` with `unaccent` in front of the
Dutch stemmer. Each typed word matches its stem or, unstemmed, the start of a stem ("gemeen"
stems to "gemen", which "gemeente" ("gemeent") does not start with). Ranked by ts_rank over a
second, small vector of the heavier columns (see `ranked`).
Snippets are made here in Python, so both engines show the same.
"""
import re
import unicodedata
from collections.abc import Iterable, Iterator

from markupsafe import Markup, escape
from sqlalchemy import DDL, Float, bindparam, column, event, func, literal_column, select, table, text
from sqlalchemy.exc import DBAPIError

from .extensions import db

MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+")  # \w without "_": both engines split words there
CONFIG = "cpweb_dutch"
# The configuration is made once per database, by whichever index table comes first.
CREATE_CONFIG = f"""DO $$ BEGIN
IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}' AND cfgnamespace = current_schema()::regnamespace)
THEN
  CREATE EXTENSION IF NOT EXISTS unaccent;
  CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.dutch);
  ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem;
END IF;
END $$"""
# A tsvector holds at most 1 MB; texts shorter than this can never reach that, longer ones are
# tried in a savepoint and cut in half until they fit.
_SAFE_CHARS = 300_000
_TOO_LONG = "54000"  # PostgreSQL's program_limit_exceeded: "string is too long for tsvector"


def words(typed: str | None) -> list[str]:
    """The words of what a person typed; everything else (quotes, operators, signs) is dropped."""
    return _WORD.findall(typed or "")[:MAX_WORDS]


def _quoted(name: str) -> str:
    return f'"{name}"'  # "text" is a column of the handbook's index


def _dialect(bind) -> str:
    return bind.get_bind().dialect.name if hasattr(bind, "get_bind") else bind.dialect.name


class FullTextIndex:
    """One feature's index: rows of (id, columns) in `table`; `weights` per column, highest first."""

    def __init__(self, table_name: str, weights: dict[str, float], *, owner, prefixes: tuple[int, ...] = (2, 3)):
        self.table, self.weights, self.prefixes = table_name, weights, prefixes
        self.columns = tuple(weights)
        classes = sorted(set(weights.values()), reverse=True)
        if len(classes) > 4:
            raise ValueError("PostgreSQL has four weights (A-D)")
        self.letters = {name: "ABCD"[classes.index(weight)] for name, weight in weights.items()}
        # ts_rank's weights for D, C, B and A, relative to the highest.
        self.rank_weights = [classes[n] / classes[0] if n < len(classes) else 0.0 for n in (3, 2, 1, 0)]
        # PostgreSQL ranks on the columns that weigh more than the least (not the documents' file text):
        # ts_rank reads the vector of every match, and a file's vector is large. A match in those
        # columns alone ranks last; the caller's order (e.g. newest first) decides among them.
        self.ranked = tuple(name for name in self.columns if weights[name] > classes[-1]) or self.columns
        # db.create_all() (tests, a fresh site) makes the table with its owner's; migrations do it themselves.
        for dialect, statements in (("sqlite", self.sqlite_ddl()), ("postgresql", self.postgres_ddl())):
            for statement in statements:
                event.listen(owner, "after_create", DDL(statement).execute_if(dialect=dialect))
        event.listen(owner, "before_drop", DDL(f"DROP TABLE IF EXISTS {self.table}"))
        event.listen(owner, "before_drop", DDL(f"DROP FUNCTION IF EXISTS {self.table}_matching")
                     .execute_if(dialect="postgresql"))

    # --- schema -----------------------------------------------------------------------------------

    def sqlite_ddl(self) -> list[str]:
        return [f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5({', '.join(self.columns)}, "
                f"tokenize = 'unicode61 remove_diacritics 2', prefix = '{' '.join(map(str, self.prefixes))}')"]

    def postgres_ddl(self) -> list[str]:
        columns = ", ".join(f"{_quoted(name)} text NOT NULL DEFAULT ''" for name in self.columns)
        return [CREATE_CONFIG,
                f"CREATE TABLE IF NOT EXISTS {self.table} (id integer PRIMARY KEY, {columns}, "
                f"search tsvector GENERATED ALWAYS AS ({self._vector(self.columns)}) STORED, "
                f"ranking tsvector GENERATED ALWAYS AS ({self._vector(self.ranked)}) STORED)",
                f"CREATE INDEX IF NOT EXISTS {self.table}_search ON {self.table} USING gin (search)",
                # The ids matching a query, always from the GIN index: for a word in half the rows the
                # planner would read every row's tsvector instead, which costs five times as long.
                f"CREATE OR REPLACE FUNCTION {self.table}_matching(query tsquery) RETURNS SETOF integer LANGUAGE sql "
                f"STABLE SET enable_seqscan = off AS $$ SELECT id FROM {self.table} WHERE search @@ query $$"]

    def _vector(self, names) -> str:
        return " || ".join(f"setweight(to_tsvector('{CONFIG}', coalesce({_quoted(name)}, '')), "
                           f"'{self.letters[name]}')" for name in names)

    def _id(self, bind):
        return literal_column(f"{self.table}.rowid" if _dialect(bind) == "sqlite" else f"{self.table}.id")

    # --- writing ----------------------------------------------------------------------------------

    def put(self, row_id: int, bind=None, **columns: str) -> None:
        """Add the row, or replace what was indexed for it; columns not given are left empty."""
        self.put_many([{"id": row_id, **columns}], bind)

    def put_many(self, rows: Iterable[dict], bind=None) -> None:
        bind = bind if bind is not None else db.session
        rows = [{"id": row["id"], **{name: (row.get(name) or "").replace("\x00", " ") for name in self.columns}}
                for row in rows]
        if rows:
            (self._put_sqlite if _dialect(bind) == "sqlite" else self._put_postgres)(bind, rows)

    def _put_sqlite(self, bind, rows: list[dict]) -> None:
        self.remove([row["id"] for row in rows], bind)
        bind.execute(text(f"INSERT INTO {self.table} (rowid, {', '.join(self.columns)}) VALUES "
                          f"(:id, {', '.join(':' + name for name in self.columns)})"), rows)

    def _put_postgres(self, bind, rows: list[dict]) -> None:
        names = ", ".join(map(_quoted, self.columns))
        statement = text(f"INSERT INTO {self.table} (id, {names}) VALUES "
                         f"(:id, {', '.join(':' + name for name in self.columns)}) ON CONFLICT (id) DO UPDATE SET "
                         + ", ".join(f"{_quoted(name)} = excluded.{_quoted(name)}" for name in self.columns))
        large = [sum(len(row[name]) for name in self.columns) >= _SAFE_CHARS for row in rows]
        if small := [row for row, is_large in zip(rows, large) if not is_large]:
            bind.execute(statement, small)
        for row in [row for row, is_large in zip(rows, large) if is_large]:
            self._put_in_parts(bind, statement, row)

    def _put_in_parts(self, bind, statement, row: dict) -> None:
        """A text with too many different words for one tsvector keeps its first part (rare: tables of numbers)."""
        while True:
            try:
                with bind.begin_nested():
                    bind.execute(statement, row)
                return
            except DBAPIError as error:
                if getattr(error.orig, "sqlstate", None) != _TOO_LONG:
                    raise
            longest = max(self.columns, key=lambda name: len(row[name]))
            row = {**row, longest: row[longest][: len(row[longest]) // 2]}

    def remove(self, row_ids: Iterable[int], bind=None) -> None:
        bind = bind if bind is not None else db.session
        ids = [{"id": row_id} for row_id in row_ids]
        if ids:
            bind.execute(text(f"DELETE FROM {self.table} WHERE {self._id(bind)} = :id"), ids)

    # --- reading ----------------------------------------------------------------------------------

    def matching(self, typed: str | None, bind=None):
        """A select of (id, score) of the rows with every typed word; lower score is better. None without words."""
        terms = words(typed)
        if not terms:
            return None
        bind = bind if bind is not None else db.session
        return (self._match_sqlite if _dialect(bind) == "sqlite" else self._match_postgres)(terms)

    def _match_sqlite(self, terms: list[str]):
        return self._ids_sqlite(terms).add_columns(
            func.bm25(literal_column(self.table), *self.weights.values()).label("score"))

    def _match_postgres(self, terms: list[str]):
        query = self._tsquery(terms)
        found = table(self.table, column("id"), column("ranking"))
        matched = self._matched(query)
        weights = literal_column("'{" + ", ".join(map(str, self.rank_weights)) + "}'::float4[]")
        return (select(found.c.id, (-func.ts_rank(weights, found.c.ranking, query, type_=Float)).label("score"))
                .join_from(matched, found, found.c.id == matched.c.id))

    def ids(self, typed: str | None, bind=None):
        """A select of the ids of the rows with every typed word, without a score; None without words.

        Ordered by id, newest first, and limited, it reads no more of the index than it returns
        (FTS5 walks its doclists backwards), however many rows match: ranking every match is what
        costs time when a word is in thousands of long texts.
        """
        terms = words(typed)
        if not terms:
            return None
        bind = bind if bind is not None else db.session
        if _dialect(bind) == "sqlite":
            return self._ids_sqlite(terms)
        return select(self._matched(self._tsquery(terms)).c.id)

    def _ids_sqlite(self, terms: list[str]):
        expression = " ".join(f'"{term}"*' for term in terms)
        index = table(self.table, column("rowid"))
        return (select(index.c.rowid.label("id"))
                .where(text(f"{self.table} MATCH :{self.table}_match").bindparams(
                    bindparam(f"{self.table}_match", expression))))

    def _tsquery(self, terms: list[str], letter: str = ""):
        """Every word, as its stem's start or (unstemmed) its folded start; in the columns of weight `letter`."""
        query = None
        for term in terms:
            either = func.to_tsquery(literal_column(f"'{CONFIG}'"), f"{term}:*{letter}").op("||")(
                func.to_tsquery(literal_column("'simple'"), f"{fold(term)}:*{letter}"))
            query = either if query is None else query.op("&&")(either)
        return query

    def _matched(self, query):
        return getattr(func, f"{self.table}_matching")(query).table_valued("id").render_derived(name="matched")

    def in_title(self, typed: str | None, row_id, from_id: int = 0, bind=None):
        """A condition: the row of `row_id` (a column) has every typed word in its first (heaviest)
        column; only rows from id `from_id` on are asked about. None without words."""
        terms = words(typed)
        if not terms:
            return None
        bind = bind if bind is not None else db.session
        if _dialect(bind) == "sqlite":
            # FTS5 reads the title matches from from_id on only (a rowid range), not every row's.
            expression = f"{{{self.columns[0]}}} : (" + " ".join(f'"{term}"*' for term in terms) + ")"
            index = table(self.table, column("rowid"))
            return row_id.in_(select(index.c.rowid).where(
                index.c.rowid >= from_id,
                text(f"{self.table} MATCH :{self.table}_title").bindparams(bindparam(f"{self.table}_title", expression))))
        # Per row, on its small vector of the heavier columns: through the GIN index a weight is
        # checked on the whole vector of every row with the word anywhere (a file's text, too).
        index = table(self.table, column("id"), column("ranking"))
        query = self._tsquery(terms, self.letters[self.columns[0]])
        return select(index.c.id).where(index.c.id == row_id, index.c.id >= from_id,
                                        index.c.ranking.op("@@")(query)).exists()

    def stored(self, row_ids: Iterable[int], *names: str, bind=None) -> dict[int, tuple[str, ...]]:
        """What was indexed for these rows, per id: the given columns, in that order."""
        bind = bind if bind is not None else db.session
        ids = list(row_ids)
        if not ids:
            return {}
        rows = bind.execute(self.stored_select(ids, *names, bind=bind))
        return {row[0]: tuple(value or "" for value in row[1:]) for row in rows}

    def stored_select(self, row_ids: list[int], *names: str, bind=None):
        """A select of (id, the given columns) of these rows: to read several indexes in one statement."""
        bind = bind if bind is not None else db.session
        wanted = [literal_column(f"{self.table}.{_quoted(name)}") for name in names]
        return select(self._id(bind).label("id"), *wanted).select_from(text(self.table)).where(
            self._id(bind).in_(row_ids))

    def dump(self, bind, batch: int = 500) -> Iterator[list[dict]]:
        """Every row, in batches of dicts (id and columns), for copying to another database."""
        columns = [literal_column(_quoted(name)).label(name) for name in self.columns]
        query = (select(self._id(bind).label("id"), *columns).select_from(text(self.table))
                 .order_by(self._id(bind)).execution_options(yield_per=batch))
        for part in bind.execute(query).mappings().partitions():
            yield [dict(row) for row in part]


# --- snippets ----------------------------------------------------------------------------------------

def _fold_table() -> dict[int, str]:
    """Letters with accents to their base letter, one character for one (ë -> e), as the indexes do."""
    found = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and len(base) == 1:
            found[code] = base
    return found


_FOLD = _fold_table()
SNIPPET_CHARS = 220


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def fold(value: str) -> str:
    # Only the letters outside ASCII are looked up: str.translate looks up every character, which
    # made folding a long file's text for its snippet five times as slow.
    return _NOT_ASCII.sub(_folded_letter, value).lower()


def _folded_letter(match: re.Match) -> str:
    return _FOLD.get(ord(match.group()), match.group())


def snippet(content: str, typed: str | None) -> Markup | None:
    """A piece of the text around the first match, every match in <mark>; the rest escaped.

    Python rather than FTS5's snippet() (whose time grows with the square of the number of
    matches) or ts_headline (which reads the whole text): the same on both engines, and quick.
    """
    terms = [fold(word) for word in words(typed)]
    if not terms:
        return None
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\w*")
    # Most matches are near the start: fold a little text first, four times as much each time it
    # has none, so a match far into a long file costs a few times its position, not the whole text.
    length = 2 * SNIPPET_CHARS
    while True:
        part = content[:length + SNIPPET_CHARS]
        folded = fold(part)
        if len(folded) != len(part):  # a rare letter whose lower case is longer: no snippet
            return None
        if (first := pattern.search(folded, 0, length)) is not None:
            content = part
            break
        if length >= len(content):
            return None
        length *= 4
    start = max(0, first.start() - SNIPPET_CHARS // 3)
    start = folded.find(" ", start) + 1 if start else 0
    end = min(len(content), start + SNIPPET_CHARS)
    pieces, position = [], start
    for match in pattern.finditer(folded, start, end):
        pieces += [str(escape(content[position:match.start()])), "<mark>",
                   str(escape(content[match.start():match.end()])), "</mark>"]
        position = match.end()
    pieces.append(str(escape(content[position:end])))
    return Markup(("…" if start else "") + "".join(pieces) + ("…" if end < len(content) else ""))


def opening(content: str) -> Markup:
    """The start of a text, escaped: for a row that matched on its title only."""
    cut = content.rfind(" ", 0, SNIPPET_CHARS) if len(content) > SNIPPET_CHARS else len(content)
    cut = cut if cut > 0 else SNIPPET_CHARS
    return escape(content[:cut]) + ("…" if cut < len(content) else "")
