"""Short lists that secretaries keep for a feature (subjects of signals, kinds of documents).

Each entry has a label, a place in the list and a key. The key is made once from the first label
and never changes, so records keep their entry when it is renamed or no longer offered.
A feature gives its model the columns of `CategoryColumns`, a form from `category_form()`, and
its words; the list page and the edit page are the same for every feature.
"""
from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..core.extensions import db
from ..core.keys import free_key, slugify
from .forms import strip
from .rendering import done, render

MAX_LABEL = 80
MAX_KEY_BASE = 24


class CategoryColumns:
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(30), unique=True)  # fixed once made; records refer to it
    label: Mapped[str] = mapped_column(String(MAX_LABEL))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)


def categories(model, active_only: bool = True) -> list:
    query = db.select(model).order_by(model.position, model.label)
    if active_only:
        query = query.filter_by(is_active=True)
    return list(db.session.scalars(query))


def new_key(model, label: str, fallback: str) -> str:
    """A key from the label that no entry has yet: "werkboek", "werkboek-2", …"""
    return free_key(slugify(label, fallback, MAX_KEY_BASE),
                    lambda key: db.session.scalar(db.select(model.id).filter_by(key=key)) is not None,
                    model.key.type.length)


def save_category(model, category_id: int | None, values: dict, fallback_key: str):
    """Add an entry (`category_id` None) or change one; `values`: label, position, is_active. Commits."""
    category = db.session.get(model, category_id) if category_id else None
    if category is None:
        category = model(key=new_key(model, values["label"], fallback_key))
        db.session.add(category)
    category.label, category.position, category.is_active = values["label"], values["position"], values["is_active"]
    db.session.commit()
    return category


def category_form(label_text, required, active, active_description, label_description=None) -> type[FlaskForm]:
    """The edit form, in the feature's words."""

    class CategoryForm(FlaskForm):
        label = StringField(label_text, filters=[strip], description=label_description, validators=[
            DataRequired(required), Length(max=MAX_LABEL, message=_l("Gebruik hoogstens 80 tekens."))])
        position = IntegerField(_l("Plaats in de lijst"), default=0, validators=[
            InputRequired(_l("Vul een getal in.")), NumberRange(0, 999, message=_l("Vul een getal in van 0 tot 999."))],
            invalid_value_message=_l("Vul een getal in."), description=_l("Lagere getallen staan bovenaan."))
        is_active = BooleanField(active, default=True, description=active_description)

    return CategoryForm


@dataclass(frozen=True)
class CategoryPages:
    """One feature's list: its model, form, endpoints and the words on its pages."""

    model: type
    form: type[FlaskForm]
    fallback_key: str
    list_endpoint: str
    edit_endpoint: str
    back_endpoint: str
    words: dict  # title, back, intro, add, column, active, inactive, back_to_list, saved (with %(label)s)

    def list_page(self):
        return render("_categories.html", categories=categories(self.model, active_only=False), pages=self)

    def edit_page(self, category_id: int | None):
        category = db.get_or_404(self.model, category_id) if category_id else None
        form = self.form(obj=category)
        if form.validate_on_submit():
            category = save_category(self.model, category_id, form.data, self.fallback_key)
            return done(str(self.words["saved"]) % {"label": category.label}, url_for(self.list_endpoint))
        return render("_category_form.html", form=form, category=category, pages=self,
                      status=422 if form.errors else 200)
