"""Forms of priority setting: the round, the fact sheet, the decision."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goals.forms import PLAN_YEAR_ATTRS, DateInput, VersionedForm
from goals.forms import SwedishDecimalField as GoalsDecimalField
from goals.models import Goal, GoalLevel, GoalStatus, Indicator, MandatePeriod
from ledmot.lib.forms import Form, KronorField, VersionField
from ledmot.lib.limits import DateRange
from ledmot.lib.text import field_length
from priorities.models import (
    MAX_PLAN_YEARS,
    Decision,
    Direction,
    PriorityItem,
    PriorityRound,
)

INDICATOR_ROWS = 3


class SwedishDecimalField(GoalsDecimalField):
    """The goals' Swedish decimal field, its value shown back the Swedish way."""

    invalid_message = _("Skriv ett tal, t.ex. 1,5 eller −2.")

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return str(value).replace(".", ",").replace("-", "−")
        return value


class RoundForm(VersionedForm):
    resource_frame = KronorField(
        label=_("Resursram (kr)"),
        help_text=PriorityRound._meta.get_field("resource_frame").help_text,
    )

    class Meta:
        model = PriorityRound
        fields = [
            "title",
            "year",
            "plan_years",
            "scope",
            "resource_frame",
            "deadline",
            "description",
        ]
        widgets = {
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "year": forms.NumberInput(attrs=PLAN_YEAR_ATTRS),
            "plan_years": forms.NumberInput(attrs={"min": 0, "max": MAX_PLAN_YEARS}),
        }

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = scopes
        if self.instance.pk:
            # The scope decides who has worksheets: fixed once the round is open.
            del self.fields["scope"]


def _period_for(year: int) -> MandatePeriod | None:
    """The mandate period whose goals a budget year serves: the one containing the
    year, else the latest before it (its goals apply until new ones are adopted)."""
    return (
        MandatePeriod.objects.filter(start_year__lte=year, end_year__gte=year).first()
        or MandatePeriod.objects.filter(start_year__lte=year).order_by("-start_year").first()
    )


def goal_choices(item: PriorityItem):
    """The council's goals and the committee's own goals in the period of the round."""
    rnd, committee = item.worksheet.round, item.worksheet.committee
    period = _period_for(rnd.year)
    return (
        Goal.objects.filter(
            mandate_period=period, status__in=[GoalStatus.ADOPTED, GoalStatus.REVISED]
        )
        .filter(
            Q(level=GoalLevel.COUNCIL)
            | Q(level=GoalLevel.COMMITTEE, owner__path__startswith=committee.path)
        )
        .select_related("owner")
        .order_by("level", "order", "pk")
    )


def indicator_choices(item: PriorityItem):
    """Indicators measuring those goals, and the committee's own indicators."""
    committee = item.worksheet.committee
    return (
        Indicator.objects.filter(Q(goals__in=goal_choices(item)) | Q(responsible_unit=committee))
        .distinct()
        .order_by("name")
    )


class ItemForm(VersionedForm):
    """The fact sheet. ``strict`` (the "ready to submit" save) also requires what a
    submission needs: the four assessments, the cost and a description."""

    cost_budget = KronorField(label=_("Kostnad budgetåret (kr)"), required=False)
    cost_plan1 = KronorField(label=_("Kostnad planår 1 (kr)"), required=False)
    cost_plan2 = KronorField(label=_("Kostnad planår 2 (kr)"), required=False)
    cost_plan3 = KronorField(label=_("Kostnad planår 3 (kr)"), required=False)
    staff = SwedishDecimalField(
        label=_("Årsarbetare"),
        required=False,
        max_digits=7,
        decimal_places=1,
        help_text=PriorityItem._meta.get_field("staff").help_text,
    )
    rank = forms.IntegerField(
        label=_("Nämndens rang"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
        help_text=PriorityItem._meta.get_field("rank").help_text,
        error_messages={"invalid": _("Rangen ska vara ett heltal från 1 till 10.")},
    )

    class Meta:
        model = PriorityItem
        fields = [
            "kind",
            "title",
            "description",
            "target_group",
            "situation",
            "severity",
            "effect",
            "cost_effect",
            "evidence",
            "effect_individual",
            "effect_society",
            "effect_organisation",
            "goals",
            "cost_budget",
            "cost_plan1",
            "cost_plan2",
            "cost_plan3",
            "cost_type",
            "staff",
            "consequences_citizens",
            "consequences_staff",
            "consequences_equality",
            "consequences_children",
            "risks",
            "rank",
            "rank_reason",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "target_group": forms.Textarea(attrs={"rows": 2}),
            "situation": forms.Textarea(attrs={"rows": 4}),
            "consequences_citizens": forms.Textarea(attrs={"rows": 3}),
            "consequences_staff": forms.Textarea(attrs={"rows": 3}),
            "consequences_equality": forms.Textarea(attrs={"rows": 3}),
            "consequences_children": forms.Textarea(attrs={"rows": 3}),
            "risks": forms.Textarea(attrs={"rows": 3}),
            "rank_reason": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.CheckboxSelectMultiple,
            "cost_type": forms.RadioSelect,
        }

    def __init__(self, *args, strict: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = strict
        item = self.instance
        rnd = item.worksheet.round
        self.fields["goals"].queryset = goal_choices(item)
        self.fields["goals"].required = False
        self.fields["goals"].label_from_instance = _goal_label
        for name, label in (
            ("severity", _("Välj svårighetsgrad")),
            ("effect", _("Välj effekt")),
            ("cost_effect", _("Välj kostnad i förhållande till effekt")),
            ("evidence", _("Välj kunskapsläge")),
        ):
            field = self.fields[name]
            field.choices = [("", label), *list(field.choices)[1:]]
        # Costs: label each with its year; the plan years the round does not have go.
        self.fields["cost_budget"].label = _("Kostnad %(year)s (kr)") % {"year": rnd.year}
        self.fields["cost_budget"].help_text = _(
            "Kostnad som positivt belopp, besparing som negativt, t.ex. −800 000."
        )
        for i in range(1, MAX_PLAN_YEARS + 1):
            name = f"cost_plan{i}"
            if i > rnd.plan_years:
                del self.fields[name]
            else:
                self.fields[name].label = _("Kostnad %(year)s (kr)") % {"year": rnd.year + i}
        # Expected indicator changes: the current ones plus empty rows.
        indicators = indicator_choices(item)
        links = list(item.indicator_links.select_related("indicator")) if item.pk else []
        self.indicator_rows = []
        for n in range(max(INDICATOR_ROWS, len(links) + 1)):
            ind_name, dir_name = f"indicator_{n}", f"direction_{n}"
            self.fields[ind_name] = forms.ModelChoiceField(
                label=_("Indikator %(n)s") % {"n": n + 1},
                queryset=indicators,
                required=False,
                empty_label=_("Ingen indikator"),
            )
            self.fields[dir_name] = forms.ChoiceField(
                label=_("Förväntad riktning för indikator %(n)s") % {"n": n + 1},
                choices=[("", "–"), *Direction.choices],
                required=False,
            )
            if n < len(links) and not self.is_bound:
                self.initial[ind_name] = links[n].indicator_id
                self.initial[dir_name] = links[n].direction
            self.indicator_rows.append((ind_name, dir_name))
        self.fields["title"].widget.attrs["maxlength"] = 200

    def clean_rank(self):
        rank = self.cleaned_data.get("rank")
        if rank is not None and not 1 <= rank <= 10:
            raise forms.ValidationError(_("Rangen ska vara ett heltal från 1 till 10."))
        return rank

    def clean(self):
        cleaned = super().clean()
        chosen = []
        for ind_name, dir_name in self.indicator_rows:
            indicator, direction = cleaned.get(ind_name), cleaned.get(dir_name)
            if indicator and not direction:
                self.add_error(dir_name, _("Ange åt vilket håll indikatorn väntas röra sig."))
            elif direction and not indicator:
                self.add_error(ind_name, _("Välj indikatorn."))
            elif indicator and indicator.pk in {i.pk for i, _d in chosen}:
                self.add_error(ind_name, _("Indikatorn finns redan i listan."))
            elif indicator:
                chosen.append((indicator, direction))
        self.indicator_changes = chosen
        return cleaned

    def _post_clean(self):
        # Copies the values into the item and runs its clean(): an own rank that differs
        # from the suggested one needs a reason. The "ready to submit" save then asks the
        # item what its fact sheet lacks (priorities.rules.fact_sheet_missing).
        super()._post_clean()
        if self.strict:
            for name, message in self.instance.missing().items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, message)


def _goal_label(goal: Goal) -> str:
    level = _("KF") if goal.level == GoalLevel.COUNCIL else goal.owner.code
    return f"{goal.title} ({level})"


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label=_("Beslut"),
        choices=[("", _("Välj beslut")), *Decision.choices],
        error_messages={"required": _("Välj beslut.")},
    )
    decided_on = forms.DateField(
        label=_("Beslutsdatum"),
        widget=DateInput(),
        error_messages={"required": _("Ange beslutsdatum."), "invalid": _("Ange ett datum.")},
        validators=[DateRange()],
    )
    paragraph = forms.CharField(
        label=_("Paragraf"),
        max_length=field_length(PriorityItem, "decision_paragraph"),
        required=False,
        help_text=_("T.ex. § 112"),
    )
    reference = forms.CharField(
        label=_("Diarienummer"),
        max_length=field_length(PriorityItem, "decision_reference"),
        required=False,
        help_text=_("T.ex. KS 2026/318"),
    )
    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=field_length(PriorityItem, "decision_note"),
    )
    version = VersionField()

    def __init__(self, *args, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_id:
            self.auto_id = f"id_{prefix_id}_%s"

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("paragraph", "").strip() or cleaned.get("reference", "").strip()):
            self.add_error("paragraph", _("Ange paragraf (§) eller diarienummer."))
        return cleaned


class ActivitiesForm(Form):
    goals = forms.ModelMultipleChoiceField(
        label=_("Mål som får en aktivitet"),
        queryset=Goal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst ett mål.")},
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = goals
        self.fields["goals"].label_from_instance = _goal_label
