"""The members' handbook: pages in a tree, edited by secretaries, with every revision kept."""


def init_app(app) -> None:
    from . import views

    app.register_blueprint(views.bp)
