from flask import Blueprint, abort, current_app, flash, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import RequestEntityTooLarge

from ..auth.access import permission_required
from ..bodies.logic import active_organisations
from ..core.database import paginate, utcnow
from ..core.extensions import csrf, db, limiter
from ..core.i18n import date_long, number
from ..web.categories import CategoryPages
from ..web.confirming import Confirmation, confirm_page
from ..web.errors import error_page
from ..web.forms import choice_list
from ..web.qr import qr_svg
from ..web.rendering import done, redirect_to, refused, render
from ..web.security import no_store
from ..web.spreadsheet import csv_response
from ..web.urls import site_url
from . import logic, rules
from .forms import (AssignForm, CategoryForm, MessageForm, NoteForm, RecordedSignalForm, ReportForm, SignalFilterForm,
                    SignalForm, StatusForm)
from .models import Signal, SignalCategory, SignalEvent

bp = Blueprint("signals", __name__)
# Members who read signals (see logic.can_triage), and those who manage them.
triage_required = permission_required(logic.can_triage)
manage_required = permission_required(logic.can_manage_signals)

RECEIPT_KEY = "signal_receipt"


def _signal_form(**kwargs) -> SignalForm:
    form_class = RecordedSignalForm if current_user.is_authenticated else SignalForm
    form = form_class(**kwargs)
    form.category.choices = choice_list((c.key, c.label) for c in logic.categories())
    # An empty first choice: a pre-selected municipality would be sent by whoever overlooks it.
    form.municipality.choices = choice_list([("", _("Kies uw gemeente"))] + _municipality_choices())
    return form


def _municipality_choices() -> list[tuple[str, str]]:
    return [(str(o.id), o.name) for o in active_organisations("gemeente")] + [
        (rules.UNKNOWN_MUNICIPALITY, _("Weet ik niet"))]


def _csrf_problem(form) -> str | None:
    """An expired or missing token: say so, but keep what the visitor wrote (no error page)."""
    token = getattr(form, "csrf_token", None)  # absent when CSRF is switched off (tests)
    if token is not None and token.errors:
        token.errors = []
        return _("Het formulier was te lang open. Uw tekst staat er nog. Kijk alles na en klik nog een keer op "
                 "‘Signaal versturen’.")
    return None


@bp.route("/signaal", methods=["GET", "POST"])
@csrf.exempt  # checked by the form itself, so an expired token re-shows the form with the text
@limiter.limit(lambda: current_app.config["SIGNAL_RATE_LIMIT"], methods=["POST"])
def new():
    """The public signal form, for everyone; members may also record a signal they heard."""
    if request.method == "POST":
        # The form's longest text fits many times over; a bigger body is not read, kept or sent back.
        request.max_content_length = current_app.config["SIGNAL_MAX_BYTES"]
    try:
        form = _signal_form()
    except RequestEntityTooLarge:
        return error_page(413, _("Uw bericht is te lang. Een signaal mag hoogstens %(n)s tekens hebben. Wat u typte is "
                                 "niet bewaard. Ga terug, maak de tekst korter en verstuur hem opnieuw.", n=number(rules.MAX_TEXT)))
    if request.method == "POST":
        valid = form.validate()
        problem = _csrf_problem(form)
        if valid and not problem:
            return _save(form)
        form.started.data = logic.kept_form_token(form.started.data)
        return render("signals/new.html", form=form, error=problem, status=422)
    form.started.data = logic.new_form_token()
    return render("signals/new.html", form=form, error=None)


def _save(form):
    signal = logic.receive(form.data, recorder=current_user if current_user.is_authenticated else None)
    token = getattr(signal, "follow_token", None)
    if token is None:  # the same form sent twice: the link went to the first answer's receipt
        previous = session.get(RECEIPT_KEY) or {}
        follow = previous.get("follow") if previous.get("reference") == signal.reference else None
    else:
        follow = url_for("signals.follow", token=token)
    session[RECEIPT_KEY] = {"reference": signal.reference, "contact": signal.has_contact, "follow": follow}
    return redirect_to(url_for("signals.receipt"))


@bp.route("/signaal/ontvangen")
def receipt():
    """The receipt with the reference and the private link to follow the signal, only in the
    session that sent it (nothing to guess)."""
    details = {"reference": None, "contact": False, "follow": None, **(session.get(RECEIPT_KEY) or {})}
    return no_store(render("signals/receipt.html", **details))


@bp.route("/signaal/volgen/<token>")
def follow(token: str):
    """The visitor's page for their signal: its status as the council tells it and the council's
    messages, never a name or a note. Only with the private link; the reference alone shows nothing."""
    signal = logic.find_by_follow_token(token)
    if signal is None:
        return error_page(404, _("Deze link werkt niet, of niet meer. Kijk of u de hele link uit de e-mail heeft "
                                 "overgenomen. Is uw signaal al een tijd afgerond? Dan hebben wij de link gewist, "
                                 "samen met uw contactgegevens. Heeft u een vraag? Stuur ons een bericht via het "
                                 "contactformulier en noem uw kenmerk."))
    response = render("signals/follow.html", signal=signal, public_status=rules.public_status(signal.status),
                      discussed_on=logic.discussed_on(signal), messages=logic.messages_for_visitor(signal.id))
    response.headers["X-Robots-Tag"] = "noindex"
    return no_store(response)


@bp.route("/signaal/poster")
def poster():
    """A printable A4 poster for the waiting room, with a QR code to the form; for everyone."""
    url = site_url("signals.new")
    return render("signals/poster.html", url=url, qr=qr_svg(url, _("QR-code naar het formulier")))


def _get_signal_or_404(signal_id: int) -> Signal:
    return db.get_or_404(Signal, signal_id)


def _get_signal_to_handle(signal_id: int) -> Signal:
    """The signal, for those who manage signals and its assignee; other readers get 403."""
    signal = _get_signal_or_404(signal_id)
    if not logic.can_handle(current_user, signal):
        abort(403)
    return signal


@bp.route("/signalen")
@triage_required
def index():
    """The list of signals, for those who read them (admins and the receiving body's members)."""
    filters = SignalFilterForm(formdata=request.args)
    filters.category.choices = choice_list([("", _("Alle"))] + [(c.key, c.label) for c in logic.categories(False)])
    filters.municipality.choices = choice_list([("", _("Alle"))] + _municipality_choices())
    if not filters.validate():
        abort(400)
    query = logic.triage_query(filters.data, current_user.id)
    page = paginate(query.options(selectinload(Signal.municipality), selectinload(Signal.assignee),
                                  selectinload(Signal.category_entry)))
    filter_args = {name: value for name, value in request.args.items() if name != "pagina" and value}
    return render("signals/index.html", block="signal_list", page=page, filters=filters, filter_args=filter_args,
                  may_manage=logic.can_manage_signals(current_user), preview=logic.preview, spam=logic.spam_count())


def _status_form(signal: Signal, **kwargs) -> StatusForm:
    """The next statuses; with "geagendeerd" the agenda items this person may choose."""
    form = StatusForm(**kwargs)
    form.status.choices = choice_list((s, rules.STATUSES[s]) for s in rules.next_statuses(signal.status))
    if rules.ON_AGENDA in rules.next_statuses(signal.status):
        form.agenda.choices = choice_list([("", _("Kies een agendapunt"))] + logic.agenda_choices(current_user))
    return form


def _triage_forms(signal: Signal, may_manage: bool, **bound) -> dict:
    forms = {"status_form": _status_form(signal, formdata=None), "note_form": NoteForm(formdata=None),
             "assign_form": AssignForm(formdata=None, assignee=str(signal.assignee_id or ""))}
    forms.update(bound)
    if may_manage:
        forms["assign_form"].assignee.choices = choice_list(
            [("", _("Niemand"))] + [(str(u.id), u.name) for u in logic.triage_candidates()])
    return forms


def _show(signal: Signal, status: int = 200, **bound):
    """The signal page or its triage panel; showing contact details is logged first."""
    may_manage = logic.can_manage_signals(current_user)
    may_handle = may_manage or logic.can_handle(current_user, signal)
    if may_handle:
        logic.note_contact_shown(signal.id, current_user)
    events = db.session.scalars(db.select(SignalEvent).filter_by(signal_id=signal.id)
                                .options(selectinload(SignalEvent.actor)).order_by(SignalEvent.at)).all()
    return render("signals/show.html", block="signal_triage", status=status, signal=signal, events=events,
                  agenda=logic.agenda_of(signal.id, current_user), may_manage=may_manage, may_handle=may_handle,
                  **_triage_forms(signal, may_manage, **bound))


@bp.route("/signalen/<int:signal_id>")
@triage_required
def show(signal_id: int):
    """One signal with its history, for those who read signals; the contact details only for
    secretaries, admins and the assignee."""
    return _show(_get_signal_or_404(signal_id))


@bp.route("/signalen/<int:signal_id>/status", methods=["POST"])
@triage_required
def change_status(signal_id: int):
    """Move a signal on, for secretaries, admins and the assignee; htmx swaps the triage panel."""
    signal = _get_signal_to_handle(signal_id)
    form = _status_form(signal)
    if form.validate():
        problem = logic.change_status(signal.id, current_user, form.data)
        if problem is None:
            return _after_change(signal, _("De status is nu: %(status)s.", status=signal.status_label))
        form.original.errors.append(problem)
    return _show(signal, status=422, status_form=form)


def _after_change(signal: Signal, message: str):
    """htmx gets the redrawn panel, a plain form the page again."""
    flash(message, "success")
    if request.htmx:
        return _show(signal)
    return redirect_to(url_for("signals.show", signal_id=signal.id))


@bp.route("/signalen/<int:signal_id>/notitie", methods=["POST"])
@triage_required
def add_note(signal_id: int):
    """Add an internal note (secretaries, admins, the assignee)."""
    signal = _get_signal_to_handle(signal_id)
    form = NoteForm()
    if form.validate():
        logic.add_note(signal.id, current_user, form.text.data)
        return _after_change(signal, _("De notitie is opgeslagen."))
    return _show(signal, status=422, note_form=form)


@bp.route("/signalen/<int:signal_id>/bericht", methods=["GET", "POST"])
@triage_required
def write_message(signal_id: int):
    """Ask first, naming who gets a mail, then leave a message for the visitor on their page
    (mailed when they left an address); for secretaries, admins and the assignee."""
    signal = _get_signal_to_handle(signal_id)
    back = url_for("signals.show", signal_id=signal.id)
    if not logic.can_reach_visitor(signal):
        return refused(_("De indiener kan dit signaal niet meer volgen en gaf geen e-mailadres. "
                         "Een bericht komt nergens aan."), back)
    form = MessageForm()
    if form.validate_on_submit():
        mailed = logic.write_to_visitor(signal.id, current_user, form.note.data)
        return done(_("Het bericht staat op de pagina van de indiener. De e-mail wacht om verstuurd te worden.")
                    if mailed else _("Het bericht staat op de pagina van de indiener."), back)
    recipients = logic.message_recipients(signal)
    happens = [_("De indiener leest het bericht op de pagina waarmee hij of zij het signaal volgt.")]
    if signal.follow_token_hash is None:
        happens = [_("De indiener kan het signaal niet meer volgen. Het bericht gaat alleen per e-mail.")]
    return confirm_page(Confirmation(
        title=_("Bericht aan de indiener sturen?"), subject=_("Signaal %(reference)s", reference=signal.reference),
        happens=happens, recipients=recipients, asks_note=True,
        button=_("Bericht versturen") if recipients else _("Bericht opslaan"), back=back), form)


@bp.route("/signalen/<int:signal_id>/toewijzen", methods=["POST"])
@manage_required
def assign(signal_id: int):
    """Give the signal to a member who reads signals, to pick up; for secretaries and admins."""
    signal = _get_signal_or_404(signal_id)
    form = AssignForm()
    form.assignee.choices = choice_list([("", "")] + [(str(u.id), u.name) for u in logic.triage_candidates()])
    if form.validate():
        logic.assign(signal.id, current_user, int(form.assignee.data) if form.assignee.data else None)
        return _after_change(signal, _("Opgeslagen wie dit oppakt."))
    return _show(signal, status=422, assign_form=form)


@bp.route("/signalen/<int:signal_id>/geen-spam", methods=["POST"])
@manage_required
def restore(signal_id: int):
    """Take a signal out of the 'mogelijk spam' list: a secretary read it and it is real."""
    signal = _get_signal_or_404(signal_id)
    logic.mark_not_spam(signal.id, current_user)
    return _after_change(signal, _("Het signaal staat nu bij de gewone signalen."))


@bp.route("/signalen/<int:signal_id>/contact-wissen", methods=["POST"])
@manage_required
def erase_contact(signal_id: int):
    """Erase the visitor's contact details at once (on their request); for secretaries and admins."""
    signal = _get_signal_or_404(signal_id)
    logic.erase_contact(signal.id, current_user)
    return _after_change(signal, _("De contactgegevens zijn gewist."))


@bp.route("/signalen/overzicht")
@triage_required
def report():
    """Counts by kind for management ("aard en aantal"), for those who read signals: no names, no
    texts. Also as CSV."""
    form = ReportForm(formdata=request.args)
    today = utcnow().astimezone(logic.AMSTERDAM).date()
    start, end = logic.default_period(today)
    context = {"form": form, "periods": logic.named_periods(today)}
    if request.args and not form.validate():
        return render("signals/report.html", rows=[], municipalities=[], organisations=[], start=start, end=end,
                      status=422, **context)
    start, end = form.start.data or start, form.end.data or end
    rows, municipalities, organisations = logic.report(start, end)
    if request.args.get("formaat") == "csv":
        return _report_csv(rows, municipalities, organisations, start, end)
    return render("signals/report.html", rows=rows, start=start, end=end, previous=logic.previous_period(start, end),
                  municipalities=municipalities, organisations=organisations, small_group=rules.SMALL_GROUP,
                  largest=max([r["total"] for r in rows] + [1]), **context)


def _small(number: int | None) -> int | str:
    return _("minder dan %(n)s", n=rules.SMALL_GROUP) if number is None else number


def _report_csv(rows: list[dict], municipalities: list[tuple[str, int]], organisations: list[dict], start, end):
    """The page's facts in one sheet: which period, the subjects with their totals, the organisations,
    the municipalities."""
    previous = logic.previous_period(start, end)
    per_organisation = [[row["label"], _small(row["goed"]), _small(row["beter"]), _small(row["total"])]
                        for row in organisations]
    numbers = [[row["label"], row["goed"], row["beter"], row["total"], row["previous"]] for row in rows]
    totals = [_("Totaal"), *(sum(row[i] for row in numbers) for i in range(1, 5))]
    return csv_response(
        f"signalen-{start}-{end}.csv",
        [_("Periode"), _("Van %(start)s tot en met %(end)s", start=date_long(start), end=date_long(end))],
        [[_("Vorige periode"), _("Van %(start)s tot en met %(end)s", start=date_long(previous[0]),
                                 end=date_long(previous[1]))], [],
         [_("Onderwerp"), _("Het ging goed"), _("Het kan beter"), _("Totaal"), _("Vorige periode")], *numbers, totals, [],
         [_("Organisatie"), _("Het ging goed"), _("Het kan beter"), _("Totaal")], *per_organisation, [],
         [_("Gemeente"), _("Aantal")], *municipalities, [_("Totaal"), sum(n for _name, n in municipalities)]])


CATEGORY_PAGES = CategoryPages(
    SignalCategory, CategoryForm, fallback_key="onderwerp", list_endpoint="signals.categories",
    edit_endpoint="signals.edit_category", back_endpoint="signals.index", words={
        "title": _l("Onderwerpen van signalen"), "back": _l("Terug naar de signalen"),
        "intro": _l("Deze onderwerpen staan op het signaalformulier, in deze volgorde."),
        "add": _l("Een onderwerp toevoegen"), "column": _l("Onderwerp"), "active": _l("Op het formulier"),
        "inactive": _l("Niet meer op het formulier"), "back_to_list": _l("Terug naar de onderwerpen"),
        "saved": _l("Het onderwerp ‘%(label)s’ is opgeslagen.")})


@bp.route("/signalen/onderwerpen")
@manage_required
def categories():
    """The subjects on the signal form, for secretaries and admins to keep."""
    return CATEGORY_PAGES.list_page()


@bp.route("/signalen/onderwerpen/nieuw", methods=["GET", "POST"])
@bp.route("/signalen/onderwerpen/<int:category_id>", methods=["GET", "POST"])
@manage_required
def edit_category(category_id: int | None = None):
    """Add a subject, or rename, move or retire one (its key stays, so old signals keep it)."""
    return CATEGORY_PAGES.edit_page(category_id)


def new_signals_section(user):
    if not logic.can_triage(user):
        return None
    count, more = logic.new_signals_count()
    return "signals/_home.html", {"count": count, "more": more}
