"""Admin pages: invite members, change their role and bodies, deactivate; bodies; audit log."""


def init_app(app) -> None:
    from . import views

    app.register_blueprint(views.bp)
