from flask import Blueprint, abort, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin, current_user

from ..auth.access import login_required
from ..auth.models import User
from ..bodies.logic import active_bodies
from ..core.database import utcnow
from ..core.extensions import db
from ..core.i18n import local_today
from ..web.qr import qr_svg
from ..web.rendering import done, render
from ..web.security import no_store
from ..web.urls import site_url
from . import logic
from .forms import AlarmForm
from .ical import calendar_file

bp = Blueprint("calendar", __name__)
# "" is the first page: the coming days on a phone, the month on a wider screen (the style sheet
# chooses, so it works without JavaScript and without guessing the device).
VIEWS = ("", "komend", "maand", "lijst")


def _body_id(bodies) -> int | None:
    value = request.args.get("orgaan", "")
    if not value:
        return None
    if not value.isdigit() or int(value) not in {b.id for b in bodies}:
        abort(404)
    return int(value)


@bp.route("/agenda")
def index():
    """What is coming, or everything with a date in one month as a grid or a list; guests see the
    public items."""
    today = local_today()
    month_text = request.args.get("maand")
    month = logic.Month.parse(month_text, today)
    view = request.args.get("weergave") or ("maand" if month_text else "")
    if month is None or view not in VIEWS:
        abort(404)
    followed = request.args.get("andere", "")
    if followed not in ("", "1"):
        abort(404)
    followed = followed == "1"
    bodies = active_bodies()
    body_id = _body_id(bodies)
    weeks, by_day = logic.month_view(current_user, month, body_id, followed) if view != "komend" else ([], {})
    coming = logic.coming_days(current_user, today, body_id, followed) if view in ("", "komend") else []
    return render("calendar/index.html", block="calendar", month=month, month_chosen=bool(month_text), view=view,
                  weeks=weeks, by_day=by_day, coming=coming, bodies=bodies, body_id=body_id, today=today,
                  day_shows=logic.DAY_SHOWS, followed=followed, can_follow=logic.follows_others())


def _ics_response(content: bytes, filename: str):
    """The feed, or 304 when the calendar app already has this very file (it sends the ETag back):
    most of a subscriber's fetches then carry no body."""
    response = make_response(content)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=900"
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/agenda.ics")
def public_feed():
    """The public items as an iCal feed to subscribe to."""
    events = logic.feed_events(AnonymousUserMixin(), utcnow())
    return _ics_response(calendar_file(events, _("Openbare agenda")), "agenda.ics")


@bp.route("/agenda/<token>.ics")
def private_feed(token: str):
    """A member's own feed: all they may see. A wrong or renewed token is a 404."""
    feed = logic.feed_by_token(token)
    user = db.session.get(User, feed.user_id) if feed is not None else None
    if user is None or not user.is_active:
        abort(404)
    events = logic.feed_events(user, utcnow())
    # A link that works without logging in, to what only this member may see: kept nowhere on the way.
    return no_store(_ics_response(calendar_file(events, _("Mijn agenda"), feed.alarm_minutes), "mijn-agenda.ics"))


@bp.route("/agenda/koppelen", methods=["GET", "POST"])
@login_required
def subscribe():
    """The member's private calendar address (to tap, copy or scan), a new one on request, and the
    alarm they want."""
    feed = logic.feed_of(current_user)
    form = AlarmForm(alarm=str(feed.alarm_minutes or "") if feed else "")
    if form.validate_on_submit():
        logic.choose_alarm(current_user, int(form.alarm.data) if form.alarm.data else None)
        return done(_("Uw keuze is opgeslagen."), url_for("calendar.subscribe"))
    address = site_url("calendar.private_feed", token=feed.token) if feed else None
    public_address = site_url("calendar.public_feed")
    response = render("calendar/subscribe.html", feed=feed, form=form, address=address,
                      webcal=logic.webcal(address) if address else None,
                      qr=qr_svg(logic.webcal(address), _("QR-code met uw persoonlijke adres")) if address else None,
                      public_address=public_address, public_webcal=logic.webcal(public_address),
                      status=422 if form.errors else 200)
    # The page shows the private address, which opens the member's agenda without logging in.
    return no_store(response)


@bp.route("/agenda/koppelen/nieuw-adres", methods=["POST"])
@login_required
def renew():
    """Make (or replace) the private address; whoever had the old one sees nothing any more."""
    had_one = logic.feed_of(current_user) is not None
    logic.renew_feed(current_user)
    return done(_("U heeft een nieuw adres. Het oude adres werkt niet meer.") if had_one
                else _("Uw persoonlijke agenda-adres staat klaar."),
                url_for("calendar.subscribe"))
