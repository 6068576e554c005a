from django.urls import path

from followup import wheel_urls
from followup.views import dashboard, notifications, report, report_pdf, review, rounds

app_name = "followup"
urlpatterns = [
    path("", rounds.round_list, name="round_list"),
    path("ny/", rounds.round_create, name="round_create"),
    path("att-granska/", review.review, name="review"),
    path("<int:pk>/", dashboard.round_dashboard, name="round_dashboard"),
    path("<int:pk>/stang/", rounds.round_close_view, name="round_close"),
    path("<int:pk>/paminn/", dashboard.round_remind, name="round_remind"),
    path("<int:pk>/pdf/", report_pdf.report_pdf_create, name="report_pdf_create"),
    path("<int:pk>/pdf/<int:job_pk>/", report_pdf.report_pdf_detail, name="report_pdf_detail"),
    path(
        "<int:pk>/pdf/<int:job_pk>/ladda-ner/",
        report_pdf.report_pdf_download,
        name="report_pdf_download",
    ),
    path("rapporter/<int:pk>/", report.report_detail, name="report_detail"),
    path(
        "rapporter/<int:pk>/bedomning/<int:assessment_pk>/",
        report.assessment_edit,
        name="assessment_edit",
    ),
    path(
        "rapporter/<int:pk>/aktivitet/<int:update_pk>/",
        report.activity_update_edit,
        name="activity_update_edit",
    ),
    path(
        "rapporter/<int:pk>/uppdrag/<int:assignment_pk>/",
        report.assignment_update_edit,
        name="assignment_update_edit",
    ),
    path("rapporter/<int:pk>/varden/", report.report_values, name="report_values"),
    path("rapporter/<int:pk>/lamna-in/", report.report_submit_view, name="report_submit"),
    path("rapporter/<int:pk>/aterskicka/", report.report_return_view, name="report_return"),
    path("rapporter/<int:pk>/godkann/", report.report_approve_view, name="report_approve"),
    path("meddelanden/<int:pk>/last/", notifications.notification_read, name="notification_read"),
    path("meddelanden/lasta/", notifications.notifications_read, name="notifications_read"),
    path(
        "rapporter/<int:pk>/angra-godkannande/",
        report.report_unapprove_view,
        name="report_unapprove",
    ),
]

# The annual wheel (årshjul): /uppfoljning/arshjul/ …
urlpatterns += wheel_urls.urlpatterns
