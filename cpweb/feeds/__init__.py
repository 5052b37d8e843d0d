"""Public feeds: what the council publishes (advice sent, public documents) as Atom, so other
councils' sites and feed readers can follow it. Each feature registers its feed (hooks.feed); this
package writes them and remembers what they showed, to tell followers what was withdrawn."""
from ..core.hooks import hooks


def init_app(app) -> None:
    from . import logic, views

    hook = hooks(app)
    app.register_blueprint(views.bp)
    hook.purger("feed tombstones", logic.purge_tombstones)
