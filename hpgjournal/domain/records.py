"""The journal's records as plain values. The store fills them; views and reports read them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar

T = TypeVar("T")


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    return names


def from_row(cls: type[T], row: dict[str, Any]) -> T:
    """Build a record from a database row, ignoring columns the record does not know."""
    names = _field_names(cls)  # looked up once per record type: a journal reads thousands
    return cls(**{k: v for k, v in row.items() if k in names})


@dataclass(frozen=True)
class LabResult:
    """One lab result: the value in its marker's canonical unit, and what the lab printed."""
    id: int | None
    taken_at: str
    analyte: str
    value: float | None
    unit: str
    reported_value: str
    reported_unit: str = ""
    method: str = ""
    comparator: str = ""
    ref_low: float | None = None
    ref_high: float | None = None
    ref_text: str = ""
    flag: str = ""
    lab: str = ""
    source: str = "manual"
    note: str = ""
    batch_id: int | None = None


@dataclass(frozen=True)
class Medication:
    """A medication regimen: the drug, its dose and schedule, from start to end."""
    id: int | None
    drug: str
    start_date: str
    drug_class: str = ""
    route: str = ""
    dose: float | None = None
    unit: str = ""
    schedule: str = ""
    interval_days: float | None = None
    end_date: str | None = None
    note: str = ""
    batch_id: int | None = None  # the import that added it, if any


@dataclass(frozen=True)
class Dose:
    """One dose taken: when, which drug, how much and where."""
    id: int | None
    taken_at: str
    drug: str
    amount: float | None = None
    unit: str = ""
    site: str = ""
    note: str = ""
    medication_id: int | None = None
    batch_id: int | None = None  # the import that added it, if any


@dataclass(frozen=True)
class Phase:
    """A therapy phase (baseline, TRT, washout, hCG...) from its start to its end."""
    id: int | None
    kind: str
    start_date: str
    end_date: str | None = None
    note: str = ""
    batch_id: int | None = None  # the import that added it, if any


SCORE_NAMES = ("energy", "libido", "mood", "sleep", "erections")


@dataclass(frozen=True)
class Note:
    """A symptom note: the day's scores (1 to 5) and free text."""
    id: int | None
    noted_at: str
    energy: int | None = None
    libido: int | None = None
    mood: int | None = None
    sleep: int | None = None
    erections: int | None = None
    text: str = ""
    for_doctor: bool = False
    batch_id: int | None = None  # the import that added it, if any


@dataclass(frozen=True)
class Measure:
    """A body measure: testicular volumes, weight, blood pressure."""
    id: int | None
    measured_at: str
    testis_left_ml: float | None = None
    testis_right_ml: float | None = None
    testis_method: str = ""
    weight_kg: float | None = None
    systolic: int | None = None
    diastolic: int | None = None
    note: str = ""
    batch_id: int | None = None  # the import that added it, if any


@dataclass(frozen=True)
class Batch:
    """One import: the file it came from, its format, checksum and row count."""
    id: int | None
    imported_at: str
    source: str
    format: str = ""
    sha256: str = ""
    rows: int = 0
    note: str = ""


@dataclass(frozen=True)
class Questionnaire:
    """A filled-in questionnaire (the AMS scale): its answers and total."""
    id: int | None
    taken_at: str
    kind: str  # "ams"
    answers: str  # the answers in item order, comma-separated (e.g. "1,2,3,...")
    total: int
    note: str = ""
    batch_id: int | None = None  # the import that added it, if any
