"""What the search box searches: one kind per page people open, each with its own full-text index
(cpweb.fulltext), who may find it, and how a result shows.

Who may find a row is the rule of the page it opens, as the feature writes it (`visible_filter`
and the like), put into the query itself: a hidden row is never fetched, so never counted.
The documents and the handbook keep their own indexes; the other kinds' indexes are kept here,
from the rows as they are flushed (see `logic.keep_indexes`), in the same transaction.
"""
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import false, not_, select, true
from sqlalchemy.orm import load_only, selectinload

from ..activities import logic as activities
from ..activities.models import Activity
from ..advice import logic as advice
from ..advice.models import Advice, AdviceEvent
from ..documents import access as documents
from ..documents import search as document_search
from ..documents.models import Document
from ..extensions import db
from ..following.models import RemoteEntry, Source
from ..fulltext import FullTextIndex
from ..handbook import logic as handbook
from ..handbook.models import SEARCH as HANDBOOK_INDEX
from ..handbook.models import HandbookPage
from ..meetings import logic as meetings
from ..meetings.models import ActionItem, AgendaItem, Decision, Meeting, Minutes
from ..proposals import logic as proposals
from ..proposals.models import Proposal, ProposalOption
from ..signals import logic as signals
from ..signals.models import Signal


@dataclass(frozen=True)
class Hit:
    """One result as the list shows it: plain text, escaped when shown."""
    title: str
    url: str
    at: datetime | None
    place: str = ""


@dataclass(frozen=True)
class Kind:
    key: str  # the filter's value in the URL (?soort=)
    label: object  # the kind's name, plural, for the counts and the filter
    one: object  # on each result
    index: FullTextIndex
    found: Callable  # found(user, now) -> select of (id, at): what this person may open, newest first
    show: Callable  # show(ids) -> {id: Hit}
    texts: tuple[str, ...]  # the index's columns a snippet comes from
    # What to index per id (connection, ids) -> [dict]; None when the feature keeps the index itself.
    rows: Callable | None = None
    # The models whose change changes what is indexed, each with the indexed row's id.
    watches: dict = field(default_factory=dict)


def _weights(*columns: str) -> dict[str, float]:
    """The first column is the title: a match there ranks first; the second weighs more than the rest."""
    return {name: weight for name, weight in zip(columns, (5.0, 2.0, 1.0, 1.0))}


MEETINGS = FullTextIndex("meetings_search", _weights("title", "location"), owner=Meeting.__table__)
AGENDA_ITEMS = FullTextIndex("agenda_items_search", _weights("title", "description"), owner=AgendaItem.__table__)
MINUTES = FullTextIndex("minutes_search", _weights("title", "decisions", "text"), owner=Meeting.__table__)
ACTION_ITEMS = FullTextIndex("action_items_search", _weights("description"), owner=ActionItem.__table__)
ADVICE = FullTextIndex("advice_search", _weights("title", "summary", "steps"), owner=Advice.__table__)
PUBLIC_ADVICE = FullTextIndex("public_advice_search", _weights("title", "summary"), owner=Advice.__table__)
ACTIVITIES = FullTextIndex("activities_search", _weights("title", "description", "report"),
                           owner=Activity.__table__)
PROPOSALS = FullTextIndex("proposals_search", _weights("title", "options", "text"), owner=Proposal.__table__)
SIGNALS = FullTextIndex("signals_search", _weights("reference", "description"), owner=Signal.__table__)
REMOTE = FullTextIndex("remote_entries_search", _weights("title", "summary"), owner=RemoteEntry.__table__)


def _joined(connection, query) -> dict[int, str]:
    """(id, text) rows joined into one text per id, in the query's order."""
    texts = defaultdict(list)
    for row_id, value in connection.execute(query):
        if value:
            texts[row_id].append(value)
    return {row_id: "\n".join(values) for row_id, values in texts.items()}


def _plain(*columns):
    """rows() for a kind whose indexed columns are its own: (id, column...) as they are."""
    names = [column.key for column in columns[1:]]

    def rows(connection, ids):
        return [{"id": row[0], **dict(zip(names, row[1:]))}
                for row in connection.execute(select(*columns).where(columns[0].in_(ids)))]
    return rows


def _as(**renamed):
    """rows() of _plain under the index's column names."""
    plain = _plain(*renamed.values())
    keys = {column.key: name for name, column in renamed.items()}
    return lambda connection, ids: [{keys.get(k, k): v for k, v in row.items()} for row in plain(connection, ids)]


# --- meetings ---------------------------------------------------------------------------------------

def _meeting_place(meeting: Meeting) -> str:
    return meeting.body.name


def _show_meetings(ids):
    found = db.session.scalars(select(Meeting).where(Meeting.id.in_(ids)).options(selectinload(Meeting.body)))
    return {m.id: Hit(m.title, url_for("meetings.show", meeting_id=m.id), m.starts_at, _meeting_place(m))
            for m in found}


def _show_agenda_items(ids):
    found = db.session.execute(select(AgendaItem, Meeting).join(Meeting, Meeting.id == AgendaItem.meeting_id)
                               .where(AgendaItem.id.in_(ids)).options(selectinload(Meeting.body)))
    return {item.id: Hit(item.title, url_for("meetings.show", meeting_id=m.id, _anchor=f"item-{item.id}"),
                         m.starts_at, f"{m.body.name} · {m.title}") for item, m in found}


def _show_minutes(ids):
    found = db.session.scalars(select(Meeting).where(Meeting.id.in_(ids)).options(selectinload(Meeting.body)))
    return {m.id: Hit(m.title, url_for("meetings.minutes", meeting_id=m.id), m.starts_at, _meeting_place(m))
            for m in found}


def _minutes_rows(connection, ids):
    titles = dict(connection.execute(select(Meeting.id, Meeting.title).where(Meeting.id.in_(ids))).all())
    texts = _joined(connection, select(Minutes.meeting_id, Minutes.text).where(Minutes.meeting_id.in_(ids)))
    decisions = _joined(connection, select(Decision.meeting_id, Decision.text).where(Decision.meeting_id.in_(ids))
                        .order_by(Decision.id))
    # A meeting without minutes or decisions yet has nothing to find on its minutes page.
    return [{"id": meeting_id, "title": title, "text": texts.get(meeting_id, ""),
             "decisions": decisions.get(meeting_id, "")} for meeting_id, title in titles.items()
            if texts.get(meeting_id) or decisions.get(meeting_id)]


def _show_action_items(ids):
    found = db.session.execute(select(ActionItem, Meeting).outerjoin(Meeting, Meeting.id == ActionItem.meeting_id)
                               .where(ActionItem.id.in_(ids)).options(selectinload(ActionItem.body)))
    return {item.id: Hit(item.description, url_for("meetings.action_items", orgaan=item.body_id,
                                                   klaar="1" if item.done_at else None),
                         item.created_at, f"{item.body.name} · {m.title}" if m else item.body.name)
            for item, m in found}


# --- the others -------------------------------------------------------------------------------------

def _show_documents(ids):
    found = db.session.scalars(select(Document).where(Document.id.in_(ids))
                               .options(load_only(Document.id, Document.title, Document.updated_at)))
    return {d.id: Hit(d.title, url_for("documents.show", document_id=d.id), d.updated_at) for d in found}


def _show_handbook(ids):
    found = db.session.scalars(select(HandbookPage).where(HandbookPage.id.in_(ids)).options(
        load_only(HandbookPage.id, HandbookPage.title, HandbookPage.slug, HandbookPage.updated_at)))
    return {p.id: Hit(p.title, url_for("handbook.show", slug=p.slug), p.updated_at) for p in found}


def _show_advice(ids):
    found = db.session.scalars(select(Advice).where(Advice.id.in_(ids)).options(selectinload(Advice.body)))
    return {a.id: Hit(a.title, url_for("advice.show", advice_id=a.id), a.updated_at, a.body.name) for a in found}


def _advice_rows(connection, ids):
    steps = _joined(connection, select(AdviceEvent.advice_id, AdviceEvent.text)
                    .where(AdviceEvent.advice_id.in_(ids)).order_by(AdviceEvent.id))
    return [{"id": row.id, "title": row.title, "summary": row.summary,
             "steps": "\n".join(filter(None, (row.response_summary, row.follow_up_notes, steps.get(row.id, ""))))}
            for row in connection.execute(select(Advice.id, Advice.title, Advice.summary, Advice.response_summary,
                                                 Advice.follow_up_notes).where(Advice.id.in_(ids)))]


def _show_public_advice(ids):
    found = db.session.scalars(select(Advice).where(Advice.id.in_(ids)))
    return {a.id: Hit(a.title, url_for("advice_public.show", advice_id=a.id), a.published_at) for a in found}


def _public_advice_found(user, now):
    # Members who open the dossier itself find that; the public page is for everyone else.
    return select(Advice.id, Advice.published_at).where(advice.published_filter(), not_(advice.visible_filter(user)))


def _show_activities(ids):
    found = db.session.scalars(select(Activity).where(Activity.id.in_(ids)))
    return {a.id: Hit(a.title, url_for("activities.show", activity_id=a.id), a.starts_at) for a in found}


def _show_proposals(ids):
    found = db.session.scalars(select(Proposal).where(Proposal.id.in_(ids)).options(selectinload(Proposal.body)))
    return {p.id: Hit(p.title, url_for("proposals.show", proposal_id=p.id), p.created_at, p.body.name)
            for p in found}


def _proposal_rows(connection, ids):
    options = _joined(connection, select(ProposalOption.proposal_id, ProposalOption.label)
                      .where(ProposalOption.proposal_id.in_(ids)).order_by(ProposalOption.position))
    return [{"id": row.id, "title": row.title, "options": options.get(row.id, ""),
             "text": "\n".join(filter(None, (row.text, row.outcome_text)))}
            for row in connection.execute(select(Proposal.id, Proposal.title, Proposal.text, Proposal.outcome_text)
                                          .where(Proposal.id.in_(ids)))]


def _show_signals(ids):
    found = db.session.scalars(select(Signal).where(Signal.id.in_(ids))
                               .options(load_only(Signal.id, Signal.reference, Signal.category, Signal.created_at),
                                        selectinload(Signal.category_entry)))
    return {s.id: Hit(_("Signaal %(reference)s: %(category)s", reference=s.reference, category=s.category_label),
                      url_for("signals.show", signal_id=s.id), s.created_at) for s in found}


def _show_remote(ids):
    found = db.session.execute(select(RemoteEntry, Source.name).join(Source, Source.id == RemoteEntry.source_id)
                               .where(RemoteEntry.id.in_(ids)))
    return {e.id: Hit(e.title, e.url or url_for("following.entries"), e.updated,
                      _("Van %(source)s", source=name)) for e, name in found}


KINDS = (
    Kind("vergaderingen", _l("Vergaderingen"), _l("Vergadering"), MEETINGS,
         lambda user, now: select(Meeting.id, Meeting.starts_at).where(meetings.visible_filter(user, now)),
         _show_meetings, ("location",), _plain(Meeting.id, Meeting.title, Meeting.location),
         {Meeting: lambda m: m.id}),
    Kind("agendapunten", _l("Agendapunten"), _l("Agendapunt"), AGENDA_ITEMS,
         lambda user, now: select(AgendaItem.id, Meeting.starts_at).join(Meeting, Meeting.id == AgendaItem.meeting_id)
         .where(meetings.visible_filter(user, now)),
         _show_agenda_items, ("description",), _plain(AgendaItem.id, AgendaItem.title, AgendaItem.description),
         {AgendaItem: lambda item: item.id}),
    Kind("verslagen", _l("Verslagen en besluiten"), _l("Verslag"), MINUTES,
         lambda user, now: select(Meeting.id, Meeting.starts_at).outerjoin(Minutes, Minutes.meeting_id == Meeting.id)
         .where(meetings.minutes_filter(user, now)),
         _show_minutes, ("decisions", "text"), _minutes_rows,
         {Meeting: lambda m: m.id, Minutes: lambda m: m.meeting_id, Decision: lambda d: d.meeting_id}),
    Kind("actiepunten", _l("Actiepunten"), _l("Actiepunt"), ACTION_ITEMS,
         lambda user, now: select(ActionItem.id, ActionItem.created_at)
         .where(meetings.member_clause(user, ActionItem.body_id)),
         _show_action_items, ("description",), _plain(ActionItem.id, ActionItem.description),
         {ActionItem: lambda item: item.id}),
    Kind("documenten", _l("Documenten"), _l("Document"), document_search.INDEX,
         lambda user, now: select(Document.id, Document.updated_at).where(documents.visible_clause(user)),
         _show_documents, ("description", "content")),
    Kind("handboek", _l("Handboek"), _l("Handboek"), HANDBOOK_INDEX,
         lambda user, now: select(HandbookPage.id, HandbookPage.updated_at)
         .where(true() if handbook.can_read(user) else false()),
         _show_handbook, ("text",)),
    Kind("adviezen", _l("Adviezen"), _l("Advies"), ADVICE,
         lambda user, now: select(Advice.id, Advice.updated_at).where(advice.visible_filter(user)),
         _show_advice, ("summary", "steps"), _advice_rows,
         {Advice: lambda a: a.id, AdviceEvent: lambda event: event.advice_id}),
    Kind("onze-adviezen", _l("Onze adviezen"), _l("Onze adviezen"), PUBLIC_ADVICE, _public_advice_found,
         _show_public_advice, ("summary",), _as(id=Advice.id, title=Advice.title, summary=Advice.public_summary),
         {Advice: lambda a: a.id}),
    Kind("activiteiten", _l("Activiteiten"), _l("Activiteit"), ACTIVITIES,
         lambda user, now: select(Activity.id, Activity.starts_at).where(activities.visible_filter(user)),
         _show_activities, ("description", "report"),
         _plain(Activity.id, Activity.title, Activity.description, Activity.report), {Activity: lambda a: a.id}),
    Kind("voorstellen", _l("Voorstellen"), _l("Voorstel"), PROPOSALS,
         lambda user, now: select(Proposal.id, Proposal.created_at).where(proposals.visible_filter(user)),
         _show_proposals, ("options", "text"), _proposal_rows,
         {Proposal: lambda p: p.id, ProposalOption: lambda option: option.proposal_id}),
    Kind("signalen", _l("Signalen"), _l("Signaal"), SIGNALS,
         lambda user, now: select(Signal.id, Signal.created_at)
         .where(true() if signals.can_triage(user) else false()),
         _show_signals, ("description",), _plain(Signal.id, Signal.reference, Signal.description),
         {Signal: lambda s: s.id}),
    Kind("andere-raden", _l("Van andere raden"), _l("Van andere raden"), REMOTE,
         lambda user, now: select(RemoteEntry.id, RemoteEntry.updated),
         _show_remote, ("summary",), _plain(RemoteEntry.id, RemoteEntry.title, RemoteEntry.summary),
         {RemoteEntry: lambda e: e.id}),
)
BY_KEY = {kind.key: kind for kind in KINDS}
# The indexes this feature keeps (the documents' and the handbook's are their features').
OWN = tuple(kind for kind in KINDS if kind.rows is not None)
