"""Periods, vision, the goal chain, activities and indicators."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ledmot.access import Cap, access_for
from ledmot.models import OrgKind, OrgUnit, VersionedModel

# --------------------------------------------------------------------------- periods


class MandatePeriodQuerySet(models.QuerySet):
    def current(self) -> MandatePeriod | None:
        """The period containing this year, else the latest one."""
        year = timezone.localdate().year
        return (
            self.filter(start_year__lte=year, end_year__gte=year).first()
            or self.order_by("-start_year").first()
        )


class MandatePeriod(models.Model):
    """Mandatperiod, e.g. 2023–2026: holds the council's goals and end targets."""

    start_year = models.PositiveSmallIntegerField(_("första år"), unique=True)
    end_year = models.PositiveSmallIntegerField(_("sista år"))

    history = HistoricalRecords()
    objects = MandatePeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandatperiod")
        verbose_name_plural = _("mandatperioder")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="mandateperiod_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.start_year}–{self.end_year}"

    def clean(self):
        if not (self.start_year and self.end_year):
            return
        if self.end_year < self.start_year:
            raise ValidationError({"end_year": _("Sista år kan inte vara före första år.")})
        overlapping = (
            MandatePeriod.objects.exclude(pk=self.pk)
            .filter(start_year__lte=self.end_year, end_year__gte=self.start_year)
            .first()
        )
        if overlapping:
            raise ValidationError(
                {
                    "start_year": _("Perioden överlappar mandatperioden %(other)s.")
                    % {"other": overlapping}
                }
            )

    def contains(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class BudgetYear(models.Model):
    """Budgetår inom en mandatperiod, "budget 2025 med plan 2026–2027"."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    mandate_period = models.ForeignKey(
        MandatePeriod,
        verbose_name=_("mandatperiod"),
        on_delete=models.PROTECT,
        related_name="years",
    )
    plan_years = models.PositiveSmallIntegerField(
        _("antal planår"), default=2, validators=[MaxValueValidator(5)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetår")
        verbose_name_plural = _("budgetår")
        ordering = ["year"]

    def __str__(self):
        if self.plan_years:
            return _("Budget %(year)s med plan %(first)s–%(last)s") % {
                "year": self.year,
                "first": self.year + 1,
                "last": self.year + self.plan_years,
            }
        return _("Budget %(year)s") % {"year": self.year}

    def clean(self):
        if self.mandate_period_id and self.year and not self.mandate_period.contains(self.year):
            raise ValidationError(
                {
                    "year": _("Året måste ligga inom mandatperioden %(p)s.")
                    % {"p": self.mandate_period}
                }
            )


# --------------------------------------------------------------------------- vision


class Vision(models.Model):
    mandate_period = models.OneToOneField(
        MandatePeriod, verbose_name=_("mandatperiod"), on_delete=models.PROTECT
    )
    text = models.TextField(_("vision"))
    decision_reference = models.CharField(_("beslut (diarienummer, §)"), max_length=100, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visioner")

    def __str__(self):
        return self.text[:80]


class Perspective(models.Model):
    """Styrperspektiv: medborgare, verksamhet, medarbetare, ekonomi (configurable)."""

    name = models.CharField(_("namn"), max_length=80, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("aktivt"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("perspektiv")
        verbose_name_plural = _("perspektiv")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


# --------------------------------------------------------------------------- goals


class GoalLevel(models.TextChoices):
    COUNCIL = "kf", _("Kommunfullmäktiges mål")
    COMMITTEE = "namnd", _("Nämndmål")
    UNIT = "enhet", _("Enhetsmål")


LEVEL_DEPTH = {GoalLevel.COUNCIL: 0, GoalLevel.COMMITTEE: 1, GoalLevel.UNIT: 2}
PARENT_LEVEL = {GoalLevel.COMMITTEE: GoalLevel.COUNCIL, GoalLevel.UNIT: GoalLevel.COMMITTEE}
CHILD_LEVEL = {GoalLevel.COUNCIL: GoalLevel.COMMITTEE, GoalLevel.COMMITTEE: GoalLevel.UNIT}
OWNER_KINDS = {
    GoalLevel.COUNCIL: {OrgKind.COUNCIL},
    GoalLevel.COMMITTEE: {OrgKind.COMMITTEE, OrgKind.COMPANY},
    GoalLevel.UNIT: {OrgKind.ADMINISTRATION, OrgKind.DEPARTMENT, OrgKind.UNIT},
}


class GoalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Förslag")
    ADOPTED = "adopted", _("Antaget")
    REVISED = "revised", _("Reviderat")
    ENDED = "ended", _("Avslutat")


# Adopted goals (and those later revised or ended) are public documents.
PUBLIC_STATUSES = (GoalStatus.ADOPTED, GoalStatus.REVISED, GoalStatus.ENDED)
LIVE_STATUSES = (GoalStatus.PROPOSED, GoalStatus.ADOPTED, GoalStatus.REVISED)

SMART_FIELDS = (
    "smart_specific",
    "smart_measurable",
    "smart_accepted",
    "smart_realistic",
    "smart_timebound",
)


def visible_goal_q(user, prefix: str = "") -> Q:
    """Goals ``user`` may read: public ones, plus anything their roles cover."""
    access = access_for(user)
    if access.is_superuser:
        return Q()
    public = Q(**{f"{prefix}status__in": PUBLIC_STATUSES})
    if not access.grants:
        return public
    return public | access.units_q(Cap.VIEW, field=f"{prefix}owner")


class GoalQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visible_goal_q(user))

    def in_period(self, period):
        return self.filter(mandate_period=period)

    def live(self):
        return self.exclude(status=GoalStatus.ENDED)

    def with_chain_state(self):
        """Annotate ``chain_broken``: a parent missing or ended anywhere up the chain."""
        dead = Q(parent__isnull=True) | Q(parent__status=GoalStatus.ENDED)
        dead_above = Q(parent__parent__isnull=True) | Q(parent__parent__status=GoalStatus.ENDED)
        return self.annotate(
            chain_broken=Case(
                When(level=GoalLevel.COUNCIL, then=Value(False)),
                When(dead, then=Value(True)),
                When(Q(level=GoalLevel.UNIT) & dead_above, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def with_counts(self, user):
        """Annotate the counts a chain row shows, in the same query.

        Children are counted as ``user`` sees them, so a hidden proposal is not
        revealed by a number.
        """
        children = (
            Goal.objects.filter(parent=OuterRef("pk"))
            .filter(visible_goal_q(user))
            .order_by()
            .values("parent")
            .annotate(n=Count("pk"))
            .values("n")
        )
        activities = (
            Activity.objects.filter(goal=OuterRef("pk"))
            .order_by()
            .values("goal")
            .annotate(n=Count("pk"))
            .values("n")
        )
        indicators = (
            Indicator.goals.through.objects.filter(goal=OuterRef("pk"))
            .order_by()
            .values("goal")
            .annotate(n=Count("pk"))
            .values("n")
        )
        zero = Value(0)
        return self.annotate(
            child_count=Coalesce(Subquery(children), zero),
            activity_count=Coalesce(Subquery(activities), zero),
            indicator_count=Coalesce(Subquery(indicators), zero),
        )

    def with_proposal(self):
        """Annotate the counts behind the proposed fulfilment (see goals.fulfilment)."""
        from goals.fulfilment import annotate_proposal

        return annotate_proposal(self)

    def for_chain(self, user):
        """Everything a row of Röda tråden shows, in one query."""
        from goals.extensions import CHAIN_ANNOTATIONS

        qs = (
            self.visible_to(user)
            .select_related("owner", "perspective")
            .with_counts(user)
            .with_chain_state()
            .with_proposal()
            .order_by("perspective__order", "order", "pk")
        )
        for annotate in CHAIN_ANNOTATIONS:
            qs = annotate(qs)
        return qs


class Goal(VersionedModel):
    """A link of the goal chain: council goal → committee goal → unit goal."""

    level = models.CharField(_("nivå"), max_length=10, choices=GoalLevel.choices)
    mandate_period = models.ForeignKey(
        MandatePeriod,
        verbose_name=_("mandatperiod"),
        on_delete=models.PROTECT,
        related_name="goals",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("överordnat mål"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    owner = models.ForeignKey(
        OrgUnit, verbose_name=_("ägare"), on_delete=models.PROTECT, related_name="goals"
    )
    title = models.CharField(_("mål"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    perspective = models.ForeignKey(
        Perspective, verbose_name=_("perspektiv"), on_delete=models.PROTECT, related_name="goals"
    )
    shared = models.BooleanField(
        _("kommungemensamt"),
        default=False,
        help_text=_("Ett kommunfullmäktigemål som alla nämnder ska bryta ned."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.PROPOSED
    )
    decision_reference = models.CharField(
        _("diarienummer"), max_length=60, blank=True, help_text=_("T.ex. KS 2022/412")
    )
    decision_paragraph = models.CharField(
        _("paragraf"), max_length=30, blank=True, help_text=_("T.ex. § 112")
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    responsible = models.CharField(
        _("ansvarig"),
        max_length=200,
        blank=True,
        help_text=_("Namngiven ansvarig person eller funktion."),
    )
    smart_specific = models.BooleanField(_("Specifikt"), default=False)
    smart_measurable = models.BooleanField(_("Mätbart"), default=False)
    smart_accepted = models.BooleanField(_("Accepterat"), default=False)
    smart_realistic = models.BooleanField(_("Realistiskt"), default=False)
    smart_timebound = models.BooleanField(_("Tidsatt"), default=False)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])
    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["order", "pk"]
        indexes = [
            models.Index(fields=["mandate_period", "level", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level=GoalLevel.COUNCIL) | Q(parent__isnull=True),
                name="goal_council_has_no_parent",
            ),
        ]

    def __str__(self):
        return self.title

    # -- chain rules -------------------------------------------------------------

    def clean(self):
        errors: dict[str, list] = {}

        def err(field, msg):
            errors.setdefault(field, []).append(msg)

        owner = self.owner if self.owner_id else None
        if owner and self.level and owner.kind not in OWNER_KINDS[self.level]:
            allowed = ", ".join(str(OrgKind(k).label) for k in sorted(OWNER_KINDS[self.level]))
            err(
                "owner",
                _("Ett %(level)s ska ägas av: %(kinds)s.")
                % {"level": self.get_level_display().lower(), "kinds": allowed.lower()},
            )
        if self.level == GoalLevel.COUNCIL:
            if self.parent_id:
                err("parent", _("Kommunfullmäktiges mål har inget överordnat mål."))
        elif self.level:
            parent = self.parent if self.parent_id else None
            if parent is None:
                err("parent", _("Välj det överordnade mål som målet bryter ned."))
            else:
                if parent.level != PARENT_LEVEL[self.level]:
                    err(
                        "parent",
                        _("Det överordnade målet ska vara ett %(level)s.")
                        % {"level": GoalLevel(PARENT_LEVEL[self.level]).label.lower()},
                    )
                if self.mandate_period_id and parent.mandate_period_id != self.mandate_period_id:
                    err("parent", _("Det överordnade målet hör till en annan mandatperiod."))
                if parent.status == GoalStatus.ENDED and (
                    self._state.adding or self.status != GoalStatus.ENDED
                ):
                    err("parent", _("Det överordnade målet är avslutat."))
                if (
                    self.level == GoalLevel.UNIT
                    and owner
                    and parent.owner_id
                    and not owner.is_within(parent.owner)
                ):
                    err(
                        "owner",
                        _(
                            "Enheten måste ligga under %(committee)s, "
                            "som äger det överordnade målet."
                        )
                        % {"committee": parent.owner},
                    )
        if errors:
            raise ValidationError(errors)

    # -- reading ---------------------------------------------------------------

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def child_level(self) -> str | None:
        return CHILD_LEVEL.get(self.level)

    def smart_checklist(self) -> list[tuple[str, bool]]:
        return [(self._meta.get_field(f).verbose_name, getattr(self, f)) for f in SMART_FIELDS] + [
            (_("Namngiven ansvarig"), bool(self.responsible))
        ]

    @property
    def smart_complete(self) -> bool:
        return all(ok for _label, ok in self.smart_checklist())

    def ancestors(self) -> list[Goal]:
        """Parents up to the council goal, nearest first (at most two steps)."""
        chain, node = [], self.parent
        while node is not None and len(chain) < 3:
            chain.append(node)
            node = node.parent
        return chain

    def chain_problems(self) -> list[str]:
        """Why the chain above this goal is broken (empty when it is whole)."""
        if self.level == GoalLevel.COUNCIL:
            return []
        problems = []
        node, level = self, self.level
        while level != GoalLevel.COUNCIL:
            parent = node.parent
            if parent is None:
                problems.append(_("Saknar överordnat mål: kedjan till visionen är bruten."))
                break
            if parent.status == GoalStatus.ENDED:
                problems.append(
                    _("Det överordnade målet ”%(title)s” är avslutat.") % {"title": parent.title}
                )
            node, level = parent, parent.level
        return problems

    @property
    def proposal(self) -> str:
        """The proposed fulfilment; needs ``with_proposal()`` on the queryset."""
        from goals.fulfilment import combine_counts

        return combine_counts(self.assessed_count, self.met_count, self.partly_count)

    @property
    def decision_display(self) -> str:
        parts = [p for p in (self.decision_reference, self.decision_paragraph) if p]
        return ", ".join(parts)


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

    def open(self):
        return self.filter(status__in=OPEN_ACTIVITY_STATUSES)

    def due_by(self, day: datetime.date):
        """Open activities whose end date has passed or falls on or before ``day``."""
        return self.open().filter(end__isnull=False, end__lte=day)


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
    description = models.TextField(_("beskrivning"), blank=True)
    responsible = models.CharField(_("ansvarig"), max_length=200, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("slut"), null=True, blank=True)
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
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["order", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="activity_progress_max_100"
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="activity_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("Slutdatum kan inte vara före startdatum.")
        if self.goal_id and self.owner_id and not self.owner.is_within(self.goal.owner):
            errors["owner"] = _("Utförande enhet måste vara %(unit)s eller en enhet under den.") % {
                "unit": self.goal.owner
            }
        if self.status == ActivityStatus.DONE and self.progress != 100:
            errors["progress"] = _("En klar aktivitet har framdriften 100 %.")
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.end and self.end < today and self.status in OPEN_ACTIVITY_STATUSES)


# --------------------------------------------------------------------------- indicators


class Direction(models.TextChoices):
    HIGHER = "higher", _("Högre är bättre")
    LOWER = "lower", _("Lägre är bättre")
    TARGET = "target", _("Så nära målvärdet som möjligt")


class Frequency(models.TextChoices):
    YEAR = "year", _("År")
    TERTIAL = "tertial", _("Tertial")
    MONTH = "month", _("Månad")


class IndicatorKind(models.TextChoices):
    RESOURCE = "resurs", _("Resurs")
    PERFORMANCE = "prestation", _("Prestation")
    RESULT = "resultat", _("Resultat")


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("Manuell inmatning")
    IMPORT = "import", _("Import")
    KOLADA = "kolada", _("Kolada")


class Indicator(VersionedModel):
    """Indikator / nyckeltal that measures one or more goals."""

    name = models.CharField(_("namn"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    unit = models.CharField(
        _("måttenhet"), max_length=40, blank=True, help_text=_("T.ex. %, kr, antal")
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimaler"), default=0, validators=[MaxValueValidator(4)]
    )
    direction = models.CharField(
        _("riktning"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    frequency = models.CharField(
        _("frekvens"), max_length=10, choices=Frequency.choices, default=Frequency.YEAR
    )
    kind = models.CharField(
        _("typ"), max_length=12, choices=IndicatorKind.choices, default=IndicatorKind.RESULT
    )
    source = models.CharField(
        _("källa"), max_length=10, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    kolada_id = models.CharField(_("Kolada-id"), max_length=20, blank=True)
    gender_breakdown = models.BooleanField(_("uppdelat på kön"), default=False)
    baseline_value = models.DecimalField(
        _("utgångsvärde"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("utgångsår"), null=True, blank=True, validators=[MinValueValidator(1990)]
    )
    responsible_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("ansvarig organisation"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    goals = models.ManyToManyField(
        Goal, verbose_name=_("mål"), related_name="indicators", blank=True
    )

    history = HistoricalRecords(m2m_fields=[goals])

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["name"]

    def __str__(self):
        return self.name


# --------------------------------------------------------------------------- results


class Gender(models.TextChoices):
    TOTAL = "T", _("Totalt")
    WOMEN = "K", _("Kvinnor")
    MEN = "M", _("Män")


class Target(models.Model):
    """Målvärde: the value an indicator should reach in a year.

    The target of the mandate period's last year is the end target; the years
    before it are the yearly progression (årsvis progressionstakt).
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(1990)])
    value = models.DecimalField(_("målvärde"), max_digits=18, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("målvärde")
        verbose_name_plural = _("målvärden")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_one_per_year")
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.value}"


class MeasurementQuerySet(models.QuerySet):
    def totals(self):
        return self.filter(gender=Gender.TOTAL)

    def with_value(self):
        return self.filter(value__isnull=False)


class Measurement(models.Model):
    """Utfall: an indicator's actual value for a period (year, tertial or month) and gender.

    ``period`` is ``2024``, ``2024-T1`` or ``2024-03`` (see :mod:`goals.periods`);
    ``year`` and ``sort_key`` are derived from it so queries can order and filter.
    """

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    period = models.CharField(_("period"), max_length=7)
    year = models.PositiveSmallIntegerField(_("år"), editable=False)
    sort_key = models.PositiveIntegerField(editable=False)
    gender = models.CharField(_("kön"), max_length=1, choices=Gender.choices, default=Gender.TOTAL)
    value = models.DecimalField(_("värde"), max_digits=18, decimal_places=4, null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    source = models.CharField(
        _("källa"), max_length=10, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    fetched_at = models.DateTimeField(_("hämtat"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inmatat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("inmatat"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["entered_at", "sort_key"])
    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        ordering = ["indicator", "sort_key", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "gender"], name="measurement_one_per_period"
            )
        ]
        indexes = [models.Index(fields=["indicator", "gender", "-sort_key"])]

    def __str__(self):
        return f"{self.indicator} {self.period} {self.gender}: {self.value}"

    def save(self, *args, **kwargs):
        from goals.periods import ReportingPeriod

        parsed = ReportingPeriod.parse(self.period)
        self.year, self.sort_key = parsed.year, parsed.sort_key
        super().save(*args, **kwargs)


class IndicatorLatest(models.Model):
    """The latest total value of an indicator and that year's target.

    Derived, not edited by anyone (so no history): kept in step by
    ``goals.services.indicator_refresh_latest`` whenever values or targets
    change, so that the chain pages can propose a goal's fulfilment for
    hundreds of goals inside the same single query.
    """

    indicator = models.OneToOneField(
        Indicator, primary_key=True, on_delete=models.CASCADE, related_name="latest"
    )
    period = models.CharField(max_length=7, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True)
    target = models.DecimalField(max_digits=18, decimal_places=4, null=True)

    def __str__(self):
        return f"{self.indicator_id}: {self.value} / {self.target} ({self.period})"


class KoladaValue(models.Model):
    """A value fetched from Kolada, for any municipality (comparison) including our own."""

    kpi = models.CharField(_("Kolada-id"), max_length=20)
    municipality = models.CharField(_("kommunkod"), max_length=4)
    year = models.PositiveSmallIntegerField(_("år"))
    gender = models.CharField(_("kön"), max_length=1, choices=Gender.choices, default=Gender.TOTAL)
    value = models.DecimalField(_("värde"), max_digits=18, decimal_places=4, null=True)
    fetched_at = models.DateTimeField(_("hämtat"))

    class Meta:
        verbose_name = _("Kolada-värde")
        verbose_name_plural = _("Kolada-värden")
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "municipality", "year", "gender"], name="koladavalue_unique"
            )
        ]
        indexes = [models.Index(fields=["kpi", "year"])]

    def __str__(self):
        return f"{self.kpi} {self.municipality} {self.year} {self.gender}: {self.value}"


# The Excel import's upload record lives with the workbook format.
from goals.workbook.models import ImportPhase, WorkbookImport  # noqa: E402, F401
