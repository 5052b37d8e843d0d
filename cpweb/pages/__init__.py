"""Pages for everyone: home, privacy statement, accessibility statement, language choice."""


def init_app(app) -> None:
    from . import views

    app.register_blueprint(views.bp)
