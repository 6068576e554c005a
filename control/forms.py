"""The forms of internal control: they validate and normalise; the rules are the
models' (``control.rules``) and the writes the services'."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from control.models import Consequence, Control, ControlOutcome, ControlResult, Probability, Risk
from followup.models import RoundKind
from goals.forms import DateInput
from goals.models import LIVE_STATUSES, Goal
from ledmot.lib.forms import Form, VersionedForm
from ledmot.lib.limits import FIRST_PLAN_YEAR
from ledmot.models import OrgUnit


def _goals_for(units) -> forms.ModelMultipleChoiceField:
    """Live goals a risk of ``units`` may threaten: theirs and those above them.

    One condition per subtree, not per unit: a unit below another of ``units`` adds
    nothing (its goals and those above it are the upper unit's subtree and ancestors),
    so a controller's form (every unit of the municipality) stays a short query; one
    condition per unit outgrew SQLite's expression depth at a few hundred units."""
    roots: list[str] = []
    for path in sorted(u.path for u in units):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    above = {
        "/".join(codes[:i]) + "/"
        for codes in (p.strip("/").split("/") for p in roots)
        for i in range(1, len(codes))
    }
    within = Q(owner__path__in=sorted(above))
    for path in roots:
        within |= Q(owner__path__startswith=path)
    return (
        Goal.objects.filter(within, status__in=LIVE_STATUSES)
        .select_related("owner")
        .order_by("level", "owner__path", "order", "pk")
    )


class RiskForm(VersionedForm):
    year = forms.IntegerField(label=_("År"), min_value=FIRST_PLAN_YEAR, max_value=2100)

    class Meta:
        model = Risk
        fields = [
            "unit",
            "title",
            "description",
            "goals",
            "process",
            "probability",
            "consequence",
            "owner",
            "measures",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.CheckboxSelectMultiple,
            "probability": forms.RadioSelect,
            "consequence": forms.RadioSelect,
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        # radio buttons: the scale's words only, no empty choice
        self.fields["probability"].choices = Probability.choices
        self.fields["consequence"].choices = Consequence.choices
        self.fields["goals"].queryset = _goals_for(list(units))
        self.fields["goals"].label_from_instance = lambda g: f"{g.owner.name}: {g.title}"
        if self.instance.pk:
            self.fields["year"].disabled = True
            self.initial["year"] = self.instance.analysis.year
        else:
            self.initial.setdefault("year", timezone.localdate().year)
            if len(units) == 1:
                self.initial.setdefault("unit", units[0].pk)


class AdoptForm(Form):
    decision_reference = forms.CharField(label=_("Beslut (diarienummer, §)"), max_length=100)
    adopted_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())


class ControlForm(VersionedForm):
    class Meta:
        model = Control
        fields = ["risk", "title", "method", "frequency", "responsible", "owner", "round_kinds"]
        widgets = {
            "method": forms.Textarea(attrs={"rows": 3}),
            "round_kinds": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.analysis = analysis
        self.fields["risk"].queryset = analysis.risks.order_by("title", "pk")
        self.fields["owner"].queryset = OrgUnit.objects.filter(
            path__startswith=analysis.committee.path, active=True
        ).order_by("path")
        self.fields["round_kinds"].queryset = RoundKind.objects.order_by("order", "name")
        if not self.instance.pk:
            self.initial.setdefault("owner", analysis.committee_id)


class ControlResultForm(VersionedForm):
    class Meta:
        model = ControlResult
        fields = ["outcome", "comment", "measures"]
        widgets = {
            "outcome": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 2}),
            "measures": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = ControlOutcome.choices  # radio buttons: no empty one
