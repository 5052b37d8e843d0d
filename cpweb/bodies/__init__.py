"""Bodies (cliëntenraad, klankbordgroep, ambassadeurs …), their members, and organisations."""


def init_app(app) -> None:
    from . import views

    app.register_blueprint(views.bp)
