from django import forms
from django.utils.translation import gettext_lazy as _

from goals.access import editable_units
from goals.models import (
    OWNER_KINDS,
    PARENT_LEVEL,
    Activity,
    BudgetYear,
    Goal,
    GoalLevel,
    GoalStatus,
    MandatePeriod,
    Perspective,
    Vision,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionedForm(forms.ModelForm):
    """Carries the version the editor loaded, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class GoalForm(VersionedForm):
    class Meta:
        model = Goal
        fields = [
            "title",
            "description",
            "parent",
            "owner",
            "perspective",
            "shared",
            "responsible",
            "smart_specific",
            "smart_measurable",
            "smart_accepted",
            "smart_realistic",
            "smart_timebound",
            "decision_reference",
            "decision_paragraph",
            "decided_on",
            "order",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "decided_on": DateInput(),
        }

    def __init__(self, *args, user, level, period, parent_owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.level = level
        self.instance.mandate_period = period
        parent_level = PARENT_LEVEL.get(level)
        if parent_level is None:
            del self.fields["parent"]
        else:
            self.fields["parent"].required = True
            self.fields["parent"].queryset = (
                Goal.objects.visible_to(user)
                .filter(mandate_period=period, level=parent_level)
                .exclude(status=GoalStatus.ENDED)
                .order_by("order", "pk")
            )
            if parent_owner is not None:
                # Started from a unit: offer the goals of its own committee.
                self.fields["parent"].queryset = self.fields["parent"].queryset.filter(
                    owner=parent_owner
                )
        if level != GoalLevel.COUNCIL:
            del self.fields["shared"]
        within = None
        parent = self.initial.get("parent") or (
            self.instance.parent if self.instance.parent_id else None
        )
        if level == GoalLevel.UNIT and isinstance(parent, Goal):
            within = parent.owner.committee() or parent.owner
        self.fields["owner"].queryset = editable_units(
            user, kinds=OWNER_KINDS[level], within=within
        )
        self.fields["perspective"].queryset = Perspective.objects.filter(active=True)
        self.fields["title"].widget.attrs["autofocus"] = True


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=GoalStatus.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision_reference = forms.CharField(label=_("Diarienummer"), max_length=60, required=False)
    decision_paragraph = forms.CharField(label=_("Paragraf"), max_length=30, required=False)
    decided_on = forms.DateField(label=_("Beslutsdatum"), required=False, widget=DateInput())


class ActivityForm(VersionedForm):
    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "owner",
            "responsible",
            "start",
            "end",
            "status",
            "progress",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start": DateInput(),
            "end": DateInput(),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }

    def __init__(self, *args, user, goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.goal = goal
        # The view has checked that the user may edit the goal, so its owner is in scope.
        self.fields["owner"].queryset = editable_units(user, within=goal.owner)
        if not self.instance.pk:
            self.initial.setdefault("owner", goal.owner_id)


class MandatePeriodForm(forms.ModelForm):
    class Meta:
        model = MandatePeriod
        fields = ["start_year", "end_year"]
        widgets = {
            "start_year": forms.NumberInput(attrs={"min": 2000, "max": 2100}),
            "end_year": forms.NumberInput(attrs={"min": 2000, "max": 2100}),
        }


class BudgetYearForm(forms.ModelForm):
    class Meta:
        model = BudgetYear
        fields = ["year", "plan_years"]
        widgets = {"year": forms.NumberInput(attrs={"min": 2000, "max": 2100})}

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.mandate_period = period
        if not self.instance.pk and not self.is_bound:
            taken = set(period.years.values_list("year", flat=True))
            free = [y for y in range(period.start_year, period.end_year + 1) if y not in taken]
            if free:
                self.initial.setdefault("year", free[0])


class VisionForm(forms.ModelForm):
    class Meta:
        model = Vision
        fields = ["text", "decision_reference", "decided_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "decided_on": DateInput()}
