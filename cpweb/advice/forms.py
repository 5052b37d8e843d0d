from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..core.i18n import lazy_gettext_markup as _lm
from ..web.forms import CheckboxesField, ChoiceField, RadioChoiceField, choice_list, strip
from . import rules

DATE_MESSAGE = _l("Vul een datum in zoals 19-05-2026.")


def _date(label):
    return DateField(label, validators=[Optional()], invalid_value_message=DATE_MESSAGE)


def _text(label, rows=3, n=5000):
    return TextAreaField(label, filters=[strip], render_kw={"rows": rows},
                         validators=[Length(max=n, message=_lm("Gebruik hoogstens %(n)s tekens.", n=n))])


class AdviceForm(FlaskForm):
    body = ChoiceField(_l("Orgaan"), choices=[], validators=[DataRequired(_l("Kies het orgaan."))])
    title = StringField(_l("Onderwerp van het advies"), filters=[strip], validators=[
        DataRequired(_l("Vul het onderwerp in.")),
        Length(max=rules.MAX_TITLE, message=_lm("Gebruik hoogstens %(n)s tekens.", n=rules.MAX_TITLE))])
    kind = RadioChoiceField(_l("Gevraagd of ongevraagd?"), choices=choice_list(rules.KINDS),
                            validators=[InputRequired(_l("Kies gevraagd of ongevraagd."))])
    topic = ChoiceField(_l("Waar gaat het over?"), choices=choice_list(rules.TOPICS),
                        validators=[InputRequired(_l("Kies waar het over gaat."))])
    addressee = ChoiceField(_l("Aan wie?"), choices=[], validators=[Optional()])
    addressee_text = StringField(_l("Of schrijf op aan wie (niet verplicht)"), filters=[strip],
                                 validators=[Length(max=200, message=_lm("Gebruik hoogstens %(n)s tekens.", n=200))])
    summary = _text(_l("Waar gaat het om? (niet verplicht)"), rows=5)
    requested_on = _date(_l("Datum van de vraag of van het idee (niet verplicht)"))
    deadline = _date(_l("Uiterlijk klaar op (niet verplicht)"))
    drafters = CheckboxesField(_l("Wie schrijven mee?"), choices=[], coerce=int)
    version = HiddenField()

    def validate_addressee_text(self, field):
        if not field.data and not self.addressee.data:
            raise ValidationError(_l("Kies aan wie het advies gaat, of schrijf het op."))

    def validate_deadline(self, field):
        if field.data and self.requested_on.data and field.data < self.requested_on.data:
            raise ValidationError(_l("De termijn kan niet voor de aanvraag liggen. Kijk de datums na."))

    def advice_fields(self) -> dict:
        return {"body_id": int(self.body.data), "title": self.title.data, "kind": self.kind.data,
                "topic": self.topic.data, "addressee_id": int(self.addressee.data) if self.addressee.data else None,
                "addressee_text": self.addressee_text.data or "", "summary": self.summary.data or "",
                "requested_on": self.requested_on.data, "deadline": self.deadline.data}


class StepForm(FlaskForm):
    """The next step, with the details that step needs; rules.step_problem says what is missing."""

    target = ChoiceField(_l("Wat is er gebeurd?"), choices=[], validators=[DataRequired(_l("Kies de volgende stap."))])
    sent_on = _date(_l("Verstuurd op"))
    response_on = _date(_l("Reactie ontvangen op"))
    response_summary = _text(_l("Wat staat er in de reactie?"))
    reasons_given = BooleanField(_l("De reactie legt uit waarom iets niet wordt overgenomen"))
    follow_up_on = _date(_l("Datum van het nagesprek"))
    follow_up_notes = _text(_l("Wat is er besproken?"))
    outcome = ChoiceField(_l("Wat is er met het advies gedaan?"),
                          choices=choice_list([("", "–")] + list(rules.OUTCOMES.items())), validators=[Optional()])


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Notitie"), filters=[strip], render_kw={"rows": 3}, validators=[
        DataRequired(_l("Schrijf een notitie.")), Length(max=2000, message=_lm("Gebruik hoogstens %(n)s tekens.", n=2000))])


class LinkForm(FlaskForm):
    reference = StringField(_l("Kenmerk van een signaal"), filters=[strip], description=_l("Zoals S-2026-0012."),
                            validators=[Length(max=20, message=_lm("Gebruik hoogstens %(n)s tekens.", n=20))])
    meeting = ChoiceField(_l("Of een vergadering"), choices=[], validators=[Optional()])


class PublishForm(FlaskForm):
    public_summary = TextAreaField(
        _l("Wat moet de lezer weten?"), filters=[strip], render_kw={"rows": 5},
        description=_l("Schrijf in gewone woorden wat u adviseerde en wat ermee is gedaan. Iedereen kan dit lezen. "
                       "Noem geen namen van cliënten."),
        validators=[DataRequired(_l("Schrijf een korte tekst voor de website.")),
                    Length(max=rules.MAX_PUBLIC_SUMMARY,
                           message=_lm("Gebruik hoogstens %(n)s tekens.", n=rules.MAX_PUBLIC_SUMMARY))])


class PublicFilterForm(FlaskForm):
    class Meta:
        csrf = False

    jaar = ChoiceField(_l("Jaar"), choices=[], validators=[Optional()])
    onderwerp = ChoiceField(_l("Onderwerp"), choices=choice_list([("", _l("Alle onderwerpen"))] +
                                                                  list(rules.TOPICS.items())), validators=[Optional()])


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = ChoiceField(_l("Status"), choices=choice_list(
        [("open", _l("Alles wat nog loopt")), ("", _l("Alle"))] + list(rules.STATUSES.items())), default="open",
        validators=[Optional()])
    jaar = IntegerField(_l("Jaar"), validators=[Optional()])
    q = StringField(_l("Zoeken"), filters=[strip], validators=[Optional(), Length(max=100)])
