from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from ..auth import twofactor
from ..auth.access import role_required
from ..auth.login import has_second_factor
from ..auth.models import User
from ..auth.roles import ADMIN
from ..bodies.logic import active_bodies
from ..bodies.models import Body, Organisation
from ..core import privacy
from ..core.audit import AuditEntry
from ..core.database import paginate, utcnow
from ..core.extensions import db
from ..web.forms import choice_list
from ..web.rendering import done, redirect_to, render
from . import members, structure
from .forms import BodyForm, MemberFilterForm, MemberForm, OrganisationForm

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.before_request
@role_required(ADMIN)
def only_admins():
    """Every page here is for admins only."""


def _member_form(**kwargs) -> MemberForm:
    form = MemberForm(**kwargs)
    form.bodies.choices = choice_list((b.id, b.name) for b in active_bodies())
    return form


@bp.route("/")
def index():
    """The list of members, searchable by name or address."""
    filters = MemberFilterForm(formdata=request.args)
    query = db.select(User).options(selectinload(User.memberships)).order_by(User.name)
    if filters.q.data:
        like = f"%{filters.q.data}%"
        query = query.filter(or_(User.name.ilike(like), User.email.ilike(like)))
    page = paginate(query)
    bodies = {b.id: b.name for b in db.session.scalars(db.select(Body))}
    return render("admin/index.html", block="member_list", page=page, filters=filters, bodies=bodies)


@bp.route("/leden/uitnodigen", methods=["GET", "POST"])
def invite():
    """Invite a new member by e-mail."""
    form = _member_form()
    if form.validate_on_submit():
        problem = members.invite_member(current_user, form.data)
        if problem is None:
            return done(_("De uitnodiging voor %(name)s staat klaar om te verzenden.", name=form.name.data),
                        url_for("admin.index"))
        form[problem.field].errors.append(problem.message)
    return render("admin/member_form.html", form=form, user=None, status=422 if form.errors else 200)


@bp.route("/leden/<int:user_id>", methods=["GET", "POST"])
def edit_member(user_id: int):
    """Change a member's name, address, role and bodies."""
    user = db.get_or_404(User, user_id)
    form = _member_form(obj=user, bodies=sorted(user.body_ids))
    if form.validate_on_submit():
        problem = members.change_member(current_user, user.id, form.data)
        if problem is None:
            return done(_("De gegevens van %(name)s zijn opgeslagen.", name=user.name), url_for("admin.index"))
        form[problem.field].errors.append(problem.message)
    return render("admin/member_form.html", form=form, user=user, status=422 if form.errors else 200)


def _back_to_member(user: User, problem: str | None, message: str):
    """Say what happened (or why not) on the member's page."""
    flash(problem or message, "error" if problem else "success")
    return redirect_to(url_for("admin.edit_member", user_id=user.id))


@bp.route("/leden/<int:user_id>/actief", methods=["POST"])
def set_active(user_id: int):
    """Turn a member's account off (they can no longer log in; what they wrote stays) or on again."""
    user = db.get_or_404(User, user_id)
    activate = request.form.get("actief") == "ja"
    problem = members.set_active(current_user, user.id, activate)
    return _back_to_member(user, problem, _("Het account van %(name)s staat aan.", name=user.name) if activate
                           else _("Het account van %(name)s staat uit.", name=user.name))


@bp.route("/leden/<int:user_id>/uitnodiging", methods=["POST"])
def resend_invitation(user_id: int):
    """Send the invitation again, for a member who has not chosen a password yet."""
    user = db.get_or_404(User, user_id)
    return _back_to_member(user, members.resend_invitation(current_user, user.id),
                           _("De uitnodiging voor %(name)s staat opnieuw klaar om te verzenden.", name=user.name))


@bp.route("/leden/<int:user_id>/wachtwoordlink", methods=["POST"])
def send_reset_link(user_id: int):
    """Mail a link to choose a new password, for a member with an account who cannot log in."""
    user = db.get_or_404(User, user_id)
    return _back_to_member(user, members.send_reset_link(user.id),
                           _("De link voor een nieuw wachtwoord voor %(name)s staat klaar om te verzenden.",
                             name=user.name))


@bp.route("/leden/<int:user_id>/link", methods=["POST"])
def show_link(user_id: int):
    """Show a new invitation or password link once, for the admin to pass on (noted in the audit log)."""
    user = db.get_or_404(User, user_id)
    copy = members.link_to_copy(user.id)
    if copy.problem:
        flash(copy.problem, "error")
        return redirect_to(url_for("admin.edit_member", user_id=user.id))
    response = render("admin/member_form.html", form=_member_form(obj=user, bodies=sorted(user.body_ids)), user=user,
                      copy_link=copy.link, copy_purpose=copy.purpose)
    response.headers["Cache-Control"] = "no-store"  # shown once: not kept by the browser
    return response


@bp.route("/leden/<int:user_id>/tweede-stap", methods=["GET", "POST"])
def reset_two_factor(user_id: int):
    """Wipe a member's second factor (a lost phone), after a confirmation; not one's own."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id or not has_second_factor(user):
        return redirect_to(url_for("admin.edit_member", user_id=user.id))
    if request.method == "POST":
        twofactor.reset_by_admin(current_user._get_current_object(), user, utcnow())
        flash(_("De tweede stap van %(name)s is gewist. %(name)s krijgt een e-mail.", name=user.name), "success")
        return redirect_to(url_for("admin.edit_member", user_id=user.id))
    return render("admin/reset_two_factor.html", user=user)


@bp.route("/organen")
def bodies():
    """All bodies, also inactive ones, to add or change."""
    all_bodies = db.session.scalars(db.select(Body).order_by(Body.is_active.desc(), Body.name)).all()
    return render("admin/bodies.html", bodies=all_bodies)


@bp.route("/organen/nieuw", methods=["GET", "POST"])
@bp.route("/organen/<int:body_id>", methods=["GET", "POST"])
def edit_body(body_id: int | None = None):
    """Add a body or change its name, kind and description."""
    body = db.get_or_404(Body, body_id) if body_id else None
    form = BodyForm(obj=body)
    if form.validate_on_submit():
        body = structure.save_body(body_id, form.data)
        return done(_("%(name)s is opgeslagen.", name=body.name), url_for("admin.bodies"))
    return render("admin/body_form.html", form=form, body=body, status=422 if form.errors else 200)


@bp.route("/organisaties")
def organisations():
    """The municipalities and organisations the site knows, also those no longer in the lists."""
    query = db.select(Organisation).order_by(Organisation.is_active.desc(), Organisation.kind, Organisation.name)
    return render("admin/organisations.html", organisations=db.session.scalars(query).all())


@bp.route("/organisaties/nieuw", methods=["GET", "POST"])
@bp.route("/organisaties/<int:organisation_id>", methods=["GET", "POST"])
def edit_organisation(organisation_id: int | None = None):
    """Add an organisation (a municipality shows on the signal form) or change one."""
    organisation = db.get_or_404(Organisation, organisation_id) if organisation_id else None
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        problem = structure.save_organisation(organisation_id, form.data)
        if problem is None:
            return done(_("%(name)s is opgeslagen.", name=form.name.data), url_for("admin.organisations"))
        form.name.errors.append(problem)
    return render("admin/organisation_form.html", form=form, organisation=organisation,
                  status=422 if form.errors else 200)


@bp.route("/verwerkingsregister")
def processing_register():
    """The record of processing (GDPR art. 30), printable, from the site's own settings."""
    return render("admin/register.html", register=privacy.register(), measures=privacy.SECURITY_MEASURES)


@bp.route("/logboek")
def audit_log():
    """Who did what to members and roles, newest first."""
    query = db.select(AuditEntry).options(
        selectinload(AuditEntry.actor), selectinload(AuditEntry.subject)
    ).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return render("admin/audit_log.html", page=paginate(query))
