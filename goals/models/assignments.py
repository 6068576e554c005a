"""Assignments (uppdrag): a task the council gives a committee, or a committee one of
its units, by a decision with a due date; linked to a goal or standing alone. Its
status is reported in every follow-up round (``followup.models.AssignmentUpdate``)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models.goals import Goal
from ledmot.clock import StampField
from ledmot.lib.limits import DateRange
from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.models import OrgUnit, VersionedModel


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Ej påbörjat")
    ONGOING = "ongoing", _("Pågår")
    DONE = "done", _("Genomfört")
    WONT_DO = "wont_do", _("Kommer inte att genomföras")


OPEN_ASSIGNMENT_STATUSES = (AssignmentStatus.NOT_STARTED, AssignmentStatus.ONGOING)


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_ASSIGNMENT_STATUSES)

    def overdue(self, today: datetime.date | None = None):
        """Open assignments whose due date has passed."""
        return self.open().filter(due__lt=today or timezone.localdate())

    def in_year(self, year: int):
        """Assignments that are live in ``year``: given by its end, and not finished
        before it began (an open one stays until it is reported done)."""
        return self.filter(
            Q(decided_on__isnull=True) | Q(decided_on__year__lte=year),
        ).filter(Q(status__in=OPEN_ASSIGNMENT_STATUSES) | Q(due__year__gte=year))


class Assignment(VersionedModel):
    """Uppdrag: given by ``giver`` (the council or a committee) to ``owner``."""

    giver = models.ForeignKey(
        OrgUnit,
        verbose_name=_("uppdragsgivare"),
        on_delete=models.PROTECT,
        related_name="assignments_given",
    )
    owner = models.ForeignKey(
        OrgUnit,
        verbose_name=_("uppdragstagare"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("mål"),
        on_delete=models.PROTECT,
        related_name="assignments",
        null=True,
        blank=True,
        help_text=_("Lämna tomt för ett fristående uppdrag."),
    )
    title = models.CharField(_("uppdrag"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True, max_length=LONG_TEXT_LENGTH)
    decision_reference = models.CharField(
        _("diarienummer"), max_length=60, blank=True, help_text=_("T.ex. KF 2025/87 § 41")
    )
    decided_on = models.DateField(
        _("beslutsdatum"), null=True, blank=True, validators=[DateRange()]
    )
    due = models.DateField(_("ska vara klart"), validators=[DateRange()])
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.NOT_STARTED,
        help_text=_("Den senast rapporterade statusen."),
    )
    created_at = StampField(_("skapad"), auto_now_add=True)
    updated_at = StampField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["due", "pk"]
        indexes = [
            models.Index(fields=["owner", "due"]),
            # The open ones by due date (Röda tråden's section on every start page):
            # without it the database read every unit of the organisation to find them.
            models.Index(fields=["status", "due"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(due__gte=models.F("decided_on")),
                name="assignment_due_after_decision",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        from goals import rules

        errors = rules.assignment_errors(
            giver=self.giver if self.giver_id else None,
            owner=self.owner if self.owner_id else None,
            goal=self.goal if self.goal_id else None,
            decided_on=self.decided_on,
            due=self.due,
        )
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ASSIGNMENT_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.due and self.due < today and self.is_open)
