"""Documents: the shared library of files (workbooks, letters, minutes, plans), with versions,
an audience per document, a bin, and Dutch full-text search over the files' own text.

Other features use `places` (attach a file to one of their places, list what a person may see or
choose, the audience) and, in views, `attaching` (the form and its answer); never the tables.
Who may see a document is decided in one place: `access`.
"""
from datetime import timedelta

from ..core.hooks import hooks


def init_app(app) -> None:
    from . import commands, demo, feed, logic, search, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    hook.command(commands.sweep_uploads_command)
    hook.command(commands.storage_command)
    hook.cron_job("sweep-uploads", commands.sweep_uploads_command, every=timedelta(hours=1))
    hook.cron_job("sweep-parts", logic.sweep_parts)
    hook.home_section(40, views.newest_documents_section)
    hook.fulltext_index(search.INDEX)
    hook.feed(feed.FEED)
    hook.processing(logic.PROCESSING)
    hook.purger("documents", logic.purge_bin)
    hook.seeder(logic.seed_categories)
    hook.demo_step(demo.demo_documents)
