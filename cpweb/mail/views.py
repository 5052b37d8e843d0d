"""Stopping a kind of mail without logging in, and the outbox as admins and secretaries see it."""
from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.access import permission_required
from ..core.extensions import csrf, db
from ..web.rendering import redirect_to, render
from . import sending
from .models import OutboxMail
from .preferences import read_unsubscribe_token
from .preferences import unsubscribe as stop_kind

bp = Blueprint("mail", __name__)


@bp.route("/e-mail/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: a mail program posts here without cookies or a form; the signed token is the proof
def unsubscribe(token: str):
    """For whoever holds the link in a mail: GET asks, POST (the button, or the mail program) stops that kind."""
    target = read_unsubscribe_token(token)
    if target is None:
        return render("mail/unsubscribe.html", target=None, status=404)
    if request.method == "POST":
        stop_kind(target)
    return render("mail/unsubscribe.html", target=target, token=token)


# Admins see every mail; a secretary the mails about their own bodies (a meeting's, a proposal's).
mails_required = permission_required(sending.can_see_mails)


def _get_visible_mail_or_404(mail_id: int) -> OutboxMail:
    """The mail, if this member may see it; another body's mail is a 404, as if it did not exist."""
    mail = db.get_or_404(OutboxMail, mail_id)
    bodies = sending.visible_bodies(current_user)
    if bodies is not None and mail.body_id not in bodies:
        abort(404)
    return mail


@bp.route("/beheer/e-mails")
@mails_required
def admin():
    """Mails waiting, failed and recently sent: to whom, the subject, why it failed. For admins (all
    mails) and secretaries (the mails of their own bodies)."""
    return render("mail/admin.html", failures=sending.failure_text, next_try=sending.next_try_words,
                  **sending.overview(sending.visible_bodies(current_user)))


@bp.route("/beheer/e-mails/<int:mail_id>/opnieuw", methods=["POST"])
@mails_required
def retry(mail_id: int):
    """Try a waiting or failed mail again now. For admins, and secretaries for their bodies' mails."""
    mail = _get_visible_mail_or_404(mail_id)
    if sending.retry(mail):
        flash(_("De e-mail aan %(address)s staat weer klaar om te versturen. De website probeert het nu.",
                address=mail.to_address), "success")
    else:
        flash(_("Deze e-mail is al verstuurd of wordt nu verstuurd."), "error")
    return redirect_to(url_for("mail.admin"))


@bp.route("/beheer/e-mails/opnieuw", methods=["POST"])
@mails_required
def retry_all():
    """Try every waiting and failed mail again now (a secretary: those of their bodies)."""
    count = sending.retry_all(sending.visible_bodies(current_user))
    if count:
        flash(ngettext("%(num)d e-mail staat weer klaar om te versturen. De website probeert het nu.",
                       "%(num)d e-mails staan weer klaar om te versturen. De website probeert het nu.", count),
              "success")
    else:
        flash(_("Er wacht geen e-mail."), "info")
    return redirect_to(url_for("mail.admin"))
