"""Pages for everyone: home, privacy statement, accessibility statement, contact form, language choice."""
from ..core.hooks import hooks


def init_app(app) -> None:
    from . import contact, views

    app.register_blueprint(views.bp)
    hooks(app).processing(contact.PROCESSING)
