"""render(): the whole page, or one block for htmx with what was flashed inside the redrawn region."""
import pytest
from flask import flash, get_flashed_messages
from jinja2 import ChoiceLoader, DictLoader

from cpweb.web.rendering import render

PAGE = """{% extends "base.html" %}{% block title %}t{% endblock %}{% block content %}
{% block panel %}<section class="card" id="panel"><h2>Panel</h2></section>{% endblock %}
{% block rows %}<ol id="rows"><li>row</li></ol>{% endblock %}
{% endblock %}"""


@pytest.fixture
def page_template(app):
    app.jinja_env.loader = ChoiceLoader([DictLoader({"test/page.html": PAGE}), app.jinja_env.loader])


def answer(app, block, htmx=True):
    with app.test_request_context(headers={"HX-Request": "true"} if htmx else {}):
        flash("Opgeslagen <b>echt</b>.", "success")
        body = render("test/page.html", block=block).get_data(as_text=True)
        return body, get_flashed_messages()


def test_a_fragment_says_what_was_flashed_inside_its_region_once(app, page_template):
    body, _ = answer(app, "panel")
    said = '<p class="flash flash-success" hx-disable role="status">Opgeslagen &lt;b&gt;echt&lt;/b&gt;.</p>'
    assert body.strip() == f'<section class="card" id="panel">{said}<h2>Panel</h2></section>'


def test_a_block_without_a_region_leaves_the_messages_for_the_next_page(app, page_template):
    body, left = answer(app, "rows")
    assert "flash" not in body and left == ["Opgeslagen <b>echt</b>."]


def test_a_full_page_says_it_once_in_its_message_area(app, page_template):
    body, _ = answer(app, "panel", htmx=False)
    assert body.count("Opgeslagen &lt;b&gt;echt&lt;/b&gt;.") == 1
    assert '<div id="flash" role="alert"><p class="flash flash-success" hx-disable>Opgeslagen' in body
