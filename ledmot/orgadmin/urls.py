from django.urls import path

from ledmot.orgadmin import people, role_import_view, units

app_name = "orgadmin"

urlpatterns = [
    path("organisation/", units.unit_tree, name="unit_tree"),
    path("organisation/ny/", units.unit_create, name="unit_create"),
    path("organisation/<int:pk>/", units.unit_page, name="unit_page"),
    path("organisation/<int:pk>/flytta/", units.unit_move, name="unit_move"),
    path("organisation/<int:pk>/aktiv/", units.unit_set_active, name="unit_set_active"),
    path("organisation/<int:pk>/ta-bort/", units.unit_delete, name="unit_delete"),
    path("personer/", people.person_list, name="person_list"),
    path("personer/import/", role_import_view.role_import_view, name="role_import"),
    path("personer/ny/", people.person_create_view, name="person_create"),
    path("personer/<int:pk>/", people.person_detail, name="person_detail"),
    path("personer/<int:pk>/aktiv/", people.person_set_active_view, name="person_set_active"),
    path("personer/<int:pk>/roller/", people.role_grant_view, name="role_grant"),
    path(
        "personer/<int:pk>/roller/<int:role_pk>/ta-bort/",
        people.role_revoke_view,
        name="role_revoke",
    ),
]
