"""Forms of steering documents: validate and normalise, nothing else (the rules are in
:mod:`steering.rules`, the writes in :mod:`steering.services`)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goals.forms import DateInput, goal_label
from goals.models import LIVE_STATUSES, Goal
from ledmot.lib.forms import Repickable, VersionedForm
from ledmot.models import OrgKind, OrgUnit
from steering import rules
from steering.access import owner_units
from steering.models import SteeringDocument


def supported_goals(owner, kept=()):
    """The goals offered to a document of ``owner``: the live goals of the council and,
    for a committee's document, of that committee (:func:`steering.rules.goal_owner_paths`),
    top down, and those the document supports already (``kept``: ids), whatever they
    are. A bounded list whoever writes (a controller writes for every committee)."""
    if owner is None:
        return Goal.objects.filter(pk__in=list(kept)).select_related("owner")
    return (
        Goal.objects.filter(
            Q(owner__path__in=rules.goal_owner_paths(owner), status__in=LIVE_STATUSES)
            | Q(pk__in=list(kept))
        )
        .select_related("owner")
        .order_by("owner__path", "order", "pk")
    )


class DocumentForm(Repickable, VersionedForm):
    """A document of one owner (the council or a committee). The owner comes first: the
    goals offered are the chosen owner's (:func:`supported_goals`); when the owner
    select changes, the page asks for them again (htmx, or the button "Visa ägarens
    mål" without JavaScript: :class:`ledmot.lib.forms.Repickable`). ``owner``: the owner
    chosen before the form (``?agare=``, the only one the user writes for), or None."""

    pick_field = "owner"

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
            "goals": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        owners = Q(pk__in=owner_units(user).values("pk"))
        if self.instance.pk:
            owners |= Q(pk=self.instance.owner_id)  # the owner as saved stays a choice
            owner = self.instance.owner
        self.fields["owner"].queryset = OrgUnit.objects.filter(owners).order_by("path")
        if self.instance.is_decided:
            # What the decision covers is shown, not posted: only the review date and
            # the goals change (steering.rules); the service refuses the rest anyway.
            for name in ("title", "kind", "owner", "summary", "link", "upload"):
                self.fields[name].disabled = True
            self.chosen = owner
        else:
            self.chosen = self.picked(owner)
        kept = self.instance.goals.values_list("pk", flat=True) if self.instance.pk else ()
        self.kept = set(kept)
        goals = self.fields["goals"]
        # Any goal is read (one query for the posted ids); the rule judges them.
        goals.queryset = Goal.objects.select_related("owner")
        if self.chosen is None:
            goals.help_text = _("Välj ägaren först: då visas de mål som dokumentet kan stödja.")
        elif self.chosen.kind == OrgKind.COUNCIL:
            goals.help_text = _("Fullmäktiges mål.")
        else:
            goals.help_text = _("Fullmäktiges mål och målen för %(owner)s.") % {
                "owner": self.chosen.name
            }
        goals.widget.choices = [
            (g.pk, goal_label(g)) for g in supported_goals(self.chosen, self.kept)
        ]
        if self.chosen is not None:
            self.initial.setdefault("owner", self.chosen.pk)

    def pick_kwargs(self) -> dict:
        return {"user": self.user, "owner": self.chosen}

    def clean(self):
        cleaned = super().clean()
        # The owner as posted (a decided document's is its own); the rule judges the goals.
        owner = cleaned.get("owner") or self.chosen
        if owner is not None and (goals := cleaned.get("goals")):
            for message in rules.goal_errors(owner, goals, kept=self.kept).get("goals", []):
                self.add_error("goals", message)
        return cleaned

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
