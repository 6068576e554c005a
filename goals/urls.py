from django.urls import path

from goals import indicator_views, list_views, views

app_name = "goals"
urlpatterns = [
    path("", views.chain, name="chain"),
    path("mal/ny/", views.goal_create, name="goal_create"),
    path("mal/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("mal/<int:pk>/gren/", views.goal_branch, name="goal_branch"),
    path("mal/<int:pk>/historik/", views.goal_history, name="goal_history"),
    path("mal/<int:pk>/andra/", views.goal_edit, name="goal_edit"),
    path("mal/<int:pk>/status/", views.goal_status, name="goal_status"),
    path("mal/<int:pk>/aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aktiviteter/", list_views.activity_list, name="activity_list"),
    path("aktiviteter/<int:pk>/andra/", views.activity_edit, name="activity_edit"),
    path("enheter/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("min-enhet/", views.my_unit, name="my_unit"),
    path("malstrukturanalys/", views.structure, name="structure"),
    path("perioder/", views.periods, name="periods"),
    path("resultat/", indicator_views.results, name="results"),
    path("indikatorer/", list_views.indicator_list, name="indicator_list"),
    path("indikatorer/ny/", indicator_views.indicator_create, name="indicator_create"),
    path("indikatorer/<int:pk>/", indicator_views.indicator_detail, name="indicator_detail"),
    path("indikatorer/<int:pk>/andra/", indicator_views.indicator_edit, name="indicator_edit"),
    path(
        "indikatorer/<int:pk>/malvarden/",
        indicator_views.indicator_targets,
        name="indicator_targets",
    ),
    path("perioder/ny/", views.period_create, name="period_create"),
    path("perioder/<int:pk>/budgetar/ny/", views.year_create, name="year_create"),
    path("perioder/<int:pk>/vision/", views.vision_edit, name="vision_edit"),
]

# The Excel import and the full workbook export (goals/import_views.py).
from goals import import_views  # noqa: E402

urlpatterns += [
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/genomfor/", import_views.import_apply, name="import_apply"),
    path("import/arbetsbok.xlsx", import_views.workbook_download, name="workbook_download"),
]
