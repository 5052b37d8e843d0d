"""What the features plug into the app, kept on the app itself: `app.extensions["cpweb"]`.

Each feature's `init_app(app)` registers its parts here in one block, top to bottom, and
`create_app` calls them in the order of `cpweb.FEATURES` (docs/architecture.md lists what each
registers). The modules that show or run the parts (the home page, `cpweb cron`, the purge, the
annual report, …) read them back with `hooks()`. Nothing registers itself by being imported, so a
test builds an app with exactly what it needs and changes only that app.

Lists without a number of their own (cron jobs, purgers, the processing register, demo steps, …)
keep the order of registration. Home and annual-report sections carry a number: their order on
the page, one number per section.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from flask.cli import AppGroup


@dataclass
class CronJob:
    name: str
    fn: Callable  # a plain function without arguments, or a click command (run with its defaults)
    every: timedelta | None  # None: each run (the job itself is idempotent); else once per period


class Hooks:
    def __init__(self):
        self.cli = AppGroup("cpweb", help="Beheer van cpweb.")  # `flask --app app cpweb …`
        self.cron_jobs: dict[str, CronJob] = {}  # what `cpweb cron` runs
        self.purgers: dict[str, Callable] = {}  # name -> fn(now, dry_run) -> rows removed (`cpweb purge`)
        self.reminder_senders: dict[str, Callable] = {}  # name -> fn(now) -> mails sent (`cpweb send-reminders`)
        self.seeders: list[Callable] = []  # fn(): adds the reference data every site needs, if missing
        self.demo_steps: list[Callable] = []  # fn(DemoRegion): a feature's part of `cpweb demo`
        self.home_sections: list[tuple[int, Callable]] = []  # (order, fn(user) -> (template, context) | None)
        self.body_sections: list[Callable] = []  # fn(body, user) -> (template, context) | None
        self.annual_sections: list[tuple[int, Callable]] = []  # (order, fn(year, reader, longest) -> AnnualSection | None)
        self.calendar_sources: list[Callable] = []  # fn(user, start, end, body_id, first) -> [CalendarEvent]
        self.followed_calendar_sources: list[Callable] = []  # the same, of other sites: the agenda's choice, never a feed
        self.digest_sections: list[Callable] = []  # fn(user, today) -> [str]: lines for the weekly overview
        self.processing_register: list = []  # privacy.Processing: what the site keeps, and why
        self.place_kinds: dict[str, object] = {}  # kind -> documents.places.PlaceKind
        self.feeds: dict[str, object] = {}  # slug -> feeds.entries.Feed: /feeds/<slug>.atom
        self.fulltext_indexes: list = []  # fulltext.FullTextIndex
        self.unmanaged_tables: set[str] = set()  # made by hand in migrations: autogenerate leaves them alone

    def command(self, command) -> None:
        self.cli.add_command(command)

    def cron_job(self, name: str, fn: Callable, every: timedelta | None = None) -> None:
        """With `every`, fn runs once per period (claimed in job_runs); without, on every cron run
        (every 5 minutes), so fn must be safe to repeat."""
        _add(self.cron_jobs, name, CronJob(name, fn, every))

    def purger(self, name: str, fn: Callable) -> None:
        """The name is shown in the purge command's output."""
        _add(self.purgers, name, fn)

    def reminder_sender(self, name: str, fn: Callable) -> None:
        _add(self.reminder_senders, name, fn)

    def seeder(self, fn: Callable) -> None:
        self.seeders.append(fn)

    def demo_step(self, fn: Callable) -> None:
        self.demo_steps.append(fn)

    def home_section(self, order: int, fn: Callable) -> None:
        _add_in_order(self.home_sections, order, fn)

    def body_section(self, fn: Callable) -> None:
        self.body_sections.append(fn)

    def annual_section(self, order: int, fn: Callable) -> None:
        _add_in_order(self.annual_sections, order, fn)

    def calendar_source(self, fn: Callable, followed: bool = False) -> None:
        """`followed`: events of other sites, shown only when the agenda asks for them and never in
        this site's own feeds (no loops between sites that follow each other)."""
        (self.followed_calendar_sources if followed else self.calendar_sources).append(fn)

    def digest_section(self, fn: Callable) -> None:
        """Lines for a member's weekly overview (the mail kind "digest"); none when nothing needs them."""
        self.digest_sections.append(fn)

    def processing(self, entry) -> None:
        self.processing_register.append(entry)

    def place_kind(self, kind) -> None:
        _add(self.place_kinds, kind.kind, kind)

    def feed(self, feed) -> None:
        """A public Atom feed (feeds.entries.Feed) at /feeds/<slug>.atom."""
        _add(self.feeds, feed.slug, feed)

    def fulltext_index(self, index) -> None:
        self.fulltext_indexes.append(index)
        self.unmanaged_tables.add(index.table)  # with FTS5's shadow tables (handbook_search_data, …)

    def unmanaged_table(self, name: str) -> None:
        """A table made by its own statements (and kept by triggers): autogenerate leaves it alone."""
        self.unmanaged_tables.add(name)


def _add(registry: dict, name: str, value) -> None:
    if name in registry:
        raise ValueError(f"{name!r} is already registered")
    registry[name] = value


def _add_in_order(sections: list, order: int, fn: Callable) -> None:
    if any(taken == order for taken, _fn in sections):
        raise ValueError(f"order {order} is already taken")
    sections.append((order, fn))
    sections.sort(key=lambda item: item[0])


def hooks(app: Flask | None = None) -> Hooks:
    """The hooks of this app (the current one without an argument)."""
    return (app if app is not None else current_app).extensions["cpweb"]
