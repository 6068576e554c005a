"""The demo's overall judgement of god ekonomisk hushållning in this year's interim
report (demo/data/god_hushallning.toml), written through the one write path."""

from __future__ import annotations

import tomllib

from demo.content import DATA
from economy.models import EconomyJudgement
from economy.services import judgement_save
from followup.models import FollowUpRound


def history_models() -> list:
    return [EconomyJudgement]


def seed_demo_judgement(delar: FollowUpRound | None, user) -> None:
    if delar is None or delar.is_closed:
        return
    data = tomllib.loads((DATA / "god_hushallning.toml").read_text(encoding="utf-8"))
    judgement_save(rnd=delar, text=data["delar"]["bedomning"], user=user, seen_version=0)
