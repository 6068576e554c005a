"""The project's URLs plus one view that fails, to reach the 500 page in tests."""

from django.urls import path

from ledmot.urls import *  # noqa: F403 - the handlers too
from ledmot.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("a defect in a view")


urlpatterns = [*project_urlpatterns, path("boom/", boom)]
