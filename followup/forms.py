import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.models import ActivityUpdate, AssignmentUpdate, GoalAssessment, Report, RoundKind
from followup.wheel_models import WheelKind, WheelStep
from goals.forms import DateInput, VersionedForm
from ledmot.lib.forms import Form, VersionField
from ledmot.lib.limits import DateRange
from ledmot.lib.text import field_length
from ledmot.models import OrgKind, OrgUnit


class RoundForm(Form):
    kind = forms.ModelChoiceField(label=_("Typ"), queryset=RoundKind.objects.all())
    period_end = forms.DateField(
        label=_("Periodens slut"), widget=DateInput(), validators=[DateRange()]
    )
    deadline = forms.DateField(
        label=_("Sista dag"),
        required=False,
        validators=[DateRange()],
        widget=DateInput(),
        help_text=_("Tomt = periodens slut plus typens antal dagar."),
    )
    council_date = forms.DateField(
        label=_("Behandlas i fullmäktige"),
        required=False,
        widget=DateInput(),
        validators=[DateRange()],
    )
    scope = forms.ModelMultipleChoiceField(
        label=_("Nämnder"),
        queryset=OrgUnit.objects.filter(kind__in=[OrgKind.COMMITTEE, OrgKind.COMPANY], active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Inga valda = alla nämnder."),
    )

    def clean(self):
        cleaned = super().clean()
        end, kind = cleaned.get("period_end"), cleaned.get("kind")
        if end and kind and not cleaned.get("deadline"):
            cleaned["deadline"] = end + datetime.timedelta(days=kind.default_deadline_days)
        deadline = cleaned.get("deadline")
        if end and deadline and deadline < end:
            self.add_error("deadline", _("Sista dag kan inte vara före periodens slut."))
        return cleaned


class AssessmentForm(VersionedForm):
    class Meta:
        model = GoalAssessment
        fields = ["chosen", "analysis", "measures", "justification"]
        widgets = {
            "analysis": forms.Textarea(attrs={"rows": 4}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "justification": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].required = False
        self.fields["chosen"].choices = [("", _("Välj bedömning"))] + list(
            self.fields["chosen"].choices
        )[1:]
        self.auto_id = self.auto_id_for(self.instance.pk)

    @staticmethod
    def auto_id_for(pk) -> str:
        """The ids of the fields of assessment ``pk``'s form: several forms on one page."""
        return f"id_a{pk}_%s"


class ActivityUpdateForm(VersionedForm):
    class Meta:
        model = ActivityUpdate
        fields = ["status", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_id = f"id_u{self.instance.pk}_%s"


class AssignmentUpdateForm(VersionedForm):
    """An assignment's status in a report; the ids are the assignment's, since the
    update may not be saved yet (an assignment given while the round is open)."""

    class Meta:
        model = AssignmentUpdate
        fields = ["status", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_id = f"id_g{self.instance.assignment_id}_%s"


class ReturnForm(Form):
    comment = forms.CharField(
        label=_("Vad ska kompletteras?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=field_length(Report, "return_comment"),
    )
    version = VersionField()


class ReportPdfForm(Form):
    """Which report to make: the whole municipality or one committee; PDF/A or not.
    ``orgs`` is what the user may make reports for (None in the list = the whole
    municipality)."""

    # Not required: the empty choice is the whole municipality (checked in clean_org).
    org = forms.ChoiceField(label=_("Rapport för"), required=False)
    pdfa = forms.BooleanField(
        label=_("PDF/A för arkivet"),
        required=False,
        help_text=_("Arkivbeständigt format (PDF/A-3u) för diariet och e-arkivet."),
    )

    units_in_full = forms.BooleanField(
        label=_("Enhetsmålen i sin helhet"),
        required=False,
        help_text=_(
            "Bara för en nämnds rapport: varje enhetsmål med analys, indikatorer och "
            "aktiviteter. Annars sammanfattas enhetsmålen, med de som inte uppfyllts."
        ),
    )

    def __init__(self, *args, orgs: list[OrgUnit | None], **kwargs):
        super().__init__(*args, **kwargs)
        self.orgs = {(o.code if o else ""): o for o in orgs}
        self.fields["org"].choices = [
            (o.code, o.name) if o else ("", _("Hela kommunen")) for o in orgs
        ]

    def clean_org(self):
        code = self.cleaned_data["org"]
        if code not in self.orgs:
            raise forms.ValidationError(_("Du får inte ta fram den rapporten."))
        return self.orgs[code]

    def clean(self):
        data = super().clean()
        if data.get("units_in_full") and "org" in data and data["org"] is None:
            self.add_error(
                "units_in_full", _("Enhetsmålen i sin helhet gäller bara en nämnds rapport.")
            )
        return data


class WheelStepForm(VersionedForm):
    class Meta:
        model = WheelStep
        fields = ["title", "kind", "start", "end", "description", "order"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "order": forms.NumberInput(attrs={"min": 0, "max": 999}),
        }
        error_messages = {
            "title": {"required": _("Skriv en rubrik för steget.")},
            "start": {
                "required": _("Ange datum för steget."),
                "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD."),
            },
            "end": {"invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["kind"].initial = WheelKind.OTHER
        if self.instance.year:  # the date pickers open in the wheel's year
            for name in ("start", "end"):
                self.fields[name].widget.attrs.update(
                    min=f"{self.instance.year}-01-01", max=f"{self.instance.year}-12-31"
                )

    def clean_order(self):
        return self.cleaned_data.get("order") or 0

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("end") and cleaned.get("end") == cleaned.get("start"):
            cleaned["end"] = None  # one day is a single-day step
        return cleaned
