from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..core.i18n import lazy_gettext_markup as _lm
from ..web.forms import strip


class SourceForm(FlaskForm):
    name = StringField(_l("Naam van de bron"), filters=[strip], description=_l("Bijvoorbeeld: Cliëntenraad Leeuwarden."),
                       validators=[DataRequired(_l("Vul de naam van de bron in.")),
                                   Length(max=120, message=_lm("Gebruik hoogstens %(n)s tekens.", n=120))])
    url = StringField(_l("Adres van de agenda of nieuwsfeed"), filters=[strip],
                      description=_l("Het adres begint met https://. Bijvoorbeeld het adres van hun openbare agenda."),
                      validators=[DataRequired(_l("Vul het adres in.")),
                                  Length(max=1000, message=_lm("Gebruik hoogstens %(n)s tekens.", n=1000))])
