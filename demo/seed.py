"""Demo and scale data for LedMot: the fictional municipality Åsbacka kommun.

The building blocks used by ``manage.py seed_demo``, ``manage.py seed_scale``, the
benchmark and the tests:

- :func:`seed_demo` builds the hand-written demo municipality: about 40 units,
  the goal chain for the mandate period 2023–2026 (and a few ended goals from
  2019–2022), activities, indicators and one login per role. Every indicator has a
  baseline (2022), targets 2023–2026 and values from 2019 (:data:`RESULTS`: by gender
  where Swedish statistics are, tertials and months where the indicator is reported
  so), chosen so that the proposed fulfilment of the goals is a mix; the Kolada
  indicators also have comparison values (:data:`RIKET` and the neighbours); and the
  follow-up of 2026 (:func:`seed_demo_followup`): a closed tertial report, approved
  throughout, and an open interim report with reports at every stage, written through
  the follow-up services by the personas and one demo editor per reporting unit;
- :func:`seed_scale` builds a municipality the size of Sweden's largest from a
  :class:`ScaleSpec`, with bulk writes that still leave one history record per row;
  every indicator has targets and ten years of values, and one unit goal of
  Ekbackens skola is measured by ``showcase_indicators`` indicators.

Both are deterministic (a fixed random seed; dates relative to
:data:`REFERENCE_DATE`, never to today; the follow-up story runs on a fixed clock) and
idempotent: :func:`wipe` first removes the follow-up rounds with their reports, the
organisation, goals, indicators with their targets, values and Kolada values,
activities, roles and demo users, together with their history, and everything is
rebuilt in one transaction. ``IndicatorLatest`` is refreshed at the end with
``goals.services.indicator_refresh_latest``.

Every write goes through ``save()``/``objects.create()`` or
``simple_history.utils.bulk_create_with_history`` so that each row has its
history record; nothing uses ``QuerySet.update`` or a bare ``bulk_create`` on a
model with history.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from followup.models import (
    ActivityUpdate,
    FollowUpRound,
    GeneratedReport,
    GoalAssessment,
    Report,
    RoundKind,
    WheelStep,
)
from followup.services import (
    activity_update_save,
    assessment_save,
    report_approve,
    report_return,
    report_submit,
    round_close,
    round_open,
    units_in_scope,
)
from goals.fulfilment import Assessment
from goals.models import (
    Activity,
    ActivityStatus,
    BudgetYear,
    Direction,
    Frequency,
    Gender,
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    IndicatorKind,
    IndicatorLatest,
    IndicatorSource,
    KoladaValue,
    MandatePeriod,
    Measurement,
    Perspective,
    Target,
    Vision,
)
from goals.periods import ReportingPeriod
from goals.services import indicator_refresh_latest, linear_progression
from goals.workbook.models import WorkbookImport
from ledmot.models import PATH_SEPARATOR, OrgKind, OrgUnit, Role, RoleAssignment
from priorities.models import ItemIndicator, PriorityItem, PriorityRound, Worksheet

SEED = 20230101
# The "today" of the data set: activity statuses and progress are consistent with it
# (the interim report per 31 August 2026), whatever the date the demo is run.
REFERENCE_DATE = datetime.date(2026, 8, 31)
DEMO_PASSWORD = "ledmot-demo"
DEMO_URL = "http://127.0.0.1:8000"

CURRENT_PERIOD = (2023, 2026)
EARLIER_PERIOD = (2019, 2022)

PERSPECTIVES = ("Medborgare", "Verksamhet", "Medarbetare", "Ekonomi")
PERSPECTIVE_DESCRIPTIONS = {
    "Medborgare": "Invånarnas och brukarnas perspektiv: kvalitet, bemötande, tillgänglighet.",
    "Verksamhet": "Verksamhetens processer, utveckling och effektivitet.",
    "Medarbetare": "Arbetsmiljö, kompetens och attraktiv arbetsgivare.",
    "Ekonomi": "God ekonomisk hushållning och kostnadseffektivitet.",
}

# --------------------------------------------------------------------------- personas


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    role: str
    unit_code: str
    title: str
    superuser: bool = False


PERSONAS: tuple[Persona, ...] = (
    Persona("politiker", "Eva", "Lindqvist", Role.READER, "KF", "Ledamot i kommunfullmäktige"),
    Persona(
        "enhetschef", "Karin", "Ekström", Role.EDITOR, "SKOLA-EKBACKEN", "Rektor, Ekbackens skola"
    ),
    Persona(
        "forvaltningschef",
        "Johan",
        "Bergström",
        Role.APPROVER,
        "BUN",
        "Förvaltningschef, barn- och utbildningsförvaltningen",
    ),
    Persona(
        "controller", "Sara", "Nyström", Role.CONTROLLER, "KF", "Controller, kommunledningskontoret"
    ),
    Persona("admin", "Mikael", "Holm", Role.ADMIN, "KF", "Systemförvaltare", superuser=True),
)
PERSONA_USERNAMES = tuple(p.username for p in PERSONAS)

FIRST_NAMES = (
    "Anna", "Maria", "Karin", "Sara", "Lena", "Emma", "Kristina", "Elin", "Ida", "Malin",
    "Sofia", "Johanna", "Linda", "Helena", "Annika", "Camilla", "Eva", "Jenny", "Hanna",
    "Erik", "Lars", "Anders", "Johan", "Per", "Mikael", "Karl", "Peter", "Jonas", "Fredrik",
    "Mattias", "Daniel", "Magnus", "Henrik", "Ola", "Ahmed", "Ali", "Amina", "Leila", "Nils",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Lindberg", "Lindqvist", "Lindgren", "Berg", "Axelsson", "Holm", "Sandberg",
    "Forsberg", "Sjöberg", "Wallin", "Engström", "Lundgren", "Åberg", "Nyström", "Hassan",
    "Mohammed", "Öberg", "Falk", "Ek", "Björk", "Strand", "Hedlund", "Lundin", "Dahl",
)  # fmt: skip


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


# --------------------------------------------------------------------------- organisation


@dataclass(frozen=True)
class OrgNode:
    code: str
    name: str
    kind: str = OrgKind.UNIT
    tag: str = ""
    children: tuple[OrgNode, ...] = ()


def _unit(code: str, name: str, tag: str) -> OrgNode:
    return OrgNode(code, name, OrgKind.UNIT, tag)


def _node(kind: str, code: str, name: str, *children: OrgNode) -> OrgNode:
    return OrgNode(code, name, kind, "", tuple(children))


DEMO_ORG = _node(
    OrgKind.COUNCIL,
    "KF",
    "Kommunfullmäktige",
    _node(
        OrgKind.COMMITTEE,
        "KS",
        "Kommunstyrelsen",
        _node(
            OrgKind.ADMINISTRATION,
            "KLK",
            "Kommunledningskontoret",
            _unit("KLK-EKO", "Ekonomienheten", "ekonomi"),
            _unit("KLK-HR", "HR-enheten", "hr"),
            _unit("KLK-KC", "Kontaktcenter Åsbacka", "kontaktcenter"),
            _unit("KLK-NL", "Näringslivsenheten", "naringsliv"),
            _unit("KLK-DIG", "Digitaliseringsenheten", "digital"),
        ),
    ),
    _node(
        OrgKind.COMMITTEE,
        "BUN",
        "Barn- och utbildningsnämnden",
        _node(
            OrgKind.ADMINISTRATION,
            "BUF",
            "Barn- och utbildningsförvaltningen",
            _node(
                OrgKind.DEPARTMENT,
                "BUF-FSK",
                "Förskoleverksamheten",
                _unit("FSK-SOLROSEN", "Solrosens förskola", "forskola"),
                _unit("FSK-EKORREN", "Ekorrens förskola", "forskola"),
                _unit("FSK-LARKAN", "Lärkans förskola", "forskola"),
                _unit("FSK-TALLBACKEN", "Tallbackens förskola", "forskola"),
            ),
            _node(
                OrgKind.DEPARTMENT,
                "BUF-GRU",
                "Grundskoleverksamheten",
                _unit("SKOLA-EKBACKEN", "Ekbackens skola", "skola"),
                _unit("SKOLA-LINDEN", "Lindens skola", "skola"),
                _unit("SKOLA-CENTRAL", "Åsbacka centralskola", "skola"),
                _unit("SKOLA-BJORKANG", "Björkängsskolan", "skola"),
                _unit("SKOLA-NORRBY", "Norrbyskolan", "skola"),
            ),
            _unit("GYM-ASBACKA", "Åsbacka gymnasium", "gymnasium"),
            _unit("BUF-ELEVHALSA", "Centrala elevhälsan", "elevhalsa"),
        ),
    ),
    _node(
        OrgKind.COMMITTEE,
        "VON",
        "Vård- och omsorgsnämnden",
        _node(
            OrgKind.ADMINISTRATION,
            "VOF",
            "Vård- och omsorgsförvaltningen",
            _node(
                OrgKind.DEPARTMENT,
                "VOF-SABO",
                "Särskilt boende",
                _unit("BOENDE-SOLGARDEN", "Solgårdens vård- och omsorgsboende", "boende"),
                _unit("BOENDE-RONNBACKEN", "Rönnbackens vård- och omsorgsboende", "boende"),
                _unit("BOENDE-STRANDHEMMET", "Strandhemmets vård- och omsorgsboende", "boende"),
            ),
            _node(
                OrgKind.DEPARTMENT,
                "VOF-HT",
                "Hemtjänst",
                _unit("HT-NORR", "Hemtjänst Norr", "hemtjanst"),
                _unit("HT-SODER", "Hemtjänst Söder", "hemtjanst"),
                _unit("HT-CENTRUM", "Hemtjänst Centrum", "hemtjanst"),
            ),
            _unit("VOF-HSL", "Hälso- och sjukvårdsenheten", "hsl"),
            _unit("VOF-BIST", "Biståndsenheten", "bistand"),
        ),
    ),
    _node(
        OrgKind.COMMITTEE,
        "SN",
        "Socialnämnden",
        _node(
            OrgKind.ADMINISTRATION,
            "SOF",
            "Socialförvaltningen",
            _unit("SOF-BOF", "Barn och familj", "ifo_barn"),
            _unit("SOF-VUXEN", "Vuxenenheten", "ifo_vuxen"),
            _unit("SOF-EKB", "Ekonomiskt bistånd", "ekb"),
            _unit("SOF-AME", "Arbetsmarknadsenheten", "ame"),
            _unit("SOF-FAMC", "Familjecentralen Åsbacka", "familjecentral"),
        ),
    ),
    _node(
        OrgKind.COMMITTEE,
        "SBN",
        "Samhällsbyggnadsnämnden",
        _node(
            OrgKind.ADMINISTRATION,
            "SBF",
            "Samhällsbyggnadsförvaltningen",
            _unit("SBF-GATA", "Gata och park", "gata"),
            _unit("SBF-VA", "VA-enheten", "va"),
            _unit("SBF-FAST", "Fastighetsenheten", "fastighet"),
            _unit("SBF-PLAN", "Plan- och exploateringsenheten", "plan"),
            _unit("SBF-MALTID", "Måltidsservice", "maltid"),
        ),
    ),
    _node(
        OrgKind.COMMITTEE,
        "KFN",
        "Kultur- och fritidsnämnden",
        _node(
            OrgKind.ADMINISTRATION,
            "KFF",
            "Kultur- och fritidsförvaltningen",
            _unit("BIBL-STAD", "Åsbacka stadsbibliotek", "bibliotek"),
            _unit("BIBL-NORRBY", "Norrby bibliotek", "bibliotek"),
            _unit("FG-HORNAN", "Fritidsgården Hörnan", "fritidsgard"),
            _unit("FG-KALLAREN", "Fritidsgården Källaren", "fritidsgard"),
            _unit("KFF-KULTURSKOLA", "Kulturskolan", "kulturskola"),
            _unit("KFF-BADET", "Åsbackabadet", "bad"),
        ),
    ),
    _node(
        OrgKind.COMMITTEE,
        "MBN",
        "Miljö- och byggnämnden",
        _node(
            OrgKind.ADMINISTRATION,
            "MBF",
            "Miljö- och byggförvaltningen",
            _unit("MBF-MILJO", "Miljöenheten", "miljo"),
            _unit("MBF-BYGG", "Bygglovsenheten", "bygglov"),
        ),
    ),
    _node(OrgKind.COMPANY, "ASBHEM", "Åsbackahem AB"),
)


def org_path(parent_path: str, code: str) -> str:
    """The materialised path exactly as ``OrgUnit.compute_path`` builds it."""
    return f"{parent_path}{code}{PATH_SEPARATOR}"


def build_org(root: OrgNode = DEMO_ORG) -> tuple[dict[str, OrgUnit], dict[str, str]]:
    """Create the tree under ``root`` with ``save()``; return units and tags by code."""
    units: dict[str, OrgUnit] = {}
    tags: dict[str, str] = {}

    def create(node: OrgNode, parent: OrgUnit | None, order: int) -> None:
        unit = OrgUnit(code=node.code, name=node.name, kind=node.kind, parent=parent, order=order)
        unit.save()
        units[node.code] = unit
        tags[node.code] = node.tag
        for i, child in enumerate(node.children, start=1):
            create(child, unit, i)

    create(root, None, 0)
    return units, tags


# --------------------------------------------------------------------------- wiping


def _history_models():
    models = [
        ItemIndicator,
        PriorityItem,
        Worksheet,
        PriorityRound,
        WheelStep,
        ActivityUpdate,
        GoalAssessment,
        Report,
        FollowUpRound,
        Measurement,
        Target,
        Activity,
        Indicator,
        Goal,
        Vision,
        BudgetYear,
        MandatePeriod,
        RoleAssignment,
        OrgUnit,
    ]
    history = [m.history.model for m in models]
    history.append(Indicator.history.model.goals.model)  # the history of the goal links
    history.append(FollowUpRound.history.model.scope.model)  # the history of round scopes
    history.append(PriorityItem.history.model.goals.model)  # the history of items' goals
    return history


def wipe() -> None:
    """Remove the follow-up rounds with their reports, the organisation, goals, indicators
    with their targets, values and Kolada values, activities, roles and demo users.

    The history of the removed rows goes too: the data set is rebuilt from nothing,
    so its history starts again with one "created" record per row. Perspectives are
    configuration, not demo data, and are kept.
    """
    # No "deleted" records for rows whose whole history is removed below.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        # Report PDFs and imports made in the demo (with their files) point at rounds,
        # units and demo users.
        for job in [*GeneratedReport.objects.all(), *WorkbookImport.objects.all()]:
            if job.file:
                job.file.delete(save=False)
        GeneratedReport.objects.all().delete()
        WorkbookImport.objects.all().delete()
        # Reports point at units, goals and activities: they go first. A closed round's
        # rows refuse ``delete()`` one by one (the lock); the queryset delete cascades
        # through the collector, which never calls it.
        FollowUpRound.objects.all().delete()
        # Priority rounds (with their worksheets, items and indicator links) point at
        # units, goals and indicators. The queryset delete never calls the items' lock.
        PriorityRound.objects.all().delete()
        WheelStep.objects.all().delete()
        Activity.objects.all().delete()
        KoladaValue.objects.all().delete()
        IndicatorLatest.objects.all().delete()
        Measurement.objects.all().delete()
        Target.objects.all().delete()
        Indicator.goals.through.objects.all().delete()
        Indicator.objects.all().delete()
        # Children first: a goal's parent is SET_NULL, which would rewrite the children.
        for level in (GoalLevel.UNIT, GoalLevel.COMMITTEE, GoalLevel.COUNCIL):
            Goal.objects.filter(level=level).delete()
        Goal.objects.all().delete()
        Vision.objects.all().delete()
        BudgetYear.objects.all().delete()
        MandatePeriod.objects.all().delete()
        RoleAssignment.objects.all().delete()
        get_user_model().objects.filter(username__in=PERSONA_USERNAMES).delete()
        get_user_model().objects.filter(username__startswith=DEMO_EDITOR_PREFIX).delete()
        # The parent link is PROTECT: remove the deepest units first.
        by_depth: dict[int, list[int]] = defaultdict(list)
        for pk, path in OrgUnit.objects.values_list("pk", "path"):
            by_depth[path.count(PATH_SEPARATOR)].append(pk)
        for depth in sorted(by_depth, reverse=True):
            OrgUnit.objects.filter(pk__in=by_depth[depth]).delete()
    for model in _history_models():
        model.objects.all().delete()


# --------------------------------------------------------------------------- periods


def ensure_perspectives() -> dict[str, Perspective]:
    """The four default perspectives (normally created by a data migration)."""
    found = {p.name: p for p in Perspective.objects.all()}
    for order, name in enumerate(PERSPECTIVES, start=1):
        if name not in found:
            found[name] = Perspective.objects.create(
                name=name, description=PERSPECTIVE_DESCRIPTIONS[name], order=order
            )
    return found


def create_period(first: int, last: int, plan_years: int = 2) -> MandatePeriod:
    period = MandatePeriod.objects.create(start_year=first, end_year=last)
    for year in range(first, last + 1):
        BudgetYear.objects.create(year=year, mandate_period=period, plan_years=plan_years)
    return period


VISION_TEXT = (
    "Åsbacka – där människor växer och hållbarheten är självklar. "
    "Vi är en trygg och öppen kommun där barn och unga lyckas, äldre lever ett "
    "självständigt liv och alla som kan arbeta har ett arbete att gå till."
)
EARLIER_VISION_TEXT = "Åsbacka – nära till allt, tillsammans för framtiden."


# --------------------------------------------------------------------------- activities


def activity_schedule(
    rng: random.Random, ref: datetime.date = REFERENCE_DATE
) -> tuple[datetime.date, datetime.date, str, int]:
    """Start, end, status and progress for one activity in 2025–2026, consistent with ``ref``.

    Finished on time ⇒ done and 100 %; started ⇒ in progress (or delayed) with a
    progress that follows the elapsed time; not started yet ⇒ 0 %.
    """
    start = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(0, 540))
    end = min(start + datetime.timedelta(days=rng.randrange(60, 420)), datetime.date(2026, 12, 31))
    if end < ref:
        roll = rng.random()
        if roll < 0.72:
            return start, end, ActivityStatus.DONE, 100
        if roll < 0.92:
            return start, end, ActivityStatus.DELAYED, rng.choice((40, 50, 60, 70, 80, 90))
        return start, end, ActivityStatus.CANCELLED, rng.choice((0, 10, 20, 30))
    if start > ref:
        return start, end, ActivityStatus.NOT_STARTED, 0
    share = (ref - start).days / max((end - start).days, 1)
    progress = max(5, min(95, int(round(share * 100 / 5)) * 5 + rng.choice((-10, -5, 0, 5))))
    if rng.random() < 0.15:
        return start, end, ActivityStatus.DELAYED, max(5, progress - 25)
    return start, end, ActivityStatus.IN_PROGRESS, progress


# --------------------------------------------------------------------------- indicators


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    name: str
    unit: str
    responsible: str  # org unit code
    decimals: int = 0
    direction: str = Direction.HIGHER
    frequency: str = Frequency.YEAR
    kind: str = IndicatorKind.RESULT
    source: str = IndicatorSource.MANUAL
    kolada_id: str = ""
    gender: bool = False
    baseline: str | None = None
    baseline_year: int | None = 2022
    description: str = ""


_H, _L, _T = Direction.HIGHER, Direction.LOWER, Direction.TARGET
_KOLADA, _IMPORT = IndicatorSource.KOLADA, IndicatorSource.IMPORT
_RES, _PERF, _RESOURCE = IndicatorKind.RESULT, IndicatorKind.PERFORMANCE, IndicatorKind.RESOURCE

INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("behoriga_yrk", "Andel elever i åk 9 som är behöriga till yrkesprogram", "%",
                  "BUF", 1, _H, source=_KOLADA, kolada_id="N15428", gender=True, baseline="84.2",
                  description="Elever i åk 9 som är behöriga till yrkesprogram, hemkommun."),
    IndicatorSpec("meritvarde", "Genomsnittligt meritvärde i åk 9 (17 ämnen)", "poäng", "BUF", 1,
                  _H, source=_IMPORT, gender=True, baseline="221.5"),
    IndicatorSpec("godkand_ma", "Andel elever i åk 9 med minst betyget E i matematik", "%",
                  "BUF-GRU", 1, _H, gender=True, baseline="86.0"),
    IndicatorSpec("lasning_ak3", "Andel elever i åk 3 som klarar nationella provet i läsförståelse",
                  "%", "BUF-GRU", 1, _H, gender=True, baseline="78.5"),
    IndicatorSpec("gym_examen", "Gymnasieelever med examen inom 4 år, hemkommun", "%",
                  "GYM-ASBACKA", 1, _H, source=_KOLADA, kolada_id="N17457", gender=True,
                  baseline="71.3"),
    IndicatorSpec("trygghet_skola", "Andel elever i åk 5 som känner sig trygga i skolan", "%",
                  "BUF-GRU", 0, _H, source=_IMPORT, gender=True, baseline="88"),
    IndicatorSpec("hemtjanst_helhet", "Brukarbedömning hemtjänst äldreomsorg - helhetssyn", "%",
                  "VOF-HT", 0, _H, source=_KOLADA, kolada_id="U21468", gender=True,
                  baseline="86"),
    IndicatorSpec("sabo_helhet", "Brukarbedömning särskilt boende äldreomsorg - helhetssyn", "%",
                  "VOF-SABO", 0, _H, source=_KOLADA, kolada_id="U23471", gender=True,
                  baseline="79"),
    IndicatorSpec("kontinuitet", "Antal personal som en hemtjänsttagare möter under 14 dagar",
                  "antal", "VOF-HT", 0, _L, source=_KOLADA, kolada_id="U21401", baseline="16"),
    IndicatorSpec("vantetid_sabo", "Väntetid i antal dagar till erbjudet särskilt boende",
                  "dagar", "VOF-BIST", 0, _L, source=_KOLADA, kolada_id="U23401",
                  baseline="74"),
    IndicatorSpec("fall", "Antal fallskador per 1 000 boende i särskilt boende", "antal",
                  "VOF-HSL", 1, _L, frequency=Frequency.TERTIAL, baseline="41.0"),
    IndicatorSpec("bistand_tid", "Handläggningstid för beslut om bistånd, median", "dagar",
                  "VOF-BIST", 0, _L, frequency=Frequency.TERTIAL, kind=_PERF, baseline="21"),
    IndicatorSpec("utredningstid_barn", "Handläggningstid för utredningar om barn och unga, median",
                  "dagar", "SOF-BOF", 0, _L, frequency=Frequency.TERTIAL, kind=_PERF,
                  baseline="131"),
    IndicatorSpec("ekb", "Invånare som någon gång under året erhållit ekonomiskt bistånd", "%",
                  "SOF-EKB", 1, _L, source=_KOLADA, kolada_id="N31807", gender=True,
                  baseline="4.1"),
    IndicatorSpec("ame_vidare", "Andel deltagare i arbetsmarknadsinsatser som gått vidare till "
                  "arbete eller studier", "%", "SOF-AME", 0, _H, gender=True, baseline="33"),
    IndicatorSpec("sjukfranvaro", "Sjukfrånvaro bland medarbetare", "%", "KLK-HR", 1, _L,
                  frequency=Frequency.MONTH, kind=_RESOURCE, source=_IMPORT, gender=True,
                  baseline="7.4"),
    IndicatorSpec("hme", "Hållbart medarbetarengagemang (HME), totalindex", "index", "KLK-HR", 0,
                  _H, source=_IMPORT, gender=True, baseline="78"),
    IndicatorSpec("heltid", "Andel tillsvidareanställda med heltidsanställning", "%", "KLK-HR", 0,
                  _H, kind=_RESOURCE, source=_IMPORT, gender=True, baseline="71"),
    IndicatorSpec("nettokostnadsavvikelse", "Nettokostnadsavvikelse", "%", "KLK-EKO", 1, _T,
                  kind=_RESOURCE, baseline="2.3",
                  description="Skillnad mellan faktisk och strukturellt förväntad nettokostnad."),
    IndicatorSpec("budgetavvikelse", "Budgetavvikelse, nämndens nettokostnad", "tkr", "KLK-EKO",
                  0, _T, frequency=Frequency.TERTIAL, kind=_RESOURCE, source=_IMPORT,
                  baseline="-4200"),
    IndicatorSpec("resultat", "Resultat i procent av skatteintäkter och generella statsbidrag", "%",
                  "KLK-EKO", 1, _H, kind=_RESOURCE, baseline="1.2"),
    IndicatorSpec("bibliotek_besok", "Antal besök på biblioteken per invånare", "antal", "KFF", 1,
                  _H, kind=_PERF, baseline="3.6"),
    IndicatorSpec("fritidsgard_flickor", "Andel flickor bland besökarna på fritidsgårdarna", "%",
                  "KFF", 0, _H, frequency=Frequency.TERTIAL, kind=_PERF, baseline="27"),
    IndicatorSpec("bygglov_tid", "Handläggningstid för bygglov från komplett ansökan, median",
                  "veckor", "MBF-BYGG", 1, _L, frequency=Frequency.TERTIAL, kind=_PERF,
                  baseline="6.5"),
    IndicatorSpec("vaxthusgas", "Utsläpp av växthusgaser per invånare", "ton CO2e", "KLK", 2, _L,
                  source=_KOLADA, kolada_id="N00401", baseline="3.85"),
    IndicatorSpec("energi_lokaler", "Energianvändning i kommunens lokaler", "kWh/m² Atemp",
                  "SBF-FAST", 0, _L, kind=_RESOURCE, baseline="142"),
    IndicatorSpec("matsvinn", "Tallrikssvinn i skolrestaurangerna", "gram/portion", "SBF-MALTID",
                  0, _L, frequency=Frequency.TERTIAL, baseline="38"),
    IndicatorSpec("nki", "Företagsklimat enligt SKR:s Insikt, NKI totalt", "index", "KLK-NL", 0,
                  _H, source=_IMPORT, baseline="69"),
    IndicatorSpec("bostader", "Färdigställda bostäder i nybyggda hus per 1 000 invånare", "antal",
                  "ASBHEM", 1, _H, source=_KOLADA, kolada_id="N07917", baseline="3.1"),
    IndicatorSpec("e_tjanster", "Antal e-tjänster för invånare och företag", "antal", "KLK-DIG", 0,
                  _H, kind=_PERF, baseline="24"),
    IndicatorSpec("forsta_kontakt", "Andel ärenden som löses vid första kontakten i kontaktcenter",
                  "%", "KLK-KC", 0, _H, frequency=Frequency.MONTH, kind=_PERF, baseline="58"),
    # The enhetschef persona's own figures, entered on the results page.
    IndicatorSpec("ekbacken_ma", "Andel elever i åk 9 med minst betyget E i matematik, "
                  "Ekbackens skola", "%", "SKOLA-EKBACKEN", 1, _H, gender=True, baseline="82.5"),
    IndicatorSpec("ekbacken_franvaro", "Andel elever med hög frånvaro (minst 15 %), "
                  "Ekbackens skola", "%", "SKOLA-EKBACKEN", 1, _L, frequency=Frequency.TERTIAL,
                  gender=True, baseline="14.2"),
)  # fmt: skip
# Indicators of one unit's goal only: (indicator, unit code, title of the unit goal).
UNIT_INDICATORS = (
    ("ekbacken_ma", "SKOLA-EKBACKEN", "Fler elever i årskurs 9 ska nå minst godkänt i matematik"),
    (
        "ekbacken_franvaro",
        "SKOLA-EKBACKEN",
        "Alla elever ska känna sig trygga under raster och i korridorer",
    ),
)


def indicator_from_spec(spec: IndicatorSpec, units: dict[str, OrgUnit]) -> Indicator:
    return Indicator(
        name=spec.name,
        description=spec.description,
        unit=spec.unit,
        decimals=spec.decimals,
        direction=spec.direction,
        frequency=spec.frequency,
        kind=spec.kind,
        source=spec.source,
        kolada_id=spec.kolada_id,
        gender_breakdown=spec.gender,
        baseline_value=Decimal(spec.baseline) if spec.baseline is not None else None,
        baseline_year=spec.baseline_year if spec.baseline is not None else None,
        responsible_unit=units[spec.responsible],
    )


# --------------------------------------------------------------------------- results

# The values of the demo: yearly 2019–2025, baseline 2022, targets 2023–2026.
RESULT_YEARS = tuple(range(2019, 2026))
BASELINE_YEAR = 2022
TERTIALS = ("2025-T1", "2025-T2", "2025-T3", "2026-T1", "2026-T2")
MONTHS = tuple(f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13))[:20]  # to 2026-08
# When the Kolada figures of the demo were fetched (spring 2026, after the 2025 publications).
KOLADA_FETCHED_AT = datetime.datetime(2026, 3, 2, 6, 15, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class ResultSpec:
    """An indicator's results in the demo.

    ``values`` are the totals of 2019–2025 as text (``None``: not reported); the
    2022 value is the baseline. ``targets`` (2023–2026) replaces the linear
    progression from the baseline to ``end`` where a committee planned otherwise.
    Women and men are derived from the total: ``women`` is the women's share of the
    total and ``gap`` how much higher the women's value is than the men's.
    """

    end: str
    values: tuple[str | None, ...]
    targets: tuple[str, str, str, str] | None = None
    tertials: tuple[str, ...] = ()  # TERTIALS
    months: tuple[str, ...] = ()  # MONTHS
    women: float = 0.5
    gap: float = 0.0
    comments: tuple[tuple[str, str], ...] = ()  # (period, comment on the total)


def _r(end: str, values: str, **kwargs) -> ResultSpec:
    parsed = tuple(None if v == "-" else v for v in values.split())
    for name in ("targets", "tertials", "months"):
        if name in kwargs:
            kwargs[name] = tuple(kwargs[name].split())
    return ResultSpec(end, parsed, **kwargs)


# Chosen so that the proposed fulfilment (goals/fulfilment.py) gives a mix:
# met, partly met and not met, with three indicators not reported for 2025.
RESULTS: dict[str, ResultSpec] = {
    "behoriga_yrk": _r("90.0", "83.1 85.0 83.6 84.2 85.9 86.8 87.4", women=0.49, gap=5.0),
    "meritvarde": _r("230.0", "218.4 223.0 220.1 221.5 224.8 227.3 229.6", women=0.49, gap=22),
    "godkand_ma": _r("90.0", "85.2 86.9 85.5 86.0 87.7 89.1 90.3", women=0.49, gap=0.8),
    "lasning_ak3": _r(
        "85.0", "80.2 77.9 76.8 78.5 77.6 76.9 73.9", women=0.49, gap=4.5,
        comments=(("2025", "Fler elever med kort tid i svensk skola i årskurs 3; "
                           "läsgrupper startade först i oktober."),),
    ),
    "gym_examen": _r("75.0", "69.8 72.4 70.6 71.3 72.9 73.8 74.6", women=0.48, gap=6.0),
    "trygghet_skola": _r("92", "90 89 87 88 86 85 84", women=0.49, gap=-2),
    "hemtjanst_helhet": _r("90", "88 89 87 86 87 88 89", women=0.65, gap=-1),
    "sabo_helhet": _r("85", "81 80 77 79 80 82 81", women=0.7, gap=-2),
    "kontinuitet": _r("12", "17 16 18 16 15 14 13"),
    "vantetid_sabo": _r(
        "60", "68 81 92 74 79 88 96", targets="74 72 66 60",
        comments=(("2025", "Rönnbackens ombyggnad har minskat antalet platser till "
                           "hösten 2026."),),
    ),
    "fall": _r(
        "34.0", "44.5 42.8 43.9 41.0 39.6 38.4 37.0", tertials="38.2 37.1 36.0 35.4 36.8"
    ),
    "bistand_tid": _r("14", "26 24 23 21 19 18 17", tertials="18 17 15 14 13"),
    "utredningstid_barn": _r(
        "110", "118 124 129 131 127 136 135", tertials="138 142 126 134 127",
        comments=(("2026-T2", "Två vakanta tjänster som socialsekreterare under våren."),),
    ),
    "ekb": _r("3.5", "4.6 4.8 4.4 4.1 3.9 3.8 3.5", women=0.5, gap=-0.4),
    "ame_vidare": _r("40", "29 24 27 33 35 37 -", women=0.45, gap=-6),
    "sjukfranvaro": _r(
        "6.5", "7.1 8.9 8.4 7.4 7.6 7.2 7.0", women=0.8, gap=2.5,
        months="8.1 7.9 7.4 7.0 6.6 6.4 5.2 5.9 6.9 7.3 7.6 7.8 "
               "7.7 7.5 7.1 6.8 6.3 6.1 5.0 6.6",
        comments=(("2020", "Pandemin: hög korttidsfrånvaro under våren och hösten."),),
    ),
    "hme": _r("82", "79 77 77 78 78 80 81", women=0.8, gap=1),
    "heltid": _r("80", "62 64 67 71 74 76 79", women=0.8, gap=-12),
    "nettokostnadsavvikelse": _r("0.0", "3.1 2.6 2.9 2.3 2.0 1.8 1.6"),
    "budgetavvikelse": _r(
        "0", "-6100 2300 1800 -4200 -2900 -1600 -1100", tertials="-2100 -1500 -1100 -600 0",
        comments=(("2026-T2", "Prognos för helåret: budget i balans."),),
    ),
    "resultat": _r(
        "2.0", "2.4 4.1 5.2 1.2 0.4 1.1 1.5",
        comments=(("2023", "Kraftigt ökade pensionskostnader och hög inflation."),),
    ),
    "bibliotek_besok": _r(
        "4.0", "4.1 2.2 2.6 3.6 3.8 3.9 4.0",
        comments=(("2020", "Begränsade öppettider under pandemin."),),
    ),
    "fritidsgard_flickor": _r("40", "25 22 24 27 31 33 34", tertials="33 31 37 38 37"),
    "bygglov_tid": _r("5.0", "7.2 8.1 7.0 6.5 5.9 5.6 5.3", tertials="5.6 5.1 5.2 4.9 4.8"),
    "vaxthusgas": _r("3.20", "4.21 3.92 4.05 3.85 3.71 3.60 3.52"),
    "energi_lokaler": _r("126", "151 149 147 142 139 137 -"),
    "matsvinn": _r("30", "45 44 41 38 35 33 32", tertials="33 34 30 30 31"),
    "nki": _r("75", "66 68 67 69 70 71 -"),
    "bostader": _r(
        "5.0", "4.8 3.9 4.4 3.1 2.2 1.6 1.9",
        comments=(("2024", "Byggstarten i kvarteret Lärkan sköts upp på grund av räntorna."),),
    ),
    "e_tjanster": _r("34", "12 15 19 24 26 29 33", targets="25 27 31 34"),
    "forsta_kontakt": _r(
        "70", "49 52 55 58 60 63 61",
        months="58 59 61 62 60 57 55 59 63 64 64 70 64 65 66 67 66 62 60 66",
    ),
    "ekbacken_ma": _r("90.0", "83.0 86.4 81.9 82.5 84.0 85.8 84.7", women=0.5, gap=1.5),
    # Up to 2026-T1: the value of the second tertial is for the enhetschef to enter.
    "ekbacken_franvaro": _r(
        "10.0", "9.8 13.5 15.1 14.2 13.6 12.9 12.1", tertials="12.8 10.9 12.4 11.6",
        women=0.5, gap=1.0,
    ),
}  # fmt: skip

# The whole country, as Kolada reports it (rounded), 2019–2025.
RIKET: dict[str, tuple[str, ...]] = {
    "N15428": ("84.4", "85.6", "85.9", "85.0", "84.9", "85.5", "85.7"),
    "N17457": ("71.9", "72.5", "72.9", "72.4", "72.1", "72.8", "73.2"),
    "U21468": ("88", "89", "88", "87", "87", "88", "88"),
    "U23471": ("82", "81", "80", "80", "81", "82", "82"),
    "U21401": ("16", "16", "16", "16", "15", "15", "15"),
    "U23401": ("62", "66", "72", "70", "68", "71", "69"),
    "N31807": ("4.3", "4.3", "4.1", "3.9", "3.8", "3.9", "3.9"),
    "N00401": ("4.25", "3.95", "4.10", "3.95", "3.80", "3.70", "3.62"),
    "N07917": ("4.6", "4.3", "4.6", "4.4", "3.3", "2.3", "2.1"),
}
RIKET_CODE = "0000"


def _quantize(value, decimals: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def _clip(value: float, unit: str, allow_negative: bool = False) -> float:
    if unit.strip() == "%":
        return min(max(value, 0.0), 100.0)
    return value if allow_negative else max(value, 0.0)


def new_measurement(
    indicator: Indicator,
    period: str,
    value: Decimal | None,
    gender: str = Gender.TOTAL,
    *,
    source: str = IndicatorSource.MANUAL,
    fetched_at: datetime.datetime | None = None,
    comment: str = "",
) -> Measurement:
    """An unsaved Measurement with ``year`` and ``sort_key`` set as ``save()`` would
    (``bulk_create`` does not call ``save()``)."""
    parsed = ReportingPeriod.parse(period)
    return Measurement(
        indicator=indicator,
        period=parsed.key,
        year=parsed.year,
        sort_key=parsed.sort_key,
        gender=gender,
        value=value,
        comment=comment,
        source=source,
        fetched_at=fetched_at,
    )


def own_source(indicator: Indicator) -> str:
    """Where the demo's values of an indicator come from.

    Only indicators with a Kolada id are filled from Kolada; the municipality's
    own figures keep their own source (manual entry or import), never Kolada.
    """
    if indicator.kolada_id and indicator.source == IndicatorSource.KOLADA:
        return IndicatorSource.KOLADA
    if indicator.source == IndicatorSource.IMPORT:
        return IndicatorSource.IMPORT
    return IndicatorSource.MANUAL


def _gender_split(
    rng: random.Random, total: Decimal, spec: ResultSpec, indicator: Indicator
) -> tuple[Decimal, Decimal]:
    """Women and men whose weighted mean is the total (up to rounding)."""
    gap = spec.gap * rng.uniform(0.8, 1.2)
    women = float(total) + (1 - spec.women) * gap
    men = float(total) - spec.women * gap
    allow_negative = float(total) < 0
    return (
        _quantize(_clip(women, indicator.unit, allow_negative), indicator.decimals),
        _quantize(_clip(men, indicator.unit, allow_negative), indicator.decimals),
    )


def seed_demo_results(indicators: dict[str, Indicator], rng: random.Random) -> None:
    """Targets, values (with gender where the statistics have it) and Kolada comparisons
    of the demo indicators, then the derived latest values."""
    targets: list[Target] = []
    measurements: list[Measurement] = []
    for key, indicator in indicators.items():
        spec = RESULTS[key]
        d = indicator.decimals
        baseline = Decimal(spec.values[RESULT_YEARS.index(BASELINE_YEAR)])
        if indicator.baseline_value != baseline:
            raise ValueError(f"{key}: the value of {BASELINE_YEAR} must be the baseline")
        years = linear_progression(
            baseline=baseline,
            baseline_year=BASELINE_YEAR,
            end_value=Decimal(spec.end),
            end_year=CURRENT_PERIOD[1],
            decimals=d,
        )
        if spec.targets:  # planned by hand, not linearly
            years = dict(zip(range(2023, 2027), map(Decimal, spec.targets), strict=True))
        targets += [Target(indicator=indicator, year=y, value=v) for y, v in years.items()]

        source = own_source(indicator)
        fetched_at = KOLADA_FETCHED_AT if source == IndicatorSource.KOLADA else None
        comments = dict(spec.comments)
        periods = [
            *((str(y), v) for y, v in zip(RESULT_YEARS, spec.values, strict=True)),
            *zip(TERTIALS, spec.tertials, strict=False),
            *zip(MONTHS, spec.months, strict=False),
        ]
        for period, text in periods:
            if text is None:
                continue
            value = Decimal(text)
            measurements.append(
                new_measurement(
                    indicator,
                    period,
                    value,
                    source=source,
                    fetched_at=fetched_at,
                    comment=comments.get(period, ""),
                )
            )
            if indicator.gender_breakdown:
                women, men = _gender_split(rng, value, spec, indicator)
                for gender, v in ((Gender.WOMEN, women), (Gender.MEN, men)):
                    measurements.append(
                        new_measurement(
                            indicator, period, v, gender, source=source, fetched_at=fetched_at
                        )
                    )
    bulk_create_with_history(targets, Target, batch_size=500)
    bulk_create_with_history(measurements, Measurement, batch_size=500)
    _seed_kolada_comparisons(indicators, rng)
    indicator_refresh_latest([i.pk for i in indicators.values()])


def _seed_kolada_comparisons(indicators: dict[str, Indicator], rng: random.Random) -> None:
    """Kolada rows (totals) for the demo's Kolada indicators: our own municipality with
    the same values as its measurements, the comparison municipalities and the country."""
    own = settings.LEDMOT_KOLADA_MUNICIPALITY
    rows: list[KoladaValue] = []
    for key, indicator in indicators.items():
        if own_source(indicator) != IndicatorSource.KOLADA:
            continue
        spec, d = RESULTS[key], indicator.decimals
        riket = RIKET[indicator.kolada_id]

        def row(code, year, value, indicator=indicator):
            return KoladaValue(
                kpi=indicator.kolada_id,
                municipality=code,
                year=year,
                gender=Gender.TOTAL,
                value=value,
                fetched_at=KOLADA_FETCHED_AT,
            )

        for year, text in zip(RESULT_YEARS, spec.values, strict=True):
            if text is not None:
                rows.append(row(own, year, Decimal(text)))
        for code in settings.LEDMOT_KOLADA_COMPARE:
            if code == own:
                continue
            if code == RIKET_CODE:
                rows += [row(code, y, Decimal(v)) for y, v in zip(RESULT_YEARS, riket, strict=True)]
                continue
            # A neighbour: the national level, shifted by its own profile, with some noise
            # (more for a small municipality such as Vadstena).
            spread = 0.12 if code == "0584" else 0.07
            level = rng.uniform(1 - spread, 1 + spread)
            for year, v in zip(RESULT_YEARS, riket, strict=True):
                noise = rng.gauss(0, spread / 3)
                value = _clip(float(v) * (level + noise), indicator.unit)
                rows.append(row(code, year, _quantize(value, d)))
    KoladaValue.objects.bulk_create(rows, batch_size=500)


# --------------------------------------------------------------------------- the goal chain


@dataclass(frozen=True)
class CouncilGoalSpec:
    key: str
    perspective: str
    title: str
    description: str = ""
    shared: bool = False
    status: str = GoalStatus.ADOPTED
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitGoalSpec:
    title: str
    tags: tuple[str, ...]  # the kinds of unit that take this goal ("*" = any unit)
    activities: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    limit: int = 3  # at most this many units get it


@dataclass(frozen=True)
class CommitteeGoalSpec:
    key: str
    committee: str
    council: str
    title: str
    unit_goals: tuple[UnitGoalSpec, ...] = ()
    indicators: tuple[str, ...] = ()
    activities: tuple[tuple[str, str], ...] = ()  # (owner code, title)
    status: str = GoalStatus.ADOPTED
    description: str = ""


COUNCIL_DECISION = ("KF 2022/318", "§ 142", datetime.date(2022, 11, 28))
VISION_DECISION = ("KF 2022/318, § 141", datetime.date(2022, 11, 28))
COUNCIL_REVISION = ("KF 2024/201", "§ 88", datetime.date(2024, 6, 17))

COUNCIL_GOALS: tuple[CouncilGoalSpec, ...] = (
    CouncilGoalSpec(
        "C1",
        "Medborgare",
        "Alla barn och unga ska ges förutsättningar att lyckas i skolan och i livet",
        "Förskola, skola, socialtjänst och fritid ska tillsammans ge varje barn en god start.",
        indicators=("behoriga_yrk",),
    ),
    CouncilGoalSpec(
        "C2",
        "Medborgare",
        "Äldre ska kunna leva ett tryggt, självständigt och meningsfullt liv",
        "Äldreomsorgen ska utgå från den enskildes behov, önskemål och delaktighet.",
        indicators=("hemtjanst_helhet", "sabo_helhet"),
    ),
    CouncilGoalSpec(
        "C3",
        "Medborgare",
        "Åsbacka ska vara en trygg, tillgänglig och levande kommun att bo och verka i",
        "Ett kommungemensamt mål som alla nämnder och bolag bryter ned.",
        shared=True,
    ),
    CouncilGoalSpec(
        "C8",
        "Medborgare",
        "Fler invånare ska ha egen försörjning genom arbete eller studier",
        indicators=("ekb",),
    ),
    CouncilGoalSpec(
        "C4",
        "Verksamhet",
        "Kommunens service ska vara enkel, digital och rättssäker",
        "Reviderat 2024: tillägget om rättssäkerhet i myndighetsutövningen.",
        status=GoalStatus.REVISED,
    ),
    CouncilGoalSpec(
        "C5",
        "Verksamhet",
        "Åsbacka ska minska sin klimatpåverkan och växa hållbart",
        indicators=("vaxthusgas",),
    ),
    CouncilGoalSpec(
        "C6",
        "Medarbetare",
        "Åsbacka kommun ska vara en attraktiv arbetsgivare med friska och engagerade medarbetare",
        "Ett kommungemensamt mål som alla nämnder bryter ned.",
        shared=True,
        indicators=("sjukfranvaro", "hme"),
    ),
    CouncilGoalSpec(
        "C7",
        "Ekonomi",
        "Verksamheterna ska bedrivas med god ekonomisk hushållning inom tilldelad budgetram",
        "Ett kommungemensamt mål: resultatet ska vara minst 2 procent av skatter och bidrag.",
        shared=True,
        indicators=("resultat", "nettokostnadsavvikelse"),
    ),
)
# Two more council goals for the large municipality.
EXTRA_COUNCIL_GOALS: tuple[CouncilGoalSpec, ...] = (
    CouncilGoalSpec(
        "C9",
        "Verksamhet",
        "Kvaliteten i välfärden ska öka genom systematiskt förbättringsarbete och innovation",
    ),
    CouncilGoalSpec(
        "C10",
        "Medarbetare",
        "Kompetensförsörjningen ska säkras genom gott ledarskap och livslångt lärande",
        shared=True,
    ),
)

_BUDGET_UG = UnitGoalSpec(
    "Enheten ska hålla sin budgetram",
    ("*",),
    ("Månatlig budgetuppföljning tillsammans med ekonom", "Översyn av bemanning och scheman"),
    ("budgetavvikelse",),
    limit=2,
)

COMMITTEE_GOALS: tuple[CommitteeGoalSpec, ...] = (
    # Kommunstyrelsen
    CommitteeGoalSpec(
        "KS1", "KS", "C3",
        "Fler invånare ska känna sig trygga i centrum och i sina bostadsområden",
        activities=(("KLK", "Trygghetsvandringar tillsammans med polisen och fastighetsägare"),),
    ),
    CommitteeGoalSpec(
        "KS2", "KS", "C4",
        "Invånare och företag ska kunna sköta fler ärenden digitalt, dygnet runt",
        unit_goals=(
            UnitGoalSpec(
                "Minst 70 procent av ärendena ska lösas vid första kontakten",
                ("kontaktcenter",),
                ("Gemensam kunskapsbank för kontaktcenter och förvaltningar",
                 "Utbildning i klarspråk för alla handläggare"),
                ("forsta_kontakt",),
            ),
            UnitGoalSpec(
                "Tio nya e-tjänster ska lanseras under 2025–2026",
                ("digital",),
                ("E-tjänst för ansökan om förskoleplats",
                 "E-legitimation i alla e-tjänster",
                 "Kartläggning av de 20 vanligaste pappersblanketterna"),
                ("e_tjanster",),
            ),
        ),
        indicators=("e_tjanster",),
    ),
    CommitteeGoalSpec(
        "KS3", "KS", "C8", "Åsbacka ska ha ett av länets bästa företagsklimat",
        unit_goals=(
            UnitGoalSpec(
                "Alla nya företag ska erbjudas ett etableringsmöte inom två veckor",
                ("naringsliv",),
                ("Företagsbesök med kommunalråd varje månad", "En väg in för företagare"),
            ),
        ),
        indicators=("nki",),
    ),
    CommitteeGoalSpec(
        "KS4", "KS", "C6", "Sjukfrånvaron i kommunen ska minska till högst 6,5 procent 2026",
        unit_goals=(
            UnitGoalSpec(
                "Alla chefer ska ha genomgått utbildning i tidig rehabilitering",
                ("hr",),
                ("Chefsutbildning i rehabiliteringsprocessen",
                 "Digitalt stöd för sjuk- och friskanmälan"),
            ),
        ),
        indicators=("sjukfranvaro",),
    ),
    CommitteeGoalSpec(
        "KS5", "KS", "C7",
        "Kommunens resultat ska uppgå till minst 2 procent av skatter och statsbidrag",
        unit_goals=(
            UnitGoalSpec(
                "Månadsuppföljningen ska vara klar senast den åttonde arbetsdagen",
                ("ekonomi",),
                ("Automatiserade periodiseringar i ekonomisystemet",),
            ),
        ),
        indicators=("resultat",),
    ),
    CommitteeGoalSpec(
        "KS6", "KS", "C5", "Kommunkoncernens energianvändning ska minska med 10 procent till 2026"
    ),
    # Barn- och utbildningsnämnden
    CommitteeGoalSpec(
        "BUN1", "BUN", "C1", "Andelen elever som når kunskapskraven i alla ämnen ska öka",
        unit_goals=(
            UnitGoalSpec(
                "Fler elever i årskurs 9 ska nå minst godkänt i matematik",
                ("skola",),
                ("Lärarledd läxhjälp två dagar i veckan",
                 "Kollegialt lärande i matematikdidaktik",
                 "Extra undervisningstid i matematik inför de nationella proven"),
                ("godkand_ma",),
            ),
            UnitGoalSpec(
                "Alla elever ska kunna läsa med flyt i slutet av årskurs 3",
                ("skola",),
                ("Kartläggning av läsförmågan med Skolverkets bedömningsstöd",
                 "Läsombud i varje arbetslag",
                 "Daglig lästräning i lågstadiet"),
                ("lasning_ak3",),
            ),
        ),
        indicators=("behoriga_yrk", "meritvarde"),
        activities=(("BUF", "Gemensam plan för läsa–skriva–räkna i förskoleklass till årskurs 3"),),
    ),
    CommitteeGoalSpec(
        "BUN2", "BUN", "C1", "Alla barn i förskolan ska få en god språkutveckling",
        unit_goals=(
            UnitGoalSpec(
                "Alla barn ska få högläsning och samtal om texter varje dag",
                ("forskola",),
                ("Läsvila efter lunch på alla avdelningar", "Språkombud i varje arbetslag"),
            ),
            UnitGoalSpec(
                "Flerspråkiga barn ska få stöd i både svenska och sitt modersmål",
                ("forskola",),
                ("Digitala bilderböcker på flera språk", "Samarbete med modersmålsenheten"),
                limit=2,
            ),
        ),
    ),
    CommitteeGoalSpec(
        "BUN3", "BUN", "C1", "Elevernas upplevda trygghet och studiero ska öka",
        unit_goals=(
            UnitGoalSpec(
                "Alla elever ska känna sig trygga under raster och i korridorer",
                ("skola",),
                ("Trygghetsvandring med elevrådet", "Rastvärdsschema med fokus på otrygga platser"),
                ("trygghet_skola",),
            ),
            UnitGoalSpec(
                "Elevhälsan ska arbeta förebyggande och hälsofrämjande på alla skolor",
                ("elevhalsa",),
                ("Hälsosamtal i årskurs 4, 7 och gymnasiets första år",
                 "Månadsvis frånvarokartläggning tillsammans med rektorerna"),
            ),
        ),
        indicators=("trygghet_skola",),
    ),
    CommitteeGoalSpec(
        "BUN4", "BUN", "C1", "Fler elever ska ta gymnasieexamen inom fyra år",
        unit_goals=(
            UnitGoalSpec(
                "Andelen elever med examen inom tre år ska öka till 75 procent",
                ("gymnasium",),
                ("Mentorssamtal varannan vecka för elever med varningar",
                 "Studiestöd i skolans lärcentrum"),
                ("gym_examen",),
            ),
        ),
        indicators=("gym_examen",),
    ),
    CommitteeGoalSpec(
        "BUN5", "BUN", "C6", "Sjukfrånvaron bland medarbetare i förskola och skola ska minska",
        unit_goals=(
            UnitGoalSpec(
                "Den korta sjukfrånvaron ska minska till under 3 procent",
                ("forskola", "skola"),
                ("Friskvårdstimme för alla medarbetare",
                 "Gemensam vikariepool för förskolorna",
                 "Arbetsmiljökartläggning tillsammans med skyddsombud"),
                ("sjukfranvaro",),
                limit=4,
            ),
        ),
        indicators=("sjukfranvaro",),
    ),
    CommitteeGoalSpec(
        "BUN6", "BUN", "C7", "Barn- och utbildningsnämnden ska ha en budget i balans",
        unit_goals=(_BUDGET_UG,),
        indicators=("budgetavvikelse",),
    ),
    CommitteeGoalSpec(
        "BUN8", "BUN", "C5", "Förskolor och skolor ska arbeta aktivt med hållbar utveckling",
        unit_goals=(
            UnitGoalSpec(
                "Förskolan ska vara certifierad enligt Grön Flagg",
                ("forskola",),
                ("Miljöråd med barnen varje månad", "Odling och kompostering på förskolegården"),
                limit=2,
            ),
        ),
    ),
    # Vård- och omsorgsnämnden
    CommitteeGoalSpec(
        "VON1", "VON", "C2", "De äldre ska vara nöjda med sin hemtjänst",
        unit_goals=(
            UnitGoalSpec(
                "Kontinuiteten ska öka: högst 12 personal på 14 dagar",
                ("hemtjanst",),
                ("Mindre arbetslag per geografiskt område",
                 "Planering med kontaktmannaskap i planeringssystemet"),
                ("kontinuitet",),
            ),
            UnitGoalSpec(
                "Alla brukare ska ha en aktuell genomförandeplan",
                ("hemtjanst",),
                ("Uppföljning av genomförandeplaner var sjätte månad",),
                limit=2,
            ),
        ),
        indicators=("hemtjanst_helhet", "kontinuitet"),
        activities=(("VOF", "Upphandling av nytt planeringssystem för hemtjänsten"),),
    ),
    CommitteeGoalSpec(
        "VON2", "VON", "C2", "De boende i särskilt boende ska uppleva en meningsfull vardag",
        unit_goals=(
            UnitGoalSpec(
                "Varje boende ska erbjudas minst en individuell aktivitet i veckan",
                ("boende",),
                ("Aktivitetsombud på varje avdelning",
                 "Musik och sång tillsammans med kulturskolan",
                 "Promenadvänner i samarbete med civilsamhället"),
            ),
            UnitGoalSpec(
                "Måltiden ska vara en trevlig stund anpassad efter den enskildes önskemål",
                ("boende",),
                ("Måltidsombud och matråd med de boende",),
                limit=2,
            ),
        ),
        indicators=("sabo_helhet",),
    ),
    CommitteeGoalSpec(
        "VON3", "VON", "C2", "Fallskadorna bland äldre ska minska",
        unit_goals=(
            UnitGoalSpec(
                "Alla boende ska ha en aktuell riskbedömning för fall, trycksår och undernäring",
                ("hsl",),
                ("Riskbedömningar registreras i Senior alert",
                 "Balansträning i grupp två gånger i veckan"),
                ("fall",),
            ),
        ),
        indicators=("fall",),
    ),
    CommitteeGoalSpec(
        "VON4", "VON", "C4", "Beslut om bistånd ska vara snabba och rättssäkra",
        unit_goals=(
            UnitGoalSpec(
                "Beslut om bistånd ska fattas inom 14 dagar från ansökan",
                ("bistand",),
                ("Digital ansökan om hemtjänst", "Ärendedragning varje vecka"),
                ("bistand_tid",),
            ),
        ),
        indicators=("bistand_tid", "vantetid_sabo"),
        status=GoalStatus.REVISED,
    ),
    CommitteeGoalSpec(
        "VON5", "VON", "C6",
        "Fler medarbetare i vård och omsorg ska ha heltidsanställning och rätt kompetens",
        unit_goals=(
            UnitGoalSpec(
                "Andelen undersköterskor med skyddad yrkestitel ska öka",
                ("boende", "hemtjanst"),
                ("Validering av undersköterskekompetens",
                 "Språkombud och språkstöd för medarbetare"),
                ("heltid",),
            ),
        ),
        indicators=("heltid",),
    ),
    CommitteeGoalSpec(
        "VON6", "VON", "C7",
        "Kostnaden per brukare i hemtjänsten ska ligga i nivå med jämförbara kommuner",
        unit_goals=(
            UnitGoalSpec(
                "Brukartiden ska vara minst 65 procent av den arbetade tiden",
                ("hemtjanst",),
                ("Optimerade körvägar i planeringssystemet",),
                limit=2,
            ),
        ),
        indicators=("nettokostnadsavvikelse",),
    ),
    # Socialnämnden
    CommitteeGoalSpec(
        "SN1", "SN", "C1", "Barn och unga i behov av stöd ska få tidiga och samordnade insatser",
        unit_goals=(
            UnitGoalSpec(
                "Utredningar om barn och unga ska vara klara inom 120 dagar",
                ("ifo_barn",),
                ("Veckovis genomgång av utredningstider",
                 "Barns behov i centrum (BBIC) i alla utredningar"),
                ("utredningstid_barn",),
            ),
            UnitGoalSpec(
                "Fler föräldrar ska delta i föräldraskapsstöd",
                ("familjecentral",),
                ("ABC-grupper på arabiska och somaliska", "Öppen förskola två kvällar i månaden"),
            ),
        ),
        indicators=("utredningstid_barn",),
    ),
    CommitteeGoalSpec(
        "SN2", "SN", "C8",
        "Fler personer med ekonomiskt bistånd ska gå vidare till arbete eller studier",
        unit_goals=(
            UnitGoalSpec(
                "Alla med ekonomiskt bistånd och arbetsförmåga ska ha en planering mot egen "
                "försörjning",
                ("ekb",),
                ("Gemensamma planeringsmöten med arbetsmarknadsenheten",),
            ),
            UnitGoalSpec(
                "Minst 40 procent av deltagarna ska gå vidare till arbete eller studier",
                ("ame",),
                ("Yrkessvenska i samarbete med vuxenutbildningen",
                 "Praktikplatser i kommunens verksamheter"),
                ("ame_vidare",),
            ),
        ),
        indicators=("ekb", "ame_vidare"),
    ),
    CommitteeGoalSpec(
        "SN3", "SN", "C3", "Fler våldsutsatta ska upptäckas och få stöd",
        unit_goals=(
            UnitGoalSpec(
                "Alla handläggare ska använda FREDA-bedömning vid misstanke om våld",
                ("ifo_vuxen",),
                ("Utbildning i FREDA för alla handläggare",),
            ),
        ),
    ),
    CommitteeGoalSpec(
        "SN4", "SN", "C6", "Personalomsättningen bland socialsekreterare ska minska",
        unit_goals=(
            UnitGoalSpec(
                "Alla nya socialsekreterare ska ha en mentor under första året",
                ("ifo_barn", "ifo_vuxen", "ekb"),
                ("Introduktionsprogram för nyanställda",),
                limit=2,
            ),
        ),
    ),
    CommitteeGoalSpec(
        "SN5", "SN", "C7", "Kostnaderna för externa placeringar ska minska",
        unit_goals=(
            UnitGoalSpec(
                "Fler barn ska få stöd i hemmet i stället för att placeras",
                ("ifo_barn",),
                ("Två nya familjebehandlare i öppenvården",),
            ),
        ),
        indicators=("budgetavvikelse",),
    ),
    # Samhällsbyggnadsnämnden
    CommitteeGoalSpec(
        "SBN1", "SBN", "C3", "Gator, parker och lekplatser ska vara trygga och tillgängliga",
        unit_goals=(
            UnitGoalSpec(
                "Belysningen ska förbättras på tio platser som invånarna upplever som otrygga",
                ("gata",),
                ("Trygghetsvandringar med invånare",
                 "LED-belysning på gång- och cykelvägar"),
            ),
            UnitGoalSpec(
                "Alla lekplatser ska besiktas och åtgärdas enligt plan",
                ("gata",),
                ("Årlig huvudbesiktning av lekplatser",),
            ),
        ),
    ),
    CommitteeGoalSpec(
        "SBN2", "SBN", "C5", "Kommunens fastigheter och fordon ska vara fossilfria till 2030",
        unit_goals=(
            UnitGoalSpec(
                "Energianvändningen i kommunens fastigheter ska minska med 3 procent per år",
                ("fastighet",),
                ("Solceller på tre skolor", "Nya ventilationsaggregat på Åsbackabadet"),
                ("energi_lokaler",),
            ),
            UnitGoalSpec(
                "Matsvinnet i skolrestaurangerna ska minska till under 30 gram per portion",
                ("maltid",),
                ("Mätning av tallrikssvinn en vecka per termin", "Svinnsmart menyplanering"),
                ("matsvinn",),
            ),
        ),
        indicators=("energi_lokaler",),
        activities=(("SBF", "Laddinfrastrukturplan för kommunens fordon"),),
    ),
    CommitteeGoalSpec(
        "SBN3", "SBN", "C4", "Detaljplaner ska tas fram inom avtalad tid",
        unit_goals=(
            UnitGoalSpec(
                "Nio av tio detaljplaner ska antas inom tidplanen",
                ("plan",),
                ("Digitala detaljplaner enligt Boverkets föreskrifter",),
            ),
        ),
    ),
    CommitteeGoalSpec(
        "SBN4", "SBN", "C7", "Samhällsbyggnadsnämnden ska ha en budget i balans",
        unit_goals=(_BUDGET_UG,),
        indicators=("budgetavvikelse",),
    ),
    CommitteeGoalSpec(
        "SBN5", "SBN", "C6", "Medarbetarengagemanget i förvaltningen ska öka",
        unit_goals=(
            UnitGoalSpec(
                "Arbetsplatsträffarna ska ha en stående punkt om arbetsmiljö",
                ("*",),
                ("Arbetsmiljöronder tillsammans med skyddsombud",),
                limit=2,
            ),
        ),
        indicators=("hme",),
    ),
    # Kultur- och fritidsnämnden
    CommitteeGoalSpec(
        "KFN1", "KFN", "C1", "Fler barn och unga ska delta i kultur- och fritidsaktiviteter",
        unit_goals=(
            UnitGoalSpec(
                "Minst 40 procent av besökarna på fritidsgården ska vara flickor",
                ("fritidsgard",),
                ("Tjejkvällar varje vecka", "Öppet på lördagar"),
                ("fritidsgard_flickor",),
            ),
            UnitGoalSpec(
                "Kön till kulturskolan ska halveras",
                ("kulturskola",),
                ("Avgiftsfri prova-på-termin", "Kulturskolan på fritids i alla skolor"),
            ),
        ),
        indicators=("fritidsgard_flickor",),
    ),
    CommitteeGoalSpec(
        "KFN2", "KFN", "C3", "Biblioteken ska vara öppna och tillgängliga mötesplatser för alla",
        unit_goals=(
            UnitGoalSpec(
                "Antalet besök ska öka med 10 procent",
                ("bibliotek",),
                ("Meröppet på kvällar och helger",
                 "Läsfrämjande aktiviteter för barn på lördagar",
                 "Digital hjälp för seniorer varje vecka"),
                ("bibliotek_besok",),
            ),
        ),
        indicators=("bibliotek_besok",),
    ),
    CommitteeGoalSpec(
        "KFN3", "KFN", "C6",
        "Sjukfrånvaron i kultur- och fritidsförvaltningen ska vara under 5 procent",
        unit_goals=(
            UnitGoalSpec(
                "Alla medarbetare ska ha en individuell kompetensplan",
                ("*",),
                ("Kompetenskartläggning i samband med medarbetarsamtalen",),
                limit=2,
            ),
        ),
        indicators=("sjukfranvaro",),
    ),
    CommitteeGoalSpec(
        "KFN4", "KFN", "C7", "Intäkterna från uthyrning av anläggningar ska öka",
        unit_goals=(
            UnitGoalSpec(
                "Besöken på Åsbackabadet ska öka till 120 000 per år",
                ("bad",),
                ("Nya öppettider för familjesim", "Babysim och vattengympa i egen regi"),
            ),
        ),
    ),
    # Miljö- och byggnämnden
    CommitteeGoalSpec(
        "MBN1", "MBN", "C4", "Bygglovsbeslut ska fattas snabbt och med god service",
        unit_goals=(
            UnitGoalSpec(
                "Handläggningstiden för bygglov ska vara högst fem veckor från komplett ansökan",
                ("bygglov",),
                ("E-tjänst för bygglovsansökan", "Förhandsmöten för större byggprojekt"),
                ("bygglov_tid",),
            ),
        ),
        indicators=("bygglov_tid", "nki"),
    ),
    CommitteeGoalSpec(
        "MBN2", "MBN", "C5", "Tillsynen ska bidra till en giftfri miljö och minskade utsläpp",
        unit_goals=(
            UnitGoalSpec(
                "Alla prioriterade verksamheter ska få tillsynsbesök enligt tillsynsplanen",
                ("miljo",),
                ("Kemikalietillsyn i förskolor", "Inventering av enskilda avlopp i Norrby"),
            ),
        ),
    ),
    CommitteeGoalSpec(
        "MBN3", "MBN", "C7", "Avgiftsfinansieringen av tillsynen ska öka till 70 procent",
        unit_goals=(
            UnitGoalSpec(
                "Alla tillsynsärenden ska debiteras enligt taxan inom en månad",
                ("miljo",),
                ("Rutin för löpande fakturering av tillsyn",),
            ),
        ),
    ),
    # Åsbackahem AB
    CommitteeGoalSpec(
        "HEM1", "ASBHEM", "C3", "Åsbackahem ska bygga 150 nya hyresrätter under mandatperioden",
        indicators=("bostader",),
    ),
    CommitteeGoalSpec(
        "HEM2", "ASBHEM", "C5",
        "Energianvändningen i bostadsbeståndet ska minska med 15 procent till 2026",
    ),
)  # fmt: skip

# Deliberate imperfections, so that Målstrukturanalys has something to show.
PROPOSED_COMMITTEE_GOAL = CommitteeGoalSpec(
    "BUN7",
    "BUN",
    "C1",
    "Alla elever i årskurs 8 och 9 ska erbjudas lovskola",
    status=GoalStatus.PROPOSED,
    description="Förslag från förvaltningen inför budget 2027.",
)
ENDED_COMMITTEE_GOAL = CommitteeGoalSpec(
    "VON7",
    "VON",
    "C2",
    "Nattfastan för boende i särskilt boende ska vara högst 11 timmar",
    description="Avslutat 2025: ingår i stället i nämndens kvalitetsuppföljning.",
)
BROKEN_UNIT_GOAL = (
    "BOENDE-SOLGARDEN",
    "Sent kvällsmål och tidig frukost ska korta nattfastan på Solgården",
    "Kvällsmål serveras efter klockan 20",
)
PROPOSED_UNIT_GOALS = (
    ("SKOLA-EKBACKEN", "BUN1", "Alla elever ska ha en egen digital enhet från årskurs 4"),
    ("HT-NORR", "VON1", "Alla brukare ska erbjudas digital tillsyn nattetid"),
)
# Units that always take a goal whose tags match (the personas' units and the like).
FEATURED_UNITS = ("SKOLA-EKBACKEN", "BOENDE-SOLGARDEN", "HT-NORR", "BIBL-STAD")

EARLIER_GOALS = (
    ("Medborgare", "Åsbacka ska vara en av länets bästa skolkommuner 2022", "BUN",
     "Andelen behöriga till gymnasiet ska öka till 90 procent"),
    ("Verksamhet", "Alla invånare ska ha tillgång till bredband 2022", "KS",
     "Fiber ska vara utbyggt till alla tätorter"),
    ("Ekonomi", "Kommunen ska ha ett resultat på minst 1 procent varje år", "KS",
     "Alla nämnder ska hålla sin budgetram"),
)  # fmt: skip


# --------------------------------------------------------------------------- the result


@dataclass
class SeedResult:
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)  # user, pw, role, unit


def count_rows() -> dict[str, int]:
    return {
        "org_units": OrgUnit.objects.count(),
        "committees": OrgUnit.objects.filter(kind=OrgKind.COMMITTEE).count(),
        "units": OrgUnit.objects.filter(kind=OrgKind.UNIT).count(),
        "council_goals": Goal.objects.filter(level=GoalLevel.COUNCIL).count(),
        "committee_goals": Goal.objects.filter(level=GoalLevel.COMMITTEE).count(),
        "unit_goals": Goal.objects.filter(level=GoalLevel.UNIT).count(),
        "goals": Goal.objects.count(),
        "activities": Activity.objects.count(),
        "indicators": Indicator.objects.count(),
        "indicator_links": Indicator.goals.through.objects.count(),
        "targets": Target.objects.count(),
        "measurements": Measurement.objects.count(),
        "kolada_values": KoladaValue.objects.count(),
        "followup_rounds": FollowUpRound.objects.count(),
        "reports": Report.objects.count(),
    }


def login_table(result: SeedResult, url: str = DEMO_URL) -> str:
    rows = [("Användarnamn", "Lösenord", "Roll", "Enhet"), *result.logins]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join([*lines, "", f"Öppna {url} och logga in."])


# --------------------------------------------------------------------------- personas


def create_personas(units: dict[str, OrgUnit], password: str = DEMO_PASSWORD):
    """One login per role; returns the rows of the login table."""
    user_model = get_user_model()
    logins = []
    for p in PERSONAS:
        user = user_model(
            username=p.username,
            first_name=p.first_name,
            last_name=p.last_name,
            email=f"{p.username}@asbacka.example",
            is_staff=p.superuser,
            is_superuser=p.superuser,
        )
        user.set_password(password)
        user.save()
        unit = units[p.unit_code]
        RoleAssignment.objects.create(user=user, org_unit=unit, role=p.role)
        logins.append((p.username, password, str(Role(p.role).label), unit.name))
    return logins


# --------------------------------------------------------------------------- seed_demo


def _smart(rng: random.Random, goal: Goal, probability: float) -> None:
    for name in (
        "smart_specific",
        "smart_measurable",
        "smart_accepted",
        "smart_realistic",
        "smart_timebound",
    ):
        setattr(goal, name, rng.random() < probability)


def _decision(
    rng: random.Random, code: str, year: int, month: int
) -> tuple[str, str, datetime.date]:
    return (
        f"{code} {year}/{rng.randrange(10, 400)}",
        f"§ {rng.randrange(5, 160)}",
        datetime.date(year, month, rng.randrange(1, 28)),
    )


def seed_demo() -> SeedResult:
    """Wipe and rebuild the demo municipality Åsbacka kommun (deterministic)."""
    rng = random.Random(SEED)
    with transaction.atomic():
        wipe()
        perspectives = ensure_perspectives()
        units, tags = build_org()
        chiefs = {code: person_name(rng) for code in units}
        chiefs["SKOLA-EKBACKEN"] = "Karin Ekström"
        chiefs["BUF"] = "Johan Bergström"

        # Periods and visions
        earlier = create_period(*EARLIER_PERIOD)
        Vision.objects.create(
            mandate_period=earlier,
            text=EARLIER_VISION_TEXT,
            decision_reference="KF 2018/402, § 159",
            decided_on=datetime.date(2018, 11, 26),
        )
        period = create_period(*CURRENT_PERIOD)
        Vision.objects.create(
            mandate_period=period,
            text=VISION_TEXT,
            decision_reference=VISION_DECISION[0],
            decided_on=VISION_DECISION[1],
        )
        _seed_earlier_period(rng, earlier, units, perspectives)

        # Council goals
        council: dict[str, Goal] = {}
        for order, spec in enumerate(COUNCIL_GOALS, start=1):
            goal = Goal(
                level=GoalLevel.COUNCIL,
                mandate_period=period,
                owner=units["KF"],
                title=spec.title,
                description=spec.description,
                perspective=perspectives[spec.perspective],
                shared=spec.shared,
                status=GoalStatus.ADOPTED,
                decision_reference=COUNCIL_DECISION[0],
                decision_paragraph=COUNCIL_DECISION[1],
                decided_on=COUNCIL_DECISION[2],
                responsible="Kommunstyrelsen" if order % 3 else "",
                order=order,
            )
            _smart(rng, goal, 0.5)
            goal.save()
            if spec.status == GoalStatus.REVISED:
                goal.status = GoalStatus.REVISED
                goal.decision_reference, goal.decision_paragraph, goal.decided_on = COUNCIL_REVISION
                goal.version += 1
                goal.save()
            council[spec.key] = goal

        # Committee goals, unit goals and activities
        committee_goals: dict[str, Goal] = {}
        unit_goals_by_title: dict[str, list[Goal]] = defaultdict(list)
        order_in_parent: dict[int, int] = defaultdict(int)
        for spec in (*COMMITTEE_GOALS, PROPOSED_COMMITTEE_GOAL, ENDED_COMMITTEE_GOAL):
            parent = council[spec.council]
            committee = units[spec.committee]
            order_in_parent[parent.pk] += 1
            goal = Goal(
                level=GoalLevel.COMMITTEE,
                mandate_period=period,
                parent=parent,
                owner=committee,
                title=spec.title,
                description=spec.description,
                perspective=parent.perspective,
                status=GoalStatus.PROPOSED
                if spec.status == GoalStatus.PROPOSED
                else GoalStatus.ADOPTED,
                responsible=_committee_responsible(rng, committee, units, chiefs),
                order=order_in_parent[parent.pk],
            )
            if spec.status != GoalStatus.PROPOSED:
                goal.decision_reference, goal.decision_paragraph, goal.decided_on = _decision(
                    rng, spec.committee if spec.committee != "ASBHEM" else "ÅH", 2023, 2
                )
            _smart(rng, goal, 0.8)
            goal.save()
            if spec.status == GoalStatus.REVISED:
                goal.status = GoalStatus.REVISED
                ref, para, _day = _decision(rng, spec.committee, 2024, 5)
                goal.decision_reference, goal.decision_paragraph = ref, para
                goal.decided_on = datetime.date(2024, 5, 21)
                goal.version += 1
                goal.save()
            committee_goals[spec.key] = goal

            for owner_code, title in spec.activities:
                _create_activity(rng, goal, units[owner_code], title, chiefs[owner_code], 1)

            subtree = [
                code
                for code, u in units.items()
                if u.kind == OrgKind.UNIT and u.path.startswith(committee.path)
            ]
            for ug_order, ug in enumerate(spec.unit_goals, start=1):
                matching = [c for c in subtree if "*" in ug.tags or tags[c] in ug.tags]
                chosen = [c for c in matching if c in FEATURED_UNITS]
                rest = [c for c in matching if c not in chosen]
                chosen += rng.sample(rest, min(len(rest), max(ug.limit - len(chosen), 0)))
                for code in sorted(chosen, key=lambda c: units[c].path):
                    unit_goal = _create_unit_goal(
                        rng, goal, units[code], ug.title, chiefs[code], ug_order
                    )
                    unit_goals_by_title[ug.title].append(unit_goal)
                    n = rng.choices((0, 1, 2, 3), weights=(12, 40, 33, 15))[0]
                    picks = rng.sample(ug.activities, min(n, len(ug.activities)))
                    for a_order, title in enumerate(picks, start=1):
                        _create_activity(rng, unit_goal, units[code], title, None, a_order)

        # Proposed unit goals (no activities yet).
        for code, parent_key, title in PROPOSED_UNIT_GOALS:
            _create_unit_goal(
                rng,
                committee_goals[parent_key],
                units[code],
                title,
                chiefs[code],
                9,
                status=GoalStatus.PROPOSED,
            )

        # A committee goal ended while its unit goal lives on: a broken chain.
        ended = committee_goals[ENDED_COMMITTEE_GOAL.key]
        code, title, activity = BROKEN_UNIT_GOAL
        orphan = _create_unit_goal(rng, ended, units[code], title, chiefs[code], 1)
        _create_activity(rng, orphan, units[code], activity, chiefs[code], 1)
        ended.status = GoalStatus.ENDED
        ended.decision_reference, ended.decision_paragraph, ended.decided_on = (
            "VON 2025/104",
            "§ 71",
            datetime.date(2025, 9, 16),
        )
        ended.version += 1
        ended.save()

        # Indicators
        council_specs = {s.key: s for s in COUNCIL_GOALS}
        links: dict[str, list[Goal]] = defaultdict(list)
        for key, spec in council_specs.items():
            for ind in spec.indicators:
                links[ind].append(council[key])
        for spec in (*COMMITTEE_GOALS, PROPOSED_COMMITTEE_GOAL, ENDED_COMMITTEE_GOAL):
            for ind in spec.indicators:
                links[ind].append(committee_goals[spec.key])
            for ug in spec.unit_goals:
                for ind in ug.indicators:
                    links[ind].extend(unit_goals_by_title[ug.title])
        for ind, code, title in UNIT_INDICATORS:
            links[ind] += [g for g in unit_goals_by_title[title] if g.owner_id == units[code].pk]
        indicators: dict[str, Indicator] = {}
        for spec in INDICATORS:
            indicator = indicator_from_spec(spec, units)
            indicator.save()
            goals = list(dict.fromkeys(links.get(spec.key, [])))
            if goals:
                indicator.goals.add(*goals)
            indicators[spec.key] = indicator

        # Targets, values and Kolada comparisons (an rng of their own: adding results
        # does not change anything generated before them).
        seed_demo_results(indicators, random.Random(SEED + 1))

        logins = create_personas(units)

        # The follow-up of 2026 (an rng of its own, like the results).
        seed_demo_followup(units, chiefs, random.Random(SEED + 2))
        seed_demo_wheel()
        seed_demo_priorities(units, chiefs)
    return SeedResult(counts=count_rows(), logins=logins)


# --------------------------------------------------------------------------- priorities


@dataclass(frozen=True)
class PrioritySpec:
    """One proposal in the demo round (prioriteringsobjekt with its fact sheet)."""

    committee: str
    kind: str
    title: str
    assessment: tuple[int, int, int, int]  # severity, effect, cost/effect, evidence
    costs: tuple[int, int, int]  # 2027, 2028, 2029 (a saving is negative)
    description: str
    target_group: str = ""
    situation: str = ""
    staff: str | None = None
    one_off: bool = False
    lands: str = "i"  # i = individen, s = samhället, o = organisationen
    goals: tuple[str, ...] = ()  # council goal keys
    indicators: tuple[tuple[str, str], ...] = ()  # (indicator key, up/down/hold)
    rank: int | None = None
    rank_reason: str = ""
    citizens: str = ""
    staff_text: str = ""
    equality: str = ""
    children: str = ""
    risks: str = ""


PRIORITY_ROUND = {
    "title": "Prioriteringar inför budget 2027",
    "year": 2027,
    "plan_years": 2,
    "resource_frame": 12_000_000,
    "deadline": datetime.date(2026, 3, 13),
    "description": (
        "Nämndernas faktaunderlag inför mål- och resursplanen 2027–2029. Utrymmet för "
        "nya satsningar är 12 miljoner kronor; förslag om effektiviseringar, ransoneringar "
        "och neddragningar ger utrymme för fler. Valår: de förslag som inte beslutades i "
        "juni behandlas av det nya fullmäktige i november."
    ),
}
KF_JUNE = (datetime.date(2026, 6, 15), "§ 112", "KS 2026/318")
PRIORITY_DECISIONS = {  # title: (decision, note)
    "Fler lärare i lågstadiet för läsa, skriva, räkna": ("beslutad", ""),
    "Extra personal i hemtjänsten kvällar och helger": (
        "beslutad",
        "Beslutad med start 1 januari 2027.",
    ),
    "Kortare utomhussäsong på Åsbackabadet": ("avslagen", "Badet är viktigt för barnfamiljer."),
    "Sänkt skötselnivå på grönytor i ytterområdena": (
        "bordlagd",
        "Bordläggs till fullmäktige i november efter valet.",
    ),
    "Stänga Norrbyskolans F–3-enhet och samla eleverna på Åsbacka centralskola": (
        "aterremitterad",
        "Återremitteras till barn- och utbildningsnämnden: komplettera barnkonsekvensanalysen "
        "med elevernas skolvägar och möjligheten till skolskjuts.",
    ),
}

PRIORITY_ITEMS: tuple[PrioritySpec, ...] = (
    PrioritySpec(
        "BUN", "satsning", "Fler lärare i lågstadiet för läsa, skriva, räkna", (4, 4, 2, 4),
        (3_200_000, 3_300_000, 3_400_000),
        "Fem lärare till i årskurs 1–3 så att undervisningen i läsning och matematik kan ske "
        "i mindre grupper och elever i behov av stöd får det tidigt.",
        target_group="Elever i förskoleklass och årskurs 1–3, cirka 1 100 barn.",
        situation="Andelen elever i åk 3 som klarar nationella provet i läsförståelse har "
        "minskat tre år i rad. Klasserna i centralskolan har 28–30 elever.",
        staff="5", lands="is", goals=("C1",), indicators=(("lasning_ak3", "up"),),
        citizens="Fler barn får stöd i tid; färre behöver särskilt stöd senare.",
        staff_text="Lägre arbetsbelastning för lärarna i lågstadiet.",
        equality="Pojkar når målen i läsning i lägre grad; tidiga insatser minskar skillnaden.",
        children="Direkt positiv för barnen: tidigt stöd är avgörande för fortsatt skolgång.",
        risks="Brist på behöriga lärare kan försena rekryteringen.",
    ),
    PrioritySpec(
        "BUN", "satsning", "Skolkurator på varje grundskola", (4, 4, 2, 3),
        (1_800_000, 1_850_000, 1_900_000),
        "Utöka elevhälsan med tre kuratorer så att varje grundskola har en kurator på plats.",
        target_group="Elever i grundskolan med psykisk ohälsa eller hög frånvaro.",
        situation="Väntetiden till kurator är fyra veckor; andelen elever med hög frånvaro ökar.",
        staff="3", goals=("C1",), indicators=(("trygghet_skola", "up"),),
        children="Barn med psykisk ohälsa får stöd närmare vardagen i skolan.",
        risks="Effekten beror på samverkan med regionens barn- och ungdomspsykiatri.",
    ),
    PrioritySpec(
        "BUN", "neddragning",
        "Stänga Norrbyskolans F–3-enhet och samla eleverna på Åsbacka centralskola",
        (2, 3, 3, 3), (-900_000, -2_100_000, -2_100_000),
        "Norrbyskolans lågstadieenhet har 46 elever i lokaler med stort underhållsbehov. "
        "Eleverna flyttas till centralskolan från höstterminen 2027.",
        target_group="46 elever i F–3 och deras vårdnadshavare i Norrby.",
        situation="Lokalerna behöver renoveras för 6 miljoner kronor; elevunderlaget minskar.",
        staff="-2", lands="o", goals=("C7",),
        citizens="Längre skolväg för elever i Norrby; större skola med fler lärare i varje ämne.",
        children="Längre skolväg för yngre barn; skolskjuts behövs för en del.",
        risks="Motstånd hos vårdnadshavare; centralskolans lokaler räcker till 2030.",
    ),
    PrioritySpec(
        "BUN", "ransonering", "Sommarförskola på två förskolor i stället för fyra under juli",
        (1, 2, 2, 3), (-650_000, -650_000, -650_000),
        "Under juli samlas barn som behöver omsorg på Solrosens och Lärkans förskolor.",
        target_group="Cirka 90 barn vars vårdnadshavare arbetar i juli.",
        situation="Beläggningen i juli är under 30 procent på alla fyra förskolor.",
        staff="-1", lands="o", goals=("C7",),
        children="Barnen möter delvis andra pedagoger och lokaler under några veckor.",
    ),
    PrioritySpec(
        "BUN", "effektivisering", "Digital frånvarohantering och skolskjutsplanering",
        (2, 3, 1, 3), (-300_000, -450_000, -450_000),
        "Ett gemensamt system för frånvaroanmälan och planering av skolskjutsar.",
        lands="o", goals=("C4",), indicators=(("e_tjanster", "up"),),
    ),
    PrioritySpec(
        "VON", "satsning", "Extra personal i hemtjänsten kvällar och helger", (4, 4, 2, 3),
        (4_100_000, 4_200_000, 4_300_000),
        "Åtta undersköterskor till i hemtjänsten för kvällar och helger, då bemanningen är "
        "som lägst och flest besök blir försenade.",
        target_group="Omkring 420 personer med hemtjänst, de flesta över 80 år.",
        situation="Var fjärde kvällsinsats är mer än 30 minuter försenad. Brukarna möter i "
        "snitt 16 olika medarbetare under 14 dagar.",
        staff="8", goals=("C2", "C6"),
        indicators=(("hemtjanst_helhet", "up"), ("kontinuitet", "down")),
        citizens="Besöken kommer i tid och brukarna möter färre olika personer.",
        staff_text="Mindre stress och färre delade turer.",
        equality="Nio av tio medarbetare är kvinnor; fler heltider förbättrar deras villkor.",
        risks="Svårt att rekrytera undersköterskor till helgtjänstgöring.",
    ),
    PrioritySpec(
        "VON", "satsning", "Demensteam med undersköterskor och sjuksköterska", (4, 4, 2, 3),
        (2_300_000, 2_350_000, 2_400_000),
        "Ett team som stöttar personer med demenssjukdom och deras anhöriga i hemmet.",
        target_group="Personer med demenssjukdom som bor hemma, och deras anhöriga.",
        staff="4", goals=("C2",), indicators=(("vantetid_sabo", "down"),),
        risks="Effekten på väntetiden till särskilt boende syns först efter ett par år.",
    ),
    PrioritySpec(
        "VON", "effektivisering", "Digital tillsyn nattetid i hemtjänsten", (3, 3, 1, 3),
        (250_000, -900_000, -900_000),
        "Nattillsyn med kamera för de brukare som vill, i stället för fysiska besök som "
        "väcker. Engångskostnad för utrustning 2027.",
        target_group="Brukare med nattillsyn som samtycker, cirka 60 personer.",
        lands="io", goals=("C2", "C4"),
        citizens="Ostörd sömn för brukarna; integritetsfrågor hanteras med samtycke.",
        risks="Tekniken måste fungera dygnet runt; rutiner vid larm och avbrott krävs.",
    ),
    PrioritySpec(
        "VON", "icke_gora", "Upphöra med tvätt av privata kläder på särskilt boende",
        (1, 2, 3, 2), (-450_000, -450_000, -450_000),
        "Tvätt av de boendes privata kläder upphandlas eller sköts av anhöriga; personalen "
        "ägnar tiden åt omvårdnad.",
        lands="o", goals=("C7",),
        citizens="En del boende och anhöriga får en avgift eller ett eget åtagande.",
    ),
    PrioritySpec(
        "VON", "ransonering", "Dagverksamhet tre dagar i veckan i stället för fem",
        (3, 3, 2, 2), (-800_000, -800_000, -800_000),
        "Dagverksamheten för äldre håller öppet måndag, onsdag och fredag.",
        target_group="Cirka 35 äldre som besöker dagverksamheten.",
        lands="i", goals=("C2",),
        citizens="Färre dagar med aktivitet och gemenskap; anhöriga får mindre avlastning.",
        risks="Ökat behov av hemtjänst och korttidsplatser kan äta upp besparingen.",
    ),
    PrioritySpec(
        "SN", "satsning", "Förebyggande familjebehandling i öppenvård", (4, 4, 1, 3),
        (1_500_000, 500_000, -1_000_000),
        "Två familjebehandlare som arbetar intensivt i hemmet, så att färre barn behöver "
        "placeras utanför hemmet.",
        target_group="Familjer med barn 0–17 år där placering övervägs.",
        situation="Kostnaden för placeringar har ökat med 40 procent på tre år.",
        staff="2", lands="is", goals=("C1",), indicators=(("utredningstid_barn", "down"),),
        children="Fler barn kan bo kvar hemma med stöd; barnets bästa i centrum.",
        risks="Effekten kräver att öppenvården når familjerna tidigt.",
    ),
    PrioritySpec(
        "SN", "effektivisering", "Digital ansökan om ekonomiskt bistånd", (2, 3, 1, 4),
        (-400_000, -600_000, -600_000),
        "E-tjänst med automatisk kontroll av uppgifter från andra myndigheter.",
        lands="o", goals=("C4", "C8"), indicators=(("ekb", "hold"), ("e_tjanster", "up")),
        risks="Personer utan digital vana behöver fortsatt kunna ansöka på papper.",
    ),
    PrioritySpec(
        "SN", "satsning", "Feriejobb för 60 fler ungdomar", (2, 3, 2, 2),
        (900_000, 900_000, 900_000),
        "Sommarjobb i kommunens verksamheter för ungdomar 16–18 år.",
        lands="is", goals=("C8", "C1"),
        equality="Fördelningen mellan flickor och pojkar följs upp.",
    ),
    PrioritySpec(
        "SBN", "effektivisering", "Digital matbeställning och matsedel i äldreomsorgen",
        (2, 3, 1, 3), (150_000, -600_000, -600_000),
        "De boende väljer maträtt på surfplatta dagen före; köket lagar efter beställning.",
        target_group="Boende på kommunens tre vård- och omsorgsboenden.",
        lands="io", goals=("C5", "C2"), indicators=(("matsvinn", "down"),),
        citizens="Större valfrihet och mindre svinn.",
    ),
    PrioritySpec(
        "SBN", "neddragning", "Sänkt skötselnivå på grönytor i ytterområdena", (1, 1, 3, 2),
        (-700_000, -700_000, -700_000),
        "Gräsytor i ytterområdena klipps fyra gånger per säsong i stället för tio; "
        "en del ytor blir äng.",
        lands="o", goals=("C5", "C7"),
        citizens="Mindre välskötta ytor; ängsmark gynnar den biologiska mångfalden.",
    ),
    PrioritySpec(
        "SBN", "satsning", "Gång- och cykelväg mellan Norrby och centrum", (3, 3, 3, 3),
        (2_800_000, 0, 0),
        "En separerad gång- och cykelväg på 1,8 km längs Norrbyvägen.",
        target_group="Skolbarn och pendlare i Norrby.",
        one_off=True, lands="s", goals=("C3", "C5"), rank=3,
        rank_reason="Trafiksäkerheten för skolbarn väger tyngre än poängen visar, särskilt "
        "om Norrbyskolans lågstadium flyttar till centrum.",
        children="Säkrare skolväg för barnen i Norrby.",
    ),
    PrioritySpec(
        "KFN", "neddragning", "Slå samman Norrby bibliotek med skolbiblioteket i Norrbyskolan",
        (2, 2, 3, 3), (-600_000, -600_000, -600_000),
        "Norrby bibliotek flyttar in i Norrbyskolans skolbibliotek, med meröppet kvällstid.",
        target_group="Låntagare i Norrby, cirka 9 000 besök per år.",
        lands="o", goals=("C7",), indicators=(("bibliotek_besok", "hold"),),
        children="Skolans elever får ett större bibliotek; vuxna delar lokal med skolan.",
        risks="Öppettiderna för allmänheten blir kortare dagtid under skolterminerna.",
    ),
    PrioritySpec(
        "KFN", "satsning", "Längre öppettider på fritidsgårdarna fredag och lördag kväll",
        (3, 3, 2, 2), (750_000, 750_000, 750_000),
        "Fritidsgårdarna Hörnan och Källaren håller öppet till midnatt fredag och lördag.",
        target_group="Ungdomar 13–18 år.", lands="is", goals=("C3", "C1"),
        indicators=(("fritidsgard_flickor", "up"),),
        equality="Särskilda aktiviteter för att fler flickor ska komma.",
    ),
    PrioritySpec(
        "KFN", "ransonering", "Kortare utomhussäsong på Åsbackabadet", (1, 2, 2, 2),
        (-350_000, -350_000, -350_000),
        "Utomhusbadet öppnar i mitten av juni i stället för i slutet av maj.",
        lands="o", goals=("C7",),
        children="Färre badtillfällen för barnfamiljer försommartid.",
    ),
    PrioritySpec(
        "KS", "effektivisering", "Gemensam växel och kontaktcenter för alla förvaltningar",
        (2, 3, 2, 3), (-1_100_000, -1_400_000, -1_400_000),
        "Förvaltningarnas egna telefonslingor ersätts av kontaktcenter Åsbacka.",
        lands="io", goals=("C4",), indicators=(("forsta_kontakt", "up"),),
        staff_text="Fyra tjänster flyttas till kontaktcenter; inga uppsägningar.",
    ),
    PrioritySpec(
        "KS", "satsning", "Säkerhetssamordnare för krisberedskap och civilt försvar",
        (3, 3, 2, 3), (850_000, 870_000, 890_000),
        "En heltidstjänst som samordnar kommunens krisberedskap och civila försvar.",
        staff="1", lands="s", goals=("C3",),
    ),
    PrioritySpec(
        "MBN", "satsning", "En bygglovshandläggare till för kortare handläggningstider",
        (2, 3, 2, 3), (700_000, 300_000, 300_000),
        "Handläggningstiden ska ner till fyra veckor; avgifterna täcker en del av kostnaden "
        "från 2028.",
        staff="1", lands="s", goals=("C3", "C4"), indicators=(("bygglov_tid", "down"),),
    ),  # fmt: skip
)  # fmt: skip


def seed_demo_priorities(units: dict[str, OrgUnit], chiefs: dict[str, str]) -> PriorityRound:
    """The priority round for budget 2027: every committee's worksheet submitted in March
    2026, the round under review, the council's decisions of 15 June recorded (two
    adopted, one rejected, one tabled until November, one referred back), the rest
    waiting for the new council. Written through the services on a fixed clock."""
    from priorities.services import (
        item_decide,
        item_save,
        round_open,
        round_start_review,
        worksheet_submit,
    )

    users = {u.username: u for u in get_user_model().objects.filter(username__in=PERSONA_USERNAMES)}
    controller = users["controller"]
    staff = {
        u.username.removeprefix(DEMO_EDITOR_PREFIX).upper(): u
        for u in get_user_model().objects.filter(username__startswith=DEMO_EDITOR_PREFIX)
    }
    council = {
        g.title: g
        for g in Goal.objects.filter(level=GoalLevel.COUNCIL, mandate_period__start_year=2023)
    }
    council_by_key = {s.key: council[s.title] for s in COUNCIL_GOALS}
    indicator_names = {s.key: s.name for s in INDICATORS}
    indicators = {i.name: i for i in Indicator.objects.all()}
    clock = _Clock()
    with mock.patch("django.utils.timezone.now", clock):
        clock.at(datetime.date(2026, 1, 19), 10)
        rnd = round_open(**PRIORITY_ROUND, scope=units["KF"], user=controller)
        sheets = {w.committee.code: w for w in rnd.worksheets.select_related("committee")}
        items: dict[str, PriorityItem] = {}
        for i, spec in enumerate(PRIORITY_ITEMS):
            writer = staff.get(spec.committee, controller)
            clock.at(_working_day(datetime.date(2026, 2, 16), i % 12), 9 + i % 7, (i * 7) % 60)
            severity, effect, cost_effect, evidence = spec.assessment
            item = PriorityItem(
                worksheet=sheets[spec.committee],
                kind=spec.kind,
                title=spec.title,
                description=spec.description,
                target_group=spec.target_group,
                situation=spec.situation,
                severity=severity,
                effect=effect,
                cost_effect=cost_effect,
                evidence=evidence,
                effect_individual="i" in spec.lands,
                effect_society="s" in spec.lands,
                effect_organisation="o" in spec.lands,
                cost_budget=spec.costs[0],
                cost_plan1=spec.costs[1],
                cost_plan2=spec.costs[2],
                cost_type="engang" if spec.one_off else "varaktig",
                staff=Decimal(spec.staff) if spec.staff else None,
                consequences_citizens=spec.citizens,
                consequences_staff=spec.staff_text,
                consequences_equality=spec.equality,
                consequences_children=spec.children,
                risks=spec.risks,
                rank=spec.rank,
                rank_reason=spec.rank_reason,
            )
            items[spec.title] = item_save(
                item=item,
                user=writer,
                expected_version=None,
                goals=[council_by_key[k] for k in spec.goals],
                indicators=[
                    (indicators[indicator_names[key]], direction)
                    for key, direction in spec.indicators
                ],
            )
        for n, code in enumerate(sorted(sheets, key=lambda c: units[c].order)):
            clock.at(_working_day(datetime.date(2026, 3, 6), n % 5), 15, n * 5)
            sheet = Worksheet.objects.get(pk=sheets[code].pk)
            worksheet_submit(
                worksheet=sheet, user=staff.get(code, controller), expected_version=sheet.version
            )
        clock.at(datetime.date(2026, 4, 14), 13)
        rnd.refresh_from_db()
        round_start_review(rnd=rnd, user=controller, expected_version=rnd.version)
        clock.at(datetime.date(2026, 6, 16), 9)
        day, paragraph, reference = KF_JUNE
        for title, (decision, note) in PRIORITY_DECISIONS.items():
            item = PriorityItem.objects.get(pk=items[title].pk)
            item_decide(
                item=item, user=controller, decision=decision, decided_on=day,
                paragraph=paragraph, reference=reference, note=note,
                expected_version=item.version,
            )  # fmt: skip
    return rnd


# The annual wheel of 2026: (kind, title, start, end or None, description).
WHEEL_2026 = [
    ("bokslut", "Bokslut 2025", (1, 12), (2, 13), "Nämndernas bokslut och verksamhetsberättelser."),
    (
        "budgetdialog",
        "Budgetdialog med nämnderna",
        (3, 9),
        (3, 13),
        "Nämnderna presenterar behov, prioriteringar och faktaunderlag för 2027–2029.",
    ),
    (
        "arsredovisning",
        "Årsredovisning 2025 i kommunfullmäktige",
        (4, 27),
        None,
        "Fullmäktige behandlar årsredovisningen och beslutar om ansvarsfrihet.",
    ),
    ("tertial", "Tertialrapport per 30 april", (4, 30), None, "Tertial 1 stänger."),
    (
        "mrp",
        "Mål- och resursplan 2027–2029 i kommunfullmäktige",
        (6, 15),
        None,
        "Budget 2027 med plan 2028–2029, kommunfullmäktiges mål och resursramar.",
    ),
    (
        "delar",
        "Delårsrapport per 31 augusti",
        (8, 31),
        None,
        "Delåret stänger; prognos för helåret.",
    ),
    ("delar", "Delårsrapporten i kommunfullmäktige", (10, 26), None, ""),
    (
        "annat",
        "Nämndernas verksamhetsplaner 2027",
        (11, 2),
        (11, 30),
        "Nämnderna bryter ned fullmäktiges mål till nämndmål och enhetsmål.",
    ),
    ("bokslut", "Bokslutsdag 2026", (12, 31), None, "Räkenskapsåret stänger."),
]


def seed_demo_wheel() -> None:
    """The annual wheel (årshjul) of 2026, entered by the controller."""
    controller = get_user_model().objects.get(username="controller")
    for order, (kind, title, start, end, description) in enumerate(WHEEL_2026):
        step = WheelStep(
            year=2026,
            kind=kind,
            title=title,
            start=datetime.date(2026, *start),
            end=datetime.date(2026, *end) if end else None,
            description=description,
            order=order,
        )
        step.full_clean()
        step._history_user = controller
        step.save()


def _committee_responsible(rng, committee: OrgUnit, units, chiefs) -> str:
    if committee.kind == OrgKind.COMPANY:
        return f"{person_name(rng)}, VD"
    if rng.random() < 0.15:
        return ""
    administration = next(
        (c for c, u in units.items() if u.parent_id == committee.pk), committee.code
    )
    return f"{chiefs[administration]}, förvaltningschef"


def _create_unit_goal(
    rng, parent: Goal, unit: OrgUnit, title: str, chief: str, order: int,
    status: str = GoalStatus.ADOPTED,
) -> Goal:  # fmt: skip
    goal = Goal(
        level=GoalLevel.UNIT,
        mandate_period=parent.mandate_period,
        parent=parent,
        owner=unit,
        title=title,
        perspective=parent.perspective,
        status=status,
        responsible="" if rng.random() < 0.15 else chief,
        order=order,
    )
    if status != GoalStatus.PROPOSED:
        goal.decided_on = datetime.date(2025, 1, rng.randrange(10, 31))
    _smart(rng, goal, 0.7)
    goal.save()
    return goal


def _create_activity(
    rng, goal: Goal, owner: OrgUnit, title: str, responsible: str | None, order: int
) -> Activity:
    start, end, status, progress = activity_schedule(rng)
    return Activity.objects.create(
        goal=goal,
        owner=owner,
        title=title,
        responsible=responsible or person_name(rng),
        start=start,
        end=end,
        status=status,
        progress=progress,
        order=order,
    )


def _seed_earlier_period(rng, period: MandatePeriod, units, perspectives) -> None:
    """A few goals of 2019–2022, all ended with the period."""
    made: list[Goal] = []
    for order, (perspective, title, committee, child_title) in enumerate(EARLIER_GOALS, start=1):
        top = Goal.objects.create(
            level=GoalLevel.COUNCIL,
            mandate_period=period,
            owner=units["KF"],
            title=title,
            perspective=perspectives[perspective],
            status=GoalStatus.ADOPTED,
            decision_reference="KF 2018/402",
            decision_paragraph="§ 160",
            decided_on=datetime.date(2018, 11, 26),
            responsible="Kommunstyrelsen",
            order=order,
        )
        child = Goal.objects.create(
            level=GoalLevel.COMMITTEE,
            mandate_period=period,
            parent=top,
            owner=units[committee],
            title=child_title,
            perspective=top.perspective,
            status=GoalStatus.ADOPTED,
            decision_reference=f"{committee} 2019/{rng.randrange(10, 99)}",
            decision_paragraph=f"§ {rng.randrange(5, 60)}",
            decided_on=datetime.date(2019, 2, 12),
            order=1,
        )
        made += [child, top]
    for goal in made:  # children first: an ended goal may keep an ended child
        goal.status = GoalStatus.ENDED
        goal.version += 1
        goal.save()


# --------------------------------------------------------------------------- follow-up

# Two rounds of 2026 (RoundKind names as created by the followup migration):
# the tertial report, approved throughout and closed; the interim report, still open.
# Last year's annual report: closed, every report approved, adopted by the council.
ANNUAL_ROUND = (
    "Årsredovisning",
    datetime.date(2025, 12, 31),
    datetime.date(2026, 2, 13),
    datetime.date(2026, 4, 27),
)
TERTIAL_ROUND = ("Tertialrapport", datetime.date(2026, 4, 30), datetime.date(2026, 5, 14), None)
DELAR_ROUND = (
    "Delårsrapport",
    datetime.date(2026, 8, 31),
    datetime.date(2026, 9, 18),
    datetime.date(2026, 10, 26),
)
# Who writes the reports of units without a persona: one demo editor per reporting unit,
# named after the unit's chief; they have no password (history names, not logins).
DEMO_EDITOR_PREFIX = "demo-"
RETURN_COMMENT = "Analysen behöver beskriva orsakerna till den ökade sjukfrånvaron."
RETURNED_UNIT = "FSK-TALLBACKEN"
# Where each report of the interim round stands; the rest are drawn (never "returned").
# Ekbackens skola (the enhetschef) is a draft with goals still to write; BUN's
# förvaltningschef has three unit reports waiting for review.
DELAR_PLAN = {
    "KF": "not_started",
    "BUN": "not_started",
    "SKOLA-EKBACKEN": "draft",
    "SKOLA-LINDEN": "submitted",
    "FSK-SOLROSEN": "submitted",
    "SKOLA-BJORKANG": "submitted",
    "SKOLA-CENTRAL": "approved",
    "GYM-ASBACKA": "approved",
    "BUF-ELEVHALSA": "approved",
    "FSK-EKORREN": "draft",
    "SKOLA-NORRBY": "draft",
    "FSK-LARKAN": "not_started",
    RETURNED_UNIT: "returned",
    "KS": "approved",
    "SN": "submitted",
    "VON": "draft",
}
DELAR_WEIGHTS = {"approved": 3, "submitted": 2, "draft": 3, "not_started": 2}

_PERIOD_WORDS = {
    "Tertialrapport": "tertialet",
    "Delårsrapport": "delåret",
    "Årsredovisning": "året",
}

_OPENINGS = {
    Assessment.MET: (
        "Målet bedöms som uppfyllt för {period}.",
        "Utfallet för {period} når målvärdet och utvecklingen går åt rätt håll.",
        "Målet nås; resultatet är bättre än vid samma tid förra året.",
    ),
    Assessment.PARTLY: (
        "Målet bedöms som delvis uppfyllt.",
        "Utvecklingen under {period} är positiv, men målvärdet är ännu inte nått.",
        "Flera delar går enligt plan, men resultatet når inte hela vägen fram.",
    ),
    Assessment.NOT_MET: (
        "Målet bedöms inte som uppfyllt.",
        "Utfallet för {period} ligger under målvärdet och utvecklingen har inte vänt.",
    ),
    Assessment.NOT_ASSESSED: (
        "Målet följs upp med årliga mått som ännu inte finns för {period}; det bedöms vid helåret.",
        "Det finns inte tillräckligt underlag för att bedöma måluppfyllelsen för {period}.",
    ),
}

# Words in a goal's title that say what it is about, first match wins.
_THEME_WORDS = (
    ("sjuk", ("sjukfrånvaro",)),
    ("ekonomi", ("budget", "kostnad", "resultat", "intäkt", "avgift", "debiter", "brukartid",
                 "månadsuppföljning", "hushållning")),
    ("medarbetare", ("medarbetar", "kompetens", "mentor", "chefer", "arbetsplatsträff",
                     "heltid", "undersköterskor", "personalomsättning", "arbetsgivare")),
    ("omsorg", ("brukare", "hemtjänst", "kontinuitet", "genomförandeplan", "boende", "måltid",
                "fall", "äldre", "trycksår")),
    ("skola", ("elev", "matematik", "läsa", "kunskapskrav", "examen", "skolan", "studiero")),
    ("forskola", ("förskola", "högläsning", "språkutveckling", "flerspråkiga")),
    ("social", ("bistånd", "försörjning", "arbete eller studier", "föräldra", "våld", "placera",
                "utredning", "insatser", "freda")),
    ("miljo", ("energi", "klimat", "fossil", "matsvinn", "grön flagg", "hållbar", "miljö",
               "tillsyn", "utsläpp")),
    ("service", ("digital", "e-tjänst", "ärende", "kontakt", "handläggning", "beslut",
                 "detaljplan", "bygglov", "etablering", "företag")),
    ("kultur", ("besök", "kultur", "fritid", "bibliotek", "flickor", "bad", "mötesplats")),
    ("trygghet", ("trygg", "belysning", "lekplats")),
)  # fmt: skip

# Per theme: what went well, what did not, and what the unit will do.
_THEMES: dict[str, dict[str, tuple[str, ...]]] = {
    "skola": {
        "good": (
            "Resultaten på vårens diagnoser är bättre än för ett år sedan.",
            "Gemensamma lektionsupplägg och tydlig struktur har gett effekt i flera klasser.",
            "Elevenkäten visar att fler elever upplever studiero på lektionerna.",
        ),
        "bad": (
            "Lärarbyten i två arbetslag har påverkat kontinuiteten i undervisningen.",
            "Frånvaron bland en grupp elever i de äldre årskurserna har ökat och påverkar "
            "resultaten.",
            "Fler elever har behov av särskilt stöd, och resurserna räcker inte till alla.",
        ),
        "do": (
            "Specialpedagogen prioriterar stöd till elever som riskerar att inte nå "
            "kunskapskraven.",
            "Kollegialt lärande med fokus på bedömning fortsätter i alla arbetslag.",
            "Rektor följer upp frånvaron månadsvis tillsammans med elevhälsan.",
            "Extra undervisningstid erbjuds inför de nationella proven.",
        ),
    },
    "forskola": {
        "good": (
            "Alla avdelningar har daglig högläsning och dokumenterar barnens språkutveckling.",
            "Samarbetet med biblioteket har gett fler bokpåsar och boksamtal.",
            "Vårdnadshavarna ger höga betyg i förskoleenkäten.",
        ),
        "bad": (
            "Hög personalomsättning under våren har gjort det svårt att hålla rutinerna.",
            "Modersmålsstöd har inte kunnat erbjudas på alla språk eftersom det varit svårt "
            "att rekrytera.",
        ),
        "do": (
            "Språkombud utses på varje avdelning.",
            "En gemensam plan för språkutvecklande arbetssätt tas fram i arbetslagen.",
            "Vikariepoolen används för att säkra kontinuiteten i barngrupperna.",
        ),
    },
    "omsorg": {
        "good": (
            "Brukarundersökningen visar att fler är nöjda med bemötande och inflytande.",
            "Kontaktmannaskapet fungerar bättre efter omplaneringen i våras.",
            "Alla nya brukare har fått en genomförandeplan inom två veckor.",
        ),
        "bad": (
            "Perioder med många vikarier har påverkat kontinuiteten för brukarna.",
            "Vakanta sjukskötersketjänster har gjort att riskbedömningar skjutits upp.",
            "Fler brukare med omfattande behov har ökat belastningen på personalen.",
        ),
        "do": (
            "Planeringen ses över så att varje brukare möter färre personal.",
            "Genomförandeplanerna följs upp på varje arbetsplatsträff.",
            "Introduktionen för vikarier förstärks inför nästa semesterperiod.",
            "Teamträffar med sjuksköterska och arbetsterapeut varannan vecka.",
        ),
    },
    "social": {
        "good": (
            "Handläggningstiderna har kortats efter att arbetsfördelningen setts över.",
            "Fler deltagare har gått vidare till praktik eller studier än under samma period "
            "förra året.",
            "Samverkan med skolan och elevhälsan har gett fler tidiga insatser.",
        ),
        "bad": (
            "Antalet orosanmälningar har ökat med drygt 20 procent, vilket förlänger "
            "utredningstiderna.",
            "Vakanser bland socialsekreterarna har gjort att ärenden fått omfördelas.",
            "Arbetsmarknaden i regionen har försvagats och färre praktikplatser har kunnat "
            "erbjudas.",
        ),
        "do": (
            "Inflödet av ärenden följs upp veckovis och fördelas i arbetsgruppen.",
            "Samarbetet med Arbetsförmedlingen fördjupas med gemensamma planeringar.",
            "Två tillfälliga handläggartjänster tillsätts under hösten.",
            "Nyanställda får metodstöd i BBIC och FREDA.",
        ),
    },
    "miljo": {
        "good": (
            "Energiuppföljningen visar en minskning jämfört med samma period förra året, "
            "främst tack vare nya styrsystem för ventilationen.",
            "Tillsynsplanen följs och de prioriterade besöken är genomförda.",
            "Matsvinnet har minskat sedan tallriksvägning infördes i skolrestaurangerna.",
        ),
        "bad": (
            "En kall vår har ökat energibehovet för uppvärmning.",
            "Flera planerade åtgärder har skjutits upp i väntan på upphandling.",
            "Personalbrist har gjort att tillsynsbesök fått prioriteras om.",
        ),
        "do": (
            "Energieffektiviseringen i de tre största fastigheterna tidigareläggs.",
            "Upphandlingen av fossilfria fordon slutförs under hösten.",
            "Tillsynsplanen revideras och besöken prioriteras efter risk.",
        ),
    },
    "service": {
        "good": (
            "Fler ärenden hanteras digitalt, och fler ärenden löses vid första kontakten.",
            "Handläggningstiden har kortats sedan ansökningarna kontrolleras direkt när de "
            "kommer in.",
            "Två nya e-tjänster har lanserats under perioden.",
        ),
        "bad": (
            "Många ärenden under våren har förlängt handläggningstiderna.",
            "Införandet av det nya verksamhetssystemet har tagit mer tid än planerat.",
            "Många ansökningar kommer in ofullständiga, vilket ger långa ledtider.",
        ),
        "do": (
            "Vägledningen på webben förbättras så att fler ansökningar är kompletta från början.",
            "Ärendeflödet kartläggs tillsammans med digitaliseringsenheten.",
            "Ärenden som riskerar att överskrida tidsgränsen stäms av varje vecka.",
        ),
    },
    "ekonomi": {
        "good": (
            "Prognosen för helåret visar en budget i balans.",
            "Personalkostnaderna ligger i nivå med budget efter schemaöversynen.",
            "Intäkterna är högre än budgeterat.",
        ),
        "bad": (
            "Kostnaderna för vikarier och övertid är högre än budgeterat.",
            "Prognosen för helåret visar ett underskott, främst på grund av kostnadsökningar "
            "som inte fanns med i budgeten.",
            "Kostnaderna för livsmedel och energi har ökat mer än budgeten räknade med.",
        ),
        "do": (
            "Den månatliga budgetuppföljningen med ekonom fortsätter, med fokus på "
            "personalkostnaderna.",
            "Bemanningen ses över inför hösten och vakanser tillsätts restriktivt.",
            "En åtgärdsplan för en budget i balans tas fram till nämndens sammanträde i oktober.",
        ),
    },
    "sjuk": {
        "good": (
            "Den korta sjukfrånvaron har minskat jämfört med samma period förra året.",
            "Arbetet med tidig rehabilitering och friskvård har gett effekt.",
        ),
        "bad": (
            "Sjukfrånvaron har ökat, främst den korta frånvaron under infektionsperioden i "
            "februari och mars.",
            "Hög arbetsbelastning lyfts i medarbetarsamtalen som en orsak till ohälsan.",
        ),
        "do": (
            "Upprepad korttidsfrånvaro följs upp enligt rutinen för tidig rehabilitering.",
            "Arbetsmiljön kartläggs tillsammans med skyddsombuden.",
            "Friskvårdstimmen erbjuds alla medarbetare.",
        ),
    },
    "medarbetare": {
        "good": (
            "Medarbetarenkäten visar ett högre engagemang än föregående år.",
            "Alla nyanställda har fått en introduktion och en mentor.",
            "Fler medarbetare har fått kompetensutveckling under perioden.",
        ),
        "bad": (
            "Svårigheter att rekrytera har lett till vakanser och ökad arbetsbelastning.",
            "Kompetensutvecklingen har fått skjutas upp på grund av personalbrist.",
        ),
        "do": (
            "Individuella kompetensplaner tas fram i medarbetarsamtalen.",
            "Rekryteringen breddas med fler kanaler och samarbete med gymnasiets vård- och "
            "omsorgsprogram.",
            "Arbetsmiljön blir en stående punkt på arbetsplatsträffarna.",
        ),
    },
    "kultur": {
        "good": (
            "Besöken har ökat jämfört med samma period förra året, särskilt bland barn och unga.",
            "Lovaktiviteterna lockade många nya deltagare.",
            "Samarbetet med föreningslivet har gett fler aktiviteter på kvällar och helger.",
        ),
        "bad": (
            "Renoveringen under våren har begränsat öppettiderna.",
            "Färre flickor än väntat har hittat till verksamheten.",
            "Kön har inte minskat eftersom två lärartjänster varit vakanta.",
        ),
        "do": (
            "Öppettiderna utökas på kvällar och helger under hösten.",
            "Aktiviteter för flickor tas fram tillsammans med ungdomsrådet.",
            "Marknadsföringen i sociala medier och via skolorna förstärks.",
        ),
    },
    "trygghet": {
        "good": (
            "Trygghetsvandringarna har gett konkreta åtgärder som nu är genomförda.",
            "Invånarenkäten visar att fler känner sig trygga i centrum.",
            "Ny belysning har satts upp på de platser som pekats ut som otrygga.",
        ),
        "bad": (
            "Skadegörelsen har ökat i två bostadsområden under våren.",
            "Flera åtgärder är försenade på grund av leveransproblem.",
        ),
        "do": (
            "Trygghetsvandringar genomförs i ytterligare två områden under hösten.",
            "Samverkan med polis och fastighetsägare fortsätter i det brottsförebyggande rådet.",
            "Besiktningsplanen för lekplatser följs upp varje kvartal.",
        ),
    },
    "allmant": {
        "good": (
            "Arbetet följer planen och de aktiviteter som skulle vara klara är genomförda.",
            "Uppföljningen visar en positiv utveckling jämfört med föregående år.",
        ),
        "bad": (
            "Resursbrist under perioden har gjort att delar av arbetet fått prioriteras ned.",
            "Aktiviteterna har kommit igång senare än planerat.",
        ),
        "do": (
            "Aktivitetsplanen ses över och prioriteras om inför hösten.",
            "Arbetet följs upp månadsvis i ledningsgruppen.",
        ),
    },
}

# A chosen assessment other than the proposal, and why (the form requires a reason).
_OVERRIDES = {
    Assessment.NOT_ASSESSED: (
        Assessment.PARTLY,
        "Målet saknar indikator med utfall för perioden. Bedömningen bygger på verksamhetens "
        "egen uppföljning, där merparten av aktiviteterna genomförts enligt plan.",
    ),
    Assessment.MET: (
        Assessment.PARTLY,
        "Indikatorn visar förra årets helårsutfall. Periodens egna mätningar pekar på en "
        "svagare utveckling, därför bedöms målet som delvis uppfyllt.",
    ),
    Assessment.NOT_MET: (
        Assessment.PARTLY,
        "Utfallet påverkas av ett fåtal ärenden som pågått länge; i övrigt når verksamheten "
        "målvärdet.",
    ),
    Assessment.PARTLY: (
        Assessment.MET,
        "Målvärdet är redan nått i verksamhetens egen mätning för perioden; den officiella "
        "statistiken publiceras först i oktober.",
    ),
}

_ACTIVITY_COMMENTS = {
    ActivityStatus.DONE: (
        "Genomförd enligt plan.",
        "Klar. Utvärderingen görs tillsammans med medarbetarna i höst.",
        "Genomförd; arbetssättet ingår nu i den ordinarie verksamheten.",
    ),
    ActivityStatus.IN_PROGRESS: (
        "Pågår enligt plan.",
        "Pågår; ungefär hälften av arbetet återstår.",
        "Pågår, men har fått lägre prioritet under semesterperioden.",
    ),
    ActivityStatus.DELAYED: (
        "Försenad på grund av vakanser; en ny tidplan tas fram.",
        "Försenad i väntan på upphandling.",
        "Försenad, beräknas vara klar under hösten.",
    ),
    ActivityStatus.NOT_STARTED: (
        "Startar enligt tidplanen.",
        "Ej påbörjad; startar när finansieringen är klar.",
    ),
    ActivityStatus.CANCELLED: (
        "Avbruten efter beslut i ledningsgruppen; ersätts av en annan insats.",
    ),
}

# The enhetschef's own texts for Ekbackens skola (by goal title): tertial, and the parts
# of the interim report already written.
EKBACKEN_TERTIAL = {
    "Fler elever i årskurs 9 ska nå minst godkänt i matematik": (
        "Vårens diagnoser visar att 84 procent av eleverna i årskurs 9 når minst godkänt i "
        "matematik, mot 79 procent för ett år sedan. Läxhjälpen och det kollegiala lärandet "
        "har gett effekt, men en grupp elever med hög frånvaro når fortfarande inte "
        "kunskapskraven.",
        "Extra undervisningstid i matematik inför de nationella proven. Mentorerna följer upp "
        "frånvaron varje vecka tillsammans med elevhälsan.",
    ),
    "Alla elever ska känna sig trygga under raster och i korridorer": (
        "Elevenkäten i mars visar att 86 procent känner sig trygga på rasterna, men "
        "korridoren vid matsalen och omklädningsrummen upplevs som otrygga av flera elever. "
        "Rastvärdsschemat har inte täckt de tiderna.",
        "Rastvärdar placeras vid matsalen och omklädningsrummen. Elevrådet gör en ny "
        "trygghetsvandring i maj.",
    ),
    "Den korta sjukfrånvaron ska minska till under 3 procent": (
        "Den korta sjukfrånvaron var 3,6 procent under tertialet. Den ökade under "
        "infektionsperioden i februari och mars, och hög arbetsbelastning i två arbetslag "
        "lyfts i medarbetarsamtalen.",
        "Arbetsbelastningen ses över tillsammans med skyddsombuden. Upprepad korttidsfrånvaro "
        "följs upp enligt rutinen för tidig rehabilitering.",
    ),
    "Enheten ska hålla sin budgetram": (
        "Prognosen för helåret visar en budget i balans. Översynen av bemanning och scheman "
        "har minskat kostnaderna för vikarier.",
        "Fortsatt månatlig budgetuppföljning tillsammans med ekonom.",
    ),
    "Alla elever ska kunna läsa med flyt i slutet av årskurs 3": (
        "Skolverkets bedömningsstöd visar att 71 procent av eleverna i årskurs 3 läser med "
        "flyt, långt från målet. Den dagliga lästräningen har inte kommit igång i alla "
        "klasser eftersom två lärartjänster varit vakanta.",
        "Läsombuden stöttar de klasser som inte kommit igång. Lästräningen schemaläggs varje "
        "dag från augusti.",
    ),
}
EKBACKEN_DELAR = {  # title: (analysis, measures); None = chosen but nothing written yet
    "Fler elever i årskurs 9 ska nå minst godkänt i matematik": (
        "Vårens nationella prov visar att 86 procent av eleverna i årskurs 9 nådde minst "
        "godkänt i matematik, den högsta andelen på fem år. Skillnaden mellan flickor och "
        "pojkar har minskat.",
        "Läxhjälpen fortsätter två dagar i veckan. Mattelyftet följs upp i arbetslagen i oktober.",
    ),
    "Alla elever ska känna sig trygga under raster och i korridorer": (
        "Rastvärdarna vid matsalen har gett färre incidenter enligt elevrådet. Elevenkäten "
        "görs igen i oktober.",
        "",
    ),
    "Den korta sjukfrånvaron ska minska till under 3 procent": None,
}


def _theme(goal: Goal) -> str:
    title = goal.title.lower()
    for theme, words in _THEME_WORDS:
        if any(w in title for w in words):
            return theme
    return "allmant"


def _rollup_sentence(assessment: GoalAssessment) -> str:
    """For a committee or council goal: how the goals that break it down were assessed."""
    chosen = Counter(
        GoalAssessment.objects.filter(
            report__round_id=assessment.report.round_id, goal__parent_id=assessment.goal_id
        )
        .exclude(chosen="")
        .values_list("chosen", flat=True)
    )
    total = sum(chosen.values())
    if not total:
        return ""
    below = "enhetsmål" if assessment.goal.level == GoalLevel.COMMITTEE else "nämndmål"
    words = {
        Assessment.MET: ("uppfyllt", "uppfyllda"),
        Assessment.PARTLY: ("delvis uppfyllt", "delvis uppfyllda"),
        Assessment.NOT_MET: ("ej uppfyllt", "ej uppfyllda"),
    }
    parts = [f"{chosen[a]} som {words[a][chosen[a] != 1]}" for a in words if chosen[a]]
    waiting = chosen[Assessment.NOT_ASSESSED]
    if not parts:
        if total == 1:
            return f"Det enda {below}et som bryter ned målet kan inte bedömas ännu."
        return f"Inget av de {total} {below}en som bryter ned målet kan bedömas ännu."
    listed = ", ".join(parts[:-1]) + (" och " if len(parts) > 1 else "") + parts[-1]
    rest = f"; {waiting} kan inte bedömas ännu" if waiting else ""
    return f"Av {total} {below} som bryter ned målet bedöms {listed}{rest}."


def _analysis(rng, assessment: GoalAssessment, chosen: str, kind: str) -> tuple[str, str]:
    """An analysis and measures for one goal, from the pools of its theme."""
    pool = _THEMES[_theme(assessment.goal)]
    opening = rng.choice(_OPENINGS[chosen]).format(period=_PERIOD_WORDS[kind])
    good, bad = rng.sample(pool["good"], 2), rng.sample(pool["bad"], 2)
    body = {
        Assessment.MET: good,
        Assessment.PARTLY: [good[0], bad[0]],
        Assessment.NOT_MET: bad,
        Assessment.NOT_ASSESSED: [rng.choice((good[0], bad[0]))],
    }[chosen]
    rollup = _rollup_sentence(assessment) if assessment.goal.level != GoalLevel.UNIT else ""
    analysis = " ".join(s for s in (opening, rollup, *body) if s)
    measures = rng.sample(pool["do"], 1 if chosen == Assessment.MET else 2)
    if chosen == Assessment.MET:
        measures.insert(0, "Arbetet fortsätter enligt plan.")
    return analysis, " ".join(measures)


def _status_at(activity: Activity, day: datetime.date) -> str:
    """An activity's status on ``day``, consistent with its schedule and today's status."""
    if activity.start and activity.start > day:
        return ActivityStatus.NOT_STARTED
    if activity.end and activity.end <= day:
        return activity.status
    if activity.status == ActivityStatus.DELAYED:
        return ActivityStatus.DELAYED
    return ActivityStatus.IN_PROGRESS


class _Clock:
    """A stand-in for ``django.utils.timezone.now`` while the follow-up story is told:
    the rounds, saves, submissions and approvals get the dates they would have had, the
    same on every run, and every call moves a second on so history keeps its order."""

    def __init__(self):
        self.current = timezone.make_aware(datetime.datetime(2026, 1, 1, 8, 0))

    def at(self, day: datetime.date, hour: int = 9, minute: int = 0) -> None:
        self.current = timezone.make_aware(
            datetime.datetime(day.year, day.month, day.day, hour, minute)
        )

    def __call__(self) -> datetime.datetime:
        self.current += datetime.timedelta(seconds=1)
        return self.current


@dataclass
class _FollowUpCast:
    controller: object
    forvaltningschef: object
    enhetschef: object
    editors: dict[str, object]  # by unit code
    bun_path: str

    def editor(self, unit: OrgUnit):
        if unit.code == "SKOLA-EKBACKEN":
            return self.enhetschef
        return self.editors.get(unit.code, self.controller)

    def approver(self, unit: OrgUnit):
        """Approval from above: BUN's units by its förvaltningschef, the rest by the
        controller on the council."""
        inside_bun = unit.path.startswith(self.bun_path) and unit.kind != OrgKind.COMMITTEE
        return self.forvaltningschef if inside_bun else self.controller


def _create_demo_editors(units: dict[str, OrgUnit], chiefs: dict[str, str]) -> dict[str, object]:
    """A Redigerare for every unit that reports (except the enhetschef's school), named
    after the unit's chief (for the council: the kommundirektör). No password: they only
    sign the history."""
    user_model = get_user_model()
    units_with_reports, _period = units_in_scope(year=DELAR_ROUND[1].year, scope=[])
    editors = {}
    for unit in units_with_reports:
        if unit.code == "SKOLA-EKBACKEN":
            continue
        first, last = chiefs[unit.code].split(" ", 1)
        user = user_model(
            username=f"{DEMO_EDITOR_PREFIX}{unit.code.lower()}",
            first_name=first,
            last_name=last,
            email=f"{unit.code.lower()}@asbacka.example",
        )
        user.set_unusable_password()
        user.save()
        RoleAssignment.objects.create(user=user, org_unit=unit, role=Role.EDITOR)
        editors[unit.code] = user
    return editors


def _fill(
    rng, report: Report, user, kind: str, *, only: int | None = None, chosen_only: int = 0,
    overrides: float = 0.0, texts: dict | None = None, thin: str = "",
) -> None:  # fmt: skip
    """Write the report's assessments as ``user``: all of them, or the first ``only``
    fully and the next ``chosen_only`` with just the assessment chosen.

    ``texts`` (by goal title) are written instead of generated ones, and those goals
    come first; ``thin`` leaves the analysis of the goal with that word almost empty.
    """
    texts = texts or {}
    order = list(texts)
    assessments = sorted(
        report.assessments.select_related("goal", "report"),
        key=lambda a: (order.index(a.goal.title) if a.goal.title in texts else len(order), a.pk),
    )
    limit = len(assessments) if only is None else only
    for i, a in enumerate(assessments[: limit + chosen_only]):
        chosen, justification = a.proposed, ""
        if rng.random() < overrides:
            chosen, justification = _OVERRIDES[a.proposed]
        a.chosen, a.justification = chosen, justification
        if i < limit:
            a.analysis, a.measures = texts.get(a.goal.title) or _analysis(rng, a, chosen, kind)
            if thin and thin in a.goal.title.lower():
                a.analysis = "Sjukfrånvaron har ökat jämfört med samma period förra året."
        assessment_save(assessment=a, user=user, expected_version=a.version)


def _update_activities(rng, report: Report, user, day: datetime.date, share: float = 1.0):
    updates = list(report.activity_updates.select_related("activity").order_by("activity__pk"))
    for u in updates[: math.ceil(len(updates) * share)]:
        u.status = _status_at(u.activity, day)
        u.comment = rng.choice(_ACTIVITY_COMMENTS[u.status])
        activity_update_save(update=u, user=user, expected_version=u.version)


def _fresh(report: Report) -> Report:
    return Report.objects.select_related("org_unit").get(pk=report.pk)


def _submit(report: Report, user) -> Report:
    report = _fresh(report)
    return report_submit(report=report, user=user, expected_version=report.version)


def _approve(report: Report, user) -> Report:
    report = _fresh(report)
    return report_approve(report=report, user=user, expected_version=report.version)


def _reports_bottom_up(rnd: FollowUpRound) -> list[Report]:
    """Units first, then their committees, the council last (roll-ups see the units)."""
    reports = list(rnd.reports.select_related("org_unit"))
    return sorted(reports, key=lambda r: (-r.org_unit.path.count(PATH_SEPARATOR), r.org_unit.path))


def _working_day(start: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day from ``start`` (Monday to Friday)."""
    day = start
    while n > 0 or day.weekday() >= 5:
        if day.weekday() < 5:
            n -= 1
        day += datetime.timedelta(days=1)
    return day


def _open(kind_name: str, period_end, deadline, council_date, user) -> FollowUpRound:
    return round_open(
        kind=RoundKind.objects.get(name=kind_name),
        year=period_end.year,
        period_end=period_end,
        deadline=deadline,
        council_date=council_date,
        scope=[],
        user=user,
    )


def _seed_approved_round(
    rng, cast: _FollowUpCast, clock: _Clock, spec, *, opened, units_from, administrations,
    committees, council, closed, texts=None,
) -> FollowUpRound:  # fmt: skip
    """A round where every report was written, submitted and approved, then closed:
    units first (from ``units_from``, over eight working days), administrations,
    committees, the council last."""
    kind, period_end, deadline, council_date = spec
    clock.at(opened, 8, 30)
    rnd = _open(kind, period_end, deadline, council_date, cast.controller)
    for i, report in enumerate(_reports_bottom_up(rnd)):
        unit = report.org_unit
        depth = unit.path.count(PATH_SEPARATOR)
        if unit.kind == OrgKind.UNIT:
            written = _working_day(units_from, i % 8)
        elif depth > 1 and unit.kind != OrgKind.COMPANY and unit.kind != OrgKind.COMMITTEE:
            written = administrations  # administrations: activities only
        else:
            written = committees if depth > 1 else council
        editor = cast.editor(unit)
        clock.at(written, 8 + i % 8, (i * 7) % 60)
        own = texts if texts and unit.code == "SKOLA-EKBACKEN" else None
        _fill(rng, report, editor, kind, texts=own, overrides=0.0 if own else 0.07)
        _update_activities(rng, report, editor, period_end)
        clock.at(written, 15, (i * 11) % 60)
        _submit(report, editor)
        clock.at(_working_day(written, 2 + i % 3), 10, (i * 13) % 60)
        _approve(report, cast.approver(unit))
    clock.at(closed, 13, 0)
    return round_close(rnd=rnd, user=cast.controller)


def _seed_annual(rng, cast: _FollowUpCast, clock: _Clock) -> FollowUpRound:
    """The annual report of 2025 (årsredovisning), written in January and February."""
    return _seed_approved_round(
        rng, cast, clock, ANNUAL_ROUND,
        opened=datetime.date(2026, 1, 8),
        units_from=datetime.date(2026, 1, 19),
        administrations=datetime.date(2026, 1, 30),
        committees=datetime.date(2026, 2, 5),
        council=datetime.date(2026, 2, 11),
        closed=datetime.date(2026, 3, 2),
    )  # fmt: skip


def _seed_tertial(rng, cast: _FollowUpCast, clock: _Clock) -> FollowUpRound:
    """Tertial 1: every report written, submitted and approved, then the round closed."""
    return _seed_approved_round(
        rng, cast, clock, TERTIAL_ROUND,
        opened=datetime.date(2026, 4, 22),
        units_from=datetime.date(2026, 5, 4),
        administrations=datetime.date(2026, 5, 13),
        committees=datetime.date(2026, 5, 20),
        council=datetime.date(2026, 5, 26),
        closed=datetime.date(2026, 6, 8),
        texts=EKBACKEN_TERTIAL,
    )  # fmt: skip


def _seed_delar(rng, cast: _FollowUpCast, clock: _Clock) -> FollowUpRound:
    """The interim report per 31 August: every stage of the workflow at once."""
    kind, period_end, deadline, council_date = DELAR_ROUND
    clock.at(datetime.date(2026, 8, 24), 8, 30)
    rnd = _open(kind, period_end, deadline, council_date, cast.controller)
    states = list(DELAR_WEIGHTS)
    weights = list(DELAR_WEIGHTS.values())
    for i, report in enumerate(_reports_bottom_up(rnd)):
        unit = report.org_unit
        drawn = rng.choices(states, weights)[0]
        state = DELAR_PLAN.get(unit.code, drawn)
        if state == "not_started":
            continue
        editor = cast.editor(unit)
        written = _working_day(datetime.date(2026, 9, 7), i % 9)
        clock.at(written, 8 + i % 9, (i * 7) % 60)
        if unit.code == "SKOLA-EKBACKEN":
            written_goals = sum(1 for w in EKBACKEN_DELAR.values() if w is not None)
            _fill(
                rng, report, editor, kind, only=written_goals, chosen_only=1, texts=EKBACKEN_DELAR
            )
            _update_activities(rng, report, editor, period_end, share=0.3)
            continue
        if state == "draft":
            n = report.assessments.count()
            _fill(rng, report, editor, kind, only=n // 2, chosen_only=1 if n > 1 else 0)
            _update_activities(rng, report, editor, period_end, share=0.5)
            continue
        thin = "sjukfrånvaro" if state == "returned" else ""
        _fill(rng, report, editor, kind, overrides=0.04, thin=thin)
        _update_activities(rng, report, editor, period_end)
        clock.at(_working_day(written, 1), 14, (i * 11) % 60)
        _submit(report, editor)
        if state == "approved":
            clock.at(_working_day(written, 3), 10, (i * 13) % 60)
            _approve(report, cast.approver(unit))
        elif state == "returned":
            clock.at(datetime.date(2026, 9, 22), 10, 15)
            report = _fresh(report)
            report_return(
                report=report,
                user=cast.approver(unit),
                comment=RETURN_COMMENT,
                expected_version=report.version,
            )
    return rnd


def seed_demo_followup(units: dict[str, OrgUnit], chiefs: dict[str, str], rng) -> None:
    """The follow-up: last year's annual report and this year's tertial report (both
    closed, all approved) and the interim report (open, at every stage), written
    through the services by the people who would have written them, on the dates they
    would have."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=PERSONA_USERNAMES)}
    cast = _FollowUpCast(
        controller=users["controller"],
        forvaltningschef=users["forvaltningschef"],
        enhetschef=users["enhetschef"],
        editors=_create_demo_editors(units, chiefs),
        bun_path=units["BUN"].path,
    )
    clock = _Clock()
    with mock.patch("django.utils.timezone.now", clock):
        # Its own random numbers, so the rounds of 2026 come out as they did before.
        _seed_annual(random.Random(f"{SEED}-arsredovisning"), cast, clock)
        _seed_tertial(rng, cast, clock)
        _seed_delar(rng, cast, clock)
