"""Demo journals that stop on a given day of the demo's story (issue 18's screens): the demo as
it stood on day 500 (on TRT) or day 776 (a week into the washout), its last day being today."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

TRT_DAY = 500  # of the demo recipe: on weekly cypionate since day 42
WASHOUT_DAY = 776  # six days into the washout (day 770), a week after the last injection


def recipe_until(day: int) -> dict[str, Any]:
    """The demo recipe cut at ``day``: what came later left out, what ran on left open."""
    from hpgjournal.demo import load_recipe

    recipe = copy.deepcopy(load_recipe())
    recipe["today"] = day
    recipe["phases"] = [{k: v for k, v in p.items() if k != "end" or v <= day}
                        for p in recipe["phases"] if p["start"] <= day]
    recipe["regimens"] = [{k: v for k, v in r.items() if k != "end" or v <= day}
                          for r in recipe["regimens"] if r["start"] <= day]
    for key in ("draws", "semen", "measures", "notes", "ams"):
        if key in recipe:
            recipe[key] = [item for item in recipe[key] if item["day"] <= day]
    return recipe


def demo_until(path: Path, day: int, today: date | None = None) -> Path:
    """Write the demo as it stood on ``day`` of its story, that day being ``today``."""
    from hpgjournal.demo import build_demo
    from hpgjournal.store.journal import Journal

    with Journal.open(path) as journal:
        build_demo(journal, today=today or date.today(), recipe=recipe_until(day))
    return path
