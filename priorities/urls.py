from django.urls import path

from priorities import views

app_name = "priorities"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("ny/", views.round_create, name="round_create"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/andra/", views.round_edit_view, name="round_edit"),
    path("<int:pk>/beslutsunderlag.pdf", views.round_pdf, name="round_pdf"),
    path("<int:pk>/beredning/", views.round_review, name="round_review"),
    path("<int:pk>/namnd/<str:code>/", views.worksheet_view, name="worksheet"),
    path("<int:pk>/namnd/<str:code>/ny/", views.item_create, name="item_create"),
    path(
        "<int:pk>/namnd/<str:code>/lamna-in/", views.worksheet_submit_view, name="worksheet_submit"
    ),
    path("objekt/<int:pk>/", views.item_detail, name="item_detail"),
    path("objekt/<int:pk>/andra/", views.item_edit, name="item_edit"),
    path("objekt/<int:pk>/faktaunderlag.pdf", views.item_pdf, name="item_pdf"),
    path("objekt/<int:pk>/ta-bort/", views.item_delete_view, name="item_delete"),
    path("objekt/<int:pk>/beslut/", views.item_decide_view, name="item_decide"),
    path("objekt/<int:pk>/aktiviteter/", views.item_activities, name="item_activities"),
]
