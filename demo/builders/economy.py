"""The demo's economy (issue 16): for every unit with an activity, three years of budget
and outcome and this year's budget, outcome so far and forecast, in a believable order
of magnitude (demo/data/ekonomi.toml); the categories the budget is split by; and one
committee whose budget is decided for the committee as a whole. Written through the one
write path, before the follow-up closes its rounds."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

from economy.models import EconomyCategory, EconomyFigure, FigureKind
from economy.services import FigureInput, figures_save
from ledmot.models import OrgUnit

DATA = Path(__file__).resolve().parent.parent / "data" / "ekonomi.toml"
MILLION = 1_000_000
B, OUT, F = FigureKind.BUDGET, FigureKind.OUTCOME, FigureKind.FORECAST


def _round(amount: float) -> int:
    """To the thousand kronor, as the finance system's reports round."""
    return int(round(amount / 1000)) * 1000


def wipe_economy() -> None:
    EconomyFigure.objects.all().delete()
    EconomyCategory.objects.all().delete()


def history_models() -> list:
    return [EconomyFigure, EconomyCategory]


def seed_demo_economy(
    year: int, units: dict[str, OrgUnit], tags: dict[str, str], rng: random.Random
) -> int:
    """The figures of ``year`` (the demo's year: its interim report under way) and the
    three years before it. Returns the number of figures."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    settings = data["ekonomi"]
    categories = []
    for order, spec in enumerate(data["kategori"], start=1):
        category = EconomyCategory(code=spec["kod"], name=spec["namn"], kind=spec["typ"])
        category.order = order
        category._history_user = None
        category.save()
        categories.append((category, spec["andel"]))
    costs: dict[str, float] = data["nettokostnad"]
    figures: list[FigureInput] = []
    for code, unit in units.items():
        base = costs.get(tags.get(code) or "")
        if base is None:
            continue
        figures += unit_figures(unit, base * MILLION, year, settings, categories, rng)
    for spec in data.get("namndbudget", []):
        committee = units[spec["namnd"]]
        below = [
            costs[tags[c]]
            for c, u in units.items()
            if u.path.startswith(committee.path) and tags.get(c) in costs
        ]
        for y in range(year - 3, year + 1):
            growth = (1 + settings["arlig_okning"]) ** (y - year)
            amount = (sum(below) + spec["tillagg"]) * MILLION * growth
            figures.append(FigureInput(committee, str(y), B, _round(amount)))
    figures_save(figures=figures, user=None, reason="Demodata")
    return len(figures)


def unit_figures(unit, base: float, year: int, settings, categories, rng) -> list[FigureInput]:
    """A unit's budget, outcome and forecast for ``year`` and the three years before."""
    out = []
    low, high = settings["avvikelse_min"], settings["avvikelse_max"]
    t1, interim = settings["upparbetat_t1"], settings["upparbetat_delar"]
    for y in range(year - 3, year + 1):
        budget = base * (1 + settings["arlig_okning"]) ** (y - year)
        deviation = rng.uniform(low, high)
        outcome = budget * (1 + deviation)
        out.append(FigureInput(unit, str(y), B, _round(budget)))
        out.append(
            FigureInput(unit, f"{y}-T1", OUT, _round(outcome * t1 * rng.uniform(0.97, 1.03)))
        )
        out.append(FigureInput(unit, f"{y}-T1", F, _round(budget * (1 + deviation * 0.4))))
        out.append(FigureInput(unit, f"{y}-D", OUT, _round(outcome * interim)))
        out.append(FigureInput(unit, f"{y}-D", F, _round(budget * (1 + deviation * 0.85))))
        if y < year:
            out.append(FigureInput(unit, str(y), OUT, _round(outcome)))
    # This year's budget split by category (the total above is what rolls up).
    budget = base
    for category, share in categories:
        out.append(FigureInput(unit, str(year), B, _round(budget * share), category))
    return out


def seed_scale_economy(units: list[OrgUnit], year: int, rng: random.Random) -> int:
    """Economy figures for a generated municipality (``seed_scale``): every unit's
    budget for ``year`` and the year before, last year's outcome, and this year's
    outcome and forecast at the first tertial and the interim report; amounts from 8 to
    60 million kronor. Returns the number of figures."""
    figures: list[FigureInput] = []
    for unit in units:
        base = rng.uniform(8, 60) * MILLION
        last = base / 1.035
        deviation = rng.uniform(-0.025, 0.045)
        figures += [
            FigureInput(unit, str(year - 1), B, _round(last)),
            FigureInput(unit, str(year - 1), OUT, _round(last * (1 + rng.uniform(-0.025, 0.045)))),
            FigureInput(unit, str(year), B, _round(base)),
            FigureInput(unit, f"{year}-T1", OUT, _round(base * (1 + deviation) * 0.32)),
            FigureInput(unit, f"{year}-D", OUT, _round(base * (1 + deviation) * 0.655)),
            FigureInput(unit, f"{year}-D", F, _round(base * (1 + deviation * 0.85))),
        ]
    figures_save(figures=figures, user=None, reason="Demodata")
    return len(figures)
