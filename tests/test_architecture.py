"""docs/architecture.md says what each feature plugs in; this keeps the page true."""
import inspect
import re
from datetime import timedelta
from pathlib import Path

from flask import Flask

import cpweb
from cpweb.core.hooks import Hooks, hooks

PAGE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
EVERY = {None: "each run", timedelta(hours=1): "hourly", timedelta(days=1): "daily"}


def _named(kind: str, names, plural: str | None = None) -> list[str]:
    names = [f"`{name}`" for name in names]
    return [f"{(plural or kind + 's') if len(names) > 1 else kind} {', '.join(names)}"] if names else []


def registers(feature) -> str:
    """What feature.init_app registers on an app of its own, as the page's table says it."""
    app = Flask(__name__)
    app.extensions["cpweb"] = Hooks()
    feature.init_app(app)
    hook = hooks(app)
    parts = _named("blueprint", app.blueprints)
    parts += _named("command", hook.cli.commands)
    parts += [f"cron job `{job.name}` ({EVERY[job.every]})" for job in hook.cron_jobs.values()]
    parts += _named("reminder sender", hook.reminder_senders)
    parts += [f"home section {order}" for order, _fn in hook.home_sections]
    parts += ["body section"] * len(hook.body_sections)
    parts += [f"annual section {order}" for order, _fn in hook.annual_sections]
    parts += ["calendar source"] * len(hook.calendar_sources)
    parts += ["followed calendar source"] * len(hook.followed_calendar_sources)
    parts += ["digest section"] * len(hook.digest_sections)
    parts += _named("place kind", hook.place_kinds)
    parts += _named("feed", hook.feeds)
    parts += _named("full-text index", (index.table for index in hook.fulltext_indexes), "full-text indexes")
    parts += _named("unmanaged table", sorted(hook.unmanaged_tables - {index.table for index in hook.fulltext_indexes}))
    if hook.processing_register:
        parts.append("processing " + ", ".join(f"“{entry.name}”" for entry in hook.processing_register))
    parts += _named("purger", hook.purgers)
    parts += ["seeder"] * len(hook.seeders)
    parts += ["demo step"] * len(hook.demo_steps)
    return "; ".join(parts)


def test_the_page_lists_what_each_feature_registers_in_the_order_of_create_app():
    expected = [f"| `{feature.__name__.removeprefix('cpweb.')}` | {registers(feature)} |" for feature in cpweb.FEATURES]
    table = [line for line in PAGE.read_text().splitlines() if re.match(r"\| `[a-z_.]+` \| ", line)]
    assert table == expected, "docs/architecture.md, the table of features, should read:\n" + "\n".join(expected)


def test_the_page_names_every_kind_of_hook():
    kinds = [name for name, _fn in inspect.getmembers(Hooks, inspect.isfunction) if not name.startswith("_")]
    page = PAGE.read_text()
    assert [kind for kind in kinds if f"`hook.{kind}(" not in page] == []
