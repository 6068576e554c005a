from django.urls import path

from economy.views import entry

app_name = "economy"

urlpatterns = [
    path("", entry.home, name="home"),
    path("<int:pk>/", entry.entry, name="entry"),
]
