"""Form pieces every feature uses, with the Dutch instructions written once."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, RadioField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length


def strip(value):
    return value.strip() if isinstance(value, str) else value


def email_field(label=None, **kwargs) -> EmailField:
    return EmailField(
        label or _l("E-mailadres"),
        filters=[strip, lambda v: v.lower() if isinstance(v, str) else v],
        validators=[
            DataRequired(_l("Vul een e-mailadres in.")),
            Email(_l("Vul een e-mailadres in zoals naam@voorbeeld.nl.")),
            Length(max=254, message=_l("Gebruik hoogstens 254 tekens.")),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
        **kwargs,
    )


def name_field(label=None) -> StringField:
    return StringField(
        label or _l("Naam"),
        filters=[strip],
        validators=[
            DataRequired(_l("Vul een naam in.")),
            Length(max=120, message=_l("Gebruik hoogstens 120 tekens.")),
        ],
        render_kw={"autocomplete": "name"},
    )


def password_field(label, message, autocomplete="current-password") -> PasswordField:
    return PasswordField(label, validators=[DataRequired(message)],
                         render_kw={"autocomplete": autocomplete})


class CheckboxesField(SelectMultipleField):
    """Several choices shown as a list of checkboxes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_choice_message", CHOICE_MESSAGE)
        kwargs.setdefault("invalid_value_message", CHOICE_MESSAGE)
        super().__init__(*args, **kwargs)

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def described_by(field) -> str:
    """The ids of a field's hint and error message, for aria-describedby."""
    ids = []
    if field.description:
        ids.append(f"{field.id}-hint")
    if field.errors:
        ids.append(f"{field.id}-error")
    return " ".join(ids)


# Input types whose value HTML allows only in one form (a date as 2026-05-19).
_STRICT_INPUT_TYPES = {"date", "time", "datetime-local", "number"}


def field_attributes(field) -> dict:
    attributes = {}
    if described_by(field):
        attributes["aria-describedby"] = described_by(field)
    if field.errors:
        attributes["aria-invalid"] = "true"
    if getattr(field.widget, "input_type", None) in _STRICT_INPUT_TYPES and field.data is None:
        # Typed text that does not fit (a date field sent "gisteren", which only a browser without a
        # date picker lets through) is not sent back: HTML forbids it, and a browser with a picker
        # would show it empty anyway. The error message says what to type.
        attributes["value"] = ""
    return attributes


def init_app(app):
    app.jinja_env.globals.update(described_by=described_by, field_attributes=field_attributes)


def ignore_unless(applies: bool, *fields) -> None:
    """Fields that belong to another choice: after validation, what they hold is not held against
    the form (the page keeps it, and the logic does not use it)."""
    if not applies:
        for field in fields:
            field.errors = []


def choice_list(choices) -> list[SelectChoice]:
    """Choices for a select or checkboxes from a {value: label} dict or (value, label) pairs."""
    pairs = choices.items() if isinstance(choices, dict) else choices
    return [SelectChoice(value, label) for value, label in pairs]


CHOICE_MESSAGE = _l("Kies een van de mogelijkheden in de lijst.")


class _PlainChoiceMessage:
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_choice_message", CHOICE_MESSAGE)
        super().__init__(*args, **kwargs)


class ChoiceField(_PlainChoiceMessage, SelectField):
    """A select list whose error for a value not on the list is a plain instruction."""

    def __call__(self, **kwargs):
        # HTML allows `required` on a select only when its first option is an empty placeholder
        # ("Kies ..."). Without one the browser always sends a choice; the validators still check it.
        first = next(iter(self.iter_choices()), None)
        if first is not None and first[0] != "":
            kwargs.setdefault("required", False)
        return super().__call__(**kwargs)


class RadioChoiceField(_PlainChoiceMessage, RadioField):
    """Radio buttons: every choice in view, easier than a select list for many people."""
