from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..auth.roles import ROLE_LABELS
from ..bodies.models import BODY_KINDS, ORGANISATION_KINDS
from ..web.forms import CheckboxesField, ChoiceField, choice_list, email_field, name_field, strip


class MemberForm(FlaskForm):
    name = name_field()
    email = email_field()
    role = ChoiceField(_l("Rol"), choices=choice_list(ROLE_LABELS), default="lid",
                       description=_l("Lid: leest en doet mee. Secretaris: regelt de vergaderingen en "
                                      "signalen van zijn organen. Beheerder: regelt ook de leden."))
    bodies = CheckboxesField(_l("Organen"), coerce=int, choices=[])


class BodyForm(FlaskForm):
    name = StringField(_l("Naam"), filters=[strip], validators=[
        DataRequired(_l("Vul de naam van het orgaan in.")),
        Length(max=160, message=_l("Gebruik hoogstens 160 tekens."))])
    kind = ChoiceField(_l("Soort"), choices=choice_list(BODY_KINDS))
    description = TextAreaField(_l("Over dit orgaan"), filters=[strip],
                                description=_l("Wat doet dit orgaan? Voor wie? Vet: zet ** voor en achter de woorden. Een lijst: begin elke regel met - ."),
                                validators=[Length(max=5000, message=_l("Gebruik hoogstens 5.000 tekens."))])
    receives_signals = BooleanField(_l("Dit orgaan behandelt de signalen"),
                                    description=_l("De leden van dit orgaan lezen en behandelen de signalen van "
                                                   "cliënten. Staat dit bij geen enkel orgaan aan? Dan doen de "
                                                   "secretarissen het."))
    members_propose = BooleanField(_l("Leden mogen voorstellen doen"),
                                   description=_l("Leden leggen dan zelf een voorstel voor aan het orgaan. Anders "
                                                  "doen alleen de secretarissen dat."))
    is_active = BooleanField(_l("Dit orgaan is actief"), default=True,
                             description=_l("Een orgaan dat niet actief is, staat niet meer in de lijsten. "
                                            "Alles wat erbij hoort blijft bewaard."))


class MemberFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Zoek op naam of e-mailadres"), filters=[strip])


class OrganisationForm(FlaskForm):
    name = StringField(_l("Naam"), filters=[strip], validators=[
        DataRequired(_l("Vul de naam van de organisatie in.")),
        Length(max=160, message=_l("Gebruik hoogstens 160 tekens."))],
        description=_l("Bijvoorbeeld: Gemeente Dongen. Gemeenten staan in de lijst op het signaalformulier."))
    kind = ChoiceField(_l("Soort"), choices=choice_list(ORGANISATION_KINDS))
    is_active = BooleanField(_l("Staat in de lijsten"), default=True,
                             description=_l("Haal het vinkje weg als de organisatie niet meer meedoet. "
                                            "Oude signalen houden hun gemeente."))
