"""The year's counts that the database keeps for the annual report (cpweb/signals/tally.py) agree
with counting the signals themselves, whatever writes them: the app, a bulk insert, a change, a
purge. On both engines (`make test` runs the suite on SQLite and on PostgreSQL)."""
from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, text, update

from cpweb.core.extensions import db
from cpweb.core.i18n import AMSTERDAM
from cpweb.signals import logic, rules, tally
from cpweb.signals.models import Signal


def counted_directly() -> dict[tuple, int]:
    """What the tally should say: the signals themselves, counted in Python by Amsterdam year."""
    counts: dict[tuple, int] = {}
    for signal in db.session.scalars(db.select(Signal)):
        if not signal.suspected_spam and signal.status != rules.CANCELLED:
            key = (signal.created_at.astimezone(AMSTERDAM).year, signal.category, signal.sentiment)
            counts[key] = counts.get(key, 0) + 1
    return counts


def tallied() -> dict[tuple, int]:
    rows = db.session.execute(text(f"SELECT year, category, sentiment, number FROM {tally.TABLE}")).all()
    return {(year, category, sentiment): number for year, category, sentiment, number in rows if number}


def new_signal(created_at: datetime, **fields) -> Signal:
    signal = logic.store_signal({"category": "bejegening", "sentiment": "beter", "organisation_kind": "gemeente",
                                 "description": "Ik moest lang wachten aan de balie.", **fields})
    signal.created_at = created_at
    return signal


def test_the_counts_follow_every_write_and_the_year_is_amsterdams(app):
    new_year_eve = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)  # already 2026 in Amsterdam
    summer = datetime(2025, 7, 1, 10, tzinfo=UTC)
    first, second = new_signal(summer), new_signal(new_year_eve, sentiment="goed")
    spam = new_signal(summer, category="communicatie")
    db.session.commit()
    spam.suspected_spam = True
    db.session.commit()
    assert tallied() == counted_directly() == {(2025, "bejegening", "beter"): 1, (2026, "bejegening", "goed"): 1}

    first.category, second.status = "werk", rules.CANCELLED  # triage: another subject, one cancelled
    spam.suspected_spam = False  # not spam after all
    db.session.commit()
    db.session.execute(insert(Signal), [  # a bulk insert, as an import or the benchmarks write
        {"reference": f"B-{n}", "created_at": summer, "category": "deskundigheid", "sentiment": "goed",
         "organisation_kind": "uwv", "description": "Goed geholpen.", "source": "online", "status": rules.NEW,
         "suspected_spam": False} for n in range(3)])
    db.session.execute(update(Signal).where(Signal.reference == "B-0").values(sentiment="beter"))
    db.session.execute(delete(Signal).where(Signal.reference == "B-1"))
    db.session.commit()
    assert tallied() == counted_directly() == {
        (2025, "werk", "beter"): 1, (2025, "communicatie", "beter"): 1,
        (2025, "deskundigheid", "beter"): 1, (2025, "deskundigheid", "goed"): 1}


def test_the_annual_report_reads_the_same_numbers_as_the_signals_report(app):
    for month, sentiment in ((1, "goed"), (3, "beter"), (3, "beter"), (12, "goed")):
        new_signal(datetime(2025, month, 15, 12, tzinfo=UTC), sentiment=sentiment)
    db.session.commit()
    per_category, _municipalities, _organisations = logic.report(datetime(2025, 1, 1).date(), datetime(2025, 12, 31).date())
    assert logic.year_category_counts(2025) == per_category
    assert db.session.scalar(db.select(func.count()).select_from(Signal)) == 4
