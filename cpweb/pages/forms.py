from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..web.forms import email_field, strip


class ContactForm(FlaskForm):
    """A question that is not a signal: only what is needed to answer it."""

    name = StringField(_l("Uw naam (niet verplicht)"), filters=[strip],
                       validators=[Length(max=120, message=_l("Gebruik hoogstens 120 tekens."))],
                       render_kw={"autocomplete": "name"})
    email = email_field(_l("Uw e-mailadres"), description=_l("Hierop sturen wij ons antwoord."))
    question = TextAreaField(_l("Uw vraag"), filters=[strip], render_kw={"rows": 6, "maxlength": 3000},
                             description=_l("Noem geen BSN en geen gegevens over uw gezondheid."),
                             validators=[DataRequired(_l("Schrijf uw vraag.")),
                                         Length(max=3000, message=_l("Gebruik hoogstens 3.000 tekens."))])
