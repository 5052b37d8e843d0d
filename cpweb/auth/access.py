"""Who may see what: login, roles, and the login manager's answers."""
from functools import wraps

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.extensions import limiter, login_manager
from ..web.rendering import redirect_to
from . import sessions
from .models import User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # Only a login that still runs on the server counts: a copied cookie after logout opens nothing.
    return sessions.user_of_this_browser(user_id)


@login_manager.unauthorized_handler
def ask_to_log_in():
    """Plain requests go to the login page; htmx requests navigate there instead of swapping it in."""
    flash(_("Log in om deze pagina te zien."), "info")
    return redirect_to(url_for("auth.login", next=request.full_path.rstrip("?")))


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return ask_to_log_in()
        return view(*args, **kwargs)

    return wrapped


def permission_required(allowed):
    """Members for whom allowed(user) is true; guests are sent to log in, others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed = allowed  # the main menu shows the page only to those it lets in
        return wrapped

    return decorator


def role_required(role: str):
    """Members with this role or a higher one."""
    return permission_required(lambda user: user.has_role(role))


# Wrong passwords and codes per IP address, on every form that checks one (also the profile's: a
# copied login cookie must not be a way to guess the password). One count for all of them; only
# refused tries count, so a member who logs in every day never meets it. Per account:
# cpweb.auth.throttle.
password_guesses = limiter.shared_limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], scope="password-guesses",
                                        methods=["POST"], deduct_when=lambda response: response.status_code >= 400)
