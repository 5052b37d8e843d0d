from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..web.categories import category_form
from ..web.forms import ChoiceField, RadioChoiceField, choice_list, strip
from .models import BODY, VISIBILITIES


class DetailsForm(FlaskForm):
    """What a document is about and who may see it."""

    title = StringField(_l("Titel"), filters=[strip], validators=[
        DataRequired(_l("Vul een titel in.")), Length(max=200, message=_l("Gebruik hoogstens 200 tekens."))],
        description=_l("Zo vinden anderen het terug. Bijvoorbeeld: Werkboek arbeidsmarktbeleid 2026."))
    description = TextAreaField(_l("Beschrijving (niet verplicht)"), filters=[strip], validators=[
        Length(max=5000, message=_l("Gebruik hoogstens 5.000 tekens."))], render_kw={"rows": 4})
    category = ChoiceField(_l("Soort document"), choices=[], validators=[DataRequired(_l("Kies een soort document."))])
    tags = StringField(_l("Trefwoorden (niet verplicht)"), filters=[strip], validators=[
        Length(max=300, message=_l("Gebruik hoogstens 300 tekens."))],
        description=_l("Zet een komma tussen de woorden. Bijvoorbeeld: re-integratie, jongeren."))
    # Not "(niet verplicht)": it is needed for one audience, and the label must not contradict its error.
    body = ChoiceField(_l("Orgaan"), choices=[], description=_l(
        "Bij welk orgaan hoort het? Dit moet u kiezen als alleen de leden van dat orgaan het mogen zien."))
    visibility = RadioChoiceField(_l("Wie mag het zien?"), choices=choice_list(VISIBILITIES),
                                  validators=[InputRequired(_l("Kies wie het document mag zien."))])

    def validate_body(self, field):
        if self.visibility.data == BODY and not field.data:
            raise ValidationError(_l("Kies het orgaan. U koos dat alleen de leden van het orgaan het mogen zien."))


class UploadForm(DetailsForm):
    file = FileField(_l("Bestand"))
    kept = HiddenField()  # names the file held since the last try (uploads.hold)


class EditForm(DetailsForm):
    # Only for a document used at a meeting, activity or dossier (the view removes it otherwise).
    standalone = BooleanField(_l("Ook los in de bibliotheek"), description=_l(
        "Zonder vinkje: alleen wie de vergadering, de activiteit of het dossier mag zien, ziet dit document."))


class AudienceForm(FlaskForm):
    """Who may see a document, changed next to it where it is attached."""

    wie = RadioChoiceField(_l("Wie mag het zien?"), choices=choice_list(VISIBILITIES),
                           validators=[InputRequired(_l("Kies wie het document mag zien."))])
    orgaan = HiddenField()
    next = HiddenField()


class ReuseForm(FlaskForm):
    """The question when an added file is already in the library with another audience."""

    document = HiddenField()
    wie = HiddenField()
    vraag = HiddenField(default="1")
    hergebruik = RadioChoiceField(_l("Wie mag het zien?"), choices=[])


class VersionForm(FlaskForm):
    file = FileField(_l("Nieuwe versie van het bestand"))


class LibraryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Zoeken"), filters=[strip], validators=[Length(max=200)],
                    render_kw={"type": "search", "autocomplete": "off"})
    category = ChoiceField(_l("Soort"), choices=[], default="")
    body = ChoiceField(_l("Orgaan"), choices=[], default="")
    year = ChoiceField(_l("Jaar"), choices=[], default="")
    kind = ChoiceField(_l("Bestand"), choices=[], default="")


CategoryForm = category_form(
    _l("Soort document"), _l("Vul de soort in."), _l("Kan gekozen worden"),
    _l("Oude documenten houden hun soort, ook als die niet meer gekozen kan worden."))