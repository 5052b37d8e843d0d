"""What the search box searches: one kind per page people open, each with its own full-text index
(cpweb.core.fulltext), who may find it, and how a result shows.

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
from sqlalchemy import Select, String, and_, cast, false, func, literal, not_, select, true

from ..activities import logic as activities
from ..activities.models import Activity
from ..advice import logic as advice
from ..advice.models import Advice, AdviceEvent
from ..bodies.models import Body
from ..core.fulltext import FullTextIndex
from ..documents import access as documents
from ..documents import search as document_search
from ..documents.models import Document
from ..following.models import RemoteEntry, Source
from ..handbook import logic as handbook
from ..handbook.models import SEARCH as HANDBOOK_INDEX
from ..handbook.models import HandbookPage
from ..meetings import logic as meetings
from ..meetings.models import ActionItem, AgendaItem, Decision, Meeting, Minutes
from ..proposals import logic as proposals
from ..proposals.models import Proposal, ProposalOption
from ..signals import logic as signals
from ..signals.models import Signal, SignalCategory


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
    source: Select  # of (id, at), with what the rule needs joined
    rule: Callable  # rule(user, now) -> the WHERE clause of what this person may open: the page's own
    # shown(select of source) -> (the select with what it needs joined, title, place, ref): the columns
    # a result shows, so the page's one query brings them; hit(row) makes the Hit of such a row.
    shown: Callable
    hit: Callable
    texts: tuple[str, ...]  # the index's columns a snippet comes from (one or two)
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


# --- how a result shows: its columns, joined in the page's one query --------------------------------

def _text(value):
    return cast(value, String)


def _meeting_shown(query, title=Meeting.title, place=None):
    query = query.join(Body, Body.id == Meeting.body_id)
    return query, title, place if place is not None else Body.name, _text(Meeting.id)


def _agenda_item_shown(query):
    return _meeting_shown(query, AgendaItem.title, Body.name + " · " + Meeting.title)


def _action_item_shown(query):
    query = query.join(Body, Body.id == ActionItem.body_id)
    return query, ActionItem.description, Body.name, _text(ActionItem.body_id)


def _own(title, ref, body_id=None):
    """Shown by its own title, with its body's name when it has one."""
    def shown(query):
        if body_id is None:
            return query, title, _text(literal("")), _text(ref)
        return query.join(Body, Body.id == body_id), title, Body.name, _text(ref)
    return shown


def _signal_shown(query):
    query = query.outerjoin(SignalCategory, SignalCategory.key == Signal.category)
    return query, Signal.reference, func.coalesce(SignalCategory.label, Signal.category), _text(Signal.id)


def _remote_shown(query):
    query = query.join(Source, Source.id == RemoteEntry.source_id)
    return query, RemoteEntry.title, Source.name, RemoteEntry.url


def _link(endpoint: str, argument: str):
    return lambda row: Hit(row.title, url_for(endpoint, **{argument: row.ref}), row.at, row.place)


def _agenda_item_hit(row):
    return Hit(row.title, url_for("meetings.show", meeting_id=row.ref, _anchor=f"item-{row.id}"), row.at, row.place)


def _action_item_hit(row):
    # An action item has no page of its own: the list of its body's, the finished ones too, at its row.
    return Hit(row.title, url_for("meetings.action_items", orgaan=row.ref, klaar="1", _anchor=f"actiepunt-{row.id}"),
               row.at, row.place)


def _signal_hit(row):
    return Hit(_("Signaal %(reference)s: %(category)s", reference=row.title, category=row.place),
               url_for("signals.show", signal_id=row.ref), row.at)


def _remote_hit(row):
    return Hit(row.title, row.ref or url_for("following.entries"), row.at, _("Van %(source)s", source=row.place))


# --- what is indexed --------------------------------------------------------------------------------

def _minutes_rows(connection, ids):
    titles = dict(connection.execute(select(Meeting.id, Meeting.title).where(Meeting.id.in_(ids))).all())
    texts = _joined(connection, select(Minutes.meeting_id, Minutes.text).where(Minutes.meeting_id.in_(ids)))
    decisions = _joined(connection, select(Decision.meeting_id, Decision.text).where(Decision.meeting_id.in_(ids))
                        .order_by(Decision.id))
    # A meeting without minutes or decisions yet has nothing to find on its minutes page.
    return [{"id": meeting_id, "title": title, "text": texts.get(meeting_id, ""),
             "decisions": decisions.get(meeting_id, "")} for meeting_id, title in titles.items()
            if texts.get(meeting_id) or decisions.get(meeting_id)]


def _advice_rows(connection, ids):
    steps = _joined(connection, select(AdviceEvent.advice_id, AdviceEvent.text)
                    .where(AdviceEvent.advice_id.in_(ids)).order_by(AdviceEvent.id))
    return [{"id": row.id, "title": row.title, "summary": row.summary,
             "steps": "\n".join(filter(None, (row.response_summary, row.follow_up_notes, steps.get(row.id, ""))))}
            for row in connection.execute(select(Advice.id, Advice.title, Advice.summary, Advice.response_summary,
                                                 Advice.follow_up_notes).where(Advice.id.in_(ids)))]


def _public_advice_rule(user, now):
    # Members who open the dossier itself find that; the public page is for everyone else.
    return and_(advice.published_filter(), not_(advice.visible_filter(user)))


def _proposal_rows(connection, ids):
    options = _joined(connection, select(ProposalOption.proposal_id, ProposalOption.label)
                      .where(ProposalOption.proposal_id.in_(ids)).order_by(ProposalOption.position))
    return [{"id": row.id, "title": row.title, "options": options.get(row.id, ""),
             "text": "\n".join(filter(None, (row.text, row.outcome_text)))}
            for row in connection.execute(select(Proposal.id, Proposal.title, Proposal.text, Proposal.outcome_text)
                                          .where(Proposal.id.in_(ids)))]


KINDS = (
    Kind("vergaderingen", _l("Vergaderingen"), _l("Vergadering"), MEETINGS,
         select(Meeting.id, Meeting.starts_at), meetings.visible_filter,
         _meeting_shown, _link("meetings.show", "meeting_id"), ("location",), _plain(Meeting.id, Meeting.title, Meeting.location),
         {Meeting: lambda m: m.id}),
    Kind("agendapunten", _l("Agendapunten"), _l("Agendapunt"), AGENDA_ITEMS,
         select(AgendaItem.id, Meeting.starts_at).join(Meeting, Meeting.id == AgendaItem.meeting_id),
         meetings.visible_filter,
         _agenda_item_shown, _agenda_item_hit, ("description",), _plain(AgendaItem.id, AgendaItem.title, AgendaItem.description),
         {AgendaItem: lambda item: item.id}),
    Kind("verslagen", _l("Verslagen en besluiten"), _l("Verslag"), MINUTES,
         select(Meeting.id, Meeting.starts_at).outerjoin(Minutes, Minutes.meeting_id == Meeting.id),
         meetings.minutes_filter,
         _meeting_shown, _link("meetings.minutes", "meeting_id"), ("decisions", "text"), _minutes_rows,
         {Meeting: lambda m: m.id, Minutes: lambda m: m.meeting_id, Decision: lambda d: d.meeting_id}),
    Kind("actiepunten", _l("Actiepunten"), _l("Actiepunt"), ACTION_ITEMS,
         select(ActionItem.id, ActionItem.created_at), lambda user, now: meetings.member_clause(user, ActionItem.body_id),
         _action_item_shown, _action_item_hit, ("description",), _plain(ActionItem.id, ActionItem.description),
         {ActionItem: lambda item: item.id}),
    Kind("documenten", _l("Documenten"), _l("Document"), document_search.INDEX,
         select(Document.id, Document.updated_at), lambda user, now: documents.visible_clause(user),
         _own(Document.title, Document.id), _link("documents.show", "document_id"),
         ("description", "content")),
    Kind("handboek", _l("Handboek"), _l("Handboek"), HANDBOOK_INDEX,
         select(HandbookPage.id, HandbookPage.updated_at),
         lambda user, now: true() if handbook.can_read(user) else false(),
         _own(HandbookPage.title, HandbookPage.slug), _link("handbook.show", "slug"), ("text",)),
    Kind("adviezen", _l("Adviezen"), _l("Advies"), ADVICE,
         select(Advice.id, Advice.updated_at), lambda user, now: advice.visible_filter(user),
         _own(Advice.title, Advice.id, Advice.body_id), _link("advice.show", "advice_id"),
         ("summary", "steps"), _advice_rows,
         {Advice: lambda a: a.id, AdviceEvent: lambda event: event.advice_id}),
    Kind("onze-adviezen", _l("Onze adviezen"), _l("Onze adviezen"), PUBLIC_ADVICE,
         select(Advice.id, Advice.published_at), _public_advice_rule,
         _own(Advice.title, Advice.id), _link("advice_public.show", "advice_id"), ("summary",), _as(id=Advice.id, title=Advice.title, summary=Advice.public_summary),
         {Advice: lambda a: a.id}),
    Kind("activiteiten", _l("Activiteiten"), _l("Activiteit"), ACTIVITIES,
         select(Activity.id, Activity.starts_at), lambda user, now: activities.findable_filter(user),
         _own(Activity.title, Activity.id), _link("activities.show", "activity_id"),
         ("description", "report"),
         _plain(Activity.id, Activity.title, Activity.description, Activity.report), {Activity: lambda a: a.id}),
    Kind("voorstellen", _l("Voorstellen"), _l("Voorstel"), PROPOSALS,
         select(Proposal.id, Proposal.created_at), lambda user, now: proposals.visible_filter(user),
         _own(Proposal.title, Proposal.id, Proposal.body_id), _link("proposals.show", "proposal_id"),
         ("options", "text"), _proposal_rows,
         {Proposal: lambda p: p.id, ProposalOption: lambda option: option.proposal_id}),
    Kind("signalen", _l("Signalen"), _l("Signaal"), SIGNALS,
         select(Signal.id, Signal.created_at), lambda user, now: true() if signals.can_triage(user) else false(),
         _signal_shown, _signal_hit, ("description",), _plain(Signal.id, Signal.reference, Signal.description),
         {Signal: lambda s: s.id}),
    Kind("andere-raden", _l("Van andere raden"), _l("Van andere raden"), REMOTE,
         select(RemoteEntry.id, RemoteEntry.updated), lambda user, now: true(),
         _remote_shown, _remote_hit, ("summary",), _plain(RemoteEntry.id, RemoteEntry.title, RemoteEntry.summary),
         {RemoteEntry: lambda e: e.id}),
)
BY_KEY = {kind.key: kind for kind in KINDS}
# The indexes this feature keeps (the documents' and the handbook's are their features').
OWN = tuple(kind for kind in KINDS if kind.rows is not None)
