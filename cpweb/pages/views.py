from flask import Blueprint, current_app, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import login_required
from ..auth.profile import choose_language, hide_first_steps
from ..bodies.logic import bodies_of, body_links
from ..core.database import utcnow
from ..core.extensions import limiter
from ..handbook.logic import welcome_page
from ..web.guest_pages import kept_for_guests
from ..web.home import sections_for
from ..web.rendering import done, redirect_to, render
from ..web.security import safe_next
from . import contact as contact_logic
from .forms import ContactForm

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


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNAL_RATE_LIMIT"], methods=["POST"])
def contact():
    """A question that is not a signal, for everyone; it goes to the secretariat by mail."""
    form = ContactForm()
    if form.validate_on_submit():
        contact_logic.ask(form.data)
        return done(_("Dank u wel. Uw vraag staat klaar om naar het secretariaat te gaan. U krijgt antwoord per "
                      "e-mail."), url_for("pages.home"))
    return render("pages/contact.html", form=form, status=422 if form.errors else 200)


@bp.route("/taal", methods=["POST"])
def set_language():
    """Switch between Dutch and English; remembered on the profile of a member."""
    language = request.form.get("taal")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated:
            choose_language(current_user, language)
    return redirect_to(safe_next(request.form.get("next"), url_for("pages.home")))
