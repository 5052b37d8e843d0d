from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField, TimeField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..calendar.logic import Month
from ..core.i18n import lazy_gettext_markup as _lm
from ..core.i18n import month_name
from ..web.forms import CheckboxesField, ChoiceField, RadioChoiceField, choice_list, email_field, name_field, strip
from . import rules

DATE_MESSAGE = _l("Vul een datum in zoals 19-05-2026.")
TIME_MESSAGE = _l("Vul een tijd in zoals 19:30.")


def _length(n):
    return Length(max=n, message=_lm("Gebruik hoogstens %(n)s tekens.", n=n))


def _link(label):
    return URLField(label, filters=[strip], validators=[
        Optional(), URL(require_tld=True, message=_l("Vul een link in die begint met https://.")), _length(500)])


class ActivityForm(FlaskForm):
    title = StringField(_l("Titel"), filters=[strip], validators=[DataRequired(_l("Vul een titel in.")),
                                                                   _length(rules.MAX_TITLE)])
    description = TextAreaField(_l("Beschrijving"), filters=[strip], render_kw={"rows": 6},
                                description=_l("Vet: zet ** voor en achter de woorden. Schuin: zet * ervoor en erachter. Een lijst: begin elke regel met - ."),
                                validators=[Length(max=10_000, message=_lm("Gebruik hoogstens %(n)s tekens.", n="10.000"))])
    kind = ChoiceField(_l("Soort activiteit"), choices=choice_list(rules.KINDS),
                       validators=[InputRequired(_l("Kies de soort activiteit."))])
    organiser = ChoiceField(_l("Wie organiseert het?"), choices=choice_list(rules.ORGANISERS),
                            validators=[InputRequired(_l("Kies wie het organiseert."))])
    organiser_name = StringField(_l("Naam van de organisator (niet verplicht)"), filters=[strip], validators=[_length(120)])
    scope = RadioChoiceField(_l("Voor wie is het bedoeld?"), choices=choice_list(rules.SCOPES), default="regionaal",
                             validators=[InputRequired(_l("Kies lokaal, regionaal of landelijk."))])
    day = DateField(_l("Datum"), validators=[InputRequired(DATE_MESSAGE)], invalid_value_message=DATE_MESSAGE)
    start = TimeField(_l("Begintijd"), validators=[InputRequired(TIME_MESSAGE)], invalid_value_message=TIME_MESSAGE)
    end_day = DateField(_l("Laatste dag (alleen als het meer dagen duurt)"), validators=[Optional()],
                        invalid_value_message=DATE_MESSAGE)
    end = TimeField(_l("Eindtijd"), validators=[InputRequired(TIME_MESSAGE)], invalid_value_message=TIME_MESSAGE)
    location = StringField(_l("Plaats (niet verplicht)"), filters=[strip], validators=[_length(200)])
    online_url = _link(_l("Link om online mee te doen (niet verplicht)"))
    external_url = _link(_l("Meer informatie op een andere website (niet verplicht)"))
    audience = RadioChoiceField(_l("Wie mag zich aanmelden?"), choices=choice_list(rules.AUDIENCES),
                                default=rules.MEMBERS, validators=[InputRequired(_l("Kies wie zich mag aanmelden."))])
    bodies = CheckboxesField(_l("Organen"), choices=[], coerce=int)
    capacity = IntegerField(_l("Aantal plaatsen (niet verplicht)"), validators=[Optional(), NumberRange(
        min=1, max=10_000, message=_l("Kies een aantal van 1 of meer. Laat het leeg als er geen grens is."))],
        description=_l("Leeg: geen grens."))
    signup_deadline = DateField(_l("Aanmelden kan tot en met (niet verplicht)"), validators=[Optional()],
                                invalid_value_message=DATE_MESSAGE)
    contact = StringField(_l("Contactpersoon (niet verplicht)"), filters=[strip], validators=[_length(200)])

    def validate_end(self, field):
        last_day = self.end_day.data or self.day.data
        if self.day.data and last_day and self.start.data and field.data:
            if (last_day, field.data) <= (self.day.data, self.start.data):
                raise ValidationError(_l("Kies een einde na het begin."))

    def validate_end_day(self, field):
        if field.data and self.day.data and (field.data - self.day.data).days >= rules.MAX_DAYS:
            raise ValidationError(_lm("Een activiteit duurt hoogstens %(n)s dagen.", n=rules.MAX_DAYS))

    def validate_bodies(self, field):
        if self.audience.data == rules.BODIES and not field.data:
            raise ValidationError(_l("Kies minstens één orgaan."))

    def validate_signup_deadline(self, field):
        if field.data and self.day.data and field.data > (self.end_day.data or self.day.data):
            raise ValidationError(_l("Aanmelden kan tot en met de laatste dag van de activiteit. Kies die dag of "
                                     "een dag ervoor."))

    def activity_fields(self) -> dict:
        names = ("title", "description", "kind", "organiser", "organiser_name", "scope", "day", "start", "end_day",
                 "end", "location", "online_url", "external_url", "audience", "capacity", "signup_deadline", "contact")
        return {name: (getattr(self, name).data if getattr(self, name).data is not None else
                       (None if name in ("capacity", "signup_deadline", "end_day") else "")) for name in names}


class GuestSignupForm(FlaskForm):
    name = name_field(_l("Uw naam"))
    email = email_field(_l("Uw e-mailadres"))


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Waarom niet? De indiener leest dit."), filters=[strip], render_kw={"rows": 3},
                           validators=[DataRequired(_l("Schrijf op waarom het voorstel niet doorgaat.")), _length(500)])


class ReportForm(FlaskForm):
    report = TextAreaField(_l("Verslag"), filters=[strip], render_kw={"rows": 10},
                           description=_l("Wat werd er gezegd? Zo kunnen leden die er niet waren het teruglezen."),
                           validators=[Length(max=20_000, message=_lm("Gebruik hoogstens %(n)s tekens.", n="20.000"))])


MONTHS_AROUND = 12  # the month filter's list


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    soort = ChoiceField(_l("Soort"), choices=choice_list([("", _l("Alle"))] + list(rules.KINDS.items())),
                        validators=[Optional()])
    bereik = ChoiceField(_l("Bereik"), choices=choice_list([("", _l("Alle"))] + list(rules.SCOPES.items())),
                         validators=[Optional()])
    organisator = ChoiceField(_l("Organisator"), choices=choice_list([("", _l("Alle"))] + list(rules.ORGANISERS.items())),
                              validators=[Optional()])
    maand = ChoiceField(_l("Maand"), choices=[], validators=[Optional()])

    def __init__(self, *args, today: date, **kwargs):
        """The months by name ("mei 2026"), a year back and a year ahead; a month outside that, from
        an older link, is added to the list."""
        super().__init__(*args, **kwargs)
        this = Month(today.year, today.month)
        months = [this.shifted(n) for n in range(-MONTHS_AROUND, MONTHS_AROUND + 1)]
        chosen = Month.parse(self.maand.data, today) if self.maand.data else None
        if chosen is not None and chosen not in months:
            months = sorted([*months, chosen], key=lambda month: month.key)
        self.maand.choices = choice_list([("", _l("Alle maanden"))] + [(m.key, month_name(m.first)) for m in months])

    def month(self) -> date | None:
        return Month.parse(self.maand.data, date.min).first if self.maand.data else None
