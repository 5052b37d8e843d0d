"""The annual report: a draft built from the year's records, as a page and as Markdown."""


def init_app(app) -> None:
    from . import views

    app.register_blueprint(views.bp)
