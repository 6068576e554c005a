from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goals import rules
from goals.access import editable_units
from goals.models import (
    LIVE_STATUSES,
    OWNER_KINDS,
    PARENT_LEVEL,
    Activity,
    Assignment,
    BudgetYear,
    Direction,
    Goal,
    GoalLevel,
    GoalProposal,
    GoalStatus,
    GoalType,
    Indicator,
    MandatePeriod,
    Perspective,
    Target,
    UnitPlan,
    Vision,
)
from goals.results import show
from ledmot.lib.forms import Form, KronorField, ModelForm, VersionedForm, VersionField
from ledmot.lib.limits import FIRST_DATE, FIRST_PLAN_YEAR, LAST_DATE, LAST_YEAR, DateRange
from ledmot.lib.numbers import parse_number
from ledmot.lib.text import field_length
from ledmot.models import OrgKind, OrgUnit

# The browser's own range for a year or a date, the same as the server's (ledmot.lib.limits).
PLAN_YEAR_ATTRS = {"min": FIRST_PLAN_YEAR, "max": LAST_YEAR}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        attrs = {"min": FIRST_DATE.isoformat(), "max": LAST_DATE.isoformat()}
        attrs.update(kwargs.pop("attrs", None) or {})
        super().__init__(format="%Y-%m-%d", attrs=attrs, **kwargs)


def goal_label(goal: Goal) -> str:
    """A goal in a list of goals to tick (a risk's, a steering document's): its owner,
    its title, and its status when it no longer applies."""
    label = f"{goal.owner.name}: {goal.title}"
    if goal.status not in LIVE_STATUSES:
        label += f" ({goal.get_status_display()})"
    return label


class GoalForm(VersionedForm):
    class Meta:
        model = Goal
        fields = [
            "title",
            "description",
            "parent",
            "owner",
            "perspective",
            "goal_type",
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
        # A post without the field (a page or script from before it) keeps the type.
        self.fields["goal_type"].required = False
        self.fields["title"].widget.attrs["autofocus"] = True

    def clean_goal_type(self):
        return self.cleaned_data.get("goal_type") or self.instance.goal_type or GoalType.OPERATIONAL


class GoalStatusForm(Form):
    status = forms.ChoiceField(choices=GoalStatus.choices, widget=forms.HiddenInput)
    version = VersionField()
    decision_reference = forms.CharField(
        label=_("Diarienummer"), max_length=field_length(Goal, "decision_reference"), required=False
    )
    decision_paragraph = forms.CharField(
        label=_("Paragraf"), max_length=field_length(Goal, "decision_paragraph"), required=False
    )
    decided_on = forms.DateField(
        label=_("Beslutsdatum"), required=False, widget=DateInput(), validators=[DateRange()]
    )


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
            "cost",
        ]
        field_classes = {"cost": KronorField}
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


class AssignmentForm(VersionedForm):
    """An assignment (uppdrag) as its giver writes it; its status is reported by the one
    who carries it out, in the follow-up rounds."""

    class Meta:
        model = Assignment
        fields = [
            "giver",
            "owner",
            "title",
            "description",
            "goal",
            "decision_reference",
            "decided_on",
            "due",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "decided_on": DateInput(),
            "due": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        givers = editable_units(user, kinds=rules.ASSIGNMENT_GIVER_KINDS)
        self.fields["giver"].queryset = givers
        # Within the givers the user manages (the rule checks it is below the chosen one).
        within = Q(pk__in=[])
        for path in givers.values_list("path", flat=True):
            within |= Q(path__startswith=path)
        self.fields["owner"].queryset = (
            OrgUnit.objects.filter(within, active=True)
            .exclude(kind=OrgKind.COUNCIL)
            .order_by("path")
        )
        goal_within = Q(pk__in=[])
        for path in givers.values_list("path", flat=True):
            goal_within |= Q(owner__path__startswith=path)
        self.fields["goal"].queryset = (
            Goal.objects.filter(goal_within, status__in=LIVE_STATUSES)
            .exclude(level=GoalLevel.UNIT)
            .select_related("owner")
            .order_by("level", "owner__path", "order", "pk")
        )
        self.fields["goal"].label_from_instance = lambda g: f"{g.owner.name}: {g.title}"
        if not self.instance.pk and len(givers) == 1:
            self.initial.setdefault("giver", givers[0].pk)


class MandatePeriodForm(ModelForm):
    class Meta:
        model = MandatePeriod
        fields = ["start_year", "end_year"]
        widgets = {
            "start_year": forms.NumberInput(attrs=PLAN_YEAR_ATTRS),
            "end_year": forms.NumberInput(attrs=PLAN_YEAR_ATTRS),
        }


class BudgetYearForm(ModelForm):
    class Meta:
        model = BudgetYear
        fields = ["year", "plan_years"]
        widgets = {"year": forms.NumberInput(attrs=PLAN_YEAR_ATTRS)}

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.mandate_period = period
        if not self.instance.pk and not self.is_bound:
            taken = set(period.years.values_list("year", flat=True))
            free = [y for y in range(period.start_year, period.end_year + 1) if y not in taken]
            if free:
                self.initial.setdefault("year", free[0])


class VisionForm(VersionedForm):
    class Meta:
        model = Vision
        fields = ["text", "decision_reference", "decided_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "decided_on": DateInput()}


class UploadForm(Form):
    """The Excel import's upload (see goals/views/imports.py)."""

    file = forms.FileField(
        label=_("Excel-fil (.xlsx)"),
        help_text=_(
            "Samma format som exporten: bladen Mål, Aktiviteter, Indikatorer, Målvärden "
            "och Utfall. Blad som saknas lämnas orörda."
        ),
    )


class SwedishDecimalField(forms.DecimalField):
    """A decimal typed the Swedish way: ``12,5``, ``1 234``, ``85 %``."""

    widget = forms.TextInput
    invalid_message = _("Skriv ett tal, t.ex. 12,5 eller 1 234.")

    def to_python(self, value):
        if isinstance(value, str):
            try:
                value = parse_number(value)
            except ValueError:
                raise forms.ValidationError(self.invalid_message, code="invalid") from None
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs["inputmode"] = "decimal"
        return attrs


class IndicatorForm(VersionedForm):
    baseline_value = SwedishDecimalField(
        label=_("Utgångsvärde"), required=False, max_digits=18, decimal_places=4
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "description",
            "unit",
            "decimals",
            "direction",
            "frequency",
            "kind",
            "source",
            "kolada_id",
            "gender_breakdown",
            "baseline_value",
            "baseline_year",
            "responsible_unit",
            "goals",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = editable_units(user)
        # Linking an indicator to a goal changes the goal: only goals the user may edit,
        # plus the links the indicator already has (kept, even if the user may not edit them).
        self.fields["goals"].queryset = goals
        self.fields["goals"].required = False
        self.fields["kolada_id"].help_text = _("T.ex. N15428 eller U23471.")

    def clean_kolada_id(self):
        value = rules.kolada_id_normalise(self.cleaned_data["kolada_id"])
        rules.validate_kolada_id(value)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") == "kolada" and not cleaned.get("kolada_id"):
            self.add_error(
                "kolada_id", _("Ange Kolada-id för en indikator som hämtas från Kolada.")
            )
        unit = (cleaned.get("unit") or "").strip()
        baseline = cleaned.get("baseline_value")
        if unit == "%" and baseline is not None and not (0 <= baseline <= 100):
            self.add_error("baseline_value", _("En andel måste ligga mellan 0 och 100 %."))
        if (baseline is None) != (cleaned.get("baseline_year") is None):
            self.add_error("baseline_year", _("Ange både utgångsvärde och utgångsår, eller inget."))
        return cleaned


class IndicatorEndForm(Form):
    """End an indicator (the last day it is measured), or resume it (``resume`` posted).
    The date is checked by the one rule, ``goals.rules.indicator_end_error``."""

    ended_on = forms.DateField(
        label=_("Sista dag som indikatorn mäts"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Värden och målvärden finns kvar. Värden för perioder som börjar efter "
            "datumet efterfrågas inte längre."
        ),
    )
    version = VersionField()

    def __init__(self, *args, indicator: Indicator, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.resume = bool(self.data.get("resume"))
        if not self.is_bound:
            self.initial = {"ended_on": today, "version": indicator.version}

    def clean(self):
        cleaned = super().clean()
        if self.resume:
            cleaned["ended_on"] = None
        elif "ended_on" in cleaned:
            if cleaned["ended_on"] is None:
                self.add_error("ended_on", _("Ange sista dag som indikatorn mäts."))
            elif message := self.indicator.end_error(cleaned["ended_on"]):
                self.add_error("ended_on", message)
        return cleaned


class IndicatorNumberField(SwedishDecimalField):
    """A value or target of an indicator, checked by the one rule for such numbers
    (:func:`goals.rules.indicator_number_error`: size, decimals, shares within 0–100 %)."""

    def __init__(self, *, unit: str, **kwargs):
        self.unit = unit
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and (error := rules.indicator_number_error(value, unit=self.unit)):
            raise forms.ValidationError(error, code="range")

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"size": 10, "maxlength": NUMBER_MAX_LENGTH})
        return attrs


# "−99 999 999 999 999,9999 %" with room to spare: longer text cannot be a number that fits.
NUMBER_MAX_LENGTH = 40


class TargetFillForm(Form):
    """Fill the mandate period's targets linearly from the baseline to an end target."""

    def __init__(self, data=None, *, indicator, period):
        super().__init__(data)
        self.fields["end_value"] = IndicatorNumberField(
            unit=indicator.unit,
            label=_("Slutmål %(year)s") % {"year": period.end_year},
            error_messages={"required": _("Ange slutmålet som ett tal.")},
        )


class TargetsForm(Form):
    """The targets of a mandate period, one input per year (``t-<year>``).

    Beside each input the value it had when the page was loaded is posted back
    (hidden ``o-<year>``): only the years the person changed are saved, a year
    someone else saved meanwhile is a conflict instead of being overwritten, and the
    years the person did not touch stay as the other person saved them.
    """

    def __init__(
        self,
        data=None,
        *,
        indicator,
        period,
        targets: dict[int, Decimal],
        locked: dict[int, str] | None = None,
    ):
        super().__init__(data)
        self.indicator = indicator
        self.years = list(range(period.start_year, period.end_year + 1))
        for year in self.years:
            shown = show(targets.get(year))
            field = IndicatorNumberField(
                unit=indicator.unit, label=str(year), required=False, initial=shown
            )
            if locked and year in locked:
                # Frozen by a closed annual report (``indicator_target_locks``): shown
                # read-only with the reason before anyone types; the service refuses it too.
                field.widget.attrs["readonly"] = True
                field.help_text = locked[year]
            self.fields[f"t-{year}"] = field
            self.fields[f"o-{year}"] = OriginalNumberField(initial=shown)

    def year_fields(self):
        return [self[f"t-{year}"] for year in self.years]

    def clean(self):
        cleaned = super().clean()
        if self.is_bound and any(f"o-{year}" not in self.data for year in self.years):
            self.add_error(None, OriginalNumberField.default_error_messages["invalid"])
        return cleaned

    def changes(self) -> tuple[dict[int, Decimal | None], dict[int, Decimal | None]]:
        """The years the person changed: (new values, the values the page showed)."""
        values, expected = {}, {}
        for year in self.years:
            value, original = self.cleaned_data[f"t-{year}"], self.cleaned_data[f"o-{year}"]
            if value != original:
                values[year], expected[year] = value, original
        return values, expected

    def _untouched(self, year: int) -> bool:
        cleaned = getattr(self, "cleaned_data", {})
        names = (f"t-{year}", f"o-{year}")
        return all(n in cleaned for n in names) and cleaned[names[0]] == cleaned[names[1]]

    def show_locked(self, exc) -> None:
        """Each frozen year's message (``TargetsLocked``) beside its input."""
        for year, message in exc.locked.items():
            self.add_error(f"t-{year}", message)

    def show_conflicts(self, exc) -> None:
        """Tell the person, beside each year, what someone else saved meanwhile; the next
        save is based on that value."""
        self.data = self.data.copy()
        for year, target in exc.current.items():
            stored = show(target.value if target is not None else None)
            who = _target_editor(self.indicator, year)
            self.add_error(f"t-{year}", rules.target_changed_message(year, stored, who))
            self.data[f"o-{year}"] = stored

    def show_saved(self, targets: dict[int, Decimal]) -> None:
        """After a refused save: the years the person did not change show what is saved
        now (someone else may have saved them meanwhile)."""
        self.data = self.data.copy()
        for year in self.years:
            if self._untouched(year) and not self.has_error(f"t-{year}"):
                self.data[f"t-{year}"] = self.data[f"o-{year}"] = show(targets.get(year))


class OriginalNumberField(forms.CharField):
    """The value an input had when the page was loaded, posted back hidden."""

    widget = forms.HiddenInput
    default_error_messages = {
        "invalid": _(
            "Formuläret kom med ett ogiltigt ursprungsvärde och har inte sparats. "
            "Ladda om sidan och försök igen."
        )
    }

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        try:
            if len(text) > NUMBER_MAX_LENGTH:
                raise ValueError(text)
            return parse_number(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def _target_editor(indicator, year) -> str:
    record = (
        Target.history.filter(indicator_id=indicator.pk, year=year)
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    user = record.history_user if record else None
    return (user.get_full_name() or user.get_username()) if user else ""


class UnitPlanForm(VersionedForm):
    """A unit's verksamhetsplan texts for a year (see goals.services.unit_plan_save)."""

    class Meta:
        model = UnitPlan
        fields = ["basic_mission", "current_state"]
        widgets = {
            "basic_mission": forms.Textarea(attrs={"rows": 6}),
            "current_state": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "basic_mission": _("Vad enheten finns till för: uppdraget enligt lag och beslut."),
            "current_state": _(
                "Var enheten står i dag: resultat, förutsättningar och vad uppföljningen visat."
            ),
        }


# --------------------------------------------------------------------------- goal proposals


class GoalProposalForm(VersionedForm):
    """A committee's proposal of a council goal (see :mod:`goals.proposals`); when
    editing one, its proposer stays."""

    baseline_value = SwedishDecimalField(
        label=_("Utgångsvärde"), required=False, max_digits=18, decimal_places=4
    )
    end_target = SwedishDecimalField(
        label=_("Föreslaget slutmål för mandatperioden"),
        required=False,
        max_digits=18,
        decimal_places=4,
    )

    class Meta:
        model = GoalProposal
        fields = [
            "proposer",
            "title",
            "description",
            "perspective",
            "responsible",
            "smart_specific",
            "smart_measurable",
            "smart_accepted",
            "smart_realistic",
            "smart_timebound",
            "indicator_name",
            "indicator_unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "end_target",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.mandate_period = period
        units = editable_units(user, kinds=OWNER_KINDS[GoalLevel.COMMITTEE])
        self.fields["proposer"].queryset = units
        self.fields["proposer"].empty_label = None
        if self.instance.pk:
            self.fields["proposer"].disabled = True
        self.fields["perspective"].queryset = Perspective.objects.filter(active=True)
        self.fields["end_target"].label = _("Föreslaget slutmål %(year)s") % {
            "year": period.end_year
        }

    def clean(self):
        data = super().clean()
        for name in ("baseline_value", "end_target"):
            value = data.get(name)
            unit = data.get("indicator_unit", "")
            if value is not None and (error := rules.indicator_number_error(value, unit=unit)):
                self.add_error(name, error)
        return data


class ProposalCommentForm(Form):
    text = forms.CharField(
        label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = editable_units(user, kinds=OWNER_KINDS[GoalLevel.COMMITTEE])
        self.fields["unit"] = forms.ModelChoiceField(
            label=_("Nämnd"), queryset=units, empty_label=None
        )
        self.order_fields(["unit", "text"])


class ProposalAdoptForm(Form):
    """The council adopts the chosen proposals (one picked, or several merged) as one
    council goal with its end target."""

    title = forms.CharField(label=_("Mål"), max_length=300)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    indicator_name = forms.CharField(label=_("Indikator"), required=False, max_length=300)
    indicator_unit = forms.CharField(
        label=_("Måttenhet"), required=False, max_length=40, help_text=_("T.ex. %, kr, antal")
    )
    direction = forms.ChoiceField(label=_("Riktning"), choices=Direction.choices)
    baseline_value = SwedishDecimalField(
        label=_("Utgångsvärde"), required=False, max_digits=18, decimal_places=4
    )
    baseline_year = forms.IntegerField(
        label=_("Utgångsår"), required=False, min_value=FIRST_PLAN_YEAR, max_value=LAST_YEAR
    )
    end_target = SwedishDecimalField(
        label=_("Slutmål"), required=False, max_digits=18, decimal_places=4
    )
    decision_reference = forms.CharField(
        label=_("Beslut (diarienummer, §)"), max_length=60, help_text=_("T.ex. KF 2026/88 § 45")
    )
    decided_on = forms.DateField(
        label=_("Beslutsdatum"), widget=DateInput(), validators=[DateRange()]
    )

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perspective"] = forms.ModelChoiceField(
            label=_("Perspektiv"), queryset=Perspective.objects.filter(active=True)
        )
        self.fields["responsible_unit"] = forms.ModelChoiceField(
            label=_("Nämnd som sätter den årsvisa progressionen"),
            queryset=OrgUnit.objects.filter(
                kind__in=OWNER_KINDS[GoalLevel.COMMITTEE], active=True
            ).order_by("path"),
            empty_label=None,
        )
        self.fields["end_target"].label = _("Slutmål %(year)s") % {"year": period.end_year}
        self.order_fields(
            [
                "title",
                "description",
                "perspective",
                "indicator_name",
                "indicator_unit",
                "direction",
                "baseline_value",
                "baseline_year",
                "end_target",
                "responsible_unit",
                "decision_reference",
                "decided_on",
            ]
        )
