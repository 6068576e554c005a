"""gunicorn's settings for LedMot in production (README, "Driftsättning").

    gunicorn ledmot.wsgi -c gunicorn.conf.py --bind 127.0.0.1:8000

``bench/loadtest.py`` runs gunicorn with this file, so the load test measures these
settings. Measured on 2 cores with the load test's mix (README, "Många samtidiga
användare"):

- ``workers``: 3 on 2 cores (``WEB_CONCURRENCY`` overrides it). A request is mostly
  Python CPU in the worker; the third worker covers the time one waits for PostgreSQL.
- ``preload_app``: Django, the URLs, every template of ``templates/`` and the
  translations are loaded once in the master (:func:`ledmot.wsgi.warm_up`) and shared
  by the workers it forks, instead of each worker compiling them on its first requests.
- ``gc.freeze()`` after the warm-up: the objects loaded at start live as long as the
  process, and frozen they are never traversed again by Python's garbage collector in
  the workers (and their memory pages stay shared with the master).
"""

import gc
import os

workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
preload_app = True
# gunicorn's control socket (for gunicornc, which LedMot does not use) is one path per
# user (~/.gunicorn/gunicorn.ctl): a second gunicorn on the machine would take it over.
control_socket_disable = True


def when_ready(server):
    """In the master, once the application is loaded and before the first worker is
    forked (a worker started later is forked from the same frozen master)."""
    from ledmot.wsgi import warm_up

    warm_up()
    gc.freeze()
