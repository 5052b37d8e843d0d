from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..core.database import utcnow
from ..core.i18n import from_local
from ..core.i18n import lazy_gettext_markup as _lm
from ..web.forms import CheckboxesField, ChoiceField, RadioChoiceField, choice_list, strip
from . import rules

DATE_MESSAGE = _l("Vul een datum in zoals 19-05-2026.")
TIME_MESSAGE = _l("Vul een tijd in zoals 17:00.")


def _max(n: int):
    return Length(max=n, message=_lm("Gebruik hoogstens %(n)s tekens.", n=n))


class ProposalForm(FlaskForm):
    body = ChoiceField(_l("Orgaan"), choices=[], validators=[DataRequired(_l("Kies het orgaan."))])
    title = StringField(_l("Titel"), filters=[strip], description=_l("Bijvoorbeeld: Concept-advies over het ketenjaarplan."),
                        validators=[DataRequired(_l("Vul een titel in.")), _max(rules.MAX_TITLE)])
    text = TextAreaField(_l("Het voorstel"), filters=[strip], render_kw={"rows": 6},
                         description=_l("Wat stelt u voor, en waarom? Vet: zet ** voor en achter de woorden. Een lijst: begin elke regel met - ."),
                         validators=[DataRequired(_l("Schrijf op wat u voorstelt.")), _max(rules.MAX_TEXT)])
    kind = RadioChoiceField(_l("Wat vraagt u aan de leden?"), choices=choice_list(rules.KIND_CHOICES),
                            validators=[InputRequired(_l("Kies wat u aan de leden vraagt."))])
    choices = TextAreaField(_l("Mogelijkheden (alleen bij keuze)"), filters=[strip], render_kw={"rows": 4},
                            description=_l("Eén mogelijkheid per regel."), validators=[_max(rules.MAX_OPTIONS * 210)])
    max_choices = IntegerField(_l("Hoeveel mogelijkheden mag een lid kiezen? (alleen bij keuze)"), default=1,
                               validators=[Optional(), NumberRange(min=1, max=rules.MAX_OPTIONS,
                                                                   message=_lm("Kies een getal van 1 tot en met %(n)s.",
                                                                               n=rules.MAX_OPTIONS))])
    dates = TextAreaField(_l("Data en tijden (alleen bij datum prikken)"), filters=[strip], render_kw={"rows": 4},
                          description=_l("Eén per regel, zoals 19-05-2026 19:30-21:30."),
                          validators=[_max(rules.MAX_OPTIONS * 40)])
    closes_on = DateField(_l("Sluit op"), validators=[InputRequired(DATE_MESSAGE)], invalid_value_message=DATE_MESSAGE,
                          description=_l("Tot dan kunnen de leden antwoorden en hun antwoord veranderen."))
    closes_time = TimeField(_l("Om"), default=time(17, 0), validators=[InputRequired(TIME_MESSAGE)],
                            invalid_value_message=TIME_MESSAGE)
    voters = RadioChoiceField(_l("Wie mag antwoorden?"), choices=choice_list(rules.VOTERS), default=rules.ALL,
                              validators=[InputRequired(_l("Kies wie mag antwoorden."))])
    results = RadioChoiceField(_l("Wanneer zien de leden de antwoorden?"), choices=choice_list(rules.RESULTS),
                               default=rules.WHILE_OPEN, validators=[InputRequired(_l("Kies wanneer de leden de "
                                                                                      "antwoorden zien."))])
    names = RadioChoiceField(_l("Staan de namen bij de antwoorden?"), choices=choice_list(rules.NAMES),
                             default=rules.NAMED, validators=[InputRequired(_l("Kies of de namen bij de antwoorden "
                                                                               "staan."))])
    advice = ChoiceField(_l("Hoort bij een adviesdossier (niet verplicht)"), choices=[], validators=[Optional()])
    meeting = ChoiceField(_l("Hoort bij een vergadering (niet verplicht)"), choices=[], validators=[Optional()])

    def validate_choices(self, field):
        if self.kind.data != rules.CHOICE:
            return
        options = rules.parse_choices(field.data or "")
        if len(options) < 2:
            raise ValidationError(_l("Schrijf minstens twee mogelijkheden op, één per regel."))
        if len(options) > rules.MAX_OPTIONS or any(len(o) > rules.MAX_OPTION for o in options):
            raise ValidationError(_lm("Schrijf hoogstens %(n)s mogelijkheden op, van hoogstens %(length)s tekens.",
                                      n=rules.MAX_OPTIONS, length=rules.MAX_OPTION))

    def validate_max_choices(self, field):
        if self.kind.data == rules.CHOICE and field.data and field.data > len(rules.parse_choices(self.choices.data or "")):
            raise ValidationError(_l("Kies niet meer dan er mogelijkheden zijn."))

    def validate_dates(self, field):
        if self.kind.data != rules.DATE:
            return
        slots, unreadable = rules.parse_dates(field.data or "")
        if unreadable:
            raise ValidationError(_lm("Deze regels kunnen we niet lezen: %(lines)s. Schrijf ze zoals 19-05-2026 "
                                      "19:30-21:30.", lines=", ".join(unreadable[:3])))
        if len(slots) < 2:
            raise ValidationError(_l("Schrijf minstens twee data op, één per regel."))
        if len(slots) > rules.MAX_OPTIONS:
            raise ValidationError(_lm("Schrijf hoogstens %(n)s data op.", n=rules.MAX_OPTIONS))

    def validate_closes_time(self, field):
        if self.closes_on.data and field.data:
            problem = rules.closing_problem(self.closes_at(), utcnow())
            if problem:
                raise ValidationError(problem)

    def closes_at(self):
        return from_local(self.closes_on.data, self.closes_time.data)

    def proposal_fields(self) -> dict:
        """Plain values for logic.create_proposal."""
        return {"body_id": int(self.body.data), "title": self.title.data, "text": self.text.data,
                "kind": self.kind.data, "voters": self.voters.data, "results": self.results.data,
                "anonymous": self.names.data == rules.ANONYMOUS, "max_choices": self.max_choices.data or 1,
                "closes_at": self.closes_at(), "advice_id": int(self.advice.data) if self.advice.data else None,
                "meeting_id": int(self.meeting.data) if self.meeting.data else None,
                "choices": rules.parse_choices(self.choices.data or ""),
                "dates": rules.parse_dates(self.dates.data or "")[0]}


def answer_form(proposal, record=None, **kwargs) -> FlaskForm:
    """The answer form of this proposal, with the member's answer filled in. Built per proposal: a date
    poll has one question per date."""

    class AnswerForm(FlaskForm):
        pass

    kind = proposal.kind
    data = {"remark": record.remark} if record else {}
    picked = {pick.option_id: pick.value for pick in record.picks} if record else {}
    if kind == rules.DATE:
        for option in proposal.options:
            setattr(AnswerForm, f"option_{option.id}", RadioChoiceField(
                option.text, choices=choice_list(rules.DATE_ANSWERS),
                validators=[InputRequired(_l("Kies ja, misschien of nee bij deze datum."))]))
            data[f"option_{option.id}"] = picked.get(option.id)
    elif kind == rules.CHOICE:
        several = proposal.max_choices > 1
        legend = _lm("Uw keuze (hoogstens %(n)s)", n=proposal.max_choices) if several else _l("Uw keuze")
        field_class = CheckboxesField if several else RadioChoiceField
        AnswerForm.picks = field_class(legend, choices=choice_list((o.id, o.text) for o in proposal.options),
                                       coerce=int, validators=[InputRequired(_l("Kies een mogelijkheid."))])
        chosen = [option_id for option_id, value in picked.items() if value == rules.YES]
        data["picks"] = chosen if several else (chosen[0] if chosen else None)
    else:
        AnswerForm.choice = RadioChoiceField(_l("Uw antwoord"), choices=choice_list(rules.answer_labels(kind)),
                                             validators=[InputRequired(_l("Kies uw antwoord."))])
        data["choice"] = record.choice if record else None
    # Made last, so it comes after the questions (fields keep the order they were made in).
    remark_label = _l("Uw opmerking (nodig bij een bezwaar)") if kind == rules.CONSENT else _l("Uw opmerking (niet verplicht)")
    AnswerForm.remark = TextAreaField(remark_label, filters=[strip], render_kw={"rows": 3},
                                      validators=[_max(rules.MAX_REMARK)])
    form = AnswerForm(data={**data, **kwargs.pop("data", {})}, **kwargs)
    form.proposal = proposal
    return form


def answer_values(form) -> tuple[str | None, dict[int, str], str]:
    """(choice, picks, remark) as logic.answer takes them."""
    proposal = form.proposal
    if proposal.kind == rules.DATE:
        picks = {o.id: form[f"option_{o.id}"].data for o in proposal.options}
        return None, picks, form.remark.data or ""
    if proposal.kind == rules.CHOICE:
        chosen = form.picks.data if isinstance(form.picks.data, list) else [form.picks.data]
        return None, {option_id: rules.YES for option_id in chosen if option_id is not None}, form.remark.data or ""
    return form.choice.data, {}, form.remark.data or ""


def check_answer(form) -> bool:
    """The form's own checks, then the rules' (an objection needs a reason; how many may be chosen)."""
    valid = form.validate()
    if not valid:
        return False
    choice, picks, remark = answer_values(form)
    proposal = form.proposal
    problem = rules.remark_problem(proposal.kind, choice, remark)
    if problem:
        form.remark.errors = [*form.remark.errors, problem]
        return False
    if proposal.kind == rules.CHOICE:
        problem = rules.picks_problem(proposal.kind, picks, [o.id for o in proposal.options], proposal.max_choices)
        if problem:
            form.picks.errors = [*form.picks.errors, problem]
            return False
    return True


class OutcomeForm(FlaskForm):
    outcome = RadioChoiceField(_l("Wat is de uitkomst?"), choices=choice_list(rules.OUTCOMES),
                               validators=[InputRequired(_l("Kies de uitkomst."))])
    text = TextAreaField(_l("De uitkomst in een paar zinnen"), filters=[strip], render_kw={"rows": 4},
                         description=_l("Bijvoorbeeld: Aangenomen, met de opmerking van Joke over de planning."),
                         validators=[DataRequired(_l("Schrijf de uitkomst op.")), _max(rules.MAX_OUTCOME)])
    confirmed = HiddenField()
