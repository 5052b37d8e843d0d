from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, HiddenField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp, ValidationError

from ..core.database import utcnow
from ..core.i18n import lazy_gettext_markup as _lm
from ..web.categories import category_form
from ..web.confirming import ConfirmForm
from ..web.forms import ChoiceField, RadioChoiceField, choice_list, strip
from . import rules

PHONE = r"^\+?[0-9 ()-]{10,20}$"


class SignalForm(FlaskForm):
    """The public form. Contact details are optional and need consent."""

    category = RadioChoiceField(_l("Waar gaat het over?"), choices=[],
                                validators=[InputRequired(_l("Kies waar het over gaat."))])
    sentiment = RadioChoiceField(_l("Ging het goed, of kan het beter?"), choices=choice_list(rules.SENTIMENTS),
                                 validators=[InputRequired(_l("Kies of het goed ging of beter kan."))])
    municipality = ChoiceField(_l("In welke gemeente woont u?"), choices=[],
                               validators=[DataRequired(_l("Kies uw gemeente, of kies ‘Weet ik niet’."))])
    organisation_kind = RadioChoiceField(_l("Bij welke organisatie was het?"), choices=choice_list(rules.ORGANISATIONS),
                                         validators=[InputRequired(_l("Kies bij welke organisatie het was."))])
    description = TextAreaField(
        _l("Wat is er gebeurd?"), filters=[strip],
        description=_lm("Schrijf het in uw eigen woorden. Noem geen namen van medewerkers en geen BSN. "
                        "Gebruik minstens %(min)s en hoogstens %(max)s tekens.", min=rules.MIN_TEXT, max="5.000"),
        validators=[DataRequired(_l("Vertel wat er gebeurde.")),
                    Length(min=rules.MIN_TEXT, message=_l("Schrijf iets meer: minstens 10 tekens.")),
                    Length(max=rules.MAX_TEXT, message=_l("Gebruik hoogstens 5.000 tekens."))],
        render_kw={"rows": 8, "maxlength": rules.MAX_TEXT, "data-counter": rules.MAX_TEXT})
    happened_on = DateField(_l("Wanneer was het? (niet verplicht)"), validators=[Optional()],
                            invalid_value_message=_l("Vul een datum in zoals 19-05-2026."))

    contact_name = StringField(_l("Uw naam (niet verplicht)"), filters=[strip],
                               validators=[Length(max=120, message=_l("Gebruik hoogstens 120 tekens."))],
                               render_kw={"autocomplete": "name"})
    contact_email = EmailField(_l("Uw e-mailadres"), filters=[strip],
                               validators=[Optional(), Email(_l("Vul een e-mailadres in zoals naam@voorbeeld.nl."))],
                               render_kw={"autocomplete": "email"})
    contact_phone = TelField(_l("Uw telefoonnummer"), filters=[strip],
                             validators=[Optional(), Regexp(PHONE, message=_l("Vul een telefoonnummer in zoals 06 12345678."))],
                             render_kw={"autocomplete": "tel"})
    consent = BooleanField(_l("Ja, u mag mijn naam en mijn e-mailadres of telefoonnummer gebruiken om contact met "
                              "mij op te nemen over dit signaal. Daarna wissen wij ze."))

    # Spam defences: a field people do not see, and when the form was shown (signed).
    hp_kleur = StringField(_l("Laat dit veld leeg"), render_kw={"autocomplete": "off", "tabindex": "-1"})
    started = HiddenField()

    def validate_happened_on(self, field):
        if field.data and field.data > utcnow().date():
            raise ValidationError(_l("Kies een datum die al geweest is."))

    def validate_consent(self, field):
        has_contact = bool(self.contact_email.data or self.contact_phone.data)
        if has_contact and not field.data:
            raise ValidationError(_l("Zet een vinkje als wij contact met u mogen opnemen. "
                                     "Wilt u geen contact? Maak dan e-mailadres en telefoonnummer leeg."))
        if field.data and not has_contact:
            raise ValidationError(_l("Vul uw e-mailadres of telefoonnummer in, dan kunnen wij u bereiken."))


class RecordedSignalForm(SignalForm):
    """A member records a signal heard by phone, at a spreekuur or by e-mail."""

    source = ChoiceField(_l("Hoe kwam dit signaal binnen?"), choices=choice_list(rules.SOURCES), default="telefoon")


class StatusForm(FlaskForm):
    status = ChoiceField(_l("Nieuwe status"), choices=[])
    reason = ChoiceField(_l("Reden (bij geannuleerd)"), choices=choice_list({"": "–", **rules.CANCEL_REASONS}),
                         validate_choice=False)
    passed_to = ChoiceField(_l("Doorgegeven aan (bij doorgegeven)"), choices=choice_list({"": "–", **rules.PASSED_TO}),
                            validate_choice=False)
    agenda = ChoiceField(_l("Op welke agenda? (bij geagendeerd)"), choices=[], validate_choice=False,
                         description=_l("Kies een agendapunt van een komende vergadering, of een nieuw agendapunt."))
    new_item = StringField(_l("Titel van het nieuwe agendapunt (niet verplicht)"), filters=[strip],
                           description=_l("Leeg laten: dan wordt het ‘Signaal’ met het kenmerk en het onderwerp."),
                           validators=[Length(max=200, message=_l("Gebruik hoogstens 200 tekens."))])
    original = StringField(_l("Kenmerk van het signaal dat blijft (bij dubbel)"), filters=[strip],
                           description=_l("Bijvoorbeeld S-2026-0042."))
    note = TextAreaField(_l("Toelichting (niet verplicht)"), filters=[strip],
                         validators=[Length(max=2000, message=_l("Gebruik hoogstens 2.000 tekens."))],
                         render_kw={"rows": 2})

    def validate_original(self, field):
        if self.status.data == rules.CANCELLED and self.reason.data == "dubbel" and not field.data:
            raise ValidationError(_l("Vul het kenmerk in van het signaal dat blijft."))

    def validate_agenda(self, field):
        if self.status.data == rules.ON_AGENDA and field.data not in [choice.value for choice in field.choices if choice.value]:
            raise ValidationError(_l("Kies op welke agenda het signaal komt."))

    def validate_reason(self, field):
        if self.status.data == rules.CANCELLED and field.data not in rules.CANCEL_REASONS:
            raise ValidationError(_l("Kies waarom het signaal geannuleerd wordt."))

    def validate_passed_to(self, field):
        if self.status.data == rules.PASSED_ON and field.data not in rules.PASSED_TO:
            raise ValidationError(_l("Kies aan wie het signaal is doorgegeven."))


class NoteForm(FlaskForm):
    # Everyone who reads signals reads the notes, also those who may not see the contact details.
    text = TextAreaField(_l("Notitie (alleen voor leden)"), filters=[strip],
                         description=_l("Alle leden die signalen lezen, zien deze notitie. Zet er geen naam, "
                                        "e-mailadres of telefoonnummer in."), validators=[
        DataRequired(_l("Schrijf een notitie.")), Length(max=5000, message=_l("Gebruik hoogstens 5.000 tekens."))],
        render_kw={"rows": 3})


class MessageForm(ConfirmForm):
    """The council's message for the visitor, asked on the confirmation page that names who gets it."""

    note = TextAreaField(_l("Bericht voor de indiener"), filters=[strip],
                         description=_l("De indiener leest dit op de pagina waarmee hij of zij het signaal volgt. "
                                        "Schrijf in gewone woorden. Noem geen namen van leden of medewerkers."),
                         validators=[DataRequired(_l("Schrijf het bericht.")),
                                     Length(max=2000, message=_l("Gebruik hoogstens 2.000 tekens."))],
                         render_kw={"rows": 5})


class AssignForm(FlaskForm):
    assignee = ChoiceField(_l("Wie pakt dit op?"), choices=[], coerce=str)


class SignalFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = ChoiceField(_l("Status"), choices=choice_list({"": _l("Alle open signalen"), "alle": _l("Alle"),
                                                           **rules.STATUSES, "spam": _l("Mogelijk spam")}), default="")
    category = ChoiceField(_l("Onderwerp"), choices=[], default="")
    sentiment = ChoiceField(_l("Goed of beter"), choices=choice_list({"": _l("Alle"), **rules.SENTIMENTS}), default="")
    municipality = ChoiceField(_l("Gemeente"), choices=[], default="")
    start = DateField(_l("Ontvangen vanaf"), validators=[Optional()], invalid_value_message=_l("Vul een datum in zoals 1-1-2026."))
    end = DateField(_l("Ontvangen tot en met"), validators=[Optional()],
                    invalid_value_message=_l("Vul een datum in zoals 31-3-2026."))
    q = StringField(_l("Zoek in de tekst of het kenmerk"), filters=[strip])
    mine = BooleanField(_l("Alleen signalen die ik oppak"))


class ReportForm(FlaskForm):
    class Meta:
        csrf = False

    start = DateField(_l("Van"), validators=[Optional()], invalid_value_message=_l("Vul een datum in zoals 1-1-2026."))
    end = DateField(_l("Tot en met"), validators=[Optional()], invalid_value_message=_l("Vul een datum in zoals 31-3-2026."))

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("Kies een einddatum na de begindatum."))


CategoryForm = category_form(
    _l("Onderwerp"), _l("Vul het onderwerp in."), _l("Staat op het formulier"),
    _l("Oude signalen houden hun onderwerp, ook als het niet meer op het formulier staat."),
    label_description=_l("Zoals bezoekers het lezen op het formulier. Kort en duidelijk."))