from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, ValidationError

from ..web.forms import strip
from . import logic


class SearchForm(FlaskForm):
    """The search box; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Waar zoekt u naar?"), filters=[strip],
                    description=_l("Typ een of meer woorden. U vindt alleen wat u mag openen."),
                    render_kw={"type": "search", "autocomplete": "off", "spellcheck": "false"})
    soort = StringField()

    def validate_q(self, field):
        if (problem := logic.problem_with(field.data or "")) is not None:
            raise ValidationError(problem)
