"""Priority setting (prioriteringsarbete) after Prioriteringscentrum's model for
municipalities, as Motala kommun runs it: a round for a budget year with a resource
frame, one worksheet per committee holding its priority items (prioriteringsobjekt)
with their structured fact sheets (faktaunderlag), and the political decisions.

An item's life: draft (the committee writes) → submitted with the committee's
worksheet → a decision: beslutad or avslagen are final and lock the item for good;
bordlagd leaves it waiting for a later meeting; återremitterad sends it back to the
committee as a draft, to be completed and submitted again. The round is decided
(and everything in it locked) once every submitted item has a final decision.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models import Activity, Goal, Indicator
from ledmot.clock import StampField
from ledmot.lib.limits import FIRST_PLAN_YEAR, DateRange, KronorRange, YearRange
from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.models import OrgKind, OrgUnit, VersionedModel
from ledmot.services import LockedError
from priorities.ranking import REDUCING, suggested_rank

# The fact sheet holds the budget year and at most this many plan years.
MAX_PLAN_YEARS = 3

# --------------------------------------------------------------------------- rounds


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Öppen för förslag")
    REVIEW = "review", _("Under beredning")
    DECIDED = "decided", _("Beslutad")


class PriorityRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rounds whose scope holds any unit the user has a role on, or lies below one."""
        from ledmot.access import access_for

        access = access_for(user)
        if access.is_superuser:
            return self
        q = Q(pk__in=[])
        for grant in access.grants:
            # The role covers the scope (from above) or sits inside it (a committee).
            q |= Q(scope__path__startswith=grant.path)
            scope_paths = [grant.path[: i + 1] for i, c in enumerate(grant.path) if c == "/"]
            q |= Q(scope__path__in=scope_paths)
        return self.filter(q)


class PriorityRound(VersionedModel):
    """Prioriteringsomgång: a budget year, a scope and a resource frame."""

    title = models.CharField(
        _("namn"),
        max_length=200,
        help_text=_("T.ex. Prioriteringar inför budget 2027."),
    )
    year = models.PositiveSmallIntegerField(_("budgetår"), validators=[YearRange(FIRST_PLAN_YEAR)])
    plan_years = models.PositiveSmallIntegerField(
        _("antal planår"),
        default=2,
        validators=[MaxValueValidator(MAX_PLAN_YEARS)],
        help_text=_("Planåren efter budgetåret som faktabladen visar kostnader för (0–3)."),
    )
    scope = models.ForeignKey(
        OrgUnit,
        verbose_name=_("omfattning"),
        on_delete=models.PROTECT,
        related_name="priority_rounds",
        help_text=_("Hela kommunen (kommunfullmäktige) eller en nämnd."),
    )
    resource_frame = models.BigIntegerField(
        _("resursram (kr)"),
        validators=[KronorRange()],
        help_text=_(
            "Det utrymme förslagen ska rymmas inom under budgetåret. Ett negativt belopp "
            "är ett besparingskrav."
        ),
    )
    deadline = models.DateField(
        _("sista dag för arbetsblad"), null=True, blank=True, validators=[DateRange()]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    description = models.TextField(_("beskrivning"), blank=True, max_length=LONG_TEXT_LENGTH)
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    created_at = StampField(_("skapad"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = PriorityRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("prioriteringsomgång")
        verbose_name_plural = _("prioriteringsomgångar")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan_years__lte=MAX_PLAN_YEARS), name="priorityround_plan_years_max"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.scope_id and self.scope.kind not in (OrgKind.COUNCIL, OrgKind.COMMITTEE):
            raise ValidationError(
                {"scope": _("Välj hela kommunen (kommunfullmäktige) eller en nämnd.")}
            )

    @property
    def is_decided(self) -> bool:
        return self.status == RoundStatus.DECIDED

    @property
    def years(self) -> list[int]:
        """The budget year and its plan years."""
        return [self.year + i for i in range(self.plan_years + 1)]

    @property
    def period_display(self) -> str:
        if self.plan_years:
            return _("Budget %(year)s med plan %(first)s–%(last)s") % {
                "year": self.year,
                "first": self.year + 1,
                "last": self.year + self.plan_years,
            }
        return _("Budget %(year)s") % {"year": self.year}


# --------------------------------------------------------------------------- worksheets


class WorksheetStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inlämnat")


class Worksheet(VersionedModel):
    """A committee's worksheet (arbetsblad) in a round: its items, submitted together."""

    round = models.ForeignKey(
        PriorityRound,
        verbose_name=_("prioriteringsomgång"),
        on_delete=models.CASCADE,
        related_name="worksheets",
    )
    committee = models.ForeignKey(
        OrgUnit, verbose_name=_("nämnd"), on_delete=models.PROTECT, related_name="worksheets"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=WorksheetStatus.choices, default=WorksheetStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("inlämnat"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("arbetsblad")
        verbose_name_plural = _("arbetsblad")
        ordering = ["round", "committee__order", "committee__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "committee"], name="worksheet_one_per_committee"
            )
        ]

    def __str__(self):
        return f"{self.committee} – {self.round}"


# --------------------------------------------------------------------------- items


class ItemKind(models.TextChoices):
    EXPANSION = "satsning", _("Satsning/utökning")
    RATIONING = "ransonering", _("Ransonering")
    EFFICIENCY = "effektivisering", _("Effektivisering")
    REDUCTION = "neddragning", _("Neddragning")
    NOT_DOING = "icke_gora", _("Icke-göra")


# Proposals that reduce or stop something the municipality does today: their fact
# sheet describes the service that is reduced. Defined with the rank rule it changes
# (priorities.ranking.REDUCING).
REDUCING_KINDS = tuple(ItemKind(kind) for kind in REDUCING)


class Severity(models.IntegerChoices):
    """Svårighetsgrad: how severe the need is."""

    SMALL = 1, _("Liten")
    MODERATE = 2, _("Måttlig")
    LARGE = 3, _("Stor")
    VERY_LARGE = 4, _("Mycket stor")


class Effect(models.IntegerChoices):
    """Förväntad effekt/nytta."""

    VERY_SMALL = 1, _("Mycket liten")
    SMALL = 2, _("Liten")
    MODERATE = 3, _("Måttlig")
    LARGE = 4, _("Stor")
    VERY_LARGE = 5, _("Mycket stor")


class CostEffect(models.IntegerChoices):
    """Kostnad i förhållande till effekt (low is good)."""

    LOW = 1, _("Låg")
    MODERATE = 2, _("Måttlig")
    HIGH = 3, _("Hög")
    VERY_HIGH = 4, _("Mycket hög")


class Evidence(models.IntegerChoices):
    """Kunskapsläge: how well the effect is known."""

    INSUFFICIENT = 1, _("Otillräckligt")
    LIMITED = 2, _("Begränsat")
    MODERATE = 3, _("Måttligt")
    STRONG = 4, _("Starkt")


class CostType(models.TextChoices):
    RECURRING = "varaktig", _("Varaktig (återkommande)")
    ONE_OFF = "engang", _("Engångs")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inlämnad")


class Decision(models.TextChoices):
    ADOPTED = "beslutad", _("Beslutad")
    REJECTED = "avslagen", _("Avslagen")
    TABLED = "bordlagd", _("Bordlagd")
    REFERRED_BACK = "aterremitterad", _("Återremitterad")


FINAL_DECISIONS = (Decision.ADOPTED, Decision.REJECTED)

# Shown beside every decision's word, so that it is never told by colour alone.
DECISION_SYMBOLS = {
    "": "○",
    Decision.ADOPTED: "✓",
    Decision.REJECTED: "✗",
    Decision.TABLED: "‖",
    Decision.REFERRED_BACK: "↩",
}


class PriorityItemQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=ItemStatus.SUBMITTED)

    def in_round(self, rnd: PriorityRound):
        return self.filter(worksheet__round=rnd)

    def counted_against_frame(self):
        """The proposals that count against the resource frame (the rule is
        :func:`priorities.rules.counts_against_frame`): submitted and not rejected."""
        return self.filter(status=ItemStatus.SUBMITTED).exclude(decision=Decision.REJECTED)

    def with_effective_rank(self):
        """``effective_rank``: the committee's own rank, else the suggested one."""
        return self.annotate(effective_rank=Coalesce("rank", "suggested_rank"))

    def ranked(self):
        """In priority order: rank, then the suggested rank, then committee and entry order."""
        return self.with_effective_rank().order_by(
            F("effective_rank").asc(nulls_last=True),
            F("suggested_rank").asc(nulls_last=True),
            "worksheet__committee__order",
            "worksheet__committee__name",
            "order",
            "pk",
        )


class PriorityItem(VersionedModel):
    """Prioriteringsobjekt with its fact sheet (faktaunderlag)."""

    worksheet = models.ForeignKey(
        Worksheet, verbose_name=_("arbetsblad"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("typ av förslag"), max_length=20, choices=ItemKind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(
        _("beskrivning av förslaget"), blank=True, max_length=LONG_TEXT_LENGTH
    )
    target_group = models.TextField(_("målgrupp"), blank=True, max_length=LONG_TEXT_LENGTH)
    situation = models.TextField(
        _("nuläge och behov"),
        blank=True,
        max_length=LONG_TEXT_LENGTH,
        help_text=_("Vad ser det ut som i dag, och vilket behov finns? Hänvisa gärna till utfall."),
    )

    severity = models.PositiveSmallIntegerField(
        _("svårighetsgrad"), choices=Severity.choices, null=True, blank=True
    )
    effect = models.PositiveSmallIntegerField(
        _("förväntad effekt/nytta"), choices=Effect.choices, null=True, blank=True
    )
    cost_effect = models.PositiveSmallIntegerField(
        _("kostnad i förhållande till effekt"), choices=CostEffect.choices, null=True, blank=True
    )
    evidence = models.PositiveSmallIntegerField(
        _("kunskapsläge"), choices=Evidence.choices, null=True, blank=True
    )
    effect_individual = models.BooleanField(_("effekt för individen"), default=False)
    effect_society = models.BooleanField(_("effekt för samhället"), default=False)
    effect_organisation = models.BooleanField(_("effekt för organisationen"), default=False)

    goals = models.ManyToManyField(
        Goal, verbose_name=_("mål som förslaget bidrar till"), related_name="priority_items"
    )

    cost_budget = models.BigIntegerField(_("kostnad budgetåret (kr)"), null=True, blank=True)
    cost_plan1 = models.BigIntegerField(_("kostnad planår 1 (kr)"), null=True, blank=True)
    cost_plan2 = models.BigIntegerField(_("kostnad planår 2 (kr)"), null=True, blank=True)
    cost_plan3 = models.BigIntegerField(_("kostnad planår 3 (kr)"), null=True, blank=True)
    cost_type = models.CharField(
        _("kostnadens art"), max_length=10, choices=CostType.choices, default=CostType.RECURRING
    )
    staff = models.DecimalField(
        _("årsarbetare"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Förändring i antal årsarbetare; minskning som negativt tal."),
    )

    consequences_citizens = models.TextField(
        _("konsekvenser för invånare/brukare"), blank=True, max_length=LONG_TEXT_LENGTH
    )
    consequences_staff = models.TextField(
        _("konsekvenser för medarbetare"), blank=True, max_length=LONG_TEXT_LENGTH
    )
    consequences_equality = models.TextField(
        _("konsekvenser för jämställdheten"), blank=True, max_length=LONG_TEXT_LENGTH
    )
    consequences_children = models.TextField(
        _("barnkonsekvensanalys"),
        blank=True,
        max_length=LONG_TEXT_LENGTH,
        help_text=_("Hur påverkas barn och unga? Barnets bästa ska beaktas (barnkonventionen)."),
    )
    risks = models.TextField(_("risker"), blank=True, max_length=LONG_TEXT_LENGTH)

    rank = models.PositiveSmallIntegerField(
        _("nämndens rang"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 = högsta prioritet, 10 = lägsta. Tomt = den föreslagna rangen."),
    )
    suggested_rank = models.PositiveSmallIntegerField(
        _("föreslagen rang"), null=True, blank=True, editable=False
    )
    rank_reason = models.TextField(
        _("motivering av rangen"),
        blank=True,
        max_length=LONG_TEXT_LENGTH,
        help_text=_("Krävs när nämndens rang skiljer sig från den föreslagna."),
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    decision = models.CharField(_("beslut"), max_length=15, choices=Decision.choices, blank=True)
    decided_on = models.DateField(
        _("beslutsdatum"), null=True, blank=True, validators=[DateRange()]
    )
    decision_paragraph = models.CharField(_("paragraf"), max_length=30, blank=True)
    decision_reference = models.CharField(_("diarienummer"), max_length=60, blank=True)
    decision_note = models.TextField(
        _("kommentar till beslutet"), blank=True, max_length=LONG_TEXT_LENGTH
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslut registrerat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Activities created from an adopted item (see services.item_create_activities).
    activities = models.ManyToManyField(
        Activity, verbose_name=_("aktiviteter"), blank=True, related_name="priority_items"
    )
    created_at = StampField(_("skapad"), auto_now_add=True)
    updated_at = StampField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["created_at", "updated_at", "suggested_rank"], m2m_fields=[goals]
    )
    objects = PriorityItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("prioriteringsobjekt")
        verbose_name_plural = _("prioriteringsobjekt")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1, rank__lte=10),
                name="priorityitem_rank_1_10",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_on__isnull=False),
                name="priorityitem_decision_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    # -- the lock ---------------------------------------------------------------
    # The services refuse every change to a decided item (see priorities.rules and
    # services._require_item_editable); this stops a shell or a stray save at the model.

    def save(self, *args, **kwargs):
        from priorities.rules import decision_lock_reason

        if self.pk is not None:
            stored = (
                PriorityItem.objects.select_related("worksheet__round")
                .only("decision", "decided_on", "decision_paragraph", "decision_reference",
                      "worksheet__round__status", "worksheet__round__title")
                .filter(pk=self.pk)
                .first()
            )  # fmt: skip
            if stored and (reason := decision_lock_reason(stored)):
                raise LockedError(reason)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from priorities.rules import decision_lock_reason

        if reason := decision_lock_reason(self):
            raise LockedError(reason)
        if self.status != ItemStatus.DRAFT:
            raise LockedError(_("Bara ett utkast kan tas bort."))
        return super().delete(*args, **kwargs)

    # -- the rules --------------------------------------------------------------

    def compute_suggested_rank(self) -> int | None:
        """The suggested rank from the fact sheet's assessments, by the documented rule
        (:func:`priorities.ranking.suggested_rank`). Only ``services.item_save`` stores it."""
        return suggested_rank(
            self.kind, self.severity, self.effect, self.cost_effect, self.evidence
        )

    def clean(self):
        from priorities.rules import rank_reason_missing

        message = rank_reason_missing(
            rank=self.rank, suggested=self.compute_suggested_rank(), reason=self.rank_reason
        )
        if message:
            raise ValidationError({"rank_reason": message})

    def missing(self) -> dict[str, str]:
        """What stops the fact sheet from being submitted, by field."""
        from priorities.rules import fact_sheet_missing

        return fact_sheet_missing(self)

    # -- reading ----------------------------------------------------------------

    @property
    def lock_reason(self) -> str | None:
        """Why a decision has frozen the item for good (shown on its page), or None."""
        from priorities.rules import decision_lock_reason

        return decision_lock_reason(self)

    @property
    def is_reducing(self) -> bool:
        return self.kind in REDUCING_KINDS

    def costs(self) -> list[int | None]:
        """Budget year first, then the plan years of the round."""
        values = [self.cost_budget, self.cost_plan1, self.cost_plan2, self.cost_plan3]
        return values[: self.worksheet.round.plan_years + 1]

    @property
    def effect_lands(self) -> list[str]:
        lands = []
        if self.effect_individual:
            lands.append(str(_("individen")))
        if self.effect_society:
            lands.append(str(_("samhället")))
        if self.effect_organisation:
            lands.append(str(_("organisationen")))
        return lands


class Direction(models.TextChoices):
    UP = "up", _("Ökar")
    DOWN = "down", _("Minskar")
    HOLD = "hold", _("Bibehålls")


class ItemIndicator(models.Model):
    """An indicator the item is expected to move, and in which direction."""

    item = models.ForeignKey(
        PriorityItem,
        verbose_name=_("prioriteringsobjekt"),
        on_delete=models.CASCADE,
        related_name="indicator_links",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(_("förväntad riktning"), max_length=5, choices=Direction.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förväntad indikatorförändring")
        verbose_name_plural = _("förväntade indikatorförändringar")
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "indicator"], name="itemindicator_unique")
        ]

    def __str__(self):
        return f"{self.indicator}: {self.get_direction_display()}"
