"""Stopping a kind of mail without logging in, and the admins' view of the outbox."""
from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _

from ..auth.access import role_required
from ..auth.roles import ADMIN
from ..extensions import csrf, db
from ..rendering import redirect_to, render
from . import sending
from .models import OutboxMail
from .preferences import read_unsubscribe_token, unsubscribe as stop_kind

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


@bp.route("/beheer/e-mails")
@role_required(ADMIN)
def admin():
    """Mails waiting, failed and recently sent: to whom, the subject, why it failed. For admins."""
    return render("mail/admin.html", **sending.overview())


@bp.route("/beheer/e-mails/<int:mail_id>/opnieuw", methods=["POST"])
@role_required(ADMIN)
def retry(mail_id: int):
    """Try a waiting or failed mail again now. For admins."""
    mail = db.get_or_404(OutboxMail, mail_id)
    if sending.retry(mail):
        flash(_("De e-mail aan %(address)s wordt opnieuw verstuurd.", address=mail.to_address), "success")
    else:
        flash(_("Deze e-mail is al verstuurd of wordt nu verstuurd."), "error")
    return redirect_to(url_for("mail.admin"))
