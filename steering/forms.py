"""Forms of steering documents: validate and normalise, nothing else (the rules are in
:mod:`steering.rules`, the writes in :mod:`steering.services`)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goals.forms import DateInput
from goals.models import LIVE_STATUSES, Goal
from ledmot.lib.forms import VersionedForm
from ledmot.models import OrgUnit
from steering import rules
from steering.access import owner_units
from steering.models import SteeringDocument


class DocumentForm(VersionedForm):
    upload = forms.FileField(
        label=_("Fil"),
        required=False,
        help_text=_("PDF, Word (DOCX), Excel (XLSX) eller OpenDocument-text (ODT)."),
    )

    link = forms.URLField(label=_("Länk"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = SteeringDocument
        fields = ["title", "kind", "owner", "summary", "link", "review_on", "goals"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "review_on": DateInput(),
            "goals": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owners = Q(pk__in=owner_units(user).values("pk"))
        if self.instance.pk:
            owners |= Q(pk=self.instance.owner_id)  # the owner as saved stays a choice
        self.fields["owner"].queryset = OrgUnit.objects.filter(owners).order_by("path")
        within = Q(pk__in=[])
        for path in owner_units(user).values_list("path", flat=True):
            within |= Q(owner__path__startswith=path)
        goals = Goal.objects.filter(status__in=LIVE_STATUSES).filter(within)
        if self.instance.pk:
            goals = goals | Goal.objects.filter(pk__in=self.instance.goals.values("pk"))
        self.fields["goals"].queryset = goals.select_related("owner").order_by("title").distinct()
        self.fields["goals"].label_from_instance = lambda g: f"{g.title} ({g.owner.name})"
        if self.instance.is_decided:
            # What the decision covers is shown, not posted: only the review date and
            # the goals change (steering.rules); the service refuses the rest anyway.
            for name in ("title", "kind", "owner", "summary", "link", "upload"):
                self.fields[name].disabled = True

    def clean_link(self):
        link = self.cleaned_data.get("link", "")
        if message := rules.link_error(link):
            raise forms.ValidationError(message)
        return link

    def clean_upload(self):
        uploaded = self.cleaned_data.get("upload")
        if uploaded and (message := rules.file_error(uploaded)):
            raise forms.ValidationError(message)
        return uploaded


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decided_by = forms.CharField(label=_("Beslutat av"), max_length=120)
    decision_reference = forms.CharField(label=_("Diarienummer"), max_length=60)
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())
    valid_from = forms.DateField(label=_("Gäller från"), widget=DateInput())
    valid_to = forms.DateField(label=_("Gäller till"), widget=DateInput(), required=False)
    review_on = forms.DateField(label=_("Revideras senast"), widget=DateInput(), required=False)
