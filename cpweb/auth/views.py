from flask import Blueprint, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..database import utcnow
from ..extensions import db, limiter
from ..forms import choice_list, strip
from ..mail import OPTIONAL_MAIL_KINDS, choose_kinds, chosen_kinds
from ..rendering import redirect_to, render, saved
from ..security import safe_next
from . import sessions, tokens
from .access import login_required
from .forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, MailPreferencesForm, ProfileForm, SetPasswordForm
from .models import User
from .profile import update_profile

bp = Blueprint("auth", __name__)
bp.teardown_app_request(sessions.note_last_use)

# Only failed attempts count, so a member who logs in every day is never locked out.
_failed = lambda response: response.status_code != 303  # noqa: E731
# Also on the profile: a copied login cookie must not be a way to guess the password.
_password_guesses = limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_failed)


def _login_email_key() -> str:
    return "login:" + (strip(request.form.get("email")) or "").lower()


@bp.route("/inloggen", methods=["GET", "POST"])
@_password_guesses
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_failed,
               key_func=_login_email_key)
def login():
    """The login form, for everyone."""
    next_url = safe_next(request.args.get("next"), url_for("pages.home"))
    if current_user.is_authenticated:
        return redirect_to(next_url)
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = db.session.scalar(db.select(User).filter_by(email=form.email.data))
        if user is None or not user.check_password(form.password.data):
            error = _("Het e-mailadres of het wachtwoord klopt niet. Let op hoofdletters. "
                      "Wachtwoord vergeten? Vraag een nieuw wachtwoord aan.")
        elif not user.is_active:
            error = _("Uw account staat uit. Vraag de beheerder om het weer aan te zetten.")
        else:
            sessions.start(user, permanent=form.stay_logged_in.data)
            user.last_login_at = utcnow()
            db.session.commit()
            return redirect_to(next_url)
    return render("auth/login.html", form=form, error=error, status=422 if error else 200)


@bp.route("/uitloggen", methods=["GET", "POST"])
def logout():
    """Logging out. GET asks to confirm, so a link from another site cannot log anyone out."""
    if request.method == "POST":
        sessions.end()
        db.session.commit()
        flash(_("U bent uitgelogd."), "success")
        return redirect_to(url_for("pages.home"))
    return render("auth/logout.html")


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password():
    """Ask for a link to set a new password. Says the same whether or not the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = db.session.scalar(db.select(User).filter_by(email=form.email.data))
        if user is not None and user.is_active:
            tokens.send_password_link(user, tokens.PASSWORD_RESET)
        flash(_("Als dit e-mailadres bij ons bekend is, krijgt u binnen een paar minuten een "
                "e-mail met een link. Kijk ook bij de ongewenste e-mail."), "success")
        return redirect_to(url_for("auth.login"))
    return render("auth/forgot_password.html", form=form)


@bp.route("/wachtwoord/<any(invitation, 'password-reset'):purpose>/<token>", methods=["GET", "POST"])
def set_password(purpose: str, token: str):
    """Choose a password from an invitation or reset link, for whoever holds a valid link."""
    max_age = current_app.config["INVITATION_MAX_AGE" if purpose == tokens.INVITATION else "PASSWORD_RESET_MAX_AGE"]
    user = tokens.load_token(token, purpose, max_age)
    if user is None:
        return render("auth/link_expired.html", purpose=purpose, status=410)
    form = SetPasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        user.set_password(form.password.data)
        sessions.end_all(user)  # whoever else was logged in as this member is out
        sessions.start(user, permanent=False)
        db.session.commit()
        flash(_("Uw wachtwoord is opgeslagen. U bent nu ingelogd."), "success")
        return redirect_to(url_for("pages.home"))
    return render("auth/set_password.html", form=form, user=user, purpose=purpose)


def _profile_forms(user: User, **bound):
    forms = {
        "profile_form": ProfileForm(obj=user, formdata=None),
        "password_form": ChangePasswordForm(formdata=None),
        "mail_form": MailPreferencesForm(formdata=None, kinds=sorted(chosen_kinds(user))),
    }
    forms.update(bound)
    forms["mail_form"].kinds.choices = choice_list(OPTIONAL_MAIL_KINDS)
    return forms


@bp.route("/profiel", methods=["GET", "POST"])
@_password_guesses
@login_required
def profile():
    """The member's own name, address, language, password and e-mail choices."""
    user = current_user._get_current_object()  # the audit entry refers to the real object, not the proxy
    if request.method == "GET":
        return render("auth/profile.html", **_profile_forms(user))
    form = ProfileForm()
    if form.validate_on_submit():
        problem = update_profile(user, form.data, utcnow())
        if problem is None:
            flash(_("Uw gegevens zijn opgeslagen."), "success")
            return redirect_to(url_for("auth.profile"))
        field, message = problem
        form[field].errors.append(message)
    return render("auth/profile.html", status=422, **_profile_forms(user, profile_form=form))


@bp.route("/profiel/wachtwoord", methods=["POST"])
@_password_guesses
@login_required
def change_password():
    """Change one's own password; other sessions end."""
    user = current_user
    form = ChangePasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("Uw huidige wachtwoord klopt niet."))
        else:
            user.set_password(form.password.data)
            sessions.end_all(user, except_this_browser=True)
            db.session.commit()
            flash(_("Uw nieuwe wachtwoord is opgeslagen."), "success")
            return redirect_to(url_for("auth.profile"))
    return render("auth/profile.html", status=422, **_profile_forms(user, password_form=form))


@bp.route("/profiel/emails", methods=["POST"])
@login_required
def mail_preferences():
    """Choose which optional e-mails to receive."""
    form = MailPreferencesForm()
    form.kinds.choices = choice_list(OPTIONAL_MAIL_KINDS)
    if form.validate_on_submit():
        choose_kinds(current_user, form.kinds.data or [])  # no box ticked: None
        return saved(_("Uw keuze voor e-mails is opgeslagen."), url_for("auth.profile", _anchor="emails"))
    return render("auth/profile.html", status=422, **_profile_forms(current_user, mail_form=form))

