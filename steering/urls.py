from django.urls import path

from steering import views

app_name = "steering"
urlpatterns = [
    path("", views.register, name="register"),
    path("nytt/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/andra/", views.edit, name="edit"),
    path("<int:pk>/beslut/", views.decide, name="decide"),
    path("<int:pk>/ny-version/", views.revise, name="revise"),
    path("<int:pk>/ta-bort/", views.delete, name="delete"),
    path("<int:pk>/fil/", views.download, name="download"),
]
