from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Optional

from ..web.forms import RadioChoiceField, choice_list

ALARMS = {"": _l("Geen herinnering"), "60": _l("1 uur van tevoren"), "1440": _l("1 dag van tevoren")}


class AlarmForm(FlaskForm):
    alarm = RadioChoiceField(_l("Wanneer wilt u een herinnering van uw agenda?"), choices=choice_list(ALARMS),
                             default="", validators=[Optional()])
