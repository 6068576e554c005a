from django.urls import path

from followup import report_views, views, wheel_urls

app_name = "followup"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("ny/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_dashboard, name="round_dashboard"),
    path("<int:pk>/stang/", views.round_close_view, name="round_close"),
    path("<int:pk>/pdf/", report_views.report_pdf_create, name="report_pdf_create"),
    path("<int:pk>/pdf/<int:job_pk>/", report_views.report_pdf_detail, name="report_pdf_detail"),
    path(
        "<int:pk>/pdf/<int:job_pk>/ladda-ner/",
        report_views.report_pdf_download,
        name="report_pdf_download",
    ),
    path("rapporter/<int:pk>/", views.report_detail, name="report_detail"),
    path(
        "rapporter/<int:pk>/bedomning/<int:assessment_pk>/",
        views.assessment_edit,
        name="assessment_edit",
    ),
    path(
        "rapporter/<int:pk>/aktivitet/<int:update_pk>/",
        views.activity_update_edit,
        name="activity_update_edit",
    ),
    path("rapporter/<int:pk>/varden/", views.report_values, name="report_values"),
    path("rapporter/<int:pk>/lamna-in/", views.report_submit_view, name="report_submit"),
    path("rapporter/<int:pk>/aterskicka/", views.report_return_view, name="report_return"),
    path("rapporter/<int:pk>/godkann/", views.report_approve_view, name="report_approve"),
]

# The annual wheel (årshjul): /uppfoljning/arshjul/ …
urlpatterns += wheel_urls.urlpatterns
