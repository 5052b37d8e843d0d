"""The main menu. An entry shows once its feature's blueprint is registered, to those its page lets in."""
from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

MAIN_MENU = [
    (_l("Agenda"), "calendar.index"),
    (_l("Vergaderingen"), "meetings.index"),
    (_l("Voorstellen"), "proposals.index"),
    (_l("Documenten"), "documents.index"),
    (_l("Activiteiten"), "activities.index"),
    (_l("Advies"), "advice.index"),
    (_l("Signalen"), "signals.index"),
    (_l("Handboek"), "handbook.index"),
]
SIGNAL_ENDPOINT = "signals.new"


def menu_items():
    """(label, endpoint, is_current) for each menu entry the app has."""
    current_blueprint = (request.endpoint or "").partition(".")[0]
    return [
        (label, endpoint, endpoint.partition(".")[0] == current_blueprint)
        for label, endpoint in MAIN_MENU
        if endpoint in current_app.view_functions and may_open(endpoint)
    ]


def may_open(endpoint: str) -> bool:
    """False for a page whose permission check (auth.access.permission_required) refuses this person."""
    allowed = getattr(current_app.view_functions[endpoint], "allowed", None)
    return allowed is None or allowed(current_user)


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def init_app(app):
    app.jinja_env.globals.update(menu_items=menu_items, has_endpoint=has_endpoint,
                                 signal_endpoint=SIGNAL_ENDPOINT)
