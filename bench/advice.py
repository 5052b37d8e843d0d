"""Advice benchmark (not a test): the dossier list and the yearly overview over 2,000 dossiers,
server time p95 over 200 requests each (target 30 ms), measured in-process, and the number of SQL
queries per page on the demo data and on the large data (must be equal).

Run: `.venv/bin/python bench/advice.py` (or `make bench-advice`).
"""
import random
import sys
from datetime import UTC, date, datetime, timedelta

from pages import all_ids, fill_database, insert_rows, logged_in_app, query_counter, report_constant, time_pages

DOSSIERS = 2_000
REQUESTS = 200
TARGET_P95_MS = 30


def fill(connection, tables) -> None:
    rng = random.Random(7)
    now = datetime.now(UTC)
    today = date.today()
    bodies, users = all_ids(connection, tables["bodies"]), all_ids(connection, tables["users"])
    organisations = all_ids(connection, tables["organisations"])
    dossiers = []
    for n in range(DOSSIERS):
        requested = today - timedelta(days=rng.randint(0, 5 * 365))
        status = rng.choice(["idea", "preparing", "sent", "responded", "done", "done"])
        sent = requested + timedelta(days=30) if status in ("sent", "responded", "done") else None
        dossiers.append({
            "body_id": rng.choice(bodies), "title": f"Advies {n}", "kind": rng.choice(["gevraagd", "ongevraagd"]),
            "topic": "beleid", "addressee_id": rng.choice(organisations), "addressee_text": "", "summary": "",
            "requested_on": requested, "deadline": requested + timedelta(days=60), "status": status, "sent_on": sent,
            "response_on": sent + timedelta(days=rng.randint(10, 90)) if status in ("responded", "done") else None,
            "response_summary": "", "follow_up_notes": "",
            "outcome": rng.choice(["adopted", "partly", "not_adopted", "unknown"]) if status == "done" else None,
            "version": 0, "created_at": now - timedelta(days=(today - requested).days), "updated_at": now})
    advices = insert_rows(connection, tables["advices"], dossiers, ids=True)
    drafters = {(advice_id, rng.choice(users)) for advice_id in advices for _ in range(2)}
    insert_rows(connection, tables["advice_drafters"], [{"advice_id": a, "user_id": u} for a, u in sorted(drafters)])
    insert_rows(connection, tables["advice_events"], [
        {"advice_id": advice_id, "at": now, "actor_id": rng.choice(users), "status": dossier["status"], "text": "Stap."}
        for advice_id, dossier in zip(advices, dossiers) for _ in range(4)])


def main() -> int:
    instance, app, client = logged_in_app("cpweb-bench-advice-", "beheerder@example.org")
    pages = {"list": "/advies/", "list, all statuses": "/advies/?status=", "overview": "/advies/overzicht",
             "a dossier": "/advies/1"}
    count = query_counter(app, client)
    small = {name: count(url) for name, url in pages.items()}
    fill_database(app, fill)
    print(f"data: {DOSSIERS:,} dossiers")
    report_constant(small, {name: count(url) for name, url in pages.items()})
    time_pages(client, pages, REQUESTS, TARGET_P95_MS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
