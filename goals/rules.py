"""The goals domain's rules, each one plain function over a small shape.

Every way in calls these: the models' ``clean()``, the forms, the Excel import's
planner, Kolada, the admin and the services. So a rule is written once and gives
the same Swedish message wherever it fires. Nothing here writes to the database;
the few rules that need to look something up (locks) are asked by the services.

The models import this module lazily (inside methods), so it may import them.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from goals.extensions import ApprovedReportLabel
from goals.models import (
    OWNER_KINDS,
    PARENT_LEVEL,
    SMART_FIELDS,
    Frequency,
    GoalLevel,
    GoalStatus,
)
from goals.models.external import EXTERNAL_ID_MAX_LENGTH
from goals.periods import ReportingPeriod
from ledmot.lib.charts import format_number
from ledmot.lib.limits import MAX_ABS, date_message, date_ok
from ledmot.models import OrgKind

# --------------------------------------------------------------------------- locks


def value_locked_message(period: str, round_label: str) -> str:
    """Why a value of a closed round's period (or of an approved report's) cannot change."""
    if isinstance(round_label, ApprovedReportLabel):
        return _(
            "Värdet för %(period)s ingår i en godkänd rapport i %(round)s och kan inte ändras."
        ) % {"period": period, "round": round_label}
    return _("Värdet för %(period)s ingår i %(round)s, som är stängd, och kan inte ändras.") % {
        "period": period,
        "round": round_label,
    }


def value_changed_message(
    *, who: str, value: str, value_changed: bool, comment_changed: bool
) -> str:
    """Someone else saved an indicator value (or its comment) while this person typed:
    the one message of the results page, the report page and the import. ``value``:
    the value now saved, as the form shows it (:func:`value_text`)."""
    if comment_changed and value_changed:
        message = _(
            "%(who)s har ändrat värdet till %(value)s och kommentaren medan du skrev. "
            "Kontrollera och spara igen."
        )
    elif comment_changed:
        message = _("%(who)s har ändrat kommentaren medan du skrev. Kontrollera och spara igen.")
    else:
        message = _(
            "%(who)s har ändrat värdet till %(value)s medan du skrev. Kontrollera och spara igen."
        )
    return message % {"who": who or _("Någon"), "value": value or _("tomt")}


def same_comment(a: str | None, b: str | None) -> bool:
    """Is a value's comment unchanged? A browser posts a textarea's (and a hidden
    field's) line breaks as CRLF and drops a leading one, so a comment is compared by
    its text, not by how its line breaks are written."""

    def text(s: str | None) -> str:
        return (s or "").replace("\r\n", "\n").replace("\r", "\n").strip()

    return text(a) == text(b)


def value_text(value) -> str:
    """A stored indicator value as a form shows it (and as the editor typed it): every
    decimal it has, Swedish notation; ``None`` is empty."""
    if value is None:
        return ""
    return format_number(value, decimals=max(0, -value.normalize().as_tuple().exponent))


def target_locked_message(year: int, round_label: str) -> str:
    """Why a target of a year closed by its annual report cannot change."""
    return _("Målvärdet för %(year)s ingår i %(round)s, som är stängd, och kan inte ändras.") % {
        "year": year,
        "round": round_label,
    }


def indicator_delete_locked_message(name: str, round_label: str) -> str:
    """Why an indicator with values (or targets) frozen by a closed round cannot be
    deleted: they would go with it. It can be ended instead (on its page), which keeps
    them and stops asking for new values."""
    if isinstance(round_label, ApprovedReportLabel):
        return _(
            "Indikatorn ”%(name)s” har värden som ingår i en godkänd rapport i %(round)s och "
            "kan inte tas bort: de låsta värdena skulle försvinna med den. Avsluta den i "
            "stället på indikatorns sida (Avsluta indikatorn); dess värden och målvärden "
            "finns kvar."
        ) % {"name": name, "round": round_label}
    return _(
        "Indikatorn ”%(name)s” har värden som ingår i %(round)s, som är stängd, och kan "
        "inte tas bort: de låsta värdena skulle försvinna med den. Avsluta den i stället "
        "på indikatorns sida (Avsluta indikatorn); dess värden och målvärden finns kvar."
    ) % {"name": name, "round": round_label}


def measured_in(ended_on: datetime.date | None, period: ReportingPeriod) -> bool:
    """Is a value asked for (and accepted for) ``period`` of an indicator ended on
    ``ended_on``? Not for a period that starts after the end. The model
    (``Indicator.measured_in``), ``measurements_save`` and the workbook import ask this."""
    return ended_on is None or period.start <= ended_on


def ended_value_refusal(name: str, ended_on: datetime.date | None, period: str) -> str | None:
    """Why a value of ``period`` (a key) of the indicator ``name`` cannot be saved because
    the indicator was ended before the period starts, or None."""
    if ended_on is None:
        return None  # the common case, without parsing the period
    parsed = ReportingPeriod.parse(period)
    if measured_in(ended_on, parsed):
        return None
    return indicator_ended_value_message(name, ended_on, parsed.label)


def indicator_ended_value_message(name: str, ended_on: datetime.date, period_label: str) -> str:
    """Why a value typed for a period that starts after the indicator's end is not saved."""
    return _(
        "Indikatorn ”%(name)s” är avslutad %(date)s och tar inte emot värden för "
        "%(period)s. Inget har sparats."
    ) % {"name": name, "date": ended_on.isoformat(), "period": period_label}


def indicator_end_error(
    ended_on: datetime.date | None,
    *,
    baseline_year: int | None,
    latest_period: str | None,
) -> str | None:
    """Why an indicator cannot be ended on ``ended_on`` (None: it can, or it is resumed).

    The end is the last day it is measured: not before its baseline year, and not
    before the start of the period of its latest stored value (that value would then
    lie after the end). Asked by the model's ``clean()``, the end form, the admin and
    ``goals.services.indicator_end``."""
    if ended_on is None:
        return None
    if not date_ok(ended_on):
        return date_message()
    if baseline_year and ended_on.year < baseline_year:
        return _("Indikatorn kan inte avslutas före sitt utgångsår %(year)s.") % {
            "year": baseline_year
        }
    if latest_period:
        period = ReportingPeriod.parse(latest_period)
        if ended_on < period.start:
            return _(
                "Indikatorn har ett värde för %(period)s och kan inte avslutas före "
                "%(start)s, när den perioden börjar."
            ) % {"period": period.label, "start": period.start.isoformat()}
    return None


def target_changed_message(year: int, saved: str, who: str) -> str:
    """Why a target typed on a page loaded before someone else saved that year is not
    saved (``saved``: the value as the page shows it, or empty)."""
    return _(
        "%(who)s har ändrat målvärdet för %(year)s till %(value)s medan du skrev. "
        "Kontrollera och spara igen."
    ) % {"who": who or _("Någon"), "year": year, "value": saved or _("tomt")}


# --------------------------------------------------------------------------- numbers

# What a value or target column holds (``max_digits=18, decimal_places=4``): below
# 10^14 in size, at most four decimals.
NUMBER_MAX_ABS = MAX_ABS  # ledmot.lib.limits: the one definition
NUMBER_DECIMALS = 4


def number_storage_error(value: Decimal) -> str | None:
    """Why ``value`` does not fit an indicator value or target as typed, or ``None``.

    The service writing targets checks this too, so no path reaches the database with
    a number that overflows the column (a 500 on PostgreSQL, silently rounded on SQLite).
    """
    if not value.is_finite() or abs(value) >= NUMBER_MAX_ABS:
        return _("Talet är för stort.")
    if value.as_tuple().exponent < -NUMBER_DECIMALS:
        return _("Högst fyra decimaler.")
    return None


def indicator_number_error(value: Decimal, *, unit: str) -> str | None:
    """Why ``value`` cannot be a value or target of an indicator measured in ``unit``:
    the one rule of the results form, the targets form and the linear fill."""
    if error := number_storage_error(value):
        return error
    if unit.strip() == "%" and not (0 <= value <= 100):
        return _("En andel måste ligga mellan 0 och 100 %.")
    return None


# --------------------------------------------------------------------------- Kolada


_KOLADA_ID = re.compile(r"[A-Z]\d{5}")


def kolada_id_normalise(value: Any) -> str:
    """``" n15428 "`` → ``"N15428"``: how a Kolada KPI id is stored and compared."""
    return str(value or "").strip().upper()


def kolada_id_error(value: Any) -> str | None:
    """The message for a Kolada KPI id that is not one (a letter and five digits);
    ``None`` for a good or an empty one."""
    text = kolada_id_normalise(value)
    if text and not _KOLADA_ID.fullmatch(text):
        return _("Ett Kolada-id är en bokstav och fem siffror, t.ex. N15428.")
    return None


def validate_kolada_id(value: Any) -> None:
    """The same rule as a Django validator (forms, model ``clean``)."""
    if message := kolada_id_error(value):
        raise ValidationError(message, code="kolada_id")


# --------------------------------------------------------------------------- external ids


_EXTERNAL_ID = re.compile(r"[^\x00-\x1f\x7f,;]+")


def external_id_normalise(value: Any) -> str:
    """How an external id (the workbook's ``ny-1``, another system's key) is stored
    and compared: the text without surrounding spaces."""
    return str(value or "").strip()


def external_id_error(value: Any) -> str | None:
    """The message for an external id that cannot be one; ``None`` for a good or an
    empty one. At most 40 characters, no comma or semicolon (they separate several
    ids in one cell), no control characters, and not only digits (a whole number in
    an id column is a LedMot id)."""
    text = external_id_normalise(value)
    if text and (
        len(text) > EXTERNAL_ID_MAX_LENGTH or text.isdigit() or not _EXTERNAL_ID.fullmatch(text)
    ):
        return _(
            "Ett externt id har 1–%(n)s tecken, inte bara siffror, och varken komma, "
            "semikolon eller styrtecken, t.ex. ny-1."
        ) % {"n": EXTERNAL_ID_MAX_LENGTH}
    return None


def validate_external_id(value: Any) -> None:
    """The same rule as a Django validator (the models' field)."""
    if message := external_id_error(value):
        raise ValidationError(message, code="external_id")


# --------------------------------------------------------------------------- measurements


@dataclass(frozen=True)
class MeasurementKeys:
    """What a measurement derives from its period: the stored forms of it."""

    period: str  # normalised: "2024", "2024-T1", "2024-03"
    year: int
    sort_key: int


def measurement_keys(period: str) -> MeasurementKeys:
    """The period (normalised), year and sort key a value of ``period`` is stored with.
    Raises ``ValueError`` with a Swedish message for something that is not a period."""
    parsed = ReportingPeriod.parse(period)
    return MeasurementKeys(parsed.key, parsed.year, parsed.sort_key)


def period_fits_frequency(period: str, frequency: str) -> bool:
    """A value of an indicator measured per ``frequency`` may be for such a period or
    for a whole year."""
    kind = ReportingPeriod.parse(period).kind
    return kind in ("year", frequency)


# --------------------------------------------------------------------------- staleness


@functools.lru_cache(maxsize=256)
def due_period(frequency: str, today: datetime.date) -> ReportingPeriod:
    """The latest period that has ended: the one a value is expected for now. (Kept per
    day and frequency: a page asks it for every indicator it shows.)"""
    period = ReportingPeriod.containing(today, frequency)
    return period if period.end < today else period.previous()


def stale_before(frequency: str, today: datetime.date) -> ReportingPeriod:
    """The latest period whose reporting deadline (its end plus
    ``LEDMOT_RESULT_DEADLINE_DAYS``) has passed: an indicator without a value for it
    or later is stale."""
    return _stale_before(frequency, today, settings.LEDMOT_RESULT_DEADLINE_DAYS)


@functools.lru_cache(maxsize=256)
def _stale_before(frequency: str, today: datetime.date, days: int) -> ReportingPeriod:
    due = due_period(frequency, today)
    if due.end + datetime.timedelta(days=days) >= today:
        due = due.previous()
    return due


def is_stale(
    frequency: str,
    latest_sort_key: int | None,
    today: datetime.date,
    ended_on: datetime.date | None = None,
) -> bool:
    """The one definition of staleness, on the sort key of the latest value
    (``IndicatorLatest.sort_key``); :func:`stale_q` is the same in SQL. An indicator
    ended before the overdue period starts is not asked for it, so it is not stale."""
    due = stale_before(frequency, today)
    if ended_on is not None and ended_on < due.start:
        return False
    return latest_sort_key is None or latest_sort_key < due.sort_key


def stale_q(today: datetime.date, prefix: str = "") -> Q:
    """Indicators that :func:`is_stale` calls stale, as a filter (no strings parsed in SQL)."""
    key = f"{prefix}latest__sort_key"
    ended = f"{prefix}ended_on"
    q = Q(pk__in=[])
    for frequency in Frequency.values:
        due = stale_before(frequency, today)
        missing = Q(**{f"{key}__isnull": True}) | Q(**{f"{key}__lt": due.sort_key})
        measured = Q(**{f"{ended}__isnull": True}) | Q(**{f"{ended}__gte": due.start})
        q |= Q(**{f"{prefix}frequency": frequency}) & missing & measured
    return q


# --------------------------------------------------------------------------- SMART

# The SMART checklist: the writer's five ticks and a named responsible.
SMART_CRITERIA = (*SMART_FIELDS, "responsible")


def smart_missing(goal, *, measured: bool) -> list[str]:
    """The SMART criteria (``SMART_CRITERIA``) a goal lacks. "Mätbart" needs the
    writer's tick and an indicator that measures the goal (``measured``): the goal page
    never shows "Mätbart ✓" beside "Ingen indikator mäter målet". :func:`smart_missing_q`
    is the same rule as filters on goals, for the structure analysis."""
    missing = [f for f in SMART_FIELDS if not getattr(goal, f)]
    if not measured and "smart_measurable" not in missing:
        missing.append("smart_measurable")
    if not goal.responsible:
        missing.append("responsible")
    return [c for c in SMART_CRITERIA if c in missing]


def smart_missing_q(measured: Q) -> dict[str, Q]:
    """:func:`smart_missing` as one filter per criterion; ``measured``: the goal has
    an indicator."""
    missing = {f: Q(**{f: False}) for f in SMART_FIELDS}
    missing["smart_measurable"] |= ~measured
    missing["responsible"] = Q(responsible="")
    return missing


# --------------------------------------------------------------------------- goal chain


@dataclass
class ChainGoal:
    """What the chain rules need of a goal, saved or only planned (an import row).

    ``owner`` is an ``OrgUnit`` (``kind``, ``name``, ``is_within``); ``parent`` the
    goal above as another ``ChainGoal`` (``None`` when it has none).
    """

    level: str | None
    owner: Any = None
    mandate_period_id: int | None = None
    status: str | None = None
    title: str = ""
    parent: ChainGoal | None = None
    adding: bool = True


def _level_label(level: str) -> str:
    return str(GoalLevel(level).label)


def goal_owner_error(level: str, owner) -> str | None:
    """A goal of ``level`` is owned by an org unit of the right kind (the council owns
    council goals, a committee or company committee goals, the rest unit goals)."""
    if owner.kind in OWNER_KINDS[level]:
        return None
    allowed = ", ".join(str(OrgKind(k).label) for k in sorted(OWNER_KINDS[level]))
    return _(
        "Fel nivå: ett mål på nivån %(level)s ska ägas av %(kinds)s, men %(unit)s är en %(kind)s."
    ) % {
        "level": _level_label(level),
        "kinds": allowed.lower(),
        "unit": owner.name,
        "kind": str(OrgKind(owner.kind).label).lower(),
    }


# Which lifecycle steps are allowed from which status.
TRANSITIONS: dict[str, set[str]] = {
    GoalStatus.PROPOSED: {GoalStatus.ADOPTED, GoalStatus.ENDED},
    GoalStatus.ADOPTED: {GoalStatus.REVISED, GoalStatus.ENDED},
    GoalStatus.REVISED: {GoalStatus.REVISED, GoalStatus.ENDED},
    GoalStatus.ENDED: set(),
}


def goal_status_change_error(old: str, new: str) -> str | None:
    """A goal's status changes only by the allowed lifecycle steps (an unchanged status
    is no step)."""
    if old == new or new in TRANSITIONS[old]:
        return None
    return goal_status_step_message(old, new)


def goal_status_step_message(old: str, new: str) -> str:
    return _("Ett mål med status %(old)s kan inte få status %(new)s.") % {
        "old": str(GoalStatus(old).label).lower(),
        "new": str(GoalStatus(new).label).lower(),
    }


def goal_chain_errors(goal: ChainGoal, *, check_owner: bool = True) -> dict[str, list[str]]:
    """The chain rules: the owner's org kind fits the level, the parent is one level
    up, in the same mandate period, not ended, and a unit goal's owner lies under the
    parent's owner. ``{field: [message, …]}``; empty when the goal fits its chain."""
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    owner, level = goal.owner, goal.level
    if check_owner and owner is not None and level and (msg := goal_owner_error(level, owner)):
        err("owner", msg)
    if not level:
        return errors
    parent = goal.parent
    if level == GoalLevel.COUNCIL:
        if parent is not None:
            err("parent", _("Kommunfullmäktiges mål har inget överordnat mål."))
        return errors
    if parent is None:
        err("parent", _("Ange det överordnade mål som målet bryter ned."))
        return errors
    if parent.level != PARENT_LEVEL[level]:
        err(
            "parent",
            _(
                "Fel nivå: ett mål på nivån %(level)s ska ha ett överordnat mål på nivån "
                "%(expected)s, men ”%(parent)s” är på nivån %(actual)s."
            )
            % {
                "level": _level_label(level),
                "expected": _level_label(PARENT_LEVEL[level]),
                "parent": parent.title,
                "actual": _level_label(parent.level) if parent.level else "–",
            },
        )
    if (
        goal.mandate_period_id
        and parent.mandate_period_id
        and parent.mandate_period_id != goal.mandate_period_id
    ):
        err("parent", _("Det överordnade målet hör till en annan mandatperiod."))
    if parent.status == GoalStatus.ENDED and (goal.adding or goal.status != GoalStatus.ENDED):
        err("parent", _("Det överordnade målet är avslutat."))
    if (
        level == GoalLevel.UNIT
        and owner is not None
        and parent.owner is not None
        and not owner.is_within(parent.owner)
    ):
        err(
            "owner",
            _("Enheten måste ligga under %(unit)s, som äger det överordnade målet.")
            % {"unit": parent.owner.name},
        )
    return errors


def activity_errors(
    *, start, end, owner=None, goal_owner=None, status=None, progress=None
) -> dict[str, str]:
    """An activity's rules: dates in order, done inside the goal's unit, done is 100 %."""
    from goals.models import ActivityStatus

    errors = {}
    if start and end and end < start:
        errors["end"] = _("Slutdatum kan inte vara före startdatum.")
    if owner is not None and goal_owner is not None and not owner.is_within(goal_owner):
        errors["owner"] = _("Utförande enhet måste vara %(unit)s eller en enhet under den.") % {
            "unit": goal_owner.name
        }
    if status == ActivityStatus.DONE and progress is not None and progress != 100:
        errors["progress"] = _("En klar aktivitet har framdriften 100 %.")
    return errors


# --------------------------------------------------------------------------- assignments

#: Who gives assignments: the council, or a committee (to a unit of its own).
ASSIGNMENT_GIVER_KINDS = (OrgKind.COUNCIL, OrgKind.COMMITTEE, OrgKind.COMPANY)


def assignment_errors(*, giver, owner, goal, decided_on, due) -> dict[str, str]:
    """An assignment's rules, the same on every path (form, admin, demo, service):
    given by the council or a committee to a unit below it, due no earlier than it was
    decided, and linked (if at all) to a goal of the giver or of the one who carries it
    out."""
    errors = {}
    if giver is not None and giver.kind not in ASSIGNMENT_GIVER_KINDS:
        errors["giver"] = _("Uppdrag ges av kommunfullmäktige eller en nämnd.")
    if (
        giver is not None
        and owner is not None
        and (owner.pk == giver.pk or not owner.is_within(giver))
    ):
        errors["owner"] = _("Uppdraget ska ges till en nämnd eller enhet under %(unit)s.") % {
            "unit": giver.name
        }
    if decided_on and due and due < decided_on:
        errors["due"] = _("Uppdraget kan inte vara klart före beslutsdatum.")
    if (
        goal is not None
        and giver is not None
        and owner is not None
        and goal.owner_id not in (giver.pk, owner.pk)
    ):
        errors["goal"] = _("Välj ett mål som %(giver)s eller %(owner)s äger.") % {
            "giver": giver.name,
            "owner": owner.name,
        }
    return errors


# --------------------------------------------------------------------------- verksamhetsplan


def unit_plan_year_error(year: int, has_period: bool) -> str | None:
    """A unit's verksamhetsplan is written for a year of a mandate period (the goals it
    shows are the period's)."""
    if not has_period:
        return _("Det finns ingen mandatperiod som omfattar år %(year)s.") % {"year": year}
    return None


# --------------------------------------------------------------------------- goal proposals


def proposals_open(period, today: datetime.date) -> bool:
    """Committees propose council goals for a mandate period while it is planned: a
    period that has not begun."""
    return period.start_year > today.year


def proposals_closed_message(period) -> str:
    return _(
        "Mandatperioden %(period)s har börjat: förslag till kommunfullmäktiges mål lämnas "
        "medan perioden planeras."
    ) % {"period": period}


def proposal_locked_message(proposal) -> str | None:
    """A proposal is edited or withdrawn by its committee until the council acts on it
    (adopts, merges or declines it) or the committee withdraws it."""
    if proposal.status == "proposed":
        return None
    if proposal.status == "withdrawn":
        return _("Förslaget är återtaget och kan inte ändras.")
    return _("Kommunfullmäktige har redan behandlat förslaget; det kan inte ändras.")


def proposer_error(unit) -> str | None:
    """Council goals are proposed by committees (a nämnd, styrelse or bolag)."""
    if unit.kind in OWNER_KINDS[GoalLevel.COMMITTEE]:
        return None
    return _("Målförslag lämnas av en nämnd, men %(unit)s är ingen nämnd.") % {"unit": unit.name}


def council_target_message(year: int, goal_title: str) -> str:
    return _(
        "Slutmålet för %(year)s är fastställt av kommunfullmäktige (målet ”%(goal)s”) "
        "och kan bara ändras av kommunfullmäktige."
    ) % {"year": year, "goal": goal_title}


def council_target_delete_message(name: str, goal_title: str) -> str:
    return _(
        "Indikatorn ”%(name)s” bär kommunfullmäktiges fastställda slutmål för målet "
        "”%(goal)s” och kan inte tas bort; avsluta den i stället."
    ) % {"name": name, "goal": goal_title}


def council_target_error(
    *, year: int, fixed_year: int | None, goal_title: str, council_editor: bool
) -> str | None:
    """A council-fixed end target (a proposal the council adopted with an end target)
    changes only by the council: the one rule of the targets service, the targets
    screen, the import and the admin. Every other year is the committee's progression."""
    if fixed_year is None or year != fixed_year or council_editor:
        return None
    return council_target_message(year, goal_title)


# --------------------------------------------------------------------------- service guarantees


def guarantee_indicator_error(indicator, unit=None) -> str | None:
    """A service guarantee is measured by the share of its promises kept: an indicator
    of the kind "Andel hållna", which its unit (``unit``) or a unit above it is
    responsible for (the one rule of ``ServiceGuarantee.clean``, the form and
    ``goals.services.guarantee_save``)."""
    from goals.models import IndicatorKind

    if indicator.kind != IndicatorKind.KEPT_SHARE:
        return _("Välj en indikator av typen %(kind)s: %(name)s är av typen %(actual)s.") % {
            "kind": IndicatorKind.KEPT_SHARE.label,
            "name": indicator.name,
            "actual": indicator.get_kind_display(),
        }
    if unit is not None and not unit.is_within(indicator.responsible_unit):
        return _(
            "Välj en indikator som %(unit)s eller en enhet ovanför den ansvarar för: "
            "%(name)s hör till %(owner)s."
        ) % {"unit": unit.name, "name": indicator.name, "owner": indicator.responsible_unit.name}
    return None
