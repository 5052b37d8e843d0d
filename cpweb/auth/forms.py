from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..web.forms import CheckboxesField, ChoiceField, choice_list, email_field, name_field, password_field, strip
from .passwords import password_problem


class LoginForm(FlaskForm):
    email = email_field()
    password = password_field(_l("Wachtwoord"), _l("Vul uw wachtwoord in."))
    stay_logged_in = BooleanField(_l("Ingelogd blijven op dit apparaat"),
                                  description=_l("Niet doen op een computer die u met anderen deelt."))


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class NewPasswordMixin:
    """A new password, typed twice, strong enough for the member's address in `self.account_email`."""

    account_email = ""
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        description=_l("Minstens 10 tekens. Een zin of drie losse woorden is sterk en makkelijk te onthouden."),
        validators=[DataRequired(_l("Kies een nieuw wachtwoord."))],
        render_kw={"autocomplete": "new-password"},
    )
    password_again = PasswordField(
        _l("Nieuw wachtwoord nog een keer"),
        validators=[
            DataRequired(_l("Typ het nieuwe wachtwoord nog een keer.")),
            EqualTo("password", _l("Typ twee keer hetzelfde wachtwoord.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_password(self, field):
        problem = password_problem(field.data or "", self.account_email)
        if problem:
            raise ValidationError(problem)


class SetPasswordForm(NewPasswordMixin, FlaskForm):
    pass


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = password_field(_l("Huidig wachtwoord"), _l("Vul uw huidige wachtwoord in."))


class ProfileForm(FlaskForm):
    name = name_field()
    email = email_field()
    # Asked for a new address only: otherwise a borrowed or copied login could take the account over.
    email_password = PasswordField(_l("Huidig wachtwoord"), description=_l("Alleen nodig als u uw e-mailadres wijzigt."),
                                   render_kw={"autocomplete": "current-password"})
    language = ChoiceField(_l("Taal van de website"), choices=choice_list({"nl": "Nederlands", "en": "English"}))


class MailPreferencesForm(FlaskForm):
    kinds = CheckboxesField(_l("Ik wil deze e-mails krijgen"), choices=[])


class CodeForm(FlaskForm):
    """The six digits from the authenticator app."""

    code = StringField(_l("Code uit de app"), filters=[strip],
                       description=_l("6 cijfers. De app maakt elke 30 seconden een nieuwe code."),
                       validators=[DataRequired(_l("Typ de code uit de app."))],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 9,
                                  "autocapitalize": "off", "spellcheck": "false", "class": "input-code"})


class RecoveryCodeForm(FlaskForm):
    code = StringField(_l("Herstelcode"), filters=[strip],
                       description=_l("Een van de codes die u bewaarde toen u de app instelde, zoals abcd-efgh-jkmn."),
                       validators=[DataRequired(_l("Typ een van uw herstelcodes."))],
                       render_kw={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false",
                                  "maxlength": 20})


class ConfirmPasswordForm(FlaskForm):
    password = password_field(_l("Wachtwoord"), _l("Vul uw wachtwoord in."))


class PasskeyForm(FlaskForm):
    name = StringField(_l("Naam van de passkey"), filters=[strip],
                       description=_l("Zo ziet u later welke het is, bijvoorbeeld ‘Mijn telefoon’."),
                       validators=[DataRequired(_l("Geef de passkey een naam.")),
                                   Length(max=60, message=_l("Gebruik hoogstens 60 tekens."))])
