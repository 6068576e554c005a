"""The forms of internal control: they validate and normalise; the rules are the
models' (``control.rules``) and the writes the services'."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from control import rules
from control.models import Consequence, Control, ControlOutcome, ControlResult, Probability, Risk
from followup.models import RoundKind
from goals.forms import DateInput, goal_label
from goals.models import LIVE_STATUSES, Goal
from ledmot.lib.forms import Form, PlainSelect, Repickable, VersionedForm
from ledmot.lib.limits import FIRST_PLAN_YEAR
from ledmot.models import OrgUnit


def threatened_goals(unit, kept=()):
    """The goals offered to a risk of ``unit``: the live goals of the unit and of the
    units above it (its committee's and the council's), top down, and those of them the
    risk already threatens (``kept``: ids) though no longer live. A bounded list (the
    chain above one unit), whoever writes: see ``control.rules.risk_goal_errors``."""
    return (
        Goal.objects.filter(owner__path__in=rules.goal_owner_paths(unit))
        .filter(Q(status__in=LIVE_STATUSES) | Q(pk__in=list(kept)))
        .select_related("owner")
        .order_by("owner__path", "order", "pk")
    )


class ThreatenedGoalsCheck:
    """A form mixin (the risk form, the admin's): the goals posted are judged by the
    rule (``control.rules.risk_goal_errors``), its message beside the field."""

    def clean(self):
        cleaned = super().clean()
        if (unit := cleaned.get("unit")) is not None and (goals := cleaned.get("goals")):
            risk = self.instance
            kept = set(risk.goals.values_list("pk", flat=True)) if risk.pk else set()
            for message in rules.risk_goal_errors(unit, goals, kept=kept).get("goals", []):
                self.add_error("goals", message)
        return cleaned


class RiskForm(Repickable, ThreatenedGoalsCheck, VersionedForm):
    """A risk of one unit: ``unit`` (the unit chosen first, or the risk's), ``units``
    (those the user may move it to: the units of its committee the user writes for).
    The goals offered are the chosen unit's chain (:func:`threatened_goals`); when the
    unit select changes, the page asks for them again (htmx, or the button "Visa
    enhetens mål" without JavaScript: :class:`ledmot.lib.forms.Repickable`). Any goal
    posted is read, and the rule refuses those outside the chain with its message
    beside the field."""

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
            "unit": PlainSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.CheckboxSelectMultiple,
            "probability": forms.RadioSelect,
            "consequence": forms.RadioSelect,
        }

    def __init__(self, *args, units, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["unit"].queryset = units
        # radio buttons: the scale's words only, no empty choice
        self.fields["probability"].choices = Probability.choices
        self.fields["consequence"].choices = Consequence.choices
        self.unit = self.chosen = self.picked(unit)
        self.kept = (
            set(self.instance.goals.values_list("pk", flat=True)) if self.instance.pk else set()
        )
        goals = self.fields["goals"]
        # Any goal is read (one query for the posted ids); the rule judges them.
        goals.queryset = Goal.objects.select_related("owner")
        goals.help_text = _(
            "Mål för %(unit)s och nivåerna ovanför den (nämndens och fullmäktiges)."
        ) % {"unit": self.unit.name}
        goals.widget.choices = [
            (g.pk, goal_label(g)) for g in threatened_goals(self.unit, self.kept)
        ]
        if self.instance.pk:
            self.fields["year"].disabled = True
            self.initial["year"] = self.instance.analysis.year
        else:
            self.initial.setdefault("year", timezone.localdate().year)
            self.initial.setdefault("unit", unit.pk)

    def pick_kwargs(self) -> dict:
        return {"units": self.units, "unit": self.unit}


class AdoptForm(Form):
    decision_reference = forms.CharField(label=_("Beslut (diarienummer, §)"), max_length=100)
    adopted_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())


class ControlForm(VersionedForm):
    class Meta:
        model = Control
        fields = ["risk", "title", "method", "frequency", "responsible", "owner", "round_kinds"]
        widgets = {
            "method": forms.Textarea(attrs={"rows": 3}),
            "owner": PlainSelect,  # every unit of the committee: hundreds in a large one
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
    """One control's result on the report page, where a unit reports several controls:
    each form has its control's prefix (``kontroll-<pk>``), so its fields' ids and the
    labels that point at them are the page's only ones."""

    class Meta:
        model = ControlResult
        fields = ["outcome", "comment", "measures"]
        widgets = {
            "outcome": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 2}),
            "measures": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, control_pk, **kwargs):
        super().__init__(*args, prefix=f"kontroll-{control_pk}", **kwargs)
        self.fields["outcome"].choices = ControlOutcome.choices  # radio buttons: no empty one
