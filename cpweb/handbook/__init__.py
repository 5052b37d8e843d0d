"""The members' handbook: pages in a tree, edited by secretaries, with every revision kept."""
from ..core.hooks import hooks


def init_app(app) -> None:
    from . import demo, logic, models, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    hook.home_section(45, views.handbook_section)
    hook.fulltext_index(models.SEARCH)
    hook.processing(logic.PROCESSING)
    hook.demo_step(demo.demo_handbook)
