from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, StringField, TextAreaField, TimeField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..core.database import utcnow
from ..core.i18n import from_local
from ..core.i18n import lazy_gettext_markup as _lm
from ..web.forms import CheckboxesField, ChoiceField, RadioChoiceField, choice_list, ignore_unless, strip
from . import rules

DATE_MESSAGE = _l("Vul een datum in zoals 19-05-2026.")
TIME_MESSAGE = _l("Vul een tijd in zoals 19:30.")


def title_field(label):
    return StringField(label, filters=[strip], validators=[
        DataRequired(_l("Vul een titel in.")),
        Length(max=rules.MAX_TITLE, message=_lm("Gebruik hoogstens %(n)s tekens.", n=rules.MAX_TITLE))])


def needed(field, message) -> bool:
    """Check a field that only one choice needs (Optional() would skip its validate_<field> method)."""
    if field.data is None and not field.errors:
        field.errors = [*field.errors, message]
        return False
    return True


def text_field(label, message, max_length=rules.MAX_TEXT, rows=3, description=None):
    return TextAreaField(label, filters=[strip], description=description, render_kw={"rows": rows}, validators=[
        DataRequired(message), Length(max=max_length, message=_lm("Gebruik hoogstens %(n)s tekens.", n=max_length))])


class MeetingForm(FlaskForm):
    """Change a meeting. The hidden sequence tells whether someone else saved in the meantime."""

    title = title_field(_l("Titel"))
    kind = RadioChoiceField(_l("Soort overleg"), choices=choice_list(rules.KINDS), default=rules.REGULAR,
                            validators=[InputRequired(_l("Kies de soort overleg."))])
    day = DateField(_l("Datum"), validators=[InputRequired(DATE_MESSAGE)], invalid_value_message=DATE_MESSAGE)
    start = TimeField(_l("Begintijd"), validators=[InputRequired(TIME_MESSAGE)], invalid_value_message=TIME_MESSAGE)
    end = TimeField(_l("Eindtijd"), validators=[InputRequired(TIME_MESSAGE)], invalid_value_message=TIME_MESSAGE)
    location = StringField(_l("Plaats (niet verplicht)"), filters=[strip],
                           description=_l("Bijvoorbeeld: Werkplein, Stationsstraat 1, zaal 2."),
                           validators=[Length(max=200, message=_lm("Gebruik hoogstens %(n)s tekens.", n=200))])
    online_url = URLField(_l("Link om online mee te doen (niet verplicht)"), filters=[strip], validators=[
        Optional(), URL(require_tld=True, message=_l("Vul een link in die begint met https://.")),
        Length(max=500, message=_lm("Gebruik hoogstens %(n)s tekens.", n=500))])
    visibility = RadioChoiceField(_l("Wie ziet deze vergadering?"), choices=choice_list(rules.VISIBILITIES),
                                  default=rules.MEMBERS, validators=[InputRequired(_l("Kies wie de vergadering ziet."))])
    sequence = HiddenField()

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("Kies een eindtijd na de begintijd."))

    def validate_online_url(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(_l("Vul een link in die begint met https://."))

    def meeting_fields(self) -> dict:
        return {"title": self.title.data, "kind": self.kind.data, "location": self.location.data or "",
                "online_url": self.online_url.data or "", "visibility": self.visibility.data,
                "day": self.day.data, "start": self.start.data, "end": self.end.data}


class DraftMeetingForm(MeetingForm):
    """A meeting the members do not see yet (a draft, or shown from a date): also when they will."""

    publish = RadioChoiceField(_l("Wanneer zien de leden de vergadering?"), default=rules.PUBLISH_NOW,
                               choices=choice_list({rules.PUBLISH_NOW: _l("Meteen"),
                                                    rules.PUBLISH_LATER: _l("Vanaf een datum"),
                                                    rules.PUBLISH_NOT_YET: _l("Nog niet: ik bereid hem eerst voor")}),
                               validators=[InputRequired(_l("Kies wanneer de leden de vergadering zien."))])
    publish_on = DateField(_l("Zichtbaar vanaf"), validators=[Optional()], invalid_value_message=DATE_MESSAGE)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.publish.data == rules.PUBLISH_LATER:
            valid = needed(self.publish_on, _l("Vul de datum in vanaf wanneer de leden de vergadering zien.")) and valid
        ignore_unless(self.publish.data == rules.PUBLISH_LATER, self.publish_on)
        return not self.errors

    def publish_at(self) -> datetime | None:
        """When the members see the meeting: now, from the start of the chosen day, or not yet (None)."""
        if self.publish.data == rules.PUBLISH_NOW:
            return utcnow()
        if self.publish.data == rules.PUBLISH_LATER:
            return from_local(self.publish_on.data, datetime.min.time())
        return None


class NewMeetingForm(DraftMeetingForm):
    """Plan one meeting or a series, for one body; publish now, later, or keep it as a draft."""

    body = ChoiceField(_l("Orgaan"), choices=[], validators=[DataRequired(_l("Kies het orgaan."))])
    repeat = RadioChoiceField(_l("Hoe vaak?"), default="once", choices=choice_list({
        "once": _l("Eén keer"), "weeks": _l("Elke paar weken"), "list": _l("Op de data die ik opgeef")}),
        validators=[InputRequired(_l("Kies hoe vaak."))])
    every_weeks = IntegerField(_l("Om de hoeveel weken?"), default=4, validators=[Optional(), NumberRange(
        min=1, max=26, message=_l("Kies een getal van 1 tot en met 26."))])
    count = IntegerField(_l("Hoeveel vergaderingen?"), default=8, validators=[Optional(), NumberRange(
        min=2, max=rules.MAX_SERIES, message=_lm("Kies een getal van 2 tot en met %(n)s.", n=rules.MAX_SERIES))])
    dates = TextAreaField(_l("Data"), filters=[strip], render_kw={"rows": 4},
                          description=_l("Eén datum per regel, zoals 19-05-2026. De eerste datum hierboven telt ook mee."))

    def validate_dates(self, field):
        if self.repeat.data != "list":
            return
        days, unreadable = rules.parse_date_list(field.data or "")
        if unreadable:
            raise ValidationError(_lm("Deze data kunnen we niet lezen: %(dates)s. Schrijf ze zoals 19-05-2026.",
                                      dates=", ".join(unreadable[:3])))
        if len(days) + 1 > rules.MAX_SERIES:
            raise ValidationError(_lm("Plan hoogstens %(n)s vergaderingen tegelijk.", n=rules.MAX_SERIES))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.repeat.data == "weeks":
            valid = all([needed(self.every_weeks, _l("Kies een getal van 1 tot en met 26.")),
                         needed(self.count, _lm("Kies een getal van 2 tot en met %(n)s.", n=rules.MAX_SERIES))]) and valid
        ignore_unless(self.repeat.data == "weeks", self.every_weeks, self.count)
        return not self.errors

    def days(self) -> list:
        first = self.day.data
        if self.repeat.data == "weeks":
            return rules.every_n_weeks(first, self.every_weeks.data, self.count.data)
        if self.repeat.data == "list":
            return sorted({first, *rules.parse_date_list(self.dates.data or "")[0]})
        return [first]


class AgendaItemForm(FlaskForm):
    title = title_field(_l("Onderwerp"))
    description = TextAreaField(_l("Toelichting (niet verplicht)"), filters=[strip], render_kw={"rows": 4},
                                description=_l("Vet: zet ** voor en achter de woorden. Schuin: zet * ervoor en erachter. Een lijst: begin elke regel met - ."),
                                validators=[Length(max=5000, message=_lm("Gebruik hoogstens %(n)s tekens.", n="5.000"))])
    presenter = StringField(_l("Wie leidt dit punt in? (niet verplicht)"), filters=[strip],
                            validators=[Length(max=120, message=_lm("Gebruik hoogstens %(n)s tekens.", n=120))])
    duration_minutes = IntegerField(_l("Minuten (niet verplicht)"), validators=[Optional(), NumberRange(
        min=1, max=480, message=_l("Kies een getal van 1 tot en met 480."))])
    # The agenda as the secretary saw it: a second click on "Toevoegen" comes with the same one.
    sequence = HiddenField()

    def item_fields(self) -> dict:
        return {"title": self.title.data, "description": self.description.data or "",
                "presenter": self.presenter.data or "", "duration_minutes": self.duration_minutes.data}


class AttendanceForm(FlaskForm):
    answer = RadioChoiceField(_l("Bent u erbij?"), choices=choice_list(rules.ANSWERS),
                              validators=[InputRequired(_l("Kies of u er bent."))])
    message = StringField(_l("Bericht aan de secretaris (niet verplicht)"), filters=[strip], validators=[
        Length(max=rules.MAX_MESSAGE, message=_lm("Gebruik hoogstens %(n)s tekens.", n=rules.MAX_MESSAGE))])


class PresenceForm(FlaskForm):
    present = CheckboxesField(_l("Wie was er?"), choices=[], coerce=int)
    guests = TextAreaField(_l("Gasten (niet verplicht)"), filters=[strip], render_kw={"rows": 3},
                           description=_l("Iemand die geen lid is, zoals een medewerker van de gemeente. "
                                          "Eén naam per regel."),
                           validators=[Length(max=rules.MAX_GUESTS_TEXT, message=_lm(
                               "Gebruik hoogstens %(n)s tekens.", n=rules.MAX_GUESTS_TEXT))])


def agenda_item_field(field_id: str):
    """Which agenda item a decision or action item belongs to; the view fills in the meeting's items.
    Both forms are on one page: each its own id."""
    return ChoiceField(_l("Bij welk agendapunt?"), choices=[], validators=[Optional()], id=field_id)


class MinutesForm(FlaskForm):
    text = TextAreaField(_l("Verslag"), filters=[strip], render_kw={"rows": 16},
                         description=_l("Een kopje: begin de regel met ## . Een lijst: begin elke regel met - ."),
                         validators=[Length(max=100_000, message=_lm("Gebruik hoogstens %(n)s tekens.", n="100.000"))])
    version = HiddenField()


class CorrectionForm(FlaskForm):
    correction = text_field(_l("Uw correctie"), _l("Schrijf wat er anders moet in het verslag."),
                      description=_l("Noem de plek en wat er volgens u moet staan."))


class DecisionForm(FlaskForm):
    decision = text_field(_l("Besluit"), _l("Schrijf het besluit op."))
    agenda_item = agenda_item_field("decision_agenda_item")
    # Offered only with signals on this meeting's agenda that the secretary may close.
    close_signals = CheckboxesField(_l("Signalen die met dit besluit klaar zijn"), choices=[], coerce=int,
                                    description=_l("Het signaal krijgt de status ‘Afgerond’, met dit besluit erbij."))


class ActionItemEditForm(FlaskForm):
    """What, who and by when: changed later by whoever may add action items."""

    description = text_field(_l("Wat moet er gebeuren?"), _l("Schrijf op wat er moet gebeuren."), rows=2)
    owner = ChoiceField(_l("Wie doet het?"), choices=[], validators=[Optional()])
    due_on = DateField(_l("Klaar op (niet verplicht)"), validators=[Optional()], invalid_value_message=DATE_MESSAGE)


class ActionItemForm(ActionItemEditForm):
    agenda_item = agenda_item_field("action_agenda_item")


class SettingsForm(FlaskForm):
    documents_days = IntegerField(_l("Hoeveel dagen voor de vergadering moeten de stukken er zijn?"), validators=[
        InputRequired(_l("Vul een aantal dagen in.")),
        NumberRange(min=0, max=60, message=_l("Kies een getal van 0 tot en met 60."))])
    reminder_days = IntegerField(_l("Hoeveel dagen van tevoren krijgen leden een herinnering?"), validators=[
        InputRequired(_l("Vul een aantal dagen in.")),
        NumberRange(min=0, max=30, message=_l("Kies een getal van 0 tot en met 30."))])
    standard_items = TextAreaField(_l("Vaste agendapunten voor een nieuwe vergadering"), filters=[strip],
                                   render_kw={"rows": 6}, description=_l("Eén punt per regel."),
                                   validators=[Length(max=2000, message=_lm("Gebruik hoogstens %(n)s tekens.", n="2.000"))])


class CommitmentForm(FlaskForm):
    label = StringField(_l("Afspraak"), filters=[strip], description=_l("Bijvoorbeeld: komt minstens 8 keer per jaar bijeen."),
                        validators=[DataRequired(_l("Schrijf de afspraak op.")),
                                    Length(max=200, message=_lm("Gebruik hoogstens %(n)s tekens.", n=200))])
    kind = ChoiceField(_l("Welke vergaderingen tellen mee?"), choices=choice_list(rules.KINDS), default=rules.REGULAR,
                       validators=[InputRequired(_l("Kies welke vergaderingen meetellen."))])
    times_per_year = IntegerField(_l("Hoe vaak per jaar?"), validators=[
        InputRequired(_l("Vul in hoe vaak per jaar.")),
        NumberRange(min=1, max=52, message=_l("Kies een getal van 1 tot en met 52."))])


class FilterForm(FlaskForm):
    """The body filter above lists; a GET form without CSRF."""

    class Meta:
        csrf = False

    orgaan = ChoiceField(_l("Orgaan"), choices=[], validators=[Optional()])
