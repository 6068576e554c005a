"""Small helpers shared by the apps' forms and views."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import Form
from django.utils.translation import gettext_lazy as _

# The largest value a PositiveIntegerField holds on every supported database.
MAX_VERSION = 2_147_483_647

_BAD_VERSION = _(
    "Formuläret kom med en ogiltig version och har inte sparats. Ladda om sidan och försök igen."
)


class VersionField(forms.IntegerField):
    """The version an editor loaded, posted back in a hidden input (see
    ``ledmot.services.versioned_save``). Anything but a whole number from 1 up to
    ``MAX_VERSION`` is a form error with one Swedish message, never a 500; the
    message shows above the form (``partials/form_errors.html`` lists the errors of
    hidden fields)."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": _BAD_VERSION,
        "invalid": _BAD_VERSION,
        "min_value": _BAD_VERSION,
        "max_value": _BAD_VERSION,
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_VERSION)
        super().__init__(**kwargs)


class VersionedForm(forms.ModelForm):
    """A model form that carries the version the editor loaded, so a stale save can be
    refused. Required when editing (an edit without a version would skip the check);
    a new object has none."""

    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = self.instance.pk is not None
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


def posted_version(data) -> int:
    """The version posted by an action button (submit, approve, …) that has no form.

    A missing or malformed value gives 0, which no row ever has: the service refuses
    the write as made from a stale page, with the view's usual conflict message.
    """
    field = VersionField()
    try:
        return field.clean(data.get("version"))
    except ValidationError:
        return 0


def add_validation_error(form: Form, exc: ValidationError) -> None:
    """Show a service's or model's ValidationError on ``form``: each message beside its
    field, and messages for fields the form does not have (or for no field) above it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
