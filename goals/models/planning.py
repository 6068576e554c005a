"""Planning the next year or mandate period (planering / rullning): one plan per year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ledmot.clock import StampField
from ledmot.lib.limits import DateRange, YearRange
from ledmot.lib.text import CleanInputModel
from ledmot.models import BackgroundJob


class PlanChoice(models.TextChoices):
    CONTINUE = "continue", _("Fortsätter")
    REVISE = "revise", _("Revideras")
    END = "end", _("Avslutas")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    CREATED = "created", _("Skapad som utkast")
    ADOPTED = "adopted", _("Antagen")


class YearPlan(CleanInputModel, models.Model):
    """The plan of ``year`` built from the year before: the controller's choices per
    goal (``choices``: goal id → :class:`PlanChoice`, only where it differs from the
    default), per committee goal across a mandate boundary its new council goal
    (``parents``), per open assignment whether it is carried on (``assignment_choices``:
    only "end" is stored), then the drafts created from them (``goals.services.year_plan_create``),
    then adopted by decision (``year_plan_adopt``). One per year, so planning twice
    finds the same plan."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True, validators=[YearRange()])
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    choices = models.JSONField(_("val per mål"), default=dict, blank=True)
    parents = models.JSONField(
        _("nytt överordnat mål per nämndmål"),
        default=dict,
        blank=True,
        help_text=_(
            "Över en mandatgräns: nämndmålets id → fullmäktigemålet i den nya perioden som "
            "det ska höra till (utan val: efterträdaren till dess gamla överordnade mål)."
        ),
    )
    assignment_choices = models.JSONField(_("val per uppdrag"), default=dict, blank=True)
    decision_reference = models.CharField(_("diarienummer"), max_length=60, blank=True)
    decision_paragraph = models.CharField(_("paragraf"), max_length=30, blank=True)
    decided_on = models.DateField(
        _("beslutsdatum"), null=True, blank=True, validators=[DateRange()]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = StampField(_("skapad"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("plan för nästa år")
        verbose_name_plural = _("planer för nästa år")
        ordering = ["-year"]

    def __str__(self):
        return _("Plan %(year)s") % {"year": self.year}


class YearPlanJob(BackgroundJob):
    """Creating the plan of ``year`` as drafts (``goals.services.year_plan_create``) in
    the background, with progress: at the size of a large municipality it takes longer
    than a request should. ``counts``: what it created (goals, targets, activities,
    links). A record of the work, not edited, so no history of its own."""

    year = models.PositiveSmallIntegerField(_("år"), validators=[YearRange()])
    counts = models.JSONField(_("skapat"), default=dict, blank=True)

    class Meta:
        verbose_name = _("skapande av plan")
        verbose_name_plural = _("skapanden av planer")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("Plan %(year)s skapas") % {"year": self.year}
