"""Small helpers shared by the apps' forms and views."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ledmot.lib.numbers import kronor_text, parse_kronor
from ledmot.lib.text import TOO_LONG, clean_text

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


def clean_posted(data):
    """Posted data with every text through :func:`clean_text` (a new copy)."""
    if hasattr(data, "lists"):  # a QueryDict from a request
        copy = data.copy()
        for key, values in data.lists():
            copy.setlist(key, [clean_text(v) if isinstance(v, str) else v for v in values])
        return copy
    return {k: clean_text(v) if isinstance(v, str) else v for k, v in data.items()}


class CleanInput:
    """A form mixin: what a person posts is cleaned by :func:`clean_text` before any
    field sees it (so lengths count what will be stored), and a text over its length
    gets the same message as in the importer."""

    def __init__(self, *args, **kwargs):
        if args and args[0] is not None:
            args = (clean_posted(args[0]), *args[1:])
        elif kwargs.get("data") is not None:
            kwargs["data"] = clean_posted(kwargs["data"])
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = TOO_LONG


class Form(CleanInput, forms.Form):
    """The base of every plain form in LedMot."""


class ModelForm(CleanInput, forms.ModelForm):
    """The base of every model form in LedMot."""


class VersionedForm(ModelForm):
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


#: The name of the button (and of htmx's request) that shows the goals of what was
#: chosen in a form's first select (a risk's unit, a steering document's owner).
PICK = "visa_mal"


class Repickable:
    """A form mixin for a form whose goals follow one select (``pick_field``): a risk's
    unit, a steering document's owner. The form sets ``self.chosen`` (from
    :meth:`picked`) and offers that one's goals; when the select changes, the page
    posts ``PICK`` (the button "Visa ... mål" without JavaScript, htmx's request on
    change, see :func:`follow_pick`) and the view shows :meth:`repicked`."""

    pick_field = "unit"
    many_fields = ("goals",)

    def pick_kwargs(self) -> dict:
        """The keyword arguments (besides data, instance, initial) that build the form."""
        raise NotImplementedError

    def picked(self, default):
        """What is chosen: the one posted, if the select offers it; else ``default``."""
        raw = str(self.data.get(self.pick_field, "")) if self.is_bound else ""
        if raw.isdigit() and (default is None or int(raw) != default.pk):
            return self.fields[self.pick_field].queryset.filter(pk=int(raw)).first() or default
        return default

    def repicked(self):
        """The form again, unsaved and without errors, for what is now chosen: what was
        typed stays, and of the goals ticked those now offered."""
        data = self.data
        skip = (*self.many_fields, "csrfmiddlewaretoken", PICK)
        initial = {key: data.get(key) for key in data if key not in skip}
        initial[self.pick_field] = self.chosen.pk if self.chosen is not None else None
        for name in self.many_fields:
            initial[name] = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        form = type(self)(instance=self.instance, initial=initial, **self.pick_kwargs())
        if "version" in initial:
            form.initial["version"] = initial["version"]
        return form


def follow_pick(form: Repickable, *, path: str, target: str) -> None:
    """With htmx, the goals (the element ``#target``) follow the form's first select:
    the same request as the button's, answered with the goals only."""
    form.fields[form.pick_field].widget.attrs.update(
        {
            "hx-post": path,
            "hx-trigger": "change",
            "hx-target": f"#{target}",
            "hx-swap": "outerHTML",
            "hx-vals": json.dumps({PICK: "1"}),
        }
    )


def add_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's or model's ValidationError on ``form``: each message beside its
    field, and messages for fields the form does not have (or for no field) above it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class PlainSelect(forms.Select):
    """A select written in Python rather than through a template per option: the same
    HTML, for a list of every org unit (thousands in a large municipality) at a small
    part of the cost."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        for option_value, label in self.choices:
            v = "" if option_value is None else str(option_value)
            selected = mark_safe(" selected") if v in chosen else ""
            parts.append(format_html('<option value="{}"{}>{}</option>', v, selected, label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part built by format_html


class KronorField(forms.IntegerField):
    """Whole kronor typed the Swedish way: ``1 250 000``, ``−800 000``, ``0``."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_kronor(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def prepare_value(self, value):
        """Shown the way it is typed: ``−900 000``."""
        if isinstance(value, int) and not isinstance(value, bool):
            return kronor_text(value)
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for key in ("min", "max", "step"):
            attrs.pop(key, None)
        attrs["inputmode"] = "numeric"
        attrs["autocomplete"] = "off"
        return attrs
