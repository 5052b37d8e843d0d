"""The macros that write forms that post: the CSRF field for plain forms, htmx on the same URL."""
from flask import get_template_attribute
from flask_wtf import FlaskForm
from wtforms import StringField


def macro(name):
    return get_template_attribute("_macros/forms.html", name)


def test_post_button_carries_the_token_and_puts_other_keywords_on_the_button(app):
    with app.test_request_context():
        html = str(macro("post_button")("/weg", "Weghalen", what="Notulen", swap="agenda", name="richting",
                                        value="up", id="move-up-1"))
    assert '<form method="post" action="/weg" hx-post="/weg" hx-target="#agenda" hx-swap="outerHTML">' in html
    assert '<input type="hidden" name="csrf_token" value="' in html
    assert ('<button type="submit" class="button" name="richting" value="up" id="move-up-1">Weghalen'
            '<span class="visually-hidden">: Notulen</span></button>') in html


def test_one_field_form_is_a_plain_form_with_its_field_and_button(app):
    class NoteForm(FlaskForm):
        note = StringField("Notitie")

    with app.test_request_context():
        html = str(macro("one_field_form")("/notitie", NoteForm().note, "Opslaan", name="besluit", value="n"))
    assert '<form method="post" action="/notitie" novalidate>' in html and "hx-post" not in html
    assert '<input type="hidden" name="csrf_token" value="' in html and '<label for="note">Notitie</label>' in html
    assert '<button type="submit" class="button button-secondary" name="besluit" value="n">Opslaan</button>' in html
