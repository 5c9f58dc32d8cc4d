"""Write the demo journal from ``hpgjournal/resources/demo/recipe.toml`` (a fictional man's three years)."""

from __future__ import annotations

import random
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from hpgjournal.domain.ams import encode, score
from hpgjournal.domain.drugs import find_drug
from hpgjournal.domain.errors import UserError
from hpgjournal.domain.records import Dose, Measure, Medication, Note, Phase, Questionnaire
from hpgjournal.domain.results import make_result
from hpgjournal.paths import resources_dir
from hpgjournal.store.journal import Journal

SOURCE = "demo"
_SCORE_KEYS = ("energy", "libido", "mood", "sleep", "erections")


def recipe_path() -> Path:
    return resources_dir() / "demo" / "recipe.toml"


def load_recipe(path: Path | None = None) -> dict[str, Any]:
    with open(path or recipe_path(), "rb") as fh:
        return tomllib.load(fh)


def write_demo(path: Path, today: date | None = None,
               passphrase: Any = None) -> dict[str, int]:
    """Write the demo journal at ``path`` (new, or an earlier demo); return counts per table.

    ``passphrase`` opens an encrypted demo journal, and encrypts a new one.

    The recipe is read before anything is written, the records go in as one transaction, and a
    journal this call created is removed again if anything fails: no half-made demo is left.
    """
    recipe = load_recipe()
    created = not path.exists()
    try:
        with Journal.open(path, passphrase=passphrase) as journal:
            return build_demo(journal, today=today, recipe=recipe)
    except BaseException:
        if created:
            for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", ".lock"))):
                leftover.unlink(missing_ok=True)
        raise


def printed_values(recipe: dict[str, Any]) -> int:
    """How many lab values the recipe prints (draws, extra results and semen analyses)."""
    units = recipe["units"]
    count = sum(1 for d in recipe["draws"] for k in d if k in units)
    count += sum(len(d.get("extra", [])) for d in recipe["draws"])
    return count + sum(1 for s in recipe["semen"] for k in s if k in units)


def build_demo(journal: Journal, today: date | None = None, recipe: dict[str, Any] | None = None
               ) -> dict[str, int]:
    """Fill an empty journal with the demo story ending on ``today``; return counts per table."""
    if not journal.is_empty() and journal.profile().get("demo") != "1":
        raise UserError(
            f"{journal.path} already holds your records; the demo goes into its own journal: "
            "choose another path"
        )
    recipe = recipe or load_recipe()
    today = today or date.today()
    origin = today - timedelta(days=int(recipe["today"]))

    def day(n: float) -> date:
        return origin + timedelta(days=n)

    def stamp(n: float, clock: str = "") -> str:
        return day(n).isoformat() + (f"T{clock}" if clock else "")

    records: list[Any] = []
    for p in recipe["phases"]:
        records.append(Phase(None, p["kind"], stamp(p["start"]),
                             stamp(p["end"]) if "end" in p else None, p.get("note", "")))
    records += _results(recipe, stamp)
    records += [
        Measure(None, stamp(m["day"]), m["testis"][0], m["testis"][1], "orchidometer",
                m["weight"], m["bp"][0], m["bp"][1])
        for m in recipe["measures"]
    ]
    records += _notes(recipe, day, stamp)
    records += [Questionnaire(None, stamp(q["day"]), "ams", encode(q["answers"]),
                              score(q["answers"]).total) for q in recipe.get("ams", [])]
    with journal.transaction():
        journal.clear_all_records()
        journal.add_many(records)
        _regimens(journal, recipe, day, stamp, today)
        birth = today.replace(year=today.year - int(recipe["age"]), month=3, day=14)
        journal.set_profile(name=recipe["name"], birth_date=birth.isoformat(), demo="1")
    return journal.counts()


def _results(recipe: dict[str, Any], stamp: Any) -> list[Any]:
    units = recipe["units"]
    out = []

    def add(n: float, clock: str, analyte: str, value: str, unit: str, rng: str,
            lab: str, method: str = "", note: str = "") -> None:
        out.append(make_result(stamp(n, clock), analyte, value, unit, method=method, ref_text=rng,
                               lab=lab, source=SOURCE, note=note))

    methods = recipe.get("methods", {})
    for draw in recipe["draws"]:
        for key, value in draw.items():
            if key in units:
                unit, rng = units[key]
                add(draw["day"], draw["time"], key, value, unit, rng, recipe["lab"],
                    methods.get(key, ""))
        for extra in draw.get("extra", []):
            add(draw["day"], draw["time"], extra["analyte"], extra["value"], extra["unit"],
                extra["range"], recipe["lab"], extra.get("method", ""))
    for sample in recipe["semen"]:
        first = True
        for key, value in sample.items():
            if key in units:
                unit, rng = units[key]
                add(sample["day"], sample["time"], key, value, unit, rng, sample["lab"],
                    note=sample.get("note", "") if first else "")
                first = False
    return out


def _phase_on(recipe: dict[str, Any], n: int) -> str:
    """The phase that sets the mood of a day (the latest-starting running phase with scores)."""
    running = [p for p in recipe["phases"]
               if p["start"] <= n <= p.get("end", 10**6) and p["kind"] in recipe["scores"]]
    return max(running, key=lambda p: p["start"])["kind"] if running else "baseline"


def _notes(recipe: dict[str, Any], day: Any, stamp: Any) -> list[Note]:
    rng = random.Random(20241)
    written = {n["day"]: n for n in recipe["notes"]}
    notes = []
    for n in range(0, int(recipe["today"]) + 1, 14):
        base = recipe["scores"][_phase_on(recipe, n)]
        scores = [max(0, min(10, s + rng.choice((-1, 0, 0, 0, 1)))) for s in base]
        extra = next((written.pop(d) for d in list(written) if n <= d < n + 14), None)
        when = extra["day"] if extra else n
        energy, libido, mood, sleep, erections = scores  # one per _SCORE_KEYS
        notes.append(Note(None, stamp(when, "21:30"), energy, libido, mood, sleep, erections,
                          text=extra["text"] if extra else "",
                          for_doctor=bool(extra and extra.get("for_doctor"))))
    return notes


def _regimens(journal: Journal, recipe: dict[str, Any], day: Any, stamp: Any,
              today: date) -> None:
    for reg in recipe["regimens"]:
        drug = find_drug(reg["drug"])
        med_id = journal.add(Medication(
            None, reg["drug"], stamp(reg["start"]), drug.drug_class if drug else "",
            reg["route"], float(reg["dose"]), reg["unit"], reg["schedule"], float(reg["every"]),
            stamp(reg["end"]) if "end" in reg else None,
        ))
        sites = reg.get("sites", [])
        n, k = float(reg["start"]), 0
        end = float(reg.get("end", recipe["today"]))
        doses = []
        while n <= end and day(n) <= today:
            hh, mm = (int(x) for x in reg["time"].split(":"))
            when = datetime.combine(day(int(n)), datetime.min.time()) + timedelta(
                hours=hh + 12 * (n % 1 > 0), minutes=mm)  # half-day schedules alternate
            doses.append(Dose(None, when.strftime("%Y-%m-%dT%H:%M"), reg["drug"],
                              float(reg["dose"]), reg["unit"], sites[k % len(sites)] if sites
                              else "", "", med_id))
            n += float(reg["every"])
            k += 1
        journal.add_many(doses)
