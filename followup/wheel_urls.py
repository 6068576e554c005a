"""URLs of the annual wheel, added to ``followup.urls`` (namespace ``followup``) with
``urlpatterns += wheel_urls.urlpatterns``; the paths carry their own ``arshjul/`` prefix."""

from django.urls import path

from followup.views import wheel as views

urlpatterns = [
    path("arshjul/", views.wheel, name="wheel"),
    path("arshjul/steg/ny/", views.wheel_step_create, name="wheel_step_create"),
    path("arshjul/steg/<int:pk>/andra/", views.wheel_step_edit, name="wheel_step_edit"),
    path("arshjul/steg/<int:pk>/ta-bort/", views.wheel_step_delete, name="wheel_step_delete"),
    path("arshjul/kopiera/", views.wheel_copy, name="wheel_copy"),
]
