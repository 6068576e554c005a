import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledmot.settings")

application = get_wsgi_application()


def warm_up() -> int:
    """Load what every request needs before the first one comes: the URL patterns,
    every template of ``templates/`` compiled into the cached loader, and the
    translation catalogues. gunicorn's master calls it (``gunicorn.conf.py``) so that
    the workers it forks share all of it. Opens no database connection (a connection
    made before the fork would be shared by every worker). Returns the number of
    templates compiled."""
    from django.conf import settings
    from django.db import connections
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().reverse_dict  # noqa: B018  (builds the URL lookup tables)
    compiled = 0
    for engine in engines.all():
        for folder in engine.engine.dirs:
            for path in sorted(p for p in folder.rglob("*.html") if p.is_file()):
                engine.get_template(path.relative_to(folder).as_posix())
                compiled += 1
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Röda tråden")
    connections.close_all()
    return compiled
