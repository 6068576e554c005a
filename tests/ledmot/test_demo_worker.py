"""`make demo` makes its PDFs in a worker, as production does (issue 13 point 9): with
the immediate backend a report PDF was made inside the request, and the page that shows
how far it has come was never seen in the demo."""

from pathlib import Path

from django.conf import settings


def demo_recipe() -> str:
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndemo:", 1)[1]
    return recipe.split("\n\n", 1)[0]


def test_the_demo_runs_a_worker_beside_the_server():
    recipe = demo_recipe()
    assert "manage.py db_worker" in recipe
    assert "TASKS_BACKEND=database $(PY) manage.py runserver" in recipe
    assert "kill $$worker" in recipe  # the worker stops with the server
