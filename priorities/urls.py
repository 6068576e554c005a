from django.urls import path

from priorities.views import decisions, documents, items, overview, rounds, worksheet

app_name = "priorities"
urlpatterns = [
    path("", rounds.round_list, name="round_list"),
    path("ny/", rounds.round_create, name="round_create"),
    path("<int:pk>/", overview.overview, name="overview"),
    path("<int:pk>/andra/", rounds.round_edit_view, name="round_edit"),
    path("<int:pk>/beslutsunderlag.pdf", documents.round_pdf, name="round_pdf"),
    path("<int:pk>/beredning/", rounds.round_review, name="round_review"),
    path("<int:pk>/namnd/<str:code>/", worksheet.worksheet_view, name="worksheet"),
    path("<int:pk>/namnd/<str:code>/ny/", items.item_create, name="item_create"),
    path(
        "<int:pk>/namnd/<str:code>/lamna-in/",
        worksheet.worksheet_submit_view,
        name="worksheet_submit",
    ),
    path("objekt/<int:pk>/", items.item_detail, name="item_detail"),
    path("objekt/<int:pk>/andra/", items.item_edit, name="item_edit"),
    path("objekt/<int:pk>/faktaunderlag.pdf", documents.item_pdf, name="item_pdf"),
    path("objekt/<int:pk>/ta-bort/", items.item_delete_view, name="item_delete"),
    path("objekt/<int:pk>/beslut/", decisions.item_decide_view, name="item_decide"),
    path("objekt/<int:pk>/aktiviteter/", decisions.item_activities, name="item_activities"),
]
