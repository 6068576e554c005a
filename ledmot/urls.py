from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from ledmot import glossary_views, oidc, signin_events, views

urlpatterns = [
    path("", include("goals.urls")),
    path("uppfoljning/", include("followup.urls")),
    path("oversikt/", include("followup.overview_urls")),
    path("prioriteringar/", include("priorities.urls")),
    path("oppen/", include("portal.urls")),
    path("ekonomi/", include("economy.urls")),
    path("kontroll/", include("control.urls")),
    path("styrdokument/", include("steering.urls")),
    path("logga-in/", views.login_view, name="login"),
    path("logga-ut/", views.logout_view, name="logout"),
    path("logga-in/sso/", oidc.AuthenticationRequestView.as_view(), name="oidc_login"),
    path("logga-in/sso/svar/", oidc.CallbackView.as_view(), name="oidc_callback"),
    path("administration/sakerhetshandelser/", signin_events.event_list, name="signin_events"),
    # The page's first address, kept for bookmarks: it lists more than sign-ins now.
    path(
        "administration/inloggningar/",
        RedirectView.as_view(pattern_name="signin_events", query_string=True, permanent=True),
    ),
    path("losenord/", views.password_reset_view, name="password_reset"),
    path("losenord/skickat/", views.password_reset_done_view, name="password_reset_done"),
    path(
        "losenord/nytt/<uidb64>/<token>/",
        views.password_reset_confirm_view,
        name="password_reset_confirm",
    ),
    path("losenord/klart/", views.password_reset_complete_view, name="password_reset_complete"),
    path("administration/", include("ledmot.orgadmin.urls")),
    path("ordlista/", glossary_views.glossary, name="glossary"),
    path("ordlista/ny/", glossary_views.term_create, name="glossary_term_create"),
    path("ordlista/<int:pk>/andra/", glossary_views.term_edit, name="glossary_term_edit"),
    path("ordlista/<int:pk>/ta-bort/", glossary_views.term_delete, name="glossary_term_delete"),
    path("ordlista/<int:pk>/historik/", glossary_views.term_history, name="glossary_term_history"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
]

# The error pages, in the normal layout (ledmot/views.py).
handler400 = "ledmot.views.bad_request"
handler403 = "ledmot.views.permission_denied"
handler404 = "ledmot.views.page_not_found"
handler500 = "ledmot.views.server_error"

if settings.DEBUG:  # pragma: no cover
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
