from flask import Blueprint, current_app, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.database import utcnow
from ..core.extensions import limiter
from ..mail import OPTIONAL_MAIL_KINDS, chosen_kinds
from ..web.forms import choice_list
from ..web.rendering import done, redirect_to, render
from ..web.security import no_store, safe_next
from . import login as logins
from . import sessions, tokens
from .access import login_required, password_guesses
from .forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, MailPreferencesForm, ProfileForm, SetPasswordForm
from .models import User
from .profile import change_password as save_new_password
from .profile import choose_mails, set_password_from_link, update_profile
from .twofactor_views import too_many_tries

bp = Blueprint("auth", __name__)
bp.teardown_app_request(sessions.note_last_use)


@bp.after_app_request
def keep_members_pages_private(response):
    """A member's pages hold personal data: no copy in the browser's cache or a proxy's (shared
    computers at the Werkplein), so Back after logging out shows nothing. Static files are the same
    for everyone and stay cached. An answer that forbids storing already (a link an admin sees once)
    keeps its own header."""
    if "no-store" in response.headers.get("Cache-Control", ""):
        return response
    if request.endpoint != "static" and (sessions.COOKIE_KEY in session or logins.PENDING_KEY in session):
        no_store(response)
    return response


@bp.route("/inloggen", methods=["GET", "POST"])
@password_guesses
def login():
    """The login form, for everyone. The second step, where needed, follows on its own page."""
    next_url = safe_next(request.args.get("next"), url_for("pages.home"))
    if current_user.is_authenticated:
        return redirect_to(next_url)
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        step = logins.log_in(form.email.data, form.password.data, form.stay_logged_in.data, next_url, utcnow())
        if step.wait:
            return too_many_tries("auth/login.html", step.wait, form=form)
        if step.second_step == logins.CODE_STEP:
            return redirect_to(url_for("twofactor.code"))
        if step.second_step == logins.SETUP_STEP:
            return redirect_to(url_for("twofactor.setup"))
        if step.problem is None:
            return redirect_to(next_url)
        error = step.problem
    return render("auth/login.html", form=form, error=error, status=422 if error else 200)


@bp.route("/uitloggen", methods=["GET", "POST"])
def logout():
    """Logging out. GET asks to confirm, so a link from another site cannot log anyone out."""
    if request.method == "POST":
        logins.log_out()
        flash(_("U bent uitgelogd."), "success")
        return redirect_to(url_for("pages.home"))
    return render("auth/logout.html")


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password():
    """Ask for a link to set a new password. Says the same whether or not the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        tokens.request_password_reset(form.email.data)
        flash(_("Als dit e-mailadres bij ons bekend is, krijgt u binnen een paar minuten een "
                "e-mail met een link. Kijk ook bij de ongewenste e-mail."), "success")
        return redirect_to(url_for("auth.login"))
    return render("auth/forgot_password.html", form=form)


@bp.route("/wachtwoord/<any(invitation, 'password-reset'):purpose>/<token>", methods=["GET", "POST"])
def set_password(purpose: str, token: str):
    """Choose a password from an invitation or reset link, for whoever holds a valid link.

    A member with a second factor (or whose role needs one) still takes that step: the link
    alone, from a mailbox someone else may read, does not log in.
    """
    max_age = current_app.config["INVITATION_MAX_AGE" if purpose == tokens.INVITATION else "PASSWORD_RESET_MAX_AGE"]
    user = tokens.load_token(token, purpose, max_age)
    if user is None:
        return render("auth/link_expired.html", purpose=purpose, status=410)
    form = SetPasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        if set_password_from_link(user, form.password.data, purpose, url_for("pages.home"), utcnow()):
            flash(_("Uw wachtwoord is opgeslagen. Log nu in met de tweede stap."), "success")
            return redirect_to(url_for("twofactor.code"))
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
@password_guesses
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
@password_guesses
@login_required
def change_password():
    """Change one's own password; other sessions end, and the member gets a mail."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        problem = save_new_password(user, form.current_password.data, form.password.data, utcnow())
        if problem is None:
            flash(_("Uw nieuwe wachtwoord is opgeslagen."), "success")
            return redirect_to(url_for("auth.profile"))
        form.current_password.errors.append(problem)
    return render("auth/profile.html", status=422, **_profile_forms(user, password_form=form))


@bp.route("/profiel/emails", methods=["POST"])
@login_required
def mail_preferences():
    """Choose which optional e-mails to receive."""
    form = MailPreferencesForm()
    form.kinds.choices = choice_list(OPTIONAL_MAIL_KINDS)
    if form.validate_on_submit():
        choose_mails(current_user, form.kinds.data or [])  # no box ticked: None
        return done(_("Uw keuze voor e-mails is opgeslagen."), url_for("auth.profile", _anchor="emails"))
    return render("auth/profile.html", status=422, **_profile_forms(current_user, mail_form=form))

