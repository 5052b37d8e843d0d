"""'Onze adviezen': the advice the council sent and chose to show, with what became of it, for
anyone; and the same as an Atom feed for other councils' sites."""
from datetime import UTC, datetime, time

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, current_user

from ..core.database import paginate
from ..core.extensions import db
from ..documents import places
from ..feeds.entries import Entry, Feed
from ..web.forms import choice_list
from ..web.rendering import render
from ..web.urls import site_url
from . import letters, logic
from .forms import PublicFilterForm

bp = Blueprint("advice_public", __name__)


@bp.route("/onze-adviezen")
def index():
    years = logic.published_years()
    filters = PublicFilterForm(formdata=request.args if request.args else None)
    filters.jaar.choices = choice_list([("", _("Alle jaren"))] + [(str(y), str(y)) for y in years])
    if not filters.validate():
        abort(404)
    page = paginate(logic.published_query(int(filters.jaar.data) if filters.jaar.data else None,
                                          filters.onderwerp.data or None))
    filter_args = {k: v for k, v in request.args.items() if k != "pagina" and v}
    return render("advice/public_index.html", block="public_list", page=page, filters=filters,
                  filter_args=filter_args,
                  papers=places.documents_for(letters.KIND, [a.id for a in page.items], current_user))


@bp.route("/onze-adviezen/<int:advice_id>")
def show(advice_id: int):
    advice = logic.published_advice(advice_id)
    if advice is None:
        abort(404)
    return render("advice/public_show.html", advice=advice, papers=letters.papers_of(advice, current_user))


def _as_of(day) -> datetime | None:
    return datetime.combine(day, time(12), tzinfo=UTC) if day else None


def _summary(advice) -> str:
    facts = [_("Aan: %(addressee)s.", addressee=advice.addressee_label)]
    if advice.outcome:
        facts.append(_("Wat ermee is gedaan: %(outcome)s.", outcome=advice.outcome_label))
    return " ".join(facts) + "\n\n" + advice.public_summary


def feed_entries(limit: int) -> list[Entry]:
    advices = list(db.session.scalars(logic.published_query().limit(limit)))
    papers = places.documents_for(letters.KIND, [a.id for a in advices], AnonymousUserMixin())
    return [Entry(ref=f"advice-{a.id}", title=a.title, updated=max(a.updated_at, a.published_at),
                  published=_as_of(a.sent_on), url=site_url("advice_public.show", advice_id=a.id),
                  summary=_summary(a), category=str(a.topic_label),
                  links=tuple((d.title, site_url("documents.download", document_id=d.id)) for d in papers[a.id]))
            for a in advices]


FEED = Feed(slug="adviezen", title=_l("Onze adviezen"), page_endpoint="advice_public.index", entries=feed_entries)
