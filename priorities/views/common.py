"""Small helpers shared by the priority screens."""

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def is_fragment(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page (not a boosted navigation)."""
    return bool(request.htmx) and not request.htmx.boosted


class VersionForm(forms.Form):
    """The version a one-button form (submit the worksheet, send the round to review)
    was loaded at: a number, else the form is refused with a message, never a 500."""

    version = forms.IntegerField(
        min_value=0,
        error_messages={
            "required": _("Sidan är för gammal. Ladda om den och försök igen."),
            "invalid": _("Sidan är för gammal. Ladda om den och försök igen."),
            "min_value": _("Sidan är för gammal. Ladda om den och försök igen."),
        },
    )
