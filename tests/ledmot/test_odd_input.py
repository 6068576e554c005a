"""The one way text comes in (issue 11 point 4): every form of the apps cleans what is
posted with ``ledmot.lib.text.clean_text``, and every model people edit cleans in
``full_clean`` (the admin, services) and holds its text fields to their length."""

import inspect

import pytest
from django import forms
from django.apps import apps
from django.db import models

import followup.forms
import goals.forms
import priorities.forms
from ledmot.lib.forms import CleanInput, clean_posted
from ledmot.lib.text import CleanInputModel

# Rows written only by the system, never typed by a person.
SYSTEM_MODELS = {
    "BackgroundJob", "GeneratedReport", "IndicatorLatest", "KoladaValue",
    "Reminder", "RoleAssignment", "MandatePeriod", "BudgetYear", "Target", "ItemIndicator",
    "WorkbookImport", "WorkbookExport", "SubmittedValue", "YearPlanJob",
    # Written by single sign-on from the provider's claims (ledmot/oidc.py).
    "ExternalIdentity",
    # Written by the services when roles and accounts change (ledmot/services.py).
    "SecurityEvent",
}  # fmt: skip


@pytest.mark.parametrize("module", [goals.forms, followup.forms, priorities.forms])
def test_every_form_cleans_what_is_posted(module):
    found = [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    ]
    assert found
    assert [c.__name__ for c in found if not issubclass(c, CleanInput)] == []


def test_every_model_people_type_text_into_cleans_it():
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in {"ledmot", "goals", "followup", "priorities"}:
            continue
        if model.__name__.startswith("Historical") or model.__name__ in SYSTEM_MODELS:
            continue
        texts = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and f.editable and not f.choices
        ]
        if texts and not issubclass(model, CleanInputModel):
            missing.append(model.__name__)
    assert missing == []


def test_every_long_text_field_has_a_length():
    missing = [
        f"{model.__name__}.{f.name}"
        for model in apps.get_models()
        if model._meta.app_label in {"goals", "followup", "priorities"}
        and not model.__name__.startswith("Historical")
        and model.__name__ not in SYSTEM_MODELS
        for f in model._meta.concrete_fields
        if isinstance(f, models.TextField) and f.editable and not f.max_length
    ]
    assert missing == []


def test_posted_data_is_cleaned_into_a_copy():
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.setlist("a", ["x\x00y", "z\x0bw"])
    cleaned = clean_posted(data)
    assert cleaned.getlist("a") == ["xy", "z\nw"]
    assert data.getlist("a") == ["x\x00y", "z\x0bw"]
