"""The overview, a tab of Röda tråden: /oversikt/ (followup.views.overview)."""

from django.urls import path

from followup.views import overview

app_name = "overview"
urlpatterns = [
    path("", overview.overview, name="overview"),
    path("mal/", overview.overview_goals, name="goals"),
]
