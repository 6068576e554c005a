from django.urls import path

from portal.views import public, publishing

app_name = "portal"

# Stable addresses: the open data's are identifiers in the DCAT-AP-SE catalogue.
urlpatterns = [
    path("", public.home, name="home"),
    path("namnder/<int:pk>/", public.committee, name="committee"),
    path("mal/<int:pk>/", public.goal, name="goal"),
    path("rapporter/", public.reports, name="reports"),
    path("rapporter/<int:pk>.pdf", public.report_file, name="report_file"),
    path("data/", public.open_data, name="open_data"),
    path("data/katalog.jsonld", public.catalog_view, name="catalog"),
    path("data/<slug:slug>/", public.dataset, name="dataset"),
    path("data/<slug:slug>.<str:fmt>", public.download, name="download"),
    path("sprak/<str:code>/", public.language, name="language"),
    path("publicering/", publishing.publishing, name="publishing"),
]
