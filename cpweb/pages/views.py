from flask import Blueprint, current_app, request, session, url_for
from flask_login import current_user

from ..auth.access import login_required
from ..auth.profile import choose_language, hide_first_steps
from ..bodies.logic import bodies_of, body_links
from ..database import utcnow
from ..guest_pages import kept_for_guests
from ..handbook.logic import welcome_page
from ..home import sections_for
from ..rendering import redirect_to, render
from ..security import safe_next

bp = Blueprint("pages", __name__)


@bp.route("/")
@kept_for_guests
def home():
    """Guests read what the council is and how to pass on a signal; members see their own things."""
    if current_user.is_authenticated:
        first_steps = current_user.first_steps_hidden_at is None
        return render("pages/home_member.html", bodies=bodies_of(current_user), first_steps=first_steps,
                      welcome=welcome_page(current_user) if first_steps else None,
                      sections=sections_for(current_user))
    return render("pages/home_guest.html", bodies=body_links())


@bp.route("/eerste-stappen/verbergen", methods=["POST"])
@login_required
def hide_steps():
    """The member hides the first steps on their home page, for good."""
    hide_first_steps(current_user, utcnow())
    return redirect_to(url_for("pages.home"))


@bp.route("/privacy")
@kept_for_guests
def privacy():
    """The privacy statement, for everyone."""
    return render("pages/privacy.html")


@bp.route("/toegankelijkheid")
@kept_for_guests
def accessibility():
    """The accessibility statement, for everyone."""
    return render("pages/accessibility.html")


@bp.route("/taal", methods=["POST"])
def set_language():
    """Switch between Dutch and English; remembered on the profile of a member."""
    language = request.form.get("taal")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated:
            choose_language(current_user, language)
    return redirect_to(safe_next(request.form.get("next"), url_for("pages.home")))
