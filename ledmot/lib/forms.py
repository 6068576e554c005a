"""Small helpers shared by the apps' forms and views."""

from django.core.exceptions import ValidationError
from django.forms import Form


def add_validation_error(form: Form, exc: ValidationError) -> None:
    """Show a service's or model's ValidationError on ``form``: each message beside its
    field, and messages for fields the form does not have (or for no field) above it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
