"""The controller keeps the economy categories here; the figures themselves are read
here and written on the entry screen or through the workbook (one write path)."""

from django.contrib import admin

from economy.models import ComputedIndicator, EconomyCategory, EconomyFigure
from ledmot.admin import HistoryAdmin


@admin.register(EconomyCategory)
class EconomyCategoryAdmin(HistoryAdmin):
    list_display = ["name", "code", "kind", "order", "active"]
    list_editable = ["order", "active"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(EconomyFigure)
class EconomyFigureAdmin(HistoryAdmin):
    list_display = ["org_unit", "period", "kind", "category", "amount", "entered_by"]
    list_filter = ["year", "kind", "category"]
    search_fields = ["org_unit__name", "org_unit__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ComputedIndicator)
class ComputedIndicatorAdmin(HistoryAdmin):
    """Which indicators are computed from the figures (their values are then written by
    ``manage.py economy_compute`` through the one write path of values)."""

    list_display = ["indicator", "measure", "org_unit", "tax_category"]
    list_filter = ["measure"]
    autocomplete_fields = ["indicator", "org_unit"]
