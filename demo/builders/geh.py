"""The demo's overall judgements of god ekonomisk hushållning, in last year's annual
report and this year's interim report (demo/data/god_hushallning.toml), written through
the one write path (so the annual report's before its round is closed)."""

from __future__ import annotations

import tomllib

from demo.content import DATA
from economy.models import EconomyJudgement
from economy.services import judgement_save
from followup.models import FollowUpRound


def history_models() -> list:
    return [EconomyJudgement]


def seed_demo_judgement(rnd: FollowUpRound | None, user, *, part: str = "delar") -> None:
    """The judgement of ``part`` (a table of the data file) in the open round ``rnd``."""
    if rnd is None or rnd.is_closed:
        return
    data = tomllib.loads((DATA / "god_hushallning.toml").read_text(encoding="utf-8"))
    judgement_save(rnd=rnd, text=data[part]["bedomning"], user=user, seen_version=0)
