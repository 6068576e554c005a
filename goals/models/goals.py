"""The goal chain: council goal → committee goal → unit goal."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models.external import external_id_field, external_id_unique
from goals.models.periods import MandatePeriod
from goals.models.perspectives import Perspective
from ledmot.access import Cap, access_for
from ledmot.clock import StampField
from ledmot.lib.limits import DateRange
from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.models import OrgKind, OrgUnit, VersionedModel

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


class GoalType(models.TextChoices):
    """Verksamhetsmål or finansiellt mål: the two kinds of goals for god ekonomisk
    hushållning the council must set (KL 11 kap. 1 §)."""

    OPERATIONAL = "operational", _("Verksamhetsmål")
    FINANCIAL = "financial", _("Finansiellt mål")


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


def visible_goal_sql(user, goal: str) -> tuple[str, list]:
    """:func:`visible_goal_q` as SQL, for the chain's raw queries: ``goal`` is the alias
    of the goal's table. The same rule from the same parts (the public statuses and
    ``Access.paths``), without building ORM expressions, which cost more than the query
    (a test checks the two select the same goals). The owner is looked up only for a
    goal that is not public."""
    from django.db import connection

    access = access_for(user)
    if access.covers_all(Cap.VIEW):
        # As visible_goal_q (Access.units_q): every goal has an owner under the council.
        return "1 = 1", []
    marks = ", ".join(["%s"] * len(PUBLIC_STATUSES))
    sql = f"{goal}.status IN ({marks})"
    params = [str(s) for s in PUBLIC_STATUSES]
    paths = access.paths(Cap.VIEW) if access.grants else []
    if paths:
        likes = " OR ".join(["u.path LIKE %s ESCAPE '\\'"] * len(paths))
        unit = connection.ops.quote_name(OrgUnit._meta.db_table)
        owner = f"SELECT 1 FROM {unit} u WHERE u.id = {goal}.owner_id"  # noqa: S608 - names
        sql += f" OR EXISTS ({owner} AND ({likes}))"
        params += [connection.ops.prep_for_like_query(p) + "%" for p in paths]
    return f"({sql})", params


def chain_broken_q() -> Q:
    """The chain rule as a filter on goals: a goal below the council whose parent is
    missing or ended, or, for a unit goal, whose parent's parent is. The one definition
    for ``with_chain_state`` and the structure analysis (``goals.structure``)."""
    dead = Q(parent__isnull=True) | Q(parent__status=GoalStatus.ENDED)
    dead_above = Q(parent__parent__isnull=True) | Q(parent__parent__status=GoalStatus.ENDED)
    return ~Q(level=GoalLevel.COUNCIL) & (dead | (Q(level=GoalLevel.UNIT) & dead_above))


def chain_broken(level: str, parent_status: str | None, grandparent_status: str | None) -> bool:
    """:func:`chain_broken_q` for one goal read with raw SQL, given its parent's and its
    parent's parent's status (``None``: there is no such goal). A test checks that the
    two agree on every case."""
    if level == GoalLevel.COUNCIL:
        return False
    if parent_status is None or parent_status == GoalStatus.ENDED:
        return True
    return level == GoalLevel.UNIT and grandparent_status in (None, GoalStatus.ENDED)


class GoalQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visible_goal_q(user))

    def in_period(self, period):
        return self.filter(mandate_period=period)

    def live(self):
        return self.exclude(status=GoalStatus.ENDED)

    def with_chain_state(self):
        """Annotate ``chain_broken``: a parent missing or ended anywhere up the chain."""
        return self.annotate(
            chain_broken=Case(
                When(chain_broken_q(), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def with_counts(self, user):
        """Annotate the counts a chain row shows, in the same query.

        Children are counted as ``user`` sees them, so a hidden proposal is not
        revealed by a number.
        """
        from goals.models.activities import Activity
        from goals.models.indicators import Indicator

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

    def with_chain_columns(self):
        """The other apps' columns of every chain query (``goals.extensions.CHAIN_COLUMNS``,
        e.g. followup's latest assessment and its round), as annotations: in the same query."""
        from django.db import connection
        from django.db.models.expressions import RawSQL

        from goals.extensions import CHAIN_COLUMNS

        qs = self
        goal_id = f"{connection.ops.quote_name(self.model._meta.db_table)}.id"
        for columns in CHAIN_COLUMNS:
            qs = qs.annotate(
                **{
                    name: RawSQL(sql, params, output_field=models.CharField())  # noqa: S611 - apps' SQL, values as params
                    for name, (sql, params) in columns(goal_id).items()
                }
            )
        return qs

    def for_chain(self, user, *, counts: bool = True):
        """Everything a row of Röda tråden shows: the goals in one query, their counts
        (``child_count``, ``activity_count``, ``indicator_count`` and the proposal's
        ``assessed_count``, ``met_count``, ``partly_count``) in one more, grouped over
        the goals fetched (see :class:`ChainIterable`). ``counts=False`` leaves them out,
        for a caller that fetches several lists and counts them together
        (:func:`attach_counts`)."""
        qs = (
            self.visible_to(user)
            .select_related("owner", "perspective")
            .with_chain_state()
            .order_by("perspective__order", "order", "pk")
            .with_chain_columns()
        )
        if counts:
            qs._iterable_class = ChainIterable
            qs._chain_user = user
        return qs

    def _clone(self):
        clone = super()._clone()
        clone._chain_user = getattr(self, "_chain_user", None)
        return clone


class ChainIterable(models.query.ModelIterable):
    """The goals of a chain query, with their counts attached (:func:`attach_counts`).

    Correlated count subqueries per row cost more to build and compile than the rest of
    the page, and each counted over all of a goal's children; this counts the goals
    actually fetched with one grouped query."""

    def __iter__(self):
        goals = list(super().__iter__())
        attach_counts(goals, self.queryset._chain_user)
        yield from goals


def attach_counts(goals, user) -> None:
    """Set on each goal the counts that :meth:`GoalQuerySet.with_counts` and
    ``with_proposal`` annotate, with the same numbers, in one query over these goals'
    ids: the children the user sees and the activities grouped per goal, and the
    goal's indicators with their latest value and target, judged by the proposal's
    rule in Python (:func:`goals.fulfilment.classify`, which the SQL annotation
    agrees with). Raw SQL, the visibility rule too (:func:`visible_goal_sql`):
    building the ORM's expressions cost more than the query."""

    from goals.fulfilment import Assessment, classify, tolerance

    for g in goals:
        g.child_count = g.activity_count = g.indicator_count = 0
        g.assessed_count = g.met_count = g.partly_count = 0
    if not goals:
        return
    by_pk = {g.pk: g for g in goals}
    all_ids = list(by_pk)
    rows = []
    # In slices: a chain export holds every goal of the municipality, and a query may
    # carry at most 32,766 parameters on SQLite and 65,535 on PostgreSQL.
    for start in range(0, len(all_ids), COUNT_SLICE):
        rows += _count_rows(all_ids[start : start + COUNT_SLICE], user)
    tol = tolerance()
    for pk, kind, n, direction, value, target in rows:
        g = by_pk[pk]
        if kind == 0:
            g.child_count = n
        elif kind == 1:
            g.activity_count = n
        else:
            g.indicator_count += 1
            outcome = classify(direction, _decimal(value), _decimal(target), tol)
            if outcome != Assessment.NOT_ASSESSED:
                g.assessed_count += 1
                g.met_count += outcome == Assessment.MET
                g.partly_count += outcome == Assessment.PARTLY


COUNT_SLICE = 5_000


def _count_rows(ids: list[int], user) -> list[tuple]:
    """The rows :func:`attach_counts` reads, for the goals ``ids``: (goal, kind, n,
    direction, value, target), kind 0 children, 1 activities, 2 one indicator."""
    from django.db import connection

    from goals.models.activities import Activity
    from goals.models.indicators import Indicator, IndicatorLatest

    q = connection.ops.quote_name
    visible, visible_params = visible_goal_sql(user, "c")
    marks = ", ".join(["%s"] * len(ids))
    # Only table names, aliases and placeholders are formatted in; the values are parameters.
    none = "CAST(NULL AS NUMERIC)"  # PostgreSQL would take a bare NULL for text
    sql = f"""
        SELECT c.parent_id, 0, COUNT(*), NULL, {none}, {none}
        FROM {q(Goal._meta.db_table)} c
        WHERE c.parent_id IN ({marks}) AND {visible} GROUP BY c.parent_id
        UNION ALL
        SELECT goal_id, 1, COUNT(*), NULL, {none}, {none} FROM {q(Activity._meta.db_table)}
        WHERE goal_id IN ({marks}) GROUP BY goal_id
        UNION ALL
        SELECT l.goal_id, 2, 1, i.direction, la.value, la.target
        FROM {q(Indicator.goals.through._meta.db_table)} l
        JOIN {q(Indicator._meta.db_table)} i ON i.id = l.indicator_id
        LEFT JOIN {q(IndicatorLatest._meta.db_table)} la ON la.indicator_id = i.id
        WHERE l.goal_id IN ({marks})
    """  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *visible_params, *ids, *ids])
        return cursor.fetchall()


def _decimal(value):
    """A value of a raw query as Decimal (SQLite gives an int or a float for a decimal
    column; a float goes through its shortest text, so 0.1 stays 0.1)."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(str(value))


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
    description = models.TextField(_("beskrivning"), blank=True, max_length=LONG_TEXT_LENGTH)
    perspective = models.ForeignKey(
        Perspective, verbose_name=_("perspektiv"), on_delete=models.PROTECT, related_name="goals"
    )
    goal_type = models.CharField(
        _("måltyp"),
        max_length=12,
        choices=GoalType.choices,
        default=GoalType.OPERATIONAL,
        help_text=_(
            "Finansiella mål och verksamhetsmål prövas var för sig i bedömningen av "
            "god ekonomisk hushållning."
        ),
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
    decided_on = models.DateField(
        _("beslutsdatum"), null=True, blank=True, validators=[DateRange()]
    )
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
    # The goal this one continues or revises from an earlier year or mandate period
    # (planning the next year, goals.planning): a goal's history across periods.
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("föregångare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )
    external_id = external_id_field()
    created_at = StampField(_("skapat"), auto_now_add=True)
    updated_at = StampField(_("ändrat"), auto_now=True)

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
            external_id_unique("goal_external_id_unique"),
            # Planning twice creates nothing twice: one successor per goal and period.
            models.UniqueConstraint(
                fields=["predecessor", "mandate_period"], name="goal_one_successor_per_period"
            ),
        ]

    def __str__(self):
        return self.title

    # -- chain rules -------------------------------------------------------------

    def clean(self):
        """The chain rules of :func:`goals.rules.goal_chain_errors`, as everywhere."""
        from goals import rules

        errors = rules.goal_chain_errors(self.chain_shape())
        if errors:
            raise ValidationError(errors)

    def chain_shape(self, *, with_parent: bool = True):
        """This goal as the chain rules see it (see :class:`goals.rules.ChainGoal`)."""
        from goals import rules

        parent = self.parent if (with_parent and self.parent_id) else None
        return rules.ChainGoal(
            level=self.level,
            owner=self.owner if self.owner_id else None,
            mandate_period_id=self.mandate_period_id,
            status=self.status,
            title=self.title,
            parent=parent.chain_shape(with_parent=False) if parent else None,
            adding=self._state.adding,
        )

    # -- reading ---------------------------------------------------------------

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def child_level(self) -> str | None:
        return CHILD_LEVEL.get(self.level)

    def smart_checklist(self, *, measured: bool) -> list[tuple[str, bool]]:
        """The SMART checklist as shown; ``measured``: an indicator measures the goal
        (``goals.rules.smart_missing``)."""
        from goals.rules import SMART_CRITERIA, smart_missing

        missing = smart_missing(self, measured=measured)
        labels = {f: self._meta.get_field(f).verbose_name for f in SMART_FIELDS}
        labels["responsible"] = _("Namngiven ansvarig")
        return [(labels[c], c not in missing) for c in SMART_CRITERIA]

    def smart_complete(self, *, measured: bool) -> bool:
        return all(ok for _label, ok in self.smart_checklist(measured=measured))

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
