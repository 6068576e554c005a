from django.urls import path

from economy.views import entry, judgement

app_name = "economy"

urlpatterns = [
    path("", entry.home, name="home"),
    path("<int:pk>/", entry.entry, name="entry"),
    path("bedomning/", judgement.judgement_list, name="judgement_list"),
    path("bedomning/<int:pk>/", judgement.judgement, name="judgement"),
]
