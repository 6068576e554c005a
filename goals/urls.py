from django.urls import path

from goals.views import (
    activities,
    chain,
    goals,
    imports,
    indicators,
    lists,
    periods,
    results,
    structure,
    units,
)

app_name = "goals"
urlpatterns = [
    path("", chain.chain, name="chain"),
    path("mal/ny/", goals.goal_create, name="goal_create"),
    path("mal/<int:pk>/", goals.goal_detail, name="goal_detail"),
    path("mal/<int:pk>/gren/", chain.goal_branch, name="goal_branch"),
    path("mal/<int:pk>/historik/", goals.goal_history, name="goal_history"),
    path("mal/<int:pk>/andra/", goals.goal_edit, name="goal_edit"),
    path("mal/<int:pk>/status/", goals.goal_status, name="goal_status"),
    path("mal/<int:pk>/aktiviteter/ny/", activities.activity_create, name="activity_create"),
    path("aktiviteter/", lists.activity_list, name="activity_list"),
    path("aktiviteter/<int:pk>/andra/", activities.activity_edit, name="activity_edit"),
    path("enheter/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("min-enhet/", units.my_unit, name="my_unit"),
    path("malstrukturanalys/", structure.structure, name="structure"),
    path("perioder/", periods.periods, name="periods"),
    path("resultat/", results.results, name="results"),
    path("indikatorer/", lists.indicator_list, name="indicator_list"),
    path("indikatorer/ny/", indicators.indicator_create, name="indicator_create"),
    path("indikatorer/<int:pk>/", indicators.indicator_detail, name="indicator_detail"),
    path("indikatorer/<int:pk>/andra/", indicators.indicator_edit, name="indicator_edit"),
    path("indikatorer/<int:pk>/avsluta/", indicators.indicator_end, name="indicator_end"),
    path(
        "indikatorer/<int:pk>/malvarden/",
        indicators.indicator_targets,
        name="indicator_targets",
    ),
    path("perioder/ny/", periods.period_create, name="period_create"),
    path("perioder/<int:pk>/budgetar/ny/", periods.year_create, name="year_create"),
    path("perioder/<int:pk>/vision/", periods.vision_edit, name="vision_edit"),
    # The Excel import and the full workbook export.
    path("import/", imports.import_upload, name="import_upload"),
    path("import/<int:pk>/", imports.import_detail, name="import_detail"),
    path("import/<int:pk>/genomfor/", imports.import_apply, name="import_apply"),
    path("import/arbetsbok.xlsx", imports.workbook_download, name="workbook_download"),
    path("import/export/", imports.workbook_export, name="workbook_export"),
    path("import/export/<int:pk>/", imports.workbook_export_detail, name="workbook_export_detail"),
    path(
        "import/export/<int:pk>/arbetsbok.xlsx",
        imports.workbook_export_download,
        name="workbook_export_download",
    ),
]
