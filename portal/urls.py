from django.urls import path

from portal.views import public, publishing

app_name = "portal"

urlpatterns = [
    path("", public.home, name="home"),
    path("publicering/", publishing.publishing, name="publishing"),
]
