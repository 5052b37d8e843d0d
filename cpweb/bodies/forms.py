from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from ..web.forms import CheckboxesField


class VotingForm(FlaskForm):
    voting = CheckboxesField(_l("Wie heeft stemrecht?"), choices=[], coerce=int,
                             description=_l("Zet het vinkje uit bij wie niet meestemt, zoals een adviseur. Bij een "
                                            "voorstel voor leden met stemrecht kunnen zij dan niet antwoorden."))
