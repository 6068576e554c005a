from django.urls import path

from control.views import analyses, results, risks

app_name = "control"

urlpatterns = [
    path("risker/", risks.risk_list, name="risk_list"),
    path("risker/ny/", risks.risk_create, name="risk_create"),
    path("risker/ny/<int:unit>/", risks.risk_create_unit, name="risk_create_unit"),
    path("risker/<int:pk>/", risks.risk_detail, name="risk_detail"),
    path("risker/<int:pk>/andra/", risks.risk_edit, name="risk_edit"),
    path("risker/<int:pk>/ta-bort/", risks.risk_delete_view, name="risk_delete"),
    path("riskanalyser/<int:pk>/", analyses.analysis_detail, name="analysis_detail"),
    path("riskanalyser/<int:pk>/anta/", analyses.analysis_adopt_view, name="analysis_adopt"),
    path("riskanalyser/<int:pk>/nasta-ar/", analyses.analysis_next_view, name="analysis_next"),
    path("riskanalyser/<int:pk>/kontroller/ny/", analyses.control_create, name="control_create"),
    path(
        "riskanalyser/<int:pk>/kontroller/<int:control_pk>/",
        analyses.control_edit,
        name="control_edit",
    ),
    path(
        "rapporter/<int:pk>/kontroller/<int:control_pk>/",
        results.result_edit,
        name="result_edit",
    ),
]
