"""The second step of logging in, and the member's own second factor on the profile."""
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from functools import wraps

from flask import (Blueprint, abort, current_app, flash, jsonify, make_response, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from ..core.database import utcnow
from ..web.qr import qr_svg
from ..web.rendering import redirect_to, render
from ..web.security import no_store, safe_next
from . import login, passkeys, throttle, twofactor
from .access import login_required, password_guesses
from .forms import CodeForm, ConfirmPasswordForm, PasskeyForm, RecoveryCodeForm

bp = Blueprint("twofactor", __name__)

CHALLENGE_KEY = "passkey_challenge"
# What a member who must still set up a second factor may open: the setup itself, logging out,
# and what every page needs (static files, the health check, the icon).
OPEN_DURING_SETUP = {"static", "twofactor.setup", "twofactor.confirm_password", "auth.logout", "ops.healthz",
                     "ops.favicon"}


def too_many_tries(template: str, seconds: int, **context):
    response = render(template, error=throttle.wait_message(seconds), status=429, **context)
    response.headers["Retry-After"] = str(seconds)
    return response


# --- who must set up a second factor first ------------------------------------------------------

@bp.before_app_request
def lead_to_setup():
    """A member whose role needs a second factor and who has none goes to its setup, whatever they ask for."""
    if request.endpoint is None or request.endpoint in OPEN_DURING_SETUP:
        return None
    if current_user.is_authenticated:
        must = login.second_factor_required(current_user) and not login.has_second_factor(current_user)
    else:
        pending = login.pending() if login.PENDING_KEY in session else None
        must = pending is not None and pending.must_set_up and login.second_factor_required(pending.user)
    if must:
        return redirect_to(url_for("twofactor.setup"))
    return None


def _ask_password_again():
    return redirect_to(url_for("twofactor.confirm_password", next=request.full_path.rstrip("?")))


# --- the second step of logging in --------------------------------------------------------------

def _pending_or_login():
    """The half-finished login, or a redirect: to the login page, or to the setup for a member without a factor."""
    pending = login.pending()
    if pending is None:
        flash(_("Log eerst in met uw e-mailadres en wachtwoord."), "info")
        return None, redirect_to(url_for("auth.login"))
    if pending.must_set_up:
        return None, redirect_to(url_for("twofactor.setup"))
    return pending, None


def _step_page(template: str, form, pending, error=None, status=200):
    return render(template, form=form, error=error, status=status,
                  has_passkeys=bool(passkeys.passkeys_of(pending.user)))


def _check_code(template: str, form, recovery: bool, wrong: str):
    """The shared work of the app code and the recovery code pages; wrong: the message for a wrong code."""
    pending, elsewhere = _pending_or_login()
    if elsewhere:
        return elsewhere
    if request.method == "POST" and form.validate():
        check = twofactor.log_in_with_code(pending, form.code.data, utcnow(), recovery=recovery)
        if check.wait:
            return too_many_tries(template, check.wait, form=form, has_passkeys=bool(passkeys.passkeys_of(pending.user)))
        if check.user is not None:
            return redirect_to(pending.next_url)
        form.code.errors.append(wrong)
        return _step_page(template, form, pending, status=422)
    return _step_page(template, form, pending, status=422 if form.errors else 200)


@bp.route("/inloggen/code", methods=["GET", "POST"])
@password_guesses
def code():
    """The second step of logging in: the code from the app (or a passkey), after the right password."""
    return _check_code("auth/second_factor.html", CodeForm(), False,
                       _("Deze code klopt niet. Typ de nieuwste code. Een code werkt maar één keer."))


@bp.route("/inloggen/herstelcode", methods=["GET", "POST"])
@password_guesses
def recovery():
    """The second step with a recovery code, for a member without their phone."""
    return _check_code("auth/recovery_login.html", RecoveryCodeForm(), True,
                       _("Deze herstelcode klopt niet, of is al gebruikt. Elke herstelcode werkt één keer."))


def _json_error(message: str, status: int = 400):
    return jsonify(error=message), status


def _new_challenge(options_json: str, challenge: bytes):
    # Kept as text in the session (base64url); used once: _take_challenge removes it.
    session[CHALLENGE_KEY] = urlsafe_b64encode(challenge).decode()
    return current_app.response_class(options_json, mimetype="application/json")


def _take_challenge() -> bytes | None:
    value = session.pop(CHALLENGE_KEY, None)
    return urlsafe_b64decode(value) if isinstance(value, str) else None


@bp.route("/inloggen/passkey/opties", methods=["POST"])
def passkey_options():
    """The challenge for logging in with a passkey (JavaScript asks for it)."""
    pending, elsewhere = _pending_or_login()
    if elsewhere:
        return _json_error(_("Log eerst in met uw e-mailadres en wachtwoord."), 409)
    return _new_challenge(*passkeys.authentication_options(pending.user))


@bp.route("/inloggen/passkey", methods=["POST"])
@password_guesses
def passkey_login():
    """The passkey's answer; logs in when one of the member's passkeys signed the challenge."""
    pending, elsewhere = _pending_or_login()
    if elsewhere:
        return _json_error(_("Log eerst in met uw e-mailadres en wachtwoord."), 409)
    check = passkeys.log_in(pending, request.get_data(as_text=True), _take_challenge(), utcnow())
    if check.wait:
        return _json_error(throttle.wait_message(check.wait), 429)
    if check.user is None:
        return _json_error(_("Inloggen met de passkey lukte niet. Probeer het opnieuw, of typ de code uit de app."))
    return jsonify(redirect=pending.next_url)


# --- the member's own second factor -------------------------------------------------------------

@bp.route("/profiel/tweede-stap")
@login_required
def overview():
    """The member's second factor: the app, recovery codes left, passkeys; for the member themselves."""
    user = current_user
    return render("auth/two_factor.html", has_app=login.has_second_factor(user),
                  required=login.second_factor_required(user), codes_left=twofactor.recovery_codes_left(user),
                  passkeys=passkeys.passkeys_of(user))


@bp.route("/profiel/tweede-stap/bevestigen", methods=["GET", "POST"])
@password_guesses
@login_required
def confirm_password():
    """Type the password again before changing the second factor (a borrowed login cannot)."""
    user = current_user._get_current_object()
    next_url = safe_next(request.args.get("next"), url_for("twofactor.overview"))
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        check = login.confirm_password(user, form.password.data, utcnow())
        if check.wait:
            return too_many_tries("auth/confirm_password.html", check.wait, form=form)
        if check.user is not None:
            return redirect_to(next_url)
        form.password.errors.append(_("Dit wachtwoord klopt niet."))
    return render("auth/confirm_password.html", form=form, error=None, status=422 if form.errors else 200)


def _setup_user():
    """(member, pending login or None), or a redirect for who may not set up now."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        return (user, None, None) if login.recently_confirmed(user) else (None, None, _ask_password_again())
    pending = login.pending()
    if pending is None or not pending.must_set_up:
        return None, None, redirect_to(url_for("auth.login"))
    return pending.user, pending, None


@bp.route("/profiel/tweede-stap/app", methods=["GET", "POST"])
def setup():
    """Set up the authenticator app: a QR code and the key as text, then one code to prove it works.

    For a logged-in member (after typing the password again), and for a member whose role needs a
    second factor, right after the password.
    """
    user, pending, elsewhere = _setup_user()
    if elsewhere:
        return elsewhere
    now = utcnow()
    key = twofactor.key_being_set_up(user, now)
    form = CodeForm()
    if form.validate_on_submit():
        if key.made_now:  # the code was for a key that expired meanwhile (or was used in another window)
            form.code.errors.append(_restart_message())
        else:
            codes = twofactor.enable_app(user, form.code.data, now, pending=pending)
            if codes is not None:
                next_url = pending.next_url if pending else url_for("twofactor.overview")
                return _codes_page(user, codes, next_url, first_time=True)
            form.code.errors.append(_("Deze code klopt niet. Kijk of de app de sleutel van deze pagina heeft, en "
                                      "typ de nieuwste code."))
    elif key.expired:
        flash(_restart_message(), "info")
    uri = twofactor.app_uri(key.secret, user.email)
    return render("auth/setup_app.html", form=form, required=login.second_factor_required(user),
                  during_login=pending is not None, key=twofactor.readable_secret(key.secret), uri=uri,
                  qr=qr_svg(uri, _("QR-code voor de app")), status=422 if form.errors else 200)


def _restart_message() -> str:
    minutes = int(current_app.config["TWO_FACTOR_SETUP_TIME"].total_seconds() // 60)
    return _("De sleutel werkt maar %(minutes)s minuten. Daarom staat hieronder een nieuwe sleutel. Haal de oude "
             "uit de app als die er al in staat. Scan dan de nieuwe QR-code en typ de code.", minutes=minutes)


def password_confirmed(needs_app: bool = False):
    """For a logged-in member who typed the password in the last minutes (else it is asked again
    first; JavaScript's requests get a 403); with needs_app, also only once the app is set up."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not login.recently_confirmed(current_user):
                return _json_error(_("Typ eerst uw wachtwoord opnieuw."), 403) if request.is_json \
                    else _ask_password_again()
            if needs_app and not login.has_second_factor(current_user):
                if request.is_json:
                    return _json_error(_("Stel eerst de app in. Daarna kunt u een passkey toevoegen."), 403)
                flash(_("Stel eerst de app in. Daarna kunt u een passkey toevoegen."), "info")
                return redirect_to(url_for("twofactor.overview"))
            return view(*args, **kwargs)

        return wrapped

    return decorator


@bp.route("/profiel/tweede-stap/herstelcodes", methods=["POST"])
@password_confirmed(needs_app=True)
def new_recovery_codes():
    """Ten new recovery codes, shown once; the old ones stop working."""
    user = current_user._get_current_object()
    return _codes_page(user, twofactor.renew_recovery_codes(user, utcnow()), url_for("twofactor.overview"),
                       first_time=False)


def _codes_page(user, codes: list[str], next_url: str, first_time: bool):
    """The new recovery codes, shown once, with a signed note of them for the file and the print page."""
    return no_store(render("auth/recovery_codes.html", codes=codes, next_url=next_url, first_time=first_time,
                           handoff=twofactor.handoff_token(user, codes)))


def _handed_off():
    """The codes sent back from their page, if they are the member's new ones; else a 404."""
    found = twofactor.handed_off_codes(current_user._get_current_object(), request.form.getlist("code"),
                                       request.form.get("handoff", ""))
    if found is None:
        abort(404)
    return found


@bp.route("/profiel/tweede-stap/herstelcodes/bestand", methods=["POST"])
@login_required
def recovery_codes_file():
    """The new recovery codes as a text file, right after they were made; for the member themselves."""
    codes, made = _handed_off()
    text = render_template("auth/recovery_codes.txt", codes=codes, made=made, email=current_user.email)
    response = make_response(text.replace("\n", "\r\n"))  # \r\n: also for Notepad
    response.mimetype = "text/plain"
    response.headers["Content-Disposition"] = 'attachment; filename="herstelcodes.txt"'
    return no_store(response)


@bp.route("/profiel/tweede-stap/herstelcodes/afdrukken", methods=["POST"])
@login_required
def recovery_codes_print():
    """The new recovery codes on a page made for paper, right after they were made; for the member themselves."""
    codes, made = _handed_off()
    return no_store(render("auth/recovery_codes_print.html", codes=codes, made=made))


@bp.route("/profiel/tweede-stap/uitzetten", methods=["POST"])
@password_confirmed()
def disable():
    """Switch the second factor off, for a member whose role does not need it."""
    problem = twofactor.disable(current_user._get_current_object(), utcnow())
    flash(problem or _("De tweede stap staat uit."), "error" if problem else "success")
    return redirect_to(url_for("twofactor.overview"))


@bp.route("/profiel/tweede-stap/passkey", methods=["GET"])
@password_confirmed(needs_app=True)
def add_passkey():
    """Make a passkey (needs JavaScript); after the app is set up, as a quicker second step."""
    return render("auth/add_passkey.html", form=PasskeyForm(formdata=None))


@bp.route("/profiel/tweede-stap/passkey/opties", methods=["POST"])
@password_confirmed(needs_app=True)
def passkey_registration_options():
    """The challenge for making a passkey (JavaScript asks for it)."""
    return _new_challenge(*passkeys.registration_options(current_user))


@bp.route("/profiel/tweede-stap/passkey", methods=["POST"])
@password_confirmed(needs_app=True)
def register_passkey():
    """Keep the new passkey with its name (JSON from JavaScript: name and credential)."""
    failed = _("Het maken van de passkey lukte niet. Probeer het opnieuw, of gebruik de app.")
    try:
        data = json.loads(request.get_data(as_text=True))
        name, credential = str(data["name"]), json.dumps(data["credential"])
    except (ValueError, KeyError, TypeError):
        return _json_error(failed)
    challenge = _take_challenge()
    problem = passkeys.register(current_user._get_current_object(), name, credential, challenge, utcnow()) \
        if challenge else failed
    if problem:
        return _json_error(problem)
    flash(_("De passkey is bewaard."), "success")
    return jsonify(redirect=url_for("twofactor.overview"))


@bp.route("/profiel/tweede-stap/passkey/<int:passkey_id>/verwijderen", methods=["POST"])
@login_required
def remove_passkey(passkey_id: int):
    """Remove one of the member's own passkeys (someone else's is a 404)."""
    if not passkeys.remove(current_user._get_current_object(), passkey_id, utcnow()):
        abort(404)
    flash(_("De passkey is verwijderd."), "success")
    return redirect_to(url_for("twofactor.overview"))
