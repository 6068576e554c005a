"""``seed_scale``: a generated municipality the size of Sweden's largest, for benchmarks.

Built from a :class:`ScaleSpec` with bulk writes that still leave a history record per
row and change; the council goals and vision are the demo's (``demo/data/``), everything
below them is generated (it is code, not content). What a municipality holds after a
few years of use is honest: yearly, tertial and monthly values of the periods their
frequency allows (``goals.rules``), thousands of users with roles over the tree, goals
and activities edited several times by different people, Kolada values, two closed
follow-up rounds and an open one (:mod:`demo.scale_life`), and a priority round. The
database's statistics are refreshed (``ANALYZE``) at the end: the planner of SQLite
has none after a bulk load.
"""

from __future__ import annotations

import datetime
import functools
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from demo.builders import SEED
from demo.builders.assignments import seed_scale_assignments
from demo.builders.control import build_internal_control
from demo.builders.economy import seed_scale_economy
from demo.builders.goals import (
    _clip,
    _decision,
    _quantize,
    _smart,
    activity_schedule,
    create_period,
    ensure_perspectives,
    new_measurement,
    own_source,
)
from demo.builders.org import create_personas, org_path, person_name
from demo.builders.portal import seed_demo_publication
from demo.builders.scale_documents import (
    seed_scale_documents,
    seed_scale_glossary,
    seed_scale_guarantees,
)
from demo.builders.signins import seed_signins
from demo.calendar import calendar_for
from demo.clock import story_clock
from demo.content import BASE_YEAR, PERSONAS, content_for
from demo.scale_life import (
    KOLADA_FETCHED,
    People,
    create_people,
    kolada_rows,
    moment,
    seed_rounds,
    stamp,
)
from demo.seed import SeedResult, _history_models, count_rows, wipe
from goals.models import (
    Activity,
    ActivityStatus,
    Direction,
    Frequency,
    Gender,
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    IndicatorKind,
    IndicatorSource,
    KoladaValue,
    Measurement,
    Target,
    Vision,
)
from goals.periods import ReportingPeriod
from goals.rules import due_period, period_fits_frequency
from goals.services import indicator_refresh_latest, linear_progression
from ledmot.clock import now as recorded_now
from ledmot.clock import recorded_at
from ledmot.lib.db import refresh_statistics
from ledmot.models import OrgKind, OrgUnit, RoleAssignment
from priorities.models import ItemStatus, PriorityItem

# The generated municipality stays in the files' base year whatever the day (the
# benchmark's database is cached and compared from run to run): the council goals and
# the vision are the demo's as they read then.
_BASE = content_for(calendar_for(datetime.date(BASE_YEAR, 9, 1), BASE_YEAR))
REFERENCE_DATE = datetime.date(BASE_YEAR, 8, 31)
REFERENCE_MOMENT = timezone.make_aware(datetime.datetime(BASE_YEAR, 8, 31, 16))
# The units write the open round's reports in September (seed_rounds), with the values
# of every period that ended with the round's: August and the second tertial, entered on
# the first day of the month, before the first report is handed in.
VALUES_DUE = REFERENCE_DATE + datetime.timedelta(days=1)
# The enhetschef persona's school is the same at every size: as many goals, activities and
# indicators, drawn from a generator of their own. The growth check then times the same
# unit page and report at large and at xlarge, not a school that happened to draw more.
PINNED_UNIT = next(p.unit_code for p in PERSONAS if p.username == "enhetschef")
PINNED_GOALS = 5
PINNED_ACTIVITIES = 2  # per goal
BASELINE_YEAR = _BASE.baseline_year
CURRENT_PERIOD = _BASE.current_period
COUNCIL_GOALS = _BASE.council_goals
EXTRA_COUNCIL_GOALS = _BASE.extra_council_goals
COUNCIL_DECISION = _BASE.council_decision
PRIORITY_ROUND = _BASE.priority_round
VISION_TEXT = _BASE.vision["text"]
VISION_DECISION = (_BASE.vision["diarienummer"], _BASE.vision["datum"])

# --------------------------------------------------------------------------- seed_scale


@dataclass(frozen=True)
class ScaleSpec:
    """How big a generated municipality is. The defaults are Sweden's largest."""

    committees: int = 14
    units: int = 1500
    council_goals: int = 10
    committee_goals: int = 300
    unit_goals: int = 7500
    activities: int = 11000
    indicators: int = 2000
    # Unit goals plus activities under one committee goal, at most.
    max_branch: int = 500
    ended_committee_goals: int = 3
    # One unit goal measured by this many indicators (the goal page benchmark).
    showcase_indicators: int = 20
    # Yearly values of every indicator (totals), the baseline being BASELINE_YEAR.
    value_years: tuple[int, int] = (2016, 2025)
    # Submitted proposals in the priority round for budget 2027 (the overview benchmark).
    priority_items: int = 350
    # Users with role assignments over the tree (besides the personas).
    users: int = 5000
    # How often indicators are measured: shares of yearly, tertial and monthly ones.
    # Tertial and monthly indicators have their periods from this year on, until the
    # period due on VALUES_DUE, and yearly totals like the others.
    frequencies: tuple[float, float, float] = (0.45, 0.3, 0.25)
    sub_year_from: int = 2021
    # Indicators in percent, index or days with values for women and men too.
    gender_share: float = 0.6
    # Committee-level indicators fetched from Kolada (yearly, with comparisons).
    kolada_share: float = 0.5
    # Goals and activities edited after they were created (several history records).
    edited_share: float = 0.35
    # Values corrected after they were entered (a second history record).
    corrected_share: float = 0.02
    # Steering documents of the committees, and service guarantees of the units.
    steering_documents: int = 150
    service_guarantees: int = 120
    seed: int = SEED


LARGE = ScaleSpec()
# Four times the large municipality, for growth checks (the committees are all there are).
XLARGE = ScaleSpec(
    committees=16,
    units=6000,
    committee_goals=1200,
    unit_goals=30000,
    activities=44000,
    indicators=8000,
    ended_committee_goals=12,
    priority_items=1400,
    users=20000,
    steering_documents=600,
    service_guarantees=480,
)
SMALL = ScaleSpec(
    committees=5,
    units=60,
    council_goals=6,
    committee_goals=20,
    unit_goals=150,
    activities=220,
    indicators=40,
    max_branch=40,
    ended_committee_goals=1,
    showcase_indicators=6,
    priority_items=30,
    users=150,
    steering_documents=12,
    service_guarantees=6,
)


@dataclass(frozen=True)
class CommitteeKind:
    code: str
    name: str
    administration: str
    area: str  # "inom {area}"
    clients: str  # who the units serve
    weight: float  # share of the units
    unit_names: tuple[str, ...]  # templates: {p} place, {g} place in genitive


LARGE_COMMITTEES: tuple[CommitteeKind, ...] = (
    CommitteeKind("BUN", "Barn- och utbildningsnämnden", "Barn- och utbildningsförvaltningen",
                  "förskola och grundskola", "barn och elever", 34,
                  ("{g} skola", "{g} förskola", "{g} förskola", "Fritidshemmet {p}")),
    CommitteeKind("VON", "Vård- och omsorgsnämnden", "Vård- och omsorgsförvaltningen",
                  "äldreomsorgen", "brukare", 18,
                  ("{g} vård- och omsorgsboende", "Hemtjänst {p}", "Dagverksamhet {p}")),
    CommitteeKind("FSN", "Funktionsstödsnämnden", "Funktionsstödsförvaltningen",
                  "stöd till personer med funktionsnedsättning", "brukare", 10,
                  ("Gruppbostad {p}", "Servicebostad {p}", "Daglig verksamhet {p}",
                   "Korttidsboende {p}")),
    CommitteeKind("GVN", "Gymnasie- och vuxenutbildningsnämnden",
                  "Gymnasie- och vuxenutbildningsförvaltningen", "gymnasie- och vuxenutbildningen",
                  "elever", 5, ("{p} gymnasium", "Vuxenutbildningen {p}", "Yrkescentrum {p}")),
    CommitteeKind("SN", "Socialnämnden", "Socialförvaltningen", "socialtjänsten", "klienter", 6,
                  ("Socialkontor {p}", "Familjebehandling {p}", "Boendestöd {p}")),
    CommitteeKind("AMN", "Arbetsmarknadsnämnden", "Arbetsmarknadsförvaltningen",
                  "arbetsmarknadsinsatserna", "deltagare", 3,
                  ("Jobbtorg {p}", "Arbetsträning {p}", "SFI {p}")),
    CommitteeKind("KFN", "Kulturnämnden", "Kulturförvaltningen", "kulturverksamheten",
                  "besökare", 4, ("{g} bibliotek", "Kulturhuset {p}", "Kulturskolan {p}")),
    CommitteeKind("IFN", "Idrotts- och fritidsnämnden", "Idrotts- och fritidsförvaltningen",
                  "idrott och fritid", "besökare", 4,
                  ("Fritidsgården {p}", "{p} sporthall", "{g} idrottsplats", "{p}badet")),
    CommitteeKind("TN", "Tekniska nämnden", "Tekniska förvaltningen", "de tekniska verksamheterna",
                  "invånare", 4, ("Gatudistrikt {p}", "Parkdistrikt {p}", "Återvinningscentral {p}",
                                  "Måltidsservice {p}")),
    CommitteeKind("SBN", "Samhällsbyggnadsnämnden", "Samhällsbyggnadsförvaltningen",
                  "samhällsbyggandet", "sökande", 2, ("Planenhet {p}", "Exploatering {p}")),
    CommitteeKind("KS", "Kommunstyrelsen", "Kommunledningskontoret", "kommunledningen",
                  "invånare", 3, ("Ekonomienhet {p}", "HR-enhet {p}", "Kontaktcenter {p}")),
    CommitteeKind("MBN", "Miljö- och byggnämnden", "Miljö- och byggförvaltningen",
                  "tillsyn och bygglov", "sökande", 2, ("Miljötillsyn {p}", "Bygglov {p}")),
    CommitteeKind("SKN", "Servicenämnden", "Serviceförvaltningen", "de interna tjänsterna",
                  "förvaltningar", 3, ("IT-support {p}", "Lokalvård {p}", "Fordonsservice {p}")),
    CommitteeKind("ON", "Överförmyndarnämnden", "Överförmyndarförvaltningen",
                  "överförmyndarverksamheten", "huvudmän", 1, ("Ställföreträdarstöd {p}",)),
    CommitteeKind("RN", "Revisionsnämnden", "Revisionskontoret", "revisionen", "nämnder", 1,
                  ("Revisionsenhet {p}",)),
    CommitteeKind("KVN", "Krisledningsnämnden", "Säkerhetsavdelningen", "krisberedskapen",
                  "invånare", 1, ("Beredskap {p}",)),
)  # fmt: skip

PLACE_PREFIXES = (
    "Ek", "Björk", "Lind", "Gran", "Tall", "Rönn", "Al", "Asp", "Hassel", "Sjö", "Berg", "Sol",
    "Äng", "Hag", "Ljung", "Mos", "Strand", "Vik", "Dal", "Kvarn", "Hög", "Norr", "Sör", "Väst",
    "Öst", "Lärk", "Svan", "Tran", "Ros", "Klöver", "Vass", "Sand", "Sten", "Bäck", "Ler", "Fur",
)  # fmt: skip
PLACE_SUFFIXES = (
    "backen", "dalen", "hagen", "lunden", "torp", "viken", "ängen", "berga", "by", "gården",
    "höjden", "skogen", "åsen", "näset", "holmen", "slätten", "kullen", "mossen", "vallen",
)  # fmt: skip
DISTRICTS = (
    "Norr", "Söder", "Öster", "Väster", "Centrum", "Nordost", "Sydväst", "Hamnen", "Kvarnby",
    "Dalen", "Ängby", "Strandbyn", "Höjden", "Sjöstaden", "Bergsjön", "Åsen",
)  # fmt: skip


def _places(rng: random.Random) -> list[tuple[str, str]]:
    """Place names with their genitive: ("Ekbacken", "Ekbackens")."""
    names = [p + s for p in PLACE_PREFIXES for s in PLACE_SUFFIXES]
    rng.shuffle(names)
    names.remove("Ekbacken")
    names.insert(0, "Ekbacken")  # Ekbackens skola is the enhetschef persona's school
    return [(n, n if n.endswith(("s", "x", "z")) else n + "s") for n in names]


_COMMITTEE_GOAL_TEMPLATES = {
    "Medborgare": (
        "Invånarnas nöjdhet med {area} ska öka",
        "Fler {clients} ska uppleva ett gott bemötande inom {area}",
        "Tillgängligheten inom {area} ska förbättras",
        "{clients_cap} ska ha ett större inflytande inom {area}",
        "Väntetiderna inom {area} ska minska",
        "Fler {clients} ska känna sig trygga inom {area}",
        "Jämställdheten i {area} ska öka",
    ),
    "Verksamhet": (
        "Kvaliteten inom {area} ska öka genom systematiskt förbättringsarbete",
        "Fler tjänster inom {area} ska vara digitala",
        "Alla processer inom {area} ska vara kartlagda och kvalitetssäkrade",
        "Klimatpåverkan från {area} ska minska",
        "Samverkan mellan {area} och andra verksamheter ska öka",
    ),
    "Medarbetare": (
        "Sjukfrånvaron inom {area} ska minska",
        "Andelen heltidsanställda inom {area} ska öka",
        "Medarbetarengagemanget inom {area} ska öka",
        "Kompetensförsörjningen inom {area} ska säkras",
        "Chefernas förutsättningar för ett nära ledarskap inom {area} ska förbättras",
    ),
    "Ekonomi": (
        "Verksamheten inom {area} ska bedrivas inom tilldelad budgetram",
        "Kostnadseffektiviteten inom {area} ska öka",
        "Nettokostnadsavvikelsen för {area} ska minska",
        "Lokalanvändningen inom {area} ska effektiviseras",
    ),
}
_UNIT_GOAL_TEMPLATES = {
    "Medborgare": (
        "Alla {clients} ska ha en aktuell och uppföljd plan",
        "Bemötandet ska förbättras enligt årets enkät",
        "Fler {clients} ska känna sig trygga i verksamheten",
        "Informationen till {clients} och närstående ska bli tydligare",
        "{clients_cap} ska vara delaktiga i planeringen av verksamheten",
        "Fler {clients} ska vara nöjda med verksamheten som helhet",
    ),
    "Verksamhet": (
        "Alla avvikelser ska följas upp inom två veckor",
        "Alla rutiner ska vara uppdaterade och kända av medarbetarna",
        "Digitala arbetssätt ska användas i det dagliga arbetet",
        "Energianvändningen ska minska med 5 procent",
        "Egenkontrollerna ska genomföras enligt plan",
    ),
    "Medarbetare": (
        "Den korta sjukfrånvaron ska minska",
        "Alla medarbetare ska ha en individuell kompetensplan",
        "Arbetsplatsträffarna ska ha en stående punkt om arbetsmiljö",
        "Andelen heltidsanställda ska öka",
        "Alla nyanställda ska få en strukturerad introduktion",
    ),
    "Ekonomi": (
        "Enheten ska hålla sin budgetram",
        "Kostnaden för timanställda och vikarier ska minska",
        "Alla inköp ska göras från avtalade leverantörer",
        "Månadsuppföljningen av ekonomin ska göras tillsammans med controller",
    ),
}
_ACTIVITY_TEMPLATES = {
    "Medborgare": (
        "Genomför enkät och analysera resultatet i arbetslagen",
        "Dialogmöte med {clients} och närstående",
        "Uppdatera informationen på webben och i broschyrer",
        "Inför fasta kontaktpersoner",
        "Kartlägg otrygga platser tillsammans med {clients}",
        "Följ upp planerna var sjätte månad",
    ),
    "Verksamhet": (
        "Genomgång av avvikelser på varje arbetsplatsträff",
        "Revidera rutinerna för dokumentation",
        "Utbildning i det nya verksamhetssystemet",
        "Energironder med fastighetsförvaltaren",
        "Inför digital signering av beslut",
        "Egenkontroll enligt årshjulet",
    ),
    "Medarbetare": (
        "Friskvårdssatsning med promenadmöten",
        "Medarbetarsamtal med fokus på kompetensutveckling",
        "Arbetsmiljörond tillsammans med skyddsombud",
        "Schemaöversyn för fler heltider",
        "Introduktionsprogram med fadder",
        "Handledning i grupp en gång i månaden",
    ),
    "Ekonomi": (
        "Månatlig budgetuppföljning med controller",
        "Översyn av bemanning och scheman",
        "Inventering av avtal och inköp",
        "Samordning av vikarier mellan enheter",
        "Översyn av lokalbehovet",
    ),
}
_INDICATOR_TEMPLATES = {
    "Medborgare": (("Andel nöjda {clients}", "%"), ("Andel {clients} med aktuell plan", "%"),
                   ("Väntetid till första kontakt", "dagar"), ("Andel {clients} som känner sig "
                   "trygga", "%")),
    "Verksamhet": (("Antal avvikelser per månad", "antal"), ("Andel genomförda egenkontroller",
                   "%"), ("Energianvändning", "kWh/m²")),
    "Medarbetare": (("Sjukfrånvaro", "%"), ("HME-index", "index"), ("Andel heltidsanställda", "%")),
    "Ekonomi": (("Budgetavvikelse", "tkr"), ("Kostnad per {client}", "kr"),
                ("Andel inköp från avtalade leverantörer", "%")),
}  # fmt: skip


def _apportion(total: int, weights: list[float], minimum: int = 1) -> list[int]:
    """Split ``total`` over ``weights`` (largest remainder), each at least ``minimum``."""
    n = len(weights)
    total = max(total, minimum * n)
    spare = total - minimum * n
    w = sum(weights)
    exact = [spare * x / w for x in weights]
    parts = [math.floor(e) for e in exact]
    for i in sorted(range(n), key=lambda i: exact[i] - parts[i], reverse=True)[
        : spare - sum(parts)
    ]:
        parts[i] += 1
    return [p + minimum for p in parts]


def seed_scale(spec: ScaleSpec = LARGE, progress=None) -> SeedResult:
    """Wipe and generate a municipality of the size ``spec`` (deterministic, bulk writes).

    ``progress`` is an optional callable taking one line of text.
    """
    say = progress or (lambda _msg: None)
    rng = random.Random(spec.seed)
    with transaction.atomic(), story_clock(ORG_CREATED) as clock:
        wipe()
        created = moment(ORG_CREATED)
        perspectives = ensure_perspectives()
        period = create_period(*CURRENT_PERIOD)
        Vision.objects.create(
            mandate_period=period,
            text=VISION_TEXT,
            decision_reference=VISION_DECISION[0],
            decided_on=VISION_DECISION[1],
        )

        # ---- organisation (bulk, level by level; paths set as compute_path would)
        kf = OrgUnit(code="KF", name="Kommunfullmäktige", kind=OrgKind.COUNCIL)
        kf.save()
        kinds = LARGE_COMMITTEES[: spec.committees]
        committees = bulk_create_with_history(
            [
                OrgUnit(
                    code=k.code,
                    name=k.name,
                    kind=OrgKind.COMMITTEE,
                    parent=kf,
                    path=org_path(kf.path, k.code),
                    order=i,
                )
                for i, k in enumerate(kinds, start=1)
            ],
            OrgUnit,
            default_date=created,
        )
        company = OrgUnit(code="ASBHEM", name="Åsbackahem AB", kind=OrgKind.COMPANY, parent=kf)
        company.save()
        admins = bulk_create_with_history(
            [
                OrgUnit(
                    code=f"{k.code}-F",
                    name=k.administration,
                    kind=OrgKind.ADMINISTRATION,
                    parent=c,
                    path=org_path(c.path, f"{k.code}-F"),
                    order=1,
                )
                for k, c in zip(kinds, committees, strict=True)
            ],
            OrgUnit,
            default_date=created,
        )
        unit_counts = _apportion(spec.units, [k.weight for k in kinds], minimum=2)
        dept_plan = []  # (committee index, department number)
        for ci, n in enumerate(unit_counts):
            for d in range(max(1, math.ceil(n / 40)) if n > 12 else 0):
                dept_plan.append((ci, d))
        departments = bulk_create_with_history(
            [
                OrgUnit(
                    code=f"{kinds[ci].code}-O{d + 1:02d}",
                    name=f"Verksamhetsområde {DISTRICTS[d % len(DISTRICTS)]}"
                    + (f" {d // len(DISTRICTS) + 1}" if d >= len(DISTRICTS) else ""),
                    kind=OrgKind.DEPARTMENT,
                    parent=admins[ci],
                    path=org_path(admins[ci].path, f"{kinds[ci].code}-O{d + 1:02d}"),
                    order=d + 1,
                )
                for ci, d in dept_plan
            ],
            OrgUnit,
            default_date=created,
        )
        depts_of: dict[int, list[OrgUnit]] = defaultdict(list)
        for (ci, _d), dept in zip(dept_plan, departments, strict=True):
            depts_of[ci].append(dept)
        places = _places(rng)
        new_units: list[OrgUnit] = []
        unit_committee: list[int] = []
        used_names: set[str] = set()
        place_i = 0
        for ci, n in enumerate(unit_counts):
            kind = kinds[ci]
            parents = depts_of[ci] or [admins[ci]]
            for j in range(n):
                parent = parents[j % len(parents)]
                template = kind.unit_names[j % len(kind.unit_names)]
                place, genitive = places[place_i % len(places)]
                place_i += 1
                name = template.format(p=place, g=genitive)
                if name in used_names:
                    name = f"{name} {DISTRICTS[place_i % len(DISTRICTS)]}"
                while name in used_names:
                    name += " II"
                used_names.add(name)
                code = f"{kind.code}-{j + 1:04d}"
                if name == "Ekbackens skola":
                    code = PINNED_UNIT
                new_units.append(
                    OrgUnit(
                        code=code,
                        name=name,
                        kind=OrgKind.UNIT,
                        parent=parent,
                        path=org_path(parent.path, code),
                        order=j + 1,
                    )
                )
                unit_committee.append(ci)
        units = bulk_create_with_history(new_units, OrgUnit, batch_size=500, default_date=created)
        say(f"Organisation: {OrgUnit.objects.count()} enheter")
        units_of: dict[int, list[OrgUnit]] = defaultdict(list)
        for unit, ci in zip(units, unit_committee, strict=True):
            units_of[ci].append(unit)

        # ---- the personas and the people who work here (an rng of their own)
        persona_units = OrgUnit.objects.filter(code__in={p.unit_code for p in PERSONAS})
        logins = create_personas({u.code: u for u in persona_units})
        personas = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=[p.username for p in PERSONAS])
        }
        people = create_people(
            random.Random(spec.seed + 11), spec.users, kf=kf, committees=committees,
            admins=admins, departments=departments, units=units, personas=personas,
            created=created,
        )  # fmt: skip
        say(f"Användare: {people.users} med {people.assignments} roller")
        edits = random.Random(spec.seed + 13)  # who edited what when

        # ---- council goals (a handful: plain saves)
        council_specs = (*COUNCIL_GOALS, *EXTRA_COUNCIL_GOALS)[: spec.council_goals]
        clock.at(COUNCIL_DECISION[2], 10)
        council_goals = []
        for order, cs in enumerate(council_specs, start=1):
            goal = Goal(
                level=GoalLevel.COUNCIL,
                mandate_period=period,
                owner=kf,
                title=cs.title,
                description=cs.description,
                perspective=perspectives[cs.perspective],
                shared=cs.shared,
                status=GoalStatus.ADOPTED,
                decision_reference=COUNCIL_DECISION[0],
                decision_paragraph=COUNCIL_DECISION[1],
                decided_on=COUNCIL_DECISION[2],
                responsible="Kommunstyrelsen",
                order=order,
            )
            _smart(rng, goal, 0.5)
            goal._history_user = people.controller
            goal.save()
            council_goals.append(goal)

        # ---- committee goals
        cg_counts = _apportion(
            spec.committee_goals, [math.sqrt(k.weight) for k in kinds], minimum=2
        )
        cg_objs: list[Goal] = []
        cg_committee: list[int] = []
        for ci, n in enumerate(cg_counts):
            kind, committee = kinds[ci], committees[ci]
            fmt = {
                "area": kind.area,
                "clients": kind.clients,
                "clients_cap": kind.clients[:1].upper() + kind.clients[1:],
            }
            used: dict[str, int] = defaultdict(int)
            for j in range(n):
                parent = council_goals[(j + ci) % len(council_goals)]
                pname = parent.perspective.name
                templates = _COMMITTEE_GOAL_TEMPLATES[pname]
                title = templates[(j // len(council_goals)) % len(templates)].format(**fmt)
                used[title] += 1
                if used[title] > 1:
                    title = f"{title} (etapp {used[title]})"
                ref, para, day = _decision(rng, kind.code, 2023, 2)
                status = GoalStatus.ADOPTED
                roll = rng.random()
                if roll < 0.02:
                    status = GoalStatus.PROPOSED
                    ref = para = ""
                    day = None
                elif roll < 0.05:
                    status = GoalStatus.REVISED
                goal = Goal(
                    level=GoalLevel.COMMITTEE,
                    mandate_period=period,
                    parent=parent,
                    owner=committee,
                    title=title,
                    perspective=parent.perspective,
                    status=status,
                    decision_reference=ref,
                    decision_paragraph=para,
                    decided_on=day,
                    responsible=f"{person_name(rng)}, förvaltningschef",
                    order=j + 1,
                )
                _smart(rng, goal, 0.8)
                cg_objs.append(goal)
                cg_committee.append(ci)
        for goal in cg_objs:
            admin_id = people.admin_of[goal.owner.pk]
            _plan_goal_edits(edits, spec, goal, people, admin_id, datetime.date(2023, 1, 16))
        cgoals = bulk_create_with_history(cg_objs, Goal, batch_size=500)
        say(f"Nämndmål: {len(cgoals)}")
        cgoals_of: dict[int, list[Goal]] = defaultdict(list)
        for g, ci in zip(cgoals, cg_committee, strict=True):
            cgoals_of[ci].append(g)

        # ---- plan unit goals and their activities, at most max_branch under a committee goal
        ug_counts = _apportion(spec.unit_goals, unit_counts, minimum=1)
        acts_per_goal = spec.activities / max(spec.unit_goals, 1)
        branch: dict[int, int] = defaultdict(int)  # committee goal pk -> unit goals + activities
        # a few activities hang directly on committee goals
        direct_acts = max(1, spec.activities // 200)
        planned: list[tuple[int, OrgUnit, Goal, int]] = []  # (ci, unit, parent, n activities)
        pinned_rng = random.Random(spec.seed + 41)
        for ci, n in enumerate(ug_counts):
            goals = cgoals_of[ci]
            # A skewed choice: the first goals of a committee draw the most unit goals,
            # as a kommungemensamt goal does in a real municipality.
            weights = [1 / (k + 1) ** 0.8 for k in range(len(goals))]
            us = units_of[ci]
            school = next((u for u in us if u.code == PINNED_UNIT), None)
            if school is not None and len(us) > 1 and n > PINNED_GOALS:
                # The pinned school's goals first, the committee's other units share the rest.
                us = [u for u in us if u is not school]
                slots = [school] * PINNED_GOALS + [us[j % len(us)] for j in range(n - PINNED_GOALS)]
            else:
                slots = [us[j % len(us)] for j in range(n)]
            for unit in slots:
                if unit.code == PINNED_UNIT:
                    n_act = PINNED_ACTIVITIES
                    parent = pinned_rng.choices(goals, weights=weights)[0]
                else:
                    n_act = _poisson_small(rng, acts_per_goal)
                    parent = rng.choices(goals, weights=weights)[0]
                cost = 1 + n_act
                if branch[parent.pk] + cost > spec.max_branch:
                    fits = [g for g in goals if branch[g.pk] + cost <= spec.max_branch]
                    if not fits:
                        continue
                    parent = min(fits, key=lambda g: branch[g.pk])
                branch[parent.pk] += cost
                planned.append((ci, unit, parent, n_act))

        ug_objs = []
        for ci, unit, parent, _n in planned:
            own_rng = pinned_rng if unit.code == PINNED_UNIT else rng
            pname = parent.perspective.name
            fmt = {
                "clients": kinds[ci].clients,
                "clients_cap": kinds[ci].clients[:1].upper() + kinds[ci].clients[1:],
            }
            roll = own_rng.random()
            status = (
                GoalStatus.PROPOSED
                if roll < 0.02
                else GoalStatus.REVISED
                if roll < 0.03
                else GoalStatus.ADOPTED
            )
            goal = Goal(
                level=GoalLevel.UNIT,
                mandate_period=period,
                parent=parent,
                owner=unit,
                title=own_rng.choice(_UNIT_GOAL_TEMPLATES[pname]).format(**fmt),
                perspective=parent.perspective,
                status=status,
                decided_on=None
                if status == GoalStatus.PROPOSED
                else datetime.date(2025, 1, own_rng.randrange(10, 31)),
                responsible="" if own_rng.random() < 0.15 else person_name(own_rng),
                order=own_rng.randrange(1, 20),
            )
            _smart(own_rng, goal, 0.7)
            ug_objs.append(goal)
        for goal in ug_objs:
            _plan_goal_edits(edits, spec, goal, people, goal.owner.pk, datetime.date(2024, 11, 4))
        ugoals = bulk_create_with_history(ug_objs, Goal, batch_size=500)
        n_edits = _apply_edits(Goal, [*cgoals, *ugoals])
        say(f"Enhetsmål: {len(ugoals)}, ändringar av mål: {n_edits}")

        # ---- activities
        act_objs = []
        for goal, (ci, unit, _parent, n_act) in zip(ugoals, planned, strict=True):
            fmt = {"clients": kinds[ci].clients}
            titles = _ACTIVITY_TEMPLATES[goal.perspective.name]
            own_rng = pinned_rng if unit.code == PINNED_UNIT else rng
            for k, title in enumerate(own_rng.sample(titles, min(n_act, len(titles))), start=1):
                act_objs.append(_activity(own_rng, goal, unit, title.format(**fmt), k))
        remaining = spec.activities - len(act_objs)
        for k in range(max(min(direct_acts, remaining), 0)):
            goal = cgoals[(k * 7) % len(cgoals)]
            if branch[goal.pk] + 1 > spec.max_branch:
                continue
            branch[goal.pk] += 1
            ci = cg_committee[(k * 7) % len(cgoals)]
            title = rng.choice(_ACTIVITY_TEMPLATES[goal.perspective.name])
            act_objs.append(
                _activity(rng, goal, admins[ci], title.format(clients=kinds[ci].clients), k + 1)
            )
        for act in act_objs:
            _plan_activity_edits(edits, spec, act, people)
        bulk_create_with_history(act_objs, Activity, batch_size=500)
        n_edits = _apply_edits(Activity, act_objs)
        say(f"Aktiviteter: {len(act_objs)}, ändringar av aktiviteter: {n_edits}")

        # ---- a few committee goals ended while their unit goals live on (broken chains)
        by_size = sorted(
            (g for g in cgoals if g.status == GoalStatus.ADOPTED and branch[g.pk]),
            key=lambda g: (branch[g.pk], g.pk),
        )
        clock.at(datetime.date(2026, 3, 19), 14)
        for goal in by_size[: spec.ended_committee_goals]:
            goal.refresh_from_db()
            goal.status = GoalStatus.ENDED
            goal.version += 1
            goal._history_user = people.controller
            goal.save()

        # ---- indicators, each measuring one to three goals
        indicators = _bulk_indicators(
            rng, spec, kinds, cgoals, cg_committee, ugoals, planned, people
        )
        say(f"Indikatorer: {len(indicators)}")
        n_values, n_kolada = _bulk_results(rng, spec, indicators, people)
        say(f"Utfall: {n_values}, målvärden: {4 * len(indicators)}, Kolada-värden: {n_kolada}")

        # ---- budget, outcome and forecast of every unit (before the rounds lock them)
        n_figures = seed_scale_economy(units, REFERENCE_DATE.year, random.Random(spec.seed + 19))
        say(f"Ekonomi: {n_figures} belopp")
        # ---- service guarantees with their values, each entered when its tertial ended
        n_guarantees = seed_scale_guarantees(
            random.Random(spec.seed + 23),
            spec.service_guarantees,
            {kind.code: units_of[ci] for ci, kind in enumerate(kinds)},
            VALUES_DUE,
            clock,
        )
        say(f"Servicegarantier: {n_guarantees}")

        # ---- assignments (uppdrag), before the rounds so that their reports ask about them
        n_assignments = seed_scale_assignments(
            random.Random(spec.seed + 31),
            kf,
            committees,
            [{"omrade": kind.area, "klienter": kind.clients} for kind in kinds],
            units_of,
            cgoals_of,
            clock,
        )
        say(f"Uppdrag: {n_assignments}")

        # ---- the follow-up: two closed rounds and an open one (an rng of their own)
        rounds = seed_rounds(random.Random(spec.seed + 17), people, clock)
        say("Uppföljning: " + ", ".join(f"{k} {v}" for k, v in sorted(rounds.items())))
        # The public portal: the annual report's results published (no PDF: a bulk load).
        seed_demo_publication(with_pdf=False)

        # ---- a priority round under review (an rng of its own: nothing above changes)
        clock.at(datetime.date(2026, 2, 2), 9)
        n_items = _seed_scale_priorities(
            random.Random(spec.seed + 7), spec, kf, kinds, committees, cgoals_of, council_goals
        )
        say(f"Prioriteringsobjekt: {n_items}")

        # ---- internal control: each committee's adopted risk analyses (last year's and
        # this year's, started from it) and control plans, as in the demo
        clock.at(datetime.date(2026, 1, 23), 10)
        build_internal_control(2025, {u.code: u for u in committees})
        say("Intern kontroll: riskanalyser och internkontrollplaner")

        # ---- the committees' steering documents and the municipality's glossary
        clock.at(datetime.date(2026, 6, 12), 11)
        n_documents = seed_scale_documents(
            random.Random(spec.seed + 29),
            spec.steering_documents,
            committees,
            [kind.area for kind in kinds],
            cgoals_of,
            REFERENCE_DATE,
        )
        say(f"Styrdokument: {n_documents}, ordlistans termer: {seed_scale_glossary()}")

        # ---- the sign-in log of the last month (the security events page)
        n_ok, n_failed = seed_signins(random.Random(spec.seed + 37), REFERENCE_DATE)
        say(f"Inloggningar: {n_ok}, misslyckade: {n_failed}")
    refresh_statistics()  # a bulk load: fresh planner statistics (ledmot/lib/db.py)
    counts = count_rows()
    counts["users"] = get_user_model().objects.count()
    counts["role_assignments"] = RoleAssignment.objects.count()
    counts["history_rows"] = sum(m.objects.count() for m in _history_models())
    return SeedResult(counts=counts, logins=logins)


# The day the generated municipality's organisation and mandate period were set up.
ORG_CREATED = datetime.date(2022, 11, 15)


def _plan_goal_edits(rng, spec: ScaleSpec, goal: Goal, people: People, unit_id: int, day):
    """For a share of the adopted goals: written first as a proposal by one editor of
    the unit, completed by another a week or two later, adopted on the decision day by
    the approver. The goal is created as the proposal; ``_edits`` holds the later
    states with who and when (applied by :func:`_apply_edits`)."""
    goal._history_user = people.editor(rng, unit_id)
    decided = goal.decided_on or day
    goal._history_date = moment(decided - datetime.timedelta(days=rng.randrange(20, 60)), 10)
    if goal.status != GoalStatus.ADOPTED or rng.random() >= spec.edited_share:
        goal._edits = []
        return
    final = {f: getattr(goal, f) for f in _GOAL_EDIT_FIELDS}
    goal.status, goal.decided_on, goal.responsible = GoalStatus.PROPOSED, None, ""
    goal.decision_reference = goal.decision_paragraph = ""
    completed = dict(final, status=GoalStatus.PROPOSED, decided_on=None,
                     decision_reference="", decision_paragraph="")  # fmt: skip
    second = people.editor(rng, unit_id, other_than=goal._history_user)
    halfway = goal._history_date + datetime.timedelta(days=rng.randrange(5, 15), hours=3)
    approver = people.approvers.get(unit_id) or people.approver(goal.owner)
    goal._edits = [
        (completed, second, halfway),
        (final, approver, moment(decided, 15, rng.randrange(60))),
    ]


_GOAL_EDIT_FIELDS = ("status", "decided_on", "responsible", "decision_reference",
                     "decision_paragraph")  # fmt: skip


def _plan_activity_edits(rng, spec: ScaleSpec, act: Activity, people: People) -> None:
    """For a share of the started activities: created not started, then its progress
    reported along the way by the unit's editors, ending in its status today."""
    act._history_user = people.editor(rng, act.owner.pk)
    act._history_date = moment(act.start - datetime.timedelta(days=rng.randrange(10, 40)), 11)
    if act.status == ActivityStatus.NOT_STARTED or rng.random() >= spec.edited_share:
        act._edits = []
        return
    final = {"status": act.status, "progress": act.progress}
    act.status, act.progress = ActivityStatus.NOT_STARTED, 0
    last = min(act.end, REFERENCE_DATE - datetime.timedelta(days=1))
    span = max((last - act.start).days, 2)
    steps = rng.randint(1, 3)
    act._edits = []
    previous = act._history_user
    for k in range(1, steps + 1):
        day = act.start + datetime.timedelta(days=span * k // (steps + 1))
        progress = max(5, min(final["progress"], 100) * k // (steps + 1) // 5 * 5)
        who = people.editor(rng, act.owner.pk, other_than=previous)
        act._edits.append(
            ({"status": ActivityStatus.IN_PROGRESS, "progress": progress}, who, moment(day, 13))
        )
        previous = who
    act._edits.append((final, people.editor(rng, act.owner.pk), moment(last, 16)))


def _apply_edits(model, objs) -> int:
    """The planned edits (``obj._edits``: values, user, moment) in rounds: the first
    edit of every object, then the second, … — one bulk update with history each."""
    n = 0
    depth = max((len(getattr(o, "_edits", ())) for o in objs), default=0)
    for step in range(depth):
        batch, fields = [], set()
        for obj in objs:
            edits = getattr(obj, "_edits", ())
            if step >= len(edits):
                continue
            values, user, when = edits[step]
            for name, value in values.items():
                setattr(obj, name, value)
            fields.update(values)
            obj.version += 1
            batch.append(stamp(obj, user, when))
        bulk_update_with_history(batch, model, [*sorted(fields), "version"], batch_size=500)
        n += len(batch)
    return n


_SCALE_PRIORITY_TITLES = {
    "satsning": (
        "Utökad bemanning inom {area}",
        "Fler platser inom {area}",
        "Förebyggande insatser för {clients}",
        "Kompetenslyft för personalen inom {area}",
        "Digitala tjänster för {clients}",
        "Förlängda öppettider inom {area}",
    ),
    "effektivisering": (
        "Samordnade scheman inom {area}",
        "Digital ärendehantering inom {area}",
        "Gemensam upphandling inom {area}",
        "Samlokalisering av enheter inom {area}",
    ),
    "ransonering": (
        "Kortare öppettider inom {area}",
        "Skärpta riktlinjer för insatser inom {area}",
    ),
    "neddragning": ("Avveckla en mindre enhet inom {area}", "Minskad lokalyta inom {area}"),
    "icke_gora": ("Upphöra med uppgifter utanför grunduppdraget inom {area}",),
}
_SCALE_PRIORITY_COSTS = {  # kronor for the budget year, (low, high)
    "satsning": (300_000, 4_000_000),
    "effektivisering": (-1_500_000, -100_000),
    "ransonering": (-1_000_000, -200_000),
    "neddragning": (-3_000_000, -500_000),
    "icke_gora": (-600_000, -100_000),
}


def _seed_scale_priorities(rng, spec, kf, kinds, committees, cgoals_of, council_goals) -> int:
    """The round for budget 2027 over the whole municipality: ``spec.priority_items``
    proposals spread over the committees, all submitted, the round under review and a
    fifth of the proposals decided. The frame runs out about two thirds down the list.
    Bulk writes with one history record per row."""
    from priorities.services import round_open, round_start_review

    controller = get_user_model().objects.get(username="controller")
    rnd = round_open(
        title=PRIORITY_ROUND["title"], year=2027, plan_years=2, scope=kf,
        resource_frame=0, user=controller,
    )  # fmt: skip
    sheets = {w.committee_id: w for w in rnd.worksheets.all()}
    kind_weights = {"satsning": 5, "effektivisering": 2, "ransonering": 1,
                    "neddragning": 1, "icke_gora": 1}  # fmt: skip
    counts = _apportion(spec.priority_items, [k.weight for k in kinds], minimum=2)
    objs, goal_links = [], []
    decided_on = datetime.date(2026, 6, 15)
    for ci, (kind_spec, committee, n) in enumerate(zip(kinds, committees, counts, strict=True)):
        fmt = {"area": kind_spec.area, "clients": kind_spec.clients}
        for j in range(n):
            kind = rng.choices(list(kind_weights), weights=list(kind_weights.values()))[0]
            template = rng.choice(_SCALE_PRIORITY_TITLES[kind])
            low, high = _SCALE_PRIORITY_COSTS[kind]
            cost = rng.randrange(low, high, 50_000)
            assessment = tuple(rng.randint(1, top) for top in (4, 5, 4, 4))
            decision = rng.choices(["", "beslutad", "avslagen", "bordlagd"], (80, 12, 5, 3))[0]
            item = PriorityItem(
                worksheet=sheets[committee.pk],
                kind=kind,
                title=f"{template.format(**fmt)} ({j + 1})",
                description="Förslaget beskrivs i nämndens faktaunderlag.",
                severity=assessment[0], effect=assessment[1],
                cost_effect=assessment[2], evidence=assessment[3],
                effect_individual=rng.random() < 0.6, effect_organisation=rng.random() < 0.5,
                cost_budget=cost, cost_plan1=cost, cost_plan2=cost,
                rank=None if rng.random() < 0.8 else rng.randint(1, 10),
                rank_reason="Nämndens egen bedömning.",
                order=j + 1, status=ItemStatus.SUBMITTED,
                decision=decision, decided_on=decided_on if decision else None,
                decision_paragraph="§ 112" if decision else "",
                decision_reference="KS 2026/318" if decision else "",
            )  # fmt: skip
            # The item's own rules (bulk_create skips item_save and worksheet_submit, which
            # apply them otherwise): its suggested rank, and a complete fact sheet.
            item.suggested_rank = item.compute_suggested_rank()
            if missing := item.missing():
                raise ValueError(f"{item.title}: {missing}")
            objs.append(item)
            goal_links.append(
                (council_goals[rng.randrange(len(council_goals))], rng.choice(cgoals_of[ci]))
            )
    items = bulk_create_with_history(
        objs, PriorityItem, batch_size=500, default_user=controller, default_date=recorded_now()
    )
    through = PriorityItem.goals.through
    through.objects.bulk_create(
        [
            through(priorityitem_id=item.pk, goal_id=goal.pk)
            for item, goals in zip(items, goal_links, strict=True)
            for goal in goals
        ],
        batch_size=1000,
    )
    for sheet in sheets.values():
        sheet.status = "submitted"
        sheet.submitted_at = timezone.make_aware(datetime.datetime(2026, 3, 13, 15, 0))
        sheet.submitted_by = controller
        sheet._history_user = controller
        sheet.save()
    # The frame: what the proposals above two thirds of the ranked list of those that
    # count against it (priorities.rules.counts_against_frame) cost together.
    ranked = list(PriorityItem.objects.in_round(rnd).counted_against_frame().ranked())
    cumulative = 0
    for item in ranked[: len(ranked) * 2 // 3]:
        cumulative += item.cost_budget
    rnd.refresh_from_db()
    rnd.resource_frame = max(round(cumulative, -5), 1_000_000)
    rnd._history_user = controller
    rnd.version += 1
    rnd.save()
    round_start_review(rnd=rnd, user=controller, expected_version=rnd.version)
    return len(items)


def _poisson_small(rng: random.Random, mean: float) -> int:
    """0–4 activities, averaging ``mean``."""
    base = int(mean)
    n = base + (1 if rng.random() < mean - base else 0)
    jitter = rng.choice((-1, 0, 0, 0, 1))
    return max(0, min(4, n + jitter))


def _activity(rng, goal: Goal, owner: OrgUnit, title: str, order: int) -> Activity:
    start, end, status, progress = activity_schedule(rng, REFERENCE_DATE, BASE_YEAR)
    return Activity(
        goal=goal,
        owner=owner,
        title=title,
        responsible=person_name(rng),
        start=start,
        end=end,
        status=status,
        progress=progress,
        order=order,
    )


# The range of the 2022 value of a generated indicator, by the start of its name.
_SCALE_BASELINES: tuple[tuple[str, float, float], ...] = (
    ("Sjukfrånvaro", 3.5, 10.5),
    ("Andel heltidsanställda", 55, 95),
    ("Andel inköp", 70, 97),
    ("Andel", 60, 95),
    ("HME", 68, 84),
    ("Väntetid", 3, 45),
    ("Antal avvikelser", 2, 30),
    ("Energianvändning", 95, 185),
    ("Budgetavvikelse", -3000, 3000),
    ("Kostnad", 20000, 250000),
)


def _scale_baseline(rng: random.Random, name: str, decimals: int) -> Decimal:
    """A plausible 2022 value for a generated indicator."""
    low, high = next((lo, hi) for prefix, lo, hi in _SCALE_BASELINES if name.startswith(prefix))
    value = rng.uniform(low, high)
    if abs(high - low) >= 1000:
        value = round(value, -2 if high > 10000 else -1)
    return _quantize(value, decimals)


def _pinned_goals(ugoals: list[Goal]) -> list[int]:
    """The indices of the enhetschef persona's goals (PINNED_UNIT), or of the first unit
    goal if the school has none. The first gets ``showcase_indicators`` indicators, each
    of the others exactly one: the school's indicators are as many at every size."""
    own = [i for i, g in enumerate(ugoals) if g.owner.code == PINNED_UNIT]
    return own or [0]


def _showcase_frequency(i: int) -> str:
    """The showcase goal's indicators are mostly followed through the year (a school's
    attendance per month, its surveys per tertial), one in ten yearly: the unit chief
    has values to enter for the periods due even when the closed annual report has
    frozen last year's (the save_values benchmark posts 50 of them)."""
    return Frequency.YEAR if i % 10 == 0 else Frequency.TERTIAL if i % 2 else Frequency.MONTH


def _bulk_indicators(
    rng, spec, kinds, cgoals, cg_committee, ugoals, planned, people: People
) -> list[Indicator]:
    n_showcase = min(spec.showcase_indicators, spec.indicators) if ugoals else 0
    pinned = _pinned_goals(ugoals) if n_showcase else []
    # The last indicators are the pinned school's: the showcase goal's, then one for each
    # of its other goals.
    pinned_slots = [*pinned[:1] * n_showcase, *pinned[1:]]
    n_committee_level = (spec.indicators - len(pinned_slots)) // 5
    others = sorted(set(range(len(ugoals))) - set(pinned)) or list(range(len(ugoals)))

    def random_unit_goal() -> int:
        """A random unit goal but the pinned school's, which have exactly their own."""
        return others[rng.randrange(len(others))]

    specs: list[tuple[Indicator, list[Goal]]] = []
    council_links: dict[int, int] = defaultdict(int)  # indicators of each council goal
    pinned_rng = random.Random(spec.seed + 43)
    kpis = iter(rng.sample(range(10000, 100000), spec.indicators))
    created = moment(datetime.date(2023, 2, 20), 10)
    for k in range(spec.indicators):
        # The position among the pinned school's indicators, -1 for the others.
        slot = k - spec.indicators + len(pinned_slots)
        is_pinned = slot >= 0
        if k < n_committee_level:
            i = (k * 13) % len(cgoals)
            main, ci = cgoals[i], cg_committee[i]
            owner = main.owner
            where = kinds[ci].code
        else:
            i = pinned_slots[slot] if is_pinned else random_unit_goal()
            main, ci = ugoals[i], planned[i][0]
            owner = main.owner
            where = owner.name
        own_rng = pinned_rng if is_pinned else rng
        name, unit = own_rng.choice(_INDICATOR_TEMPLATES[main.perspective.name])
        fmt = {"clients": kinds[ci].clients, "client": kinds[ci].clients.rstrip("r")}
        goals = [main]
        if not is_pinned:
            # Unit indicators often also measure a sibling goal of the same unit.
            if k >= n_committee_level and rng.random() < 0.4:
                other = ugoals[random_unit_goal()]
                if other is not main:
                    goals.append(other)
            # An indicator often measures the goal above too; the council's goals are
            # measured by a set of their own the council decides, about ten each,
            # however large the municipality.
            upward = rng.random() < 0.2 and main.parent_id
            if upward and (main.level != GoalLevel.COMMITTEE or council_links[main.parent_id] < 10):
                goals.append(main.parent)
                council_links[main.parent_id] += main.level == GoalLevel.COMMITTEE
        decimals = 1 if unit == "%" else 0
        kolada = k < n_committee_level and rng.random() < spec.kolada_share
        frequency = Frequency.YEAR if kolada else rng.choices(FREQUENCIES, spec.frequencies)[0]
        if is_pinned:
            frequency = _showcase_frequency(slot)
        indicator = Indicator(
            name=f"{name.format(**fmt)}, {where}" + (f" ({slot + 1})" if is_pinned else ""),
            unit=unit,
            decimals=decimals,
            direction=Direction.LOWER
            if name.startswith(("Sjuk", "Väntetid", "Antal avvikelser", "Kostnad", "Energi"))
            else Direction.TARGET
            if name.startswith("Budget")
            else Direction.HIGHER,
            frequency=frequency,
            kind=own_rng.choice(tuple(IndicatorKind.values)),
            source=IndicatorSource.KOLADA
            if kolada
            else own_rng.choice((IndicatorSource.MANUAL, IndicatorSource.IMPORT)),
            kolada_id=f"{'N' if rng.random() < 0.8 else 'U'}{next(kpis)}" if kolada else "",
            gender_breakdown=is_pinned
            or (unit in ("%", "index", "dagar") and rng.random() < spec.gender_share),
            baseline_value=_scale_baseline(own_rng, name, decimals),
            baseline_year=BASELINE_YEAR,
            responsible_unit=owner,
        )
        stamp(indicator, people.editor(rng, owner.pk), created + datetime.timedelta(minutes=k))
        specs.append((indicator, goals))
    indicators = bulk_create_with_history([i for i, _g in specs], Indicator, batch_size=500)
    through = Indicator.goals.through
    links = []
    for indicator, (_i, goals) in zip(indicators, specs, strict=True):
        for goal in dict.fromkeys(goals):
            links.append(through(indicator_id=indicator.pk, goal_id=goal.pk))
    links = through.objects.bulk_create(links, batch_size=500)
    # The "created" history record of each indicator also records its goal links.
    history_ids = dict(Indicator.history.filter(history_type="+").values_list("id", "history_id"))
    m2m_history = Indicator.history.model.goals.model
    m2m_history.objects.bulk_create(
        [
            m2m_history(
                history_id=history_ids[link.indicator_id],
                id=link.pk,
                indicator_id=link.indicator_id,
                goal_id=link.goal_id,
            )
            for link in links
        ],
        batch_size=500,
    )
    return indicators


def _periods(spec: ScaleSpec, frequency: str) -> list[ReportingPeriod]:
    """The periods an indicator of ``frequency`` has values for: the years of
    ``spec.value_years``, and for a tertial or monthly indicator its own periods from
    ``spec.sub_year_from`` until the one due on VALUES_DUE. Each is checked
    against the frequency rule the forms and the importer apply."""
    first, last = spec.value_years
    periods = [ReportingPeriod(y, "year") for y in range(first, last + 1)]
    if frequency != Frequency.YEAR:
        period, own = due_period(frequency, VALUES_DUE), []
        while period.year >= spec.sub_year_from:
            own.append(period)
            period = period.previous()
        periods += reversed(own)
    for period in periods:
        if not period_fits_frequency(period.key, frequency):
            raise ValueError(f"{period} passar inte frekvensen {frequency}")
    return periods


def _when(period: ReportingPeriod) -> float:
    """The period's place in time in years (a year at its end, like its yearly value)."""
    per_year = {"year": 1, "tertial": 3, "month": 12}[period.kind]
    return period.year - 1 + (period.index or 1) / per_year


FREQUENCIES = (Frequency.YEAR, Frequency.TERTIAL, Frequency.MONTH)  # ScaleSpec.frequencies
_RESULTS_CHUNK = 250  # indicators whose values are built and written at a time


def _bulk_results(
    rng: random.Random, spec: ScaleSpec, indicators: list[Indicator], people: People
) -> tuple[int, int]:
    """Targets 2023–2026 (linear from the baseline), the values of every indicator's
    periods (with women and men where it has them) and the Kolada values of the Kolada
    indicators. Returns the number of values and of Kolada values.

    Each indicator follows one of a few courses, from well ahead of its progression to
    going the wrong way, so that the proposed fulfilment varies; monthly values have a
    season. Each value is entered by an editor of the responsible unit (imports by the
    controller, Kolada values fetched) some days after its period ended, and a few are
    corrected later by someone else. Written in chunks of indicators, so that memory
    stays flat with the size.
    """
    periods = {f: _periods(spec, f) for f in Frequency.values}
    created = moment(datetime.date(2023, 2, 20), 10)
    courses = (1.4, 1.0, 0.6, 0.2, -0.5)  # share of the planned yearly step achieved
    n_values = n_kolada = 0
    for start in range(0, len(indicators), _RESULTS_CHUNK):
        targets: list[Target] = []
        measurements: list[Measurement] = []
        kolada: list[KoladaValue] = []
        for indicator in indicators[start : start + _RESULTS_CHUNK]:
            base = float(indicator.baseline_value)
            d, unit = indicator.decimals, indicator.unit
            signed = unit == "tkr"
            if indicator.direction == Direction.TARGET:
                end = Decimal(0)  # e.g. a budget in balance
            else:
                improvement = rng.choice((0.05, 0.08, 0.1, 0.15, 0.2))
                sign = 1 if indicator.direction == Direction.HIGHER else -1
                end = _quantize(_clip(base * (1 + sign * improvement), unit, signed), d)
            years = linear_progression(
                baseline=indicator.baseline_value,
                baseline_year=BASELINE_YEAR,
                end_value=end,
                end_year=CURRENT_PERIOD[1],
                decimals=d,
            )
            targets += [
                stamp(Target(indicator=indicator, year=y, value=v),
                      getattr(indicator, "_history_user", None), created)
                for y, v in years.items()
            ]  # fmt: skip

            step = (float(end) - base) / (CURRENT_PERIOD[1] - BASELINE_YEAR)
            course = rng.choices(courses, weights=(25, 25, 20, 15, 15))[0]
            before = rng.uniform(-0.5, 1.0)  # the course before the baseline year
            sd = abs(step) * 0.25 + abs(base) * 0.01
            season = rng.uniform(0, 2 * math.pi)
            gap = abs(base) * rng.uniform(0.02, 0.12) * rng.choice((1, -1))
            source = own_source(indicator)
            fetched_at = KOLADA_FETCHED if source == IndicatorSource.KOLADA else None
            writers = (
                [None]
                if source == IndicatorSource.KOLADA
                else [people.controller]
                if source == IndicatorSource.IMPORT
                else [people.editor(rng, indicator.responsible_unit_id) for _ in range(2)]
            )
            totals: dict[int, Decimal] = {}
            for period in periods[indicator.frequency]:
                t = _when(period)
                if period.kind == "year" and period.year == BASELINE_YEAR:
                    value = indicator.baseline_value
                else:
                    factor = course if t > BASELINE_YEAR else before
                    raw = base + factor * step * (t - BASELINE_YEAR) + rng.gauss(0, sd)
                    if period.kind == "month":
                        raw += sd * 0.8 * math.sin(2 * math.pi * period.index / 12 + season)
                    value = _quantize(_clip(raw, unit, signed), d)
                if period.kind == "year":
                    totals[period.year] = value
                who = writers[period.sort_key % len(writers)]
                entered_on = period.end + datetime.timedelta(days=rng.randrange(4, 25))
                when = moment(min(entered_on, VALUES_DUE), 9)
                by_gender = [(Gender.TOTAL, value)]
                if indicator.gender_breakdown:
                    by_gender += [
                        (g, _quantize(_clip(float(value) + share * gap, unit, signed), d))
                        for g, share in ((Gender.WOMEN, 0.5), (Gender.MEN, -0.5))
                    ]
                for gender, v in by_gender:
                    m = new_measurement(
                        indicator, period.key, v, gender, source=source, fetched_at=fetched_at
                    )
                    m.entered_by = who
                    measurements.append(stamp(m, who, when))
            if indicator.kolada_id:
                kolada += kolada_rows(rng, indicator, totals)
        bulk_create_with_history(targets, Target, batch_size=2000)
        # Each value's entered_at (a stamp of the recorded moment) is the day it was
        # entered, like its history record: the moments are handed out in the order
        # the insert stamps the rows.
        entered = iter([m._history_date for m in measurements])
        with recorded_at(functools.partial(next, entered, REFERENCE_MOMENT)):
            bulk_create_with_history(measurements, Measurement, batch_size=2000)
        KoladaValue.objects.bulk_create(kolada, batch_size=2000)
        _correct_some(rng, spec, measurements, people)
        n_values += len(measurements)
        n_kolada += len(kolada)
    indicator_refresh_latest([i.pk for i in indicators])
    return n_values, n_kolada


def _correct_some(rng, spec: ScaleSpec, measurements: list[Measurement], people: People):
    """A share of the entered totals corrected a few days later by another editor (a
    second history record with the new value and why)."""
    corrected = []
    for m in measurements:
        if m.entered_by is None or m.gender != Gender.TOTAL or m.value is None:
            continue
        # Not the baseline year's: the goals' baseline was decided from that value.
        if rng.random() >= spec.corrected_share or m.period == str(BASELINE_YEAR):
            continue
        step = Decimal(1).scaleb(-m.indicator.decimals)
        m.value = max(m.value - step, Decimal(0)) if rng.random() < 0.5 else m.value + step
        if m.indicator.unit == "%":
            m.value = min(m.value, Decimal(100))
        m.comment = rng.choice(CORRECTIONS)
        who = people.editor(rng, m.indicator.responsible_unit_id, other_than=m.entered_by)
        m.entered_by = who
        later = m._history_date + datetime.timedelta(days=rng.randrange(2, 9))
        corrected.append(stamp(m, who, later))
    bulk_update_with_history(corrected, Measurement, ["value", "comment", "entered_by"], 1000)


CORRECTIONS = (
    "Rättat efter kontroll mot verksamhetssystemet.",
    "Korrigerat: fel period i första inmatningen.",
    "Uppdaterat med slutligt värde.",
    "Rättat efter avstämning med controller.",
)
