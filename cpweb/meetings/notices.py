"""The mails about meetings. Each member chooses per kind whether to get them (cpweb.mail); the
confirmation pages name beforehand who will get one (the `*_recipients` functions), by the same rule.
A `note` is the secretary's personal message from such a page."""
from flask_babel import gettext as _

from ..bodies.logic import secretaries_of
from ..core.i18n import date_long, datetime_long
from ..mail import chosen_kinds, send_mail, wants_mail, with_note
from ..web.urls import site_url
from . import feeds, logic
from .models import ActionItem, Meeting, MinutesCorrection


def _when_and_where(meeting: Meeting) -> str:
    lines = [_("Wanneer: %(when)s", when=datetime_long(meeting.starts_at))]
    if meeting.location:
        lines.append(_("Waar: %(where)s", where=meeting.location))
    if meeting.online_url:
        lines.append(_("Online: %(url)s", url=meeting.online_url))
    return "\n".join(lines)


def _agenda_text(meeting: Meeting) -> str:
    return "\n".join(f"{n}. {item.title}" for n, item in enumerate(meeting.items, start=1))


def _link(meeting: Meeting) -> str:
    return site_url("meetings.show", meeting_id=meeting.id)


def _ics(meeting: Meeting):
    return [(f"vergadering-{meeting.id}.ics", "text/calendar", feeds.meeting_ics(meeting))]


INVITATIONS, UPDATES, MINUTES, DOCUMENTS = "invitations", "updates", "minutes", "documents"


def recipients(meeting: Meeting, kind: str) -> list:
    """The body's members who get this kind of mail: those who did not switch it off."""
    return [member for member in logic.members_of(meeting.body_id) if wants_mail(member, kind)]


def change_recipients(meeting: Meeting, now) -> list:
    """Who hears that the meeting is cancelled (or goes ahead after all): nobody while it is hidden."""
    return recipients(meeting, UPDATES) if meeting.is_published(now) else []


def _send_to_members(meeting: Meeting, subject: str, body: str, kind: str, with_ics: bool = False,
                     note: str = "") -> int:
    attachments = _ics(meeting) if with_ics else ()
    body = with_note(body, note)
    return sum(send_mail(member, subject, body, kind=kind, attachments=attachments, body_id=meeting.body_id)
               for member in recipients(meeting, kind))


def send_invitations(meeting: Meeting, note: str = "") -> int:
    subject = _("Uitnodiging: %(title)s, %(when)s", title=meeting.title, when=datetime_long(meeting.starts_at))
    body = _("U bent uitgenodigd voor deze vergadering van %(body)s.\n\n%(where)s\n\nAgenda:\n%(agenda)s\n\n"
             "Laat weten of u komt: %(url)s\nDe bijlage zet de vergadering in uw agenda.",
             body=meeting.body.name, where=_when_and_where(meeting), agenda=_agenda_text(meeting), url=_link(meeting))
    return _send_to_members(meeting, subject, body, INVITATIONS, with_ics=True, note=note)


def send_reminder(meeting: Meeting) -> int:
    subject = _("Herinnering: %(title)s, %(when)s", title=meeting.title, when=datetime_long(meeting.starts_at))
    body = _("Binnenkort is deze vergadering van %(body)s.\n\n%(where)s\n\nAgenda en stukken: %(url)s",
             body=meeting.body.name, where=_when_and_where(meeting), url=_link(meeting))
    return _send_to_members(meeting, subject, body, "reminders")


def send_change(meeting: Meeting, note: str = "", reinstated: bool = False) -> int:
    """Tell the members that a meeting was cancelled, goes ahead after all, or moved; the .ics
    updates their calendar."""
    if reinstated:
        subject = _("Gaat toch door: %(title)s, %(when)s", title=meeting.title, when=datetime_long(meeting.starts_at))
        body = _("Deze vergadering van %(body)s was afgelast, maar gaat toch door.\n\n%(where)s\n\n%(url)s",
                 body=meeting.body.name, where=_when_and_where(meeting), url=_link(meeting))
    elif meeting.is_cancelled:
        subject = _("Afgelast: %(title)s, %(when)s", title=meeting.title, when=datetime_long(meeting.starts_at))
        body = _("Deze vergadering van %(body)s gaat niet door.\n\n%(url)s", body=meeting.body.name, url=_link(meeting))
    else:
        subject = _("Gewijzigd: %(title)s", title=meeting.title)
        body = _("Deze vergadering van %(body)s is verplaatst of heeft een andere plek.\n\n%(where)s\n\n%(url)s",
                 body=meeting.body.name, where=_when_and_where(meeting), url=_link(meeting))
    return _send_to_members(meeting, subject, body, UPDATES, with_ics=True, note=note)


def send_documents_complete(meeting: Meeting, note: str = "") -> int:
    subject = _("De stukken zijn compleet: %(title)s", title=meeting.title)
    body = _("De stukken voor de vergadering van %(when)s staan klaar.\n\n%(url)s",
             when=datetime_long(meeting.starts_at), url=_link(meeting))
    return _send_to_members(meeting, subject, body, DOCUMENTS, note=note)


def send_minutes_shared(meeting: Meeting, note: str = "") -> int:
    subject = _("Verslag om te lezen: %(title)s", title=meeting.title)
    body = _("Het conceptverslag van de vergadering van %(when)s staat klaar. Klopt er iets niet? "
             "Stel een correctie voor: %(url)s",
             when=datetime_long(meeting.starts_at), url=site_url("meetings.minutes", meeting_id=meeting.id))
    return _send_to_members(meeting, subject, body, MINUTES, note=note)


def send_correction_proposed(meeting: Meeting, correction: MinutesCorrection) -> int:
    """The body's secretaries read the correction a member proposes (not the one who wrote it)."""
    subject = _("Correctie op het verslag: %(title)s", title=meeting.title)
    body = _("%(name)s stelt een correctie voor op het verslag van de vergadering van %(when)s:\n\n%(text)s\n\n"
             "Neem hem over of wijs hem af: %(url)s", name=correction.author.name, when=datetime_long(meeting.starts_at),
             text=correction.text, url=site_url("meetings.minutes", meeting_id=meeting.id, _anchor="corrections"))
    return sum(send_mail(user, subject, body, kind="corrections", body_id=meeting.body_id)
               for user in secretaries_of([meeting.body_id]) if user.id != correction.author_id)


def _due(item: ActionItem) -> str:
    return _("Klaar op: %(date)s", date=date_long(item.due_on)) if item.due_on else _("Er is geen datum afgesproken.")


def send_action_item_assigned(item: ActionItem) -> int:
    if item.owner is None:
        return 0
    body = _("U doet dit actiepunt voor %(body)s:\n\n%(what)s\n\n%(due)s\n\nUw actiepunten: %(url)s",
             body=item.body.name, what=item.description, due=_due(item), url=site_url("meetings.action_items"))
    return send_mail(item.owner, _("Een actiepunt voor u"), body, kind="action_items", body_id=item.body_id)


def send_action_item_new_date(item: ActionItem) -> int:
    if item.owner is None:
        return 0
    body = _("Uw actiepunt voor %(body)s heeft een nieuwe datum:\n\n%(what)s\n\n%(due)s\n\nUw actiepunten: %(url)s",
             body=item.body.name, what=item.description, due=_due(item), url=site_url("meetings.action_items"))
    return send_mail(item.owner, _("Nieuwe datum voor uw actiepunt"), body, kind="action_items")


def send_action_item_overdue(item: ActionItem) -> int:
    body = _("De datum van dit actiepunt voor %(body)s is voorbij:\n\n%(what)s\n\n%(due)s\n\n"
             "Is het klaar? Zet het dan op klaar. Lukt het niet? Laat het de secretaris weten.\n\n"
             "Uw actiepunten: %(url)s",
             body=item.body.name, what=item.description, due=_due(item), url=site_url("meetings.action_items"))
    return send_mail(item.owner, _("Uw actiepunt is over de datum"), body, kind="action_items", body_id=item.body_id)


def digest_lines(user, today) -> list[str]:
    """For the weekly overview, what a member switched the single mails off for: their action items
    past their date, and for a secretary the corrections still waiting for a decision."""
    kinds, lines = chosen_kinds(user), []
    if "action_items" not in kinds:
        lines += [_("- Actiepunt over de datum: %(what)s (%(due)s) %(url)s", what=item.description,
                    due=date_long(item.due_on), url=site_url("meetings.action_items"))
                  for item in logic.overdue_action_items(user.id, today)]
    if "corrections" not in kinds:
        lines += [_("- Correctie op het verslag van %(when)s: %(text)s %(url)s", when=date_long(meeting.starts_at),
                    text=correction.text, url=site_url("meetings.minutes", meeting_id=meeting.id, _anchor="corrections"))
                  for correction, meeting in logic.open_corrections([b.id for b in logic.managed_bodies(user)])]
    return lines
