"""The forms of the organisation screens. They validate and normalise; the rules and
the writes are in ``ledmot.rules`` and ``ledmot.services``."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from ledmot.lib.forms import Form, ModelForm, PlainSelect
from ledmot.models import OrgKind, OrgUnit, Role

INDENT = "\u2003"  # an em space per level of the tree


class UnitChoiceField(forms.ModelChoiceField):
    """A unit chosen among those given, shown indented by its depth in the tree."""

    widget = PlainSelect

    def label_from_instance(self, obj):
        return f"{INDENT * obj.depth}{obj.name} ({obj.code})"


class UnitCreateForm(ModelForm):
    parent = UnitChoiceField(queryset=OrgUnit.objects.none(), label=_("Ligger under"))

    class Meta:
        model = OrgUnit
        fields = ["name", "code", "kind", "parent", "order"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units.filter(active=True)
        self.fields["kind"].choices = [
            c for c in self.fields["kind"].choices if c[0] != OrgKind.COUNCIL
        ]


class UnitEditForm(ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "code", "order"]
        help_texts = {
            "code": _(
                "Kort, stabil kod, t.ex. BUN eller SKOLA-ASBACKA. En ny kod ändrar inget "
                "för enheterna under, rollerna eller målen."
            )
        }


class UnitMoveForm(Form):
    parent = UnitChoiceField(queryset=OrgUnit.objects.none(), label=_("Ny överordnad enhet"))

    def __init__(self, *args, unit: OrgUnit, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units.filter(active=True).exclude(
            path__startswith=unit.path
        )


class SuccessorForm(Form):
    successor = UnitChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Enhet som tar över det pågående arbetet")
    )

    def __init__(self, *args, unit: OrgUnit, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = units.filter(active=True).exclude(
            path__startswith=unit.path
        )


class PersonForm(ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = True


class PersonCreateForm(PersonForm):
    password = forms.CharField(
        label=_("Lösenord"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Lämna tomt för den som loggar in via kommunens identitetsleverantör "
            "(ingen lokal inloggning)."
        ),
    )
    unit = UnitChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Roll på enhet"), required=False
    )
    role = forms.ChoiceField(label=_("Roll"), choices=[("", "–"), *Role.choices], required=False)

    class Meta(PersonForm.Meta):
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, units, unit_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(active=True)
        self.fields["unit"].required = self.fields["role"].required = unit_required

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            validate_password(password, self.instance)
        return password

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("unit")) != bool(cleaned.get("role")):
            self.add_error("role", _("Välj både enhet och roll, eller ingen av dem."))
        return cleaned


class RoleGrantForm(Form):
    unit = UnitChoiceField(queryset=OrgUnit.objects.none(), label=_("Enhet"))
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(active=True)


class PersonFilterForm(Form):
    q = forms.CharField(label=_("Sök"), required=False, max_length=100)
    unit = UnitChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("Roll på enheten eller under den"),
        required=False,
    )
    role = forms.ChoiceField(
        label=_("Roll"), choices=[("", _("Alla")), *Role.choices], required=False
    )
    active = forms.ChoiceField(
        label=_("Konton"),
        required=False,
        choices=[("", _("Aktiva")), ("nej", _("Avaktiverade")), ("alla", _("Alla"))],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
