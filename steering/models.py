"""Steering documents (styrdokument): the register of the municipality's policies,
programmes, plans, guidelines and rules, who owns and decided them, how long they are
valid, when they are to be reviewed, and the goals they support.

A document is written as a draft and then decided (beslutat); a decided document is
frozen in everything the decision covers (see :mod:`steering.rules`): a change to it is
a new version (a revision, a new draft that replaces it once decided)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models import Goal
from ledmot.access import Cap, access_for
from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.models import OrgUnit, VersionedModel


class DocumentKind(models.TextChoices):
    POLICY = "policy", _("Policy")
    PROGRAM = "program", _("Program")
    PLAN = "plan", _("Plan")
    GUIDELINE = "riktlinje", _("Riktlinje")
    RULE = "regel", _("Regel")
    STRATEGY = "strategi", _("Strategi")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    DECIDED = "decided", _("Beslutad")
    REPLACED = "replaced", _("Ersatt")


class SteeringDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Decided (and replaced) documents are public decisions, read by every
        signed-in person; a draft only by those who read its owner's material."""
        access = access_for(user)
        return self.filter(~Q(status=DocumentStatus.DRAFT) | access.units_q(Cap.VIEW))

    def due_for_review(self, today, days: int):
        """Decided documents whose review date has passed or falls within ``days``."""
        import datetime

        return self.filter(
            status=DocumentStatus.DECIDED,
            review_on__isnull=False,
            review_on__lte=today + datetime.timedelta(days=days),
        )


def _upload_to(instance, filename: str) -> str:
    return f"styrdokument/{filename}"


class SteeringDocument(VersionedModel):
    title = models.CharField(_("titel"), max_length=300)
    kind = models.CharField(_("typ"), max_length=12, choices=DocumentKind.choices)
    owner = models.ForeignKey(
        OrgUnit,
        verbose_name=_("ägare"),
        on_delete=models.PROTECT,
        related_name="steering_documents",
        help_text=_("Den nämnd (eller kommunfullmäktige) som äger dokumentet."),
    )
    summary = models.TextField(_("sammanfattning"), blank=True, max_length=LONG_TEXT_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    decided_by = models.CharField(
        _("beslutat av"), max_length=120, blank=True, help_text=_("T.ex. Kommunfullmäktige.")
    )
    decision_reference = models.CharField(
        _("diarienummer"), max_length=60, blank=True, help_text=_("T.ex. KS 2024/112 § 45.")
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    review_on = models.DateField(
        _("revideras senast"),
        null=True,
        blank=True,
        help_text=_("Dagen dokumentet ska vara omprövat; ägaren påminns före den."),
    )
    file = models.FileField(_("fil"), upload_to=_upload_to, blank=True, max_length=300)
    link = models.URLField(_("länk"), blank=True, max_length=500)
    goals = models.ManyToManyField(
        Goal,
        verbose_name=_("mål som dokumentet stödjer"),
        related_name="steering_documents",
        blank=True,
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("ersätter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )

    objects = SteeringDocumentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[goals])

    class Meta:
        verbose_name = _("styrdokument")
        verbose_name_plural = _("styrdokument")
        ordering = ["title", "-decided_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="steeringdocument_valid_range",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        from steering import rules

        errors = {}
        if message := rules.owner_error(self.owner if self.owner_id else None):
            errors["owner"] = message
        if message := rules.link_error(self.link):
            errors["link"] = message
        if message := rules.dates_error(self):
            errors["valid_to"] = message
        if errors:
            raise ValidationError(errors)

    @property
    def is_decided(self) -> bool:
        return self.status != DocumentStatus.DRAFT

    def delete(self, *args, **kwargs):
        """The last line of defence: a decided document is never deleted, whatever
        deletes it (``steering.services.document_delete`` refuses the same earlier)."""
        from ledmot.services import LockedError
        from steering import rules

        if message := rules.delete_refusal(self):
            raise LockedError(message)
        return super().delete(*args, **kwargs)


class ReviewReminder(models.Model):
    """A mail sent to a document's owner before its review date: the record that stops
    sending it twice (one per document and review date)."""

    document = models.ForeignKey(
        SteeringDocument, on_delete=models.CASCADE, related_name="review_reminders"
    )
    review_on = models.DateField()
    sent_on = models.DateField()
    recipients = models.TextField(blank=True)

    class Meta:
        verbose_name = _("påminnelse om revidering")
        verbose_name_plural = _("påminnelser om revidering")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "review_on"], name="reviewreminder_once_per_review_date"
            )
        ]

    def __str__(self):
        return f"{self.document_id} {self.review_on} ({self.sent_on})"
