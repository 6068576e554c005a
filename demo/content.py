"""The demo municipality's content, read from the TOML files in ``demo/data/``.

The files are written for people who are not programmers: Swedish keys, one table per
thing, comments at the top that say what each key means. This module turns them into
the small spec objects the builders use. The files describe Åsbacka as it stands in
the autumn of their ``basår`` (``kalender.toml``); :mod:`demo.calendar` moves every
year by the same number of years when the demo is run another year.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path

from demo.calendar import MIN_AHEAD, NEW_DEADLINE, DemoCalendar
from goals.periods import ReportingPeriod

DATA = Path(__file__).resolve().parent / "data"

# Swedish keys in the files → field names in the specs.
KEYS = {
    "id": "key",
    "titel": "title",
    "beskrivning": "description",
    "perspektiv": "perspective",
    "kommungemensamt": "shared",
    "maltyp": "goal_type",
    "status": "status",
    "indikatorer": "indicators",
    "enhetstyper": "tags",
    "aktiviteter": "activities",
    "max_enheter": "limit",
    "namnd": "committee",
    "kf_mal": "council",
    "enhetsmal": "unit_goals",
    "namn": "name",
    "mattenhet": "unit",
    "ansvarig": "responsible",
    "decimaler": "decimals",
    "riktning": "direction",
    "frekvens": "frequency",
    "typ": "kind",
    "kalla": "source",
    "kolada_id": "kolada_id",
    "per_kon": "gender",
    "basvarde": "baseline",
    "basar": "baseline_year",
    "slutmal": "end",
    "utfall": "values",
    "malvarden": "targets",
    "tertial": "tertials",
    "manader": "months",
    "andel_kvinnor": "women",
    "skillnad_kvinnor_man": "gap",
    "kommentarer": "comments",
    "bedomning": "assessment",
    "kostnader": "costs",
    "malgrupp": "target_group",
    "nulage": "situation",
    "arsarbetare": "staff",
    "engangskostnad": "one_off",
    "effekt_for": "lands",
    "mal": "goals",
    "rang": "rank",
    "motivering_rang": "rank_reason",
    "konsekvenser_invanare": "citizens",
    "konsekvenser_personal": "staff_text",
    "konsekvenser_jamstalldhet": "equality",
    "konsekvenser_barn": "children",
    "risker": "risks",
    "anvandarnamn": "username",
    "fornamn": "first_name",
    "efternamn": "last_name",
    "roll": "role",
    "enhet": "unit_code",
    "yrkestitel": "title",
    "superanvandare": "superuser",
}


@cache
def load(name: str) -> dict:
    with (DATA / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


def _tuple(value):
    if isinstance(value, list):
        return tuple(_tuple(v) for v in value)
    return value


def spec(cls, table: dict, **convert):
    """A spec of ``cls`` from one table of a file (Swedish keys); ``convert`` maps a
    field name to a function applied to its value."""
    names = {f.name for f in fields(cls)}
    kwargs = {}
    for key, value in table.items():
        name = KEYS.get(key, key)
        if name not in names:
            raise ValueError(f"{cls.__name__}: okänd nyckel {key!r}")
        kwargs[name] = convert[name](value) if name in convert else _tuple(value)
    return cls(**kwargs)


def spaced(text: str) -> tuple[str | None, ...]:
    """``"83.1 85.0 - 84.2"`` → ``("83.1", "85.0", None, "84.2")`` (``-``: not reported)."""
    return tuple(None if v == "-" else v for v in text.split())


# --------------------------------------------------------------------------- the specs


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    role: str
    unit_code: str
    title: str
    superuser: bool = False


@dataclass(frozen=True)
class OrgNode:
    code: str
    name: str
    kind: str
    tag: str = ""
    children: tuple[OrgNode, ...] = ()


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    name: str
    unit: str
    responsible: str  # org unit code
    decimals: int = 0
    direction: str = "higher"
    frequency: str = "year"
    kind: str = "resultat"
    source: str = "manual"
    kolada_id: str = ""
    gender: bool = False
    baseline: str | None = None
    baseline_year: int | None = 2022
    description: str = ""


@dataclass(frozen=True)
class ResultSpec:
    """An indicator's results in the demo.

    ``values`` are the totals of the result years as text (``None``: not reported);
    the baseline year's value is the baseline. ``targets`` (the four years of the
    mandate period) replaces the linear progression from the baseline to ``end`` where
    a committee planned otherwise. Women and men are derived from the total: ``women``
    is the women's share of the total and ``gap`` how much higher the women's value is
    than the men's.
    """

    end: str
    values: tuple[str | None, ...]
    targets: tuple[str, str, str, str] | None = None
    tertials: tuple[str, ...] = ()  # Content.tertials
    months: tuple[str, ...] = ()  # Content.months
    women: float = 0.5
    gap: float = 0.0
    comments: tuple[tuple[str, str], ...] = ()  # (period, comment on the total)


@dataclass(frozen=True)
class CouncilGoalSpec:
    key: str
    perspective: str
    title: str
    description: str = ""
    shared: bool = False
    status: str = "adopted"
    indicators: tuple[str, ...] = ()
    goal_type: str = "operational"  # or "financial" (goals.models.GoalType)


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
    status: str = "adopted"
    description: str = ""


@dataclass(frozen=True)
class PrioritySpec:
    """One proposal in the demo round (prioriteringsobjekt with its fact sheet)."""

    committee: str
    kind: str
    title: str
    assessment: tuple[int, int, int, int]  # severity, effect, cost/effect, evidence
    costs: tuple[int, int, int]  # the budget year and the two plan years (saving < 0)
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


@dataclass(frozen=True)
class RoundSpec:
    """A follow-up round of the demo and the days its story happens on."""

    kind: str  # the RoundKind's name
    period_end: datetime.date
    deadline: datetime.date
    council_date: datetime.date | None
    story: dict  # opened, units_from, administrations, committees, council, closed, returned


# --------------------------------------------------------------------------- static content

_ORG = load("organisation")
_TEXTS = load("uppfoljning")
_CALENDAR = load("kalender")

BASE_YEAR: int = _CALENDAR["basar"]
PERSPECTIVES = tuple(p["namn"] for p in _ORG["perspektiv"])
PERSPECTIVE_DESCRIPTIONS = {p["namn"]: p["beskrivning"] for p in _ORG["perspektiv"]}
PERSONAS = tuple(spec(Persona, p) for p in _ORG["inloggning"])
PERSONA_USERNAMES = tuple(p.username for p in PERSONAS)
CHIEFS = dict(_ORG["chefer"])
FIRST_NAMES = tuple(_ORG["namn"]["fornamn"])
LAST_NAMES = tuple(_ORG["namn"]["efternamn"])


def _org_tree(rows: list[dict]) -> OrgNode:
    """The tree from the flat list of units in organisation.toml (``under``: the parent)."""
    children: dict[str | None, list[dict]] = {}
    for row in rows:
        children.setdefault(row.get("under"), []).append(row)

    def node(row: dict) -> OrgNode:
        below = tuple(node(c) for c in children.get(row["kod"], ()))
        return OrgNode(row["kod"], row["namn"], row["typ"], row.get("verksamhet", ""), below)

    (root,) = children[None]
    return node(root)


DEMO_ORG = _org_tree(_ORG["enhet"])

RETURN_COMMENT: str = _CALENDAR["delar"]["atervisad_kommentar"]
RETURNED_UNIT: str = _CALENDAR["delar"]["atervisad_enhet"]
DELAR_PLAN: dict[str, str] = dict(_CALENDAR["delar"]["lage"])
DELAR_WEIGHTS: dict[str, int] = dict(_CALENDAR["delar"]["vikter"])

PERIOD_WORDS: dict[str, str] = dict(_TEXTS["periodord"])
OPENINGS = {k: tuple(v) for k, v in _TEXTS["inledning"].items()}
THEME_WORDS = tuple((t["tema"], tuple(t["ord"])) for t in _TEXTS["temaord"])
UNIT_THEMES: dict[str, str] = dict(_TEXTS["verksamhetens_tema"])
THEMES = {
    theme: {"good": tuple(t["bra"]), "bad": tuple(t["daligt"]), "do": tuple(t["gora"])}
    for theme, t in _TEXTS["tema"].items()
}
OVERRIDES = {k: tuple(v) for k, v in _TEXTS["omprovning"].items()}
ACTIVITY_COMMENTS = {k: tuple(v) for k, v in _TEXTS["aktivitetskommentar"].items()}


# --------------------------------------------------------------------------- by the day

# Measured values: never moved with the years.
_VALUES = frozenset(
    {"utfall", "malvarden", "tertial", "manader", "slutmal", "basvarde", "riket", "kostnader"}
)
_SPACED = dict.fromkeys(("values", "targets", "tertials", "months"), spaced)


def _only(cls, table: dict) -> dict:
    """The keys of a table that belong to ``cls`` (an indicator's table holds its results)."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in table.items() if KEYS.get(k, k) in names}


def _committee_goal(table: dict) -> CommitteeGoalSpec:
    unit_goals = tuple(spec(UnitGoalSpec, t) for t in table.get("enhetsmal", ()))
    rest = {k: v for k, v in table.items() if k != "enhetsmal"}
    return spec(CommitteeGoalSpec, {**rest, "enhetsmal": unit_goals}, unit_goals=tuple)


def _decision(table: dict) -> tuple[str, str, datetime.date]:
    return (table["diarienummer"], table.get("paragraf", ""), table["datum"])


@dataclass(frozen=True)
class Content:
    """The demo's content as it reads on one day: the files' years moved by the
    calendar (see :mod:`demo.calendar`)."""

    cal: DemoCalendar
    current_period: tuple[int, int]
    earlier_period: tuple[int, int]
    result_years: tuple[int, ...]
    baseline_year: int
    tertials: tuple[str, ...]
    months: tuple[str, ...]
    kolada_fetched_at: datetime.datetime
    vision: dict
    earlier_vision: dict
    council_decision: tuple[str, str, datetime.date]
    council_revision: tuple[str, str, datetime.date]
    ended_decision: tuple[str, str, datetime.date]
    council_goals: tuple[CouncilGoalSpec, ...]
    extra_council_goals: tuple[CouncilGoalSpec, ...]
    committee_goals: tuple[CommitteeGoalSpec, ...]
    proposed_committee_goal: CommitteeGoalSpec
    ended_committee_goal: CommitteeGoalSpec
    broken_unit_goal: tuple[str, str, str]
    proposed_unit_goals: tuple[tuple[str, str, str], ...]
    featured_units: tuple[str, ...]
    earlier_goals: tuple[tuple[str, str, str, str], ...]
    indicators: tuple[IndicatorSpec, ...]
    unit_indicators: tuple[tuple[str, str, str], ...]
    results: dict[str, ResultSpec]
    riket: dict[str, tuple[str, ...]]
    annual_round: RoundSpec
    tertial_round: RoundSpec
    delar_round: RoundSpec
    ekbacken_tertial: dict[str, tuple[str, str]]
    ekbacken_delar: dict[str, tuple[str, str] | None]
    wheel: tuple[dict, ...]
    priority_round: dict
    priority_decision: tuple[datetime.date, str, str]  # day, paragraph, reference
    priority_decisions: dict[str, tuple[str, str]]
    priority_items: tuple[PrioritySpec, ...]

    @property
    def today(self) -> datetime.date:
        return self.cal.today


def _periods_until(keys, day: datetime.date) -> tuple[str, ...]:
    """The periods (tertials or months) that have ended by ``day``."""
    return tuple(k for k in keys if ReportingPeriod.parse(k).end < day)


def content_for(cal: DemoCalendar) -> Content:
    """The content of the files with every date and year moved by ``cal``."""
    goals = cal.deep(load("mal"), _VALUES)
    ind = cal.deep(load("indikatorer"), _VALUES)
    calendar = cal.deep(load("kalender"), _VALUES)
    prio = cal.deep(load("prioriteringar"), _VALUES)
    texts = cal.deep(load("uppfoljning"), _VALUES)
    base = calendar["basar"]  # not moved: a number, not a text or date
    start, end = (cal.y(y) for y in calendar["mandatperiod"])
    first, last = (cal.y(y) for y in calendar["tidigare_mandatperiod"])
    year = cal.year
    # Values up to last year; tertials and months of last year and this year that have
    # ended by today (with the interim report per 31 August, at most up to August).
    tertials = _periods_until(
        [f"{y}-T{t}" for y in (year - 1, year) for t in (1, 2, 3)][:5], cal.today
    )
    months = _periods_until(
        [f"{y}-{m:02d}" for y in (year - 1, year) for m in range(1, 13)][:20], cal.today
    )

    indicators = tuple(
        replace(s, baseline_year=cal.y(s.baseline_year))
        for s in (spec(IndicatorSpec, _only(IndicatorSpec, t)) for t in ind["indikator"])
    )
    results = {}
    for t in ind["indikator"]:
        r = spec(ResultSpec, _only(ResultSpec, t), **_SPACED)
        results[t["id"]] = replace(
            r, tertials=r.tertials[: len(tertials)], months=r.months[: len(months)]
        )

    rounds = calendar["omgang"]

    def round_spec(table: dict, story: dict) -> RoundSpec:
        return RoundSpec(
            table["typ"], table["period_slut"], table["sista_dag"], table.get("kf_datum"), story
        )

    def closed_story(table: dict) -> dict:
        return {
            "opened": table["oppnad"],
            "units_from": table["enheter_skriver"],
            "administrations": table["forvaltningar_skriver"],
            "committees": table["namnder_skriver"],
            "council": table["kf_skriver"],
            "closed": table["stangd"],
        }

    annual = round_spec(rounds["arsredovisning"], closed_story(rounds["arsredovisning"]))
    tertial = round_spec(rounds["tertialrapport"], closed_story(rounds["tertialrapport"]))
    delar = _ongoing(
        round_spec(rounds["delarsrapport"], {}), rounds["delarsrapport"], tertial, cal.today
    )

    return Content(
        cal=cal,
        current_period=(start, end),
        earlier_period=(first, last),
        result_years=tuple(range(cal.y(base - 7), cal.y(base))),
        baseline_year=cal.y(2022),
        tertials=tertials,
        months=months,
        kolada_fetched_at=datetime.datetime.fromisoformat(calendar["kolada_hamtat"]),
        vision=goals["vision"],
        earlier_vision=goals["tidigare_vision"],
        council_decision=_decision(goals["kf_beslut"]),
        council_revision=_decision(goals["kf_revidering"]),
        ended_decision=_decision(goals["avslutat_beslut"]),
        council_goals=tuple(spec(CouncilGoalSpec, t) for t in goals["kf_mal"]),
        extra_council_goals=tuple(spec(CouncilGoalSpec, t) for t in goals["kf_mal_stor_kommun"]),
        committee_goals=tuple(_committee_goal(t) for t in goals["namndmal"]),
        proposed_committee_goal=_committee_goal(goals["foreslaget_namndmal"][0]),
        ended_committee_goal=_committee_goal(goals["avslutat_namndmal"][0]),
        broken_unit_goal=tuple(
            goals["brutet_enhetsmal"][k] for k in ("enhet", "titel", "aktivitet")
        ),
        proposed_unit_goals=tuple(
            (t["enhet"], t["namndmal"], t["titel"]) for t in goals["foreslaget_enhetsmal"]
        ),
        featured_units=tuple(goals["utvalda_enheter"]),
        earlier_goals=tuple(
            (t["perspektiv"], t["titel"], t["namnd"], t["namndmal"]) for t in goals["tidigare_mal"]
        ),
        indicators=indicators,
        unit_indicators=tuple(
            (t["indikator"], t["enhet"], t["enhetsmal"]) for t in ind["enhetens_indikator"]
        ),
        results=results,
        riket={k: tuple(v.split()) for k, v in ind["riket"].items()},
        annual_round=annual,
        tertial_round=tertial,
        delar_round=delar,
        ekbacken_tertial={k: tuple(v) for k, v in texts["ekbacken_tertial"].items()},
        ekbacken_delar={k: tuple(v) if v else None for k, v in texts["ekbacken_delar"].items()},
        wheel=tuple(calendar["arshjul"]),
        priority_round={
            "title": prio["omgang"]["titel"],
            "year": cal.y(prio["omgang"]["ar"]),
            "plan_years": prio["omgang"]["planar"],
            "resource_frame": prio["omgang"]["resursram"],
            "deadline": prio["omgang"]["sista_dag"],
            "description": prio["omgang"]["beskrivning"],
        },
        priority_decision=(
            prio["kf_beslut"]["datum"],
            prio["kf_beslut"]["paragraf"],
            prio["kf_beslut"]["diarienummer"],
        ),
        priority_decisions={title: tuple(v) for title, v in prio["beslut"].items()},
        priority_items=tuple(spec(PrioritySpec, t) for t in prio["forslag"]),
    )


def _ongoing(rnd: RoundSpec, table: dict, tertial: RoundSpec, today: datetime.date) -> RoundSpec:
    """The interim round as it stands today: the deadline ahead, the story behind.

    The story (opened, written from, one report returned) is moved back as far as it
    must for the last of it to lie before today, but never to before the tertial round
    closed. The deadline is the files' day if that is at least a week ahead, else two
    weeks from today (the council date follows it).
    """
    late = max(datetime.timedelta(0), table["atervisad"] + datetime.timedelta(days=2) - today)
    floor = tertial.story["closed"] + datetime.timedelta(days=1)

    def back(day: datetime.date) -> datetime.date:
        return max(day - late, floor)

    story = {
        "opened": back(table["oppnad"]),
        "units_from": back(table["enheter_skriver"]),
        "returned": back(table["atervisad"]),
    }
    deadline, council = rnd.deadline, rnd.council_date
    if deadline < today + MIN_AHEAD:
        deadline = today + NEW_DEADLINE
        council = deadline + (rnd.council_date - rnd.deadline)
    return replace(rnd, deadline=deadline, council_date=council, story=story)
