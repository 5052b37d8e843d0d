from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..core.database import row_id
from ..core.i18n import lazy_gettext_markup as _lm
from ..web.forms import ChoiceField, choice_list, strip
from . import rules

NO_PARENT = ""


def _length(n, shown=None):
    return Length(max=n, message=_lm("Gebruik hoogstens %(n)s tekens.", n=shown or n))


def _lower(value):
    return value.lower() if isinstance(value, str) else value


class PageForm(FlaskForm):
    title = StringField(_l("Titel"), filters=[strip], validators=[DataRequired(_l("Vul een titel in.")),
                                                                   _length(rules.MAX_TITLE)])
    slug = StringField(_l("Webadres (niet verplicht)"), filters=[strip, _lower],
                       description=_l("Kleine letters, cijfers en streepjes, zoals signalen-aannemen. "
                                      "Leeg: wij maken het van de titel."),
                       validators=[Optional(), _length(rules.MAX_SLUG), Regexp(rules.SLUG_PATTERN, message=_l(
                           "Gebruik alleen kleine letters, cijfers en streepjes, zoals signalen-aannemen."))])
    parent = ChoiceField(_l("Onder welke pagina staat deze pagina?"), choices=[], validators=[Optional()],
                         description=_l("Kies niets als deze pagina een nieuw hoofdstuk is."))
    text = TextAreaField(_l("Tekst"), filters=[strip], render_kw={"rows": 18},
                         description=_l("Een kopje: begin de regel met ## . Vet: zet ** voor en achter de woorden. Een lijst: begin elke regel met - ."),
                         validators=[_length(rules.MAX_TEXT, "50.000")])
    note = StringField(_l("Wat heeft u veranderd? (niet verplicht)"), filters=[strip],
                       description=_l("Dit staat bij de versie, zodat anderen het teruglezen."),
                       validators=[_length(rules.MAX_NOTE)])
    # The revision the writer started from; a different current revision means someone saved meanwhile.
    base_revision = HiddenField()

    def set_parent_choices(self, choices):
        self.parent.choices = choice_list([(NO_PARENT, _l("Geen: dit is een hoofdstuk"))] +
                                          [(str(page_id), title) for page_id, title in choices])

    def parent_id(self) -> int | None:
        return int(self.parent.data) if self.parent.data not in (None, NO_PARENT) else None

    def values(self) -> dict:
        """What the writer typed and chose, for logic.write_page."""
        return {"title": self.title.data, "text": self.text.data or "", "slug": self.slug.data or "",
                "parent_id": self.parent_id(), "note": self.note.data or "", "base_revision": self.started_from()}

    def started_from(self) -> int | None:
        return row_id(self.base_revision.data)


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Zoeken in het handboek"), filters=[strip], validators=[Optional(), _length(200)])
