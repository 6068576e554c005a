"""What a generated municipality (:mod:`demo.scale`) holds after a few years of use.

The people with their roles over the tree, the edits they made (several history
records per object for a share of goals, activities and values, by different people on
different days), the Kolada values of the linked indicators and the comparison
municipalities, and the follow-up: two closed rounds with every report written and
approved, and one open round with reports in every state.

Everything is written in bulk through ``bulk_create_with_history`` /
``bulk_update_with_history`` with the user and date of each history record set per
object (``_history_user``, ``_history_date``), or through the services (opening and
closing a round) on a story clock (:mod:`demo.clock`).
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from demo.builders.assignments import reported_status, status_comment
from demo.builders.followup import (
    DEMO_EDITOR_PREFIX,
    _analysis,
    _open,
    _status_at,
    working_day,
)
from demo.builders.goals import _clip, _quantize
from demo.builders.org import DEMO_PASSWORD
from demo.clock import StoryClock
from demo.content import ACTIVITY_COMMENTS, FIRST_NAMES, LAST_NAMES, OVERRIDES, RETURN_COMMENT
from followup.models import (
    ActivityUpdate,
    AssignmentUpdate,
    FollowUpRound,
    GoalAssessment,
    Report,
    ReportStatus,
)
from followup.rules import report_missing
from followup.services import round_close
from goals.models import Gender, KoladaValue
from goals.services import assignment_status_set
from ledmot.models import PATH_SEPARATOR, OrgKind, OrgUnit, Role, RoleAssignment


def moment(day: datetime.date, hour: int = 9, minute: int = 0, second: int = 0):
    """An aware datetime on ``day``: the date of a history record."""
    return timezone.make_aware(
        datetime.datetime(day.year, day.month, day.day, hour, minute, second)
    )


def stamp(obj, user, when: datetime.datetime, reason: str | None = None):
    """Who made this write and when: read by the bulk history helpers."""
    obj._history_user = user
    obj._history_date = when
    if reason:
        obj._change_reason = reason
    return obj


# --------------------------------------------------------------------------- people


@dataclass
class People:
    """The users of the municipality, by where their roles are."""

    controller: object
    admin: object
    editors: dict[int, list] = field(default_factory=dict)  # org unit pk -> editors there
    approvers: dict[int, object] = field(default_factory=dict)  # org unit pk -> approver
    by_committee: dict[int, int] = field(default_factory=dict)  # org unit pk -> committee pk
    admin_of: dict[int, int] = field(default_factory=dict)  # committee pk -> administration pk
    users: int = 0
    assignments: int = 0

    def editor(self, rng: random.Random, unit_id: int, other_than=None):
        """Someone who writes for the unit: one of its editors (another one than
        ``other_than`` where there are several), else the administration's."""
        pool = self.editors.get(unit_id) or self.editors.get(
            self.admin_of.get(self.by_committee.get(unit_id, 0), 0), []
        )
        if other_than is not None and len(pool) > 1:
            pool = [u for u in pool if u.pk != other_than.pk]
        return rng.choice(pool) if pool else self.controller

    def approver(self, unit: OrgUnit):
        """Approval from above: a unit's and an administration's report by the approver
        of its administration, the committees' and the council's by the controller."""
        if unit.kind in (OrgKind.COUNCIL, OrgKind.COMMITTEE, OrgKind.COMPANY):
            return self.controller
        admin_id = self.admin_of.get(self.by_committee.get(unit.pk, 0))
        return self.approvers.get(admin_id, self.controller)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return "".join(c for c in plain if c.isalnum())


def create_people(
    rng: random.Random,
    total: int,
    *,
    kf: OrgUnit,
    committees: list[OrgUnit],
    admins: list[OrgUnit],
    departments: list[OrgUnit],
    units: list[OrgUnit],
    personas: dict[str, object],
    created: datetime.datetime,
) -> People:
    """``total`` users with role assignments spread over the tree: politicians reading
    at the council and the committees, a förvaltningschef approving and planners and a
    controller at each administration, a verksamhetschef per department, and at each
    unit its chief and staff (editors and readers). One in twenty also reads at the
    level above. They sign in with the demo password (one hash, computed once)."""
    user_model = get_user_model()
    password = make_password(DEMO_PASSWORD)
    plan: list[tuple[OrgUnit, str]] = []
    plan += [(kf, Role.READER)] * max(3, total // 80)
    plan += [(kf, Role.CONTROLLER)] * max(1, total // 1000)
    for committee in committees:
        plan += [(committee, Role.READER)] * max(2, total // 400)
    for admin in admins:
        plan += [(admin, Role.APPROVER), (admin, Role.EDITOR), (admin, Role.EDITOR)]
        plan += [(admin, Role.CONTROLLER)]
    for dept in departments:
        plan += [(dept, Role.APPROVER), (dept, Role.EDITOR)]
    plan += [(unit, Role.EDITOR) for unit in units]  # the chief
    staff = (Role.EDITOR, Role.READER, Role.READER)
    i = 0
    while len(plan) < total and units:
        plan.append((units[i % len(units)], staff[(i // len(units)) % len(staff)]))
        i += 1
    plan = plan[:total]

    taken: set[str] = set()
    users = []
    for _unit, _role in plan:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        base = f"{DEMO_EDITOR_PREFIX}{_ascii(first)}.{_ascii(last)}"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}{n}"
        taken.add(name)
        users.append(
            user_model(
                username=name,
                first_name=first,
                last_name=last,
                email=f"{name.removeprefix(DEMO_EDITOR_PREFIX)}@asbacka.example",
                password=password,
                date_joined=created,
            )
        )
    # People have a history (ledmot.models): created with it, by the administrator.
    users = bulk_create_with_history(
        users, user_model, batch_size=1000, default_user=personas["admin"], default_date=created
    )
    if not all(u.pk for u in users):  # a database that returns no ids from bulk_create
        by_name = dict(user_model.objects.filter(username__in=taken).values_list("username", "pk"))
        for u in users:
            u.pk = by_name[u.username]

    parents = {u.pk: u.parent_id for u in [*departments, *units]}
    people = People(controller=personas["controller"], admin=personas["admin"])
    roles = []
    for user, (unit, role) in zip(users, plan, strict=True):
        role_row = RoleAssignment(user=user, org_unit=unit, role=role)
        roles.append(stamp(role_row, people.admin, created))
        if role == Role.EDITOR:
            people.editors.setdefault(unit.pk, []).append(user)
        elif role == Role.APPROVER:
            people.approvers.setdefault(unit.pk, user)
        if unit.pk in parents and rng.random() < 0.05:
            roles.append(
                stamp(
                    RoleAssignment(user=user, org_unit_id=parents[unit.pk], role=Role.READER),
                    people.admin,
                    created,
                )
            )
    bulk_create_with_history(roles, RoleAssignment, batch_size=1000)
    people.users = len(users)
    people.assignments = len(roles)
    people.editors.setdefault(personas["enhetschef"].role_assignments.get().org_unit_id, []).append(
        personas["enhetschef"]
    )
    people.admin_of = {c.pk: a.pk for c, a in zip(committees, admins, strict=True)}
    committee_of_path = {c.path: c.pk for c in committees}
    for unit in [*admins, *departments, *units, *committees]:
        top = PATH_SEPARATOR.join(unit.path.split(PATH_SEPARATOR)[:2]) + PATH_SEPARATOR
        people.by_committee[unit.pk] = committee_of_path.get(top, 0)
    return people


# --------------------------------------------------------------------------- Kolada


KOLADA_FETCHED = datetime.datetime(2026, 3, 16, 6, 0, tzinfo=datetime.UTC)


def kolada_rows(rng: random.Random, indicator, totals: dict[int, Decimal]) -> list[KoladaValue]:
    """Kolada rows (totals) of one Kolada indicator: our municipality with the values it
    has, each comparison municipality (and the country) on a level of its own."""
    own = settings.LEDMOT_KOLADA_MUNICIPALITY
    rows = [
        KoladaValue(
            kpi=indicator.kolada_id, municipality=own, year=year, gender=Gender.TOTAL,
            value=value, fetched_at=KOLADA_FETCHED,
        )
        for year, value in totals.items()
    ]  # fmt: skip
    for code in dict.fromkeys(settings.LEDMOT_KOLADA_COMPARE):
        if code == own:
            continue
        level = rng.uniform(0.9, 1.1)
        for year, value in totals.items():
            v = _clip(float(value) * (level + rng.gauss(0, 0.02)), indicator.unit)
            rows.append(
                KoladaValue(
                    kpi=indicator.kolada_id, municipality=code, year=year, gender=Gender.TOTAL,
                    value=_quantize(v, indicator.decimals), fetched_at=KOLADA_FETCHED,
                )
            )  # fmt: skip
    return rows


# --------------------------------------------------------------------------- follow-up


@dataclass(frozen=True)
class ScaleRound:
    kind: str
    period_end: datetime.date
    deadline: datetime.date
    council_date: datetime.date
    opened: datetime.date
    units_from: datetime.date  # units write over eight working days from here
    closed: datetime.date | None  # None: the round is open


# Last year's annual report and this year's tertial report, closed; the interim report
# per 31 August open (the same round bench/run.py's BENCH_ROUND names).
SCALE_ROUNDS = (
    ScaleRound("Årsredovisning", datetime.date(2025, 12, 31), datetime.date(2026, 2, 6),
               datetime.date(2026, 4, 20), datetime.date(2026, 1, 7), datetime.date(2026, 1, 12),
               datetime.date(2026, 3, 2)),
    ScaleRound("Tertialrapport", datetime.date(2026, 4, 30), datetime.date(2026, 5, 15),
               datetime.date(2026, 6, 15), datetime.date(2026, 5, 4), datetime.date(2026, 5, 5),
               datetime.date(2026, 6, 1)),
    ScaleRound("Delårsrapport", datetime.date(2026, 8, 31), datetime.date(2026, 9, 18),
               datetime.date(2026, 10, 26), datetime.date(2026, 8, 24), datetime.date(2026, 9, 1),
               None),
)  # fmt: skip

OPEN_STATES = ("approved", "submitted", "returned", "draft", "not_started")
OPEN_WEIGHTS = (3, 2, 1, 3, 2)


def _bottom_up(rnd: FollowUpRound) -> list[Report]:
    """Units first, then the levels above, the council last."""
    reports = list(rnd.reports.select_related("org_unit"))
    return sorted(reports, key=lambda r: (-r.org_unit.path.count(PATH_SEPARATOR), r.org_unit.path))


def seed_rounds(rng: random.Random, people: People, clock: StoryClock) -> dict[str, int]:
    """The three rounds of :data:`SCALE_ROUNDS`; returns counts for the summary."""
    counts: dict[str, int] = defaultdict(int)
    for spec in SCALE_ROUNDS:
        clock.at(spec.opened, 8, 30)
        rnd = _open(spec, people.controller)  # the demo's own round opening
        reports = _bottom_up(rnd)
        if spec.closed:
            states = ["approved"] * len(reports)
        else:
            # Every state at least once (the first five), then drawn; the levels above the
            # units are still writing; the enhetschef persona's school is a draft.
            states = [
                OPEN_STATES[i]
                if i < len(OPEN_STATES)
                else rng.choices(OPEN_STATES, OPEN_WEIGHTS)[0]
                for i in range(len(reports))
            ]
            for i, report in enumerate(reports):
                if report.org_unit.kind != OrgKind.UNIT and i >= len(OPEN_STATES):
                    states[i] = rng.choice(("draft", "not_started"))
                if report.org_unit.code == "SKOLA-EKBACKEN":
                    states[i] = "draft"
        reported = _write_reports(rng, people, spec, rnd, reports, states)
        # As on submission (followup.services): the statuses a submitted report gives its
        # assignments become their current ones.
        for update, writer, sent in reported:
            clock.at(sent.date(), sent.hour, sent.minute)
            assignment_status_set(
                assignment=update.assignment, status=update.status, user=writer, reason=str(rnd)
            )
        if spec.closed:
            clock.at(spec.closed, 13, 0)
            round_close(rnd=rnd, user=people.controller)
        for state in states:
            counts[f"{spec.kind}:{state}"] += 1
        counts["reports"] += len(reports)
    return counts


# The theme of a generated unit's own texts, from the words of its name (first match
# wins): a preschool writes of preschool, a care home of care, a library of culture, as
# the demo's units do by their tag (demo.content.UNIT_THEMES). None: the goal's own.
NAME_THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("kultur", ("kulturskola", "kulturhus", "bibliotek", "fritidsgård", "idrott", "sporthall",
                "badet")),
    ("forskola", ("förskola",)),
    ("skola", ("skola", "gymnasium", "fritidshem", "vuxenutbildning", "sfi", "yrkescentrum")),
    ("omsorg", ("boende", "hemtjänst", "gruppbostad", "servicebostad", "dagverksamhet",
                "daglig verksamhet")),
    ("social", ("socialkontor", "familjebehandling", "jobbtorg", "arbetsträning",
                "ställföreträdar")),
    ("miljo", ("miljö", "återvinning", "måltid", "park", "gatu")),
)  # fmt: skip


def unit_theme(name: str) -> str | None:
    lowered = name.lower()
    return next((t for t, words in NAME_THEMES if any(w in lowered for w in words)), None)


def _write_reports(rng, people: People, spec: ScaleRound, rnd, reports, states) -> list:
    """Each report as its writer wrote it (all of it, or half for a draft), submitted,
    returned or approved, on working days from ``spec.units_from``. Bulk updates with
    a history record per change, by the person and on the day it was made. Returns the
    assignment updates of the submitted reports, each with its writer and moment."""
    assessments: dict[int, list[GoalAssessment]] = defaultdict(list)
    for a in GoalAssessment.objects.filter(report__round=rnd).select_related("goal").order_by("pk"):
        assessments[a.report_id].append(a)
    updates: dict[int, list[ActivityUpdate]] = defaultdict(list)
    rows = ActivityUpdate.objects.filter(report__round=rnd).select_related("activity")
    for u in rows.order_by("pk"):  # the order the random texts are drawn in
        updates[u.report_id].append(u)
    # An rng of their own, so the assignments leave every other text as it was.
    told = random.Random(rnd.pk)
    asked: dict[int, list[AssignmentUpdate]] = defaultdict(list)
    rows = AssignmentUpdate.objects.filter(report__round=rnd).select_related("assignment")
    for u in rows.order_by("pk"):
        asked[u.report_id].append(u)
    written_asked, reported = [], []
    written_a, written_u, started, submitted, returned, approved = [], [], [], [], [], []
    n_units = sum(1 for r in reports if r.org_unit.kind == OrgKind.UNIT)
    for i, (report, state) in enumerate(zip(reports, states, strict=True)):
        if state == "not_started":
            continue
        unit = report.org_unit
        writer = people.editor(rng, unit.pk)
        if unit.kind == OrgKind.COUNCIL:
            writer = people.controller
        day = working_day(spec.units_from, (i * 8) // max(n_units, 1) if i < n_units else 8 + i % 3)
        at = moment(day, 8 + i % 8, (i * 7) % 60)
        mine = assessments[report.pk]
        theme = unit_theme(unit.name) if unit.kind == OrgKind.UNIT else None
        limit = len(mine) // 2 if state == "draft" else len(mine)
        for k, a in enumerate(mine[:limit]):
            chosen, justification = a.proposed, ""
            if rng.random() < 0.07:
                chosen, justification = OVERRIDES[a.proposed]
            a.chosen, a.justification = chosen, justification
            a.analysis, a.measures = _analysis(rng, a, chosen, spec.kind, theme)
            a.version += 1
            written_a.append(stamp(a, writer, at + datetime.timedelta(minutes=k)))
        for k, u in enumerate(updates[report.pk]):
            if state == "draft" and k % 2:
                continue
            u.status = _status_at(u.activity, spec.period_end)
            u.comment = rng.choice(ACTIVITY_COMMENTS[u.status])
            u.version += 1
            written_u.append(stamp(u, writer, at + datetime.timedelta(minutes=30 + k)))
        for k, u in enumerate(asked[report.pk]):
            u.status = reported_status(u.assignment, spec.period_end)
            u.comment = status_comment(told, u.status)
            u.version += 1
            written_asked.append(stamp(u, writer, at + datetime.timedelta(minutes=50 + k)))
        started.append(_transition(report, writer, at, "Påbörjad", started=True))
        if state == "draft":
            continue
        if problems := report_missing(mine):
            raise ValueError(f"{report}: {problems[0]}")
        sent = moment(working_day(day, 1), 14, (i * 11) % 60)
        reported.extend((u, writer, sent) for u in asked[report.pk])
        submitted.append(
            _transition(report, writer, sent, "Inlämnad", status=ReportStatus.SUBMITTED,
                        submitted_at=sent, submitted_by=writer)
        )  # fmt: skip
        decided = moment(working_day(day, 2 + i % 3), 10, (i * 13) % 60)
        approver = people.approver(unit)
        if state == "returned":
            returned.append(
                _transition(report, approver, decided, "Återsänd", status=ReportStatus.RETURNED,
                            return_comment=RETURN_COMMENT)
            )  # fmt: skip
        elif state == "approved":
            approved.append(
                _transition(report, approver, decided, "Godkänd", status=ReportStatus.APPROVED,
                            approved_at=decided, approved_by=approver)
            )  # fmt: skip
    fields_a = ["chosen", "justification", "analysis", "measures", "version"]
    bulk_update_with_history(written_a, GoalAssessment, fields_a, batch_size=500)
    bulk_update_with_history(written_u, ActivityUpdate, ["status", "comment", "version"], 500)
    bulk_update_with_history(written_asked, AssignmentUpdate, ["status", "comment", "version"], 500)
    for group, fields in (
        (started, ["started", "version"]),
        (submitted, ["status", "submitted_at", "submitted_by", "version"]),
        (returned, ["status", "return_comment", "version"]),
        (approved, ["status", "approved_at", "approved_by", "version"]),
    ):
        bulk_update_with_history(group, Report, fields, batch_size=500)
    return reported


def _transition(report: Report, user, when, reason: str, **values):
    """One step of a report: its values then, with the history record it leaves. The
    record is a copy taken now, so each step keeps its own status and date."""
    for name, value in values.items():
        setattr(report, name, value)
    report.version += 1
    copy = Report(**{f.attname: getattr(report, f.attname) for f in Report._meta.concrete_fields})
    return stamp(copy, user, when, reason)
