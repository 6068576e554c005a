"""Activities: what a unit does to reach a goal."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models.external import external_id_field, external_id_unique
from goals.models.goals import Goal, visible_goal_q
from ledmot.clock import StampField
from ledmot.lib.limits import DateRange
from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.models import OrgUnit, VersionedModel

# --------------------------------------------------------------------------- activities


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Ej påbörjad")
    IN_PROGRESS = "in_progress", _("Pågår")
    DONE = "done", _("Klar")
    DELAYED = "delayed", _("Försenad")
    CANCELLED = "cancelled", _("Avbruten")


OPEN_ACTIVITY_STATUSES = (
    ActivityStatus.NOT_STARTED,
    ActivityStatus.IN_PROGRESS,
    ActivityStatus.DELAYED,
)


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visible_goal_q(user, prefix="goal__"))


class Activity(VersionedModel):
    """Aktivitet/åtgärd: what a unit does to reach a goal."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.PROTECT, related_name="activities"
    )
    owner = models.ForeignKey(
        OrgUnit,
        verbose_name=_("utförande enhet"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField(_("aktivitet"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True, max_length=LONG_TEXT_LENGTH)
    responsible = models.CharField(_("ansvarig"), max_length=200, blank=True)
    start = models.DateField(_("start"), null=True, blank=True, validators=[DateRange()])
    end = models.DateField(_("slut"), null=True, blank=True, validators=[DateRange()])
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActivityStatus.choices,
        default=ActivityStatus.NOT_STARTED,
    )
    progress = models.PositiveSmallIntegerField(
        _("framdrift (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    # What it costs (kronor, the year's net cost): e.g. an adopted satsning's cost
    # carried over from its fact sheet (priorities.services.item_create_activities).
    cost = models.BigIntegerField(_("kostnad (kr)"), null=True, blank=True)
    # The activity this one continues from the year before (goals.planning).
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("föregångare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )
    external_id = external_id_field()
    created_at = StampField(_("skapad"), auto_now_add=True)
    updated_at = StampField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["order", "start", "pk"]
        # The activity list's order (owner path, end, pk): per unit in path order, its
        # activities by end date, so the first page is read without sorting them all.
        indexes = [models.Index(fields=["owner", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="activity_progress_max_100"
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="activity_end_after_start",
            ),
            external_id_unique("activity_external_id_unique"),
            models.UniqueConstraint(fields=["predecessor"], name="activity_one_successor"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        from goals import rules

        errors = rules.activity_errors(
            start=self.start,
            end=self.end,
            owner=self.owner if self.owner_id else None,
            goal_owner=self.goal.owner if self.goal_id else None,
            status=self.status,
            progress=self.progress,
        )
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.end and self.end < today and self.status in OPEN_ACTIVITY_STATUSES)
