"""The Ordlista page (every signed-in person) and keeping it (the controllers)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ledmot.access import Cap, refusal
from ledmot.conflicts import NOT_SAVED, save_form
from ledmot.glossary import (
    can_edit_glossary,
    glossary_term_delete,
    glossary_term_save,
    term_error,
)
from ledmot.history import history_entries
from ledmot.lib.forms import VersionedForm, posted_version
from ledmot.models import GlossaryTerm
from ledmot.services import ConflictError


class GlossaryTermForm(VersionedForm):
    class Meta:
        model = GlossaryTerm
        fields = ["term", "definition"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 4})}

    def clean_term(self):
        term = (self.cleaned_data.get("term") or "").strip()
        if message := term_error(term, pk=self.instance.pk):
            raise forms.ValidationError(message)
        return term


def _require_editor(request) -> None:
    if not can_edit_glossary(request.user):
        raise refusal(Cap.MANAGE, at_root=True)


@login_required
@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    context = {
        "terms": GlossaryTerm.objects.all(),
        "can_edit": can_edit_glossary(request.user),
    }
    return render(request, "ledmot/glossary.html", context)


def _write(request, form, term=None):
    outcome = NOT_SAVED
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            form,
            lambda: glossary_term_save(
                term=form.instance,
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            ),
        )
        if outcome.ok:
            messages.success(request, _("Termen är sparad."))
            return redirect(f"{redirect('glossary').url}#{form.instance.anchor}")
    return render(
        request,
        "ledmot/glossary_form.html",
        {"form": form, "term": term, "conflict": outcome.conflict},
        status=outcome.status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    return _write(request, GlossaryTermForm(request.POST or None))


@login_required
@require_http_methods(["GET", "POST"])
def term_edit(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm, pk=pk)
    _require_editor(request)
    return _write(request, GlossaryTermForm(request.POST or None, instance=term), term)


@login_required
@require_POST
def term_delete(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm, pk=pk)
    _require_editor(request)
    try:
        glossary_term_delete(
            term=term, user=request.user, expected_version=posted_version(request.POST)
        )
    except ConflictError:
        messages.error(request, _("Termen har ändrats av någon annan; den är inte borttagen."))
    else:
        messages.success(request, _("Termen är borttagen."))
    return redirect("glossary")


@login_required
@require_GET
def term_history(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm, pk=pk)
    return render(
        request, "ledmot/glossary_history.html", {"term": term, "entries": history_entries(term)}
    )
