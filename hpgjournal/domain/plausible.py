"""Plausibility limits: which lab values cannot be true, and which are very unlikely to be.

Every entry path (the window's dialogs, every importer, the store itself) asks
:func:`judge_result` before a result is kept, and ``hpgjournal check`` asks it about what is
stored. There are two tiers, per catalogue marker and in its canonical unit:

* **impossible**: the value cannot be a measurement at all (a negative concentration or count,
  a share of more than 100 %, a number that is not finite, a figure orders of magnitude beyond
  anything a human body holds), or the date cannot be the date of a blood test (before 1900,
  or more than a day after today). Such a value is refused with the reason and never stored.
* **implausible**: the value can be written down, but it is outside anything an adult man's
  result realistically is; most often a unit slip (g/L typed as g/dL) or a fraction typed as
  a percentage. It is kept, and the user is told why it looks wrong.

A censored value (``<0.5``, ``>1500``) is judged by its bound. A custom marker (one the
catalogue does not know) has no limits: only a number that is not finite is refused.

The limits are this app's own assumptions, chosen generously so that no real result is ever
turned away. They are not reference ranges, not targets and not clinical guidelines: a value
inside them can still be far outside the lab's range, and a value outside the implausible
limits can still be real (it is kept). Where each figure comes from is noted beside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from hpgjournal.domain import analytes
from hpgjournal.domain.analytes import is_custom
from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.records import LabResult
from hpgjournal.domain.values import parse_value

__all__ = [
    "EARLIEST_DATE",
    "LIMITS",
    "PLAUSIBLE_SPANS",
    "Limits",
    "Verdict",
    "impossible_date",
    "is_text_result",
    "judge_result",
    "judge_text",
    "judge_value",
    "latest_date",
    "left_out_note",
    "look_alike_number",
    "require_possible",
    "usable",
]

# No blood test of a living user predates 1900; a result dated before it is a typo or a
# spreadsheet's zero date (0001-01-01, 1899-12-30).
EARLIEST_DATE = "1900-01-01"


@dataclass(frozen=True)
class Limits:
    """The limits of one marker, in its canonical unit.

    Below ``low`` or above ``high`` a value is implausible (None: no such limit). Above
    ``ceiling`` it is impossible; so is anything below 0. ``percent`` marks a true share of a
    whole (hematocrit, motility): its ceiling is 100.
    """

    low: float | None
    high: float | None
    ceiling: float
    percent: bool = False


def _limits(low: float | None, high: float | None) -> Limits:
    """Limits whose impossible ceiling is a hundred times the implausible high.

    Two orders of magnitude above a figure that is already beyond the highest results
    reported in people: no body, no lab and no unit slip of the usual kind (x10, x1000 of a
    molar unit) reaches it by accident, only a broken number.
    """
    assert high is not None
    return Limits(low, high, high * 100.0)


def _percent(low: float | None = None, high: float | None = None) -> Limits:
    return Limits(low, high, 100.0, percent=True)


# Implausible limits, marker by marker (canonical units). Each is wider than the extremes
# reported in men with the conditions that push the marker furthest (named beside it), and
# wider than the upper reporting limits of the large US labs' assays; the app's own choice.
LIMITS: dict[str, Limits] = {
    # Doses far above replacement keep total T mostly under 3,000; lab reports of anabolic
    # steroid users reach about 4,000. 5,000 ng/dL (173 nmol/L) is beyond that.
    "testosterone_total": _limits(None, 5000.0),
    # Free T is 1-3 % of total T: 3 % of 5,000 ng/dL is 1,500 pg/mL; x3 for assay spread.
    "testosterone_free": _limits(None, 5000.0),
    # Bioavailable T is at most about half of total T.
    "testosterone_bioavailable": _limits(None, 3000.0),
    # DHT in men 30-85 ng/dL, a few hundred with DHT gels or 5-alpha-reductase-driven use.
    "dht": _limits(None, 2000.0),
    # 100 x T / SHBG (nmol/L): not a true percentage, above 100 in many men; very low SHBG and
    # very high T give about 1,000.
    "free_androgen_index": _limits(None, 2000.0),
    # Men 10-40 pg/mL; aromatising high-dose steroid use and estrogen-secreting tumours give
    # hundreds to a few thousand.
    "estradiol": _limits(None, 5000.0),
    # Primary testicular failure and castration give LH and FSH of 50-150 IU/L.
    "lh": _limits(None, 300.0),
    "fsh": _limits(None, 300.0),
    # SHBG 15-60 nmol/L; liver disease, hyperthyroidism and old age up to about 250.
    "shbg": _limits(None, 500.0),
    # Albumin 3.5-5 g/dL, never above about 6; under 1 g/dL only in the worst nephrotic or
    # liver disease. 40 (g/L typed as g/dL) is caught.
    "albumin": _limits(0.5, 8.0),
    # Giant prolactinomas in men: tens of thousands of ng/mL.
    "prolactin": _limits(None, 50000.0),
    # Acromegaly: up to about 1,500-2,000 ng/mL.
    "igf1": _limits(None, 3000.0),
    # Inhibin B 80-400 pg/mL in adult men, up to about 600 in young ones.
    "inhibin_b": _limits(None, 2000.0),
    # AMH 2-15 ng/mL in men; higher in boys and with Sertoli-cell tumours.
    "amh": _limits(None, 200.0),
    # TSH up to a few hundred uIU/mL in untreated primary hypothyroidism.
    "tsh": _limits(None, 1000.0),
    # FT4 0.8-1.8 ng/dL; assays stop near 8 (100 pmol/L) even in thyroid storm. 20 (pmol/L
    # typed as ng/dL) is caught.
    "free_t4": _limits(None, 15.0),
    # Cortisol up to about 100 ug/dL with ectopic ACTH; 500 (nmol/L as ug/dL) is caught.
    "cortisol": _limits(None, 200.0),
    # DHEA-S up to about 600 ug/dL in young men, a few thousand with adrenal carcinoma.
    "dhea_s": _limits(None, 5000.0),
    # Progesterone in men under 1 ng/mL; tens with congenital adrenal hyperplasia.
    "progesterone": _limits(None, 100.0),
    # Hematocrit: severe anaemia that is survived stays above about 15 %; polycythaemia under
    # about 75 %. The share of cells in blood cannot exceed 100 %. (0.51 is a fraction, 51 %.)
    "hematocrit": _percent(15.0, 75.0),
    # Hemoglobin: survived anaemia down to about 2 g/dL, polycythaemia up to about 25.
    # 150 (g/L typed as g/dL) is caught.
    "hemoglobin": _limits(2.0, 25.0),
    # Red cells 4-6 x10^6/uL; polycythaemia up to about 9.
    "rbc": _limits(0.5, 12.0),
    # Ferritin: haemophagocytic syndromes exceed 10,000 and have been reported above 100,000.
    "ferritin": _limits(None, 200000.0),
    # PSA: metastatic prostate cancer reaches thousands, rarely more than 10,000 ng/mL.
    "psa": _limits(None, 10000.0),
    # Total cholesterol: homozygous familial hypercholesterolaemia about 1,000 mg/dL,
    # cholestasis with lipoprotein X higher; under 20 not even with abetalipoproteinaemia.
    "cholesterol_total": _limits(20.0, 3000.0),
    # HDL up to about 200 mg/dL (CETP deficiency); LDL up to about 1,000 (homozygous FH).
    "hdl": _limits(None, 300.0),
    "ldl": _limits(None, 2000.0),
    # Triglycerides: chylomicronaemia has been reported at 20,000-30,000 mg/dL.
    "triglycerides": _limits(None, 40000.0),
    # ALT and AST: acute liver failure and rhabdomyolysis reach 10,000-30,000 U/L.
    "alt": _limits(None, 50000.0),
    "ast": _limits(None, 50000.0),
    # Creatinine up to about 20-25 mg/dL in untreated kidney failure; 90 (umol/L typed as
    # mg/dL) is caught.
    "creatinine": _limits(0.05, 40.0),
    # eGFR: hyperfiltration about 180 mL/min/1.73m2.
    "egfr": _limits(None, 300.0),
    # HbA1c (a share of hemoglobin) 4-20 %; 42 (mmol/mol typed as %) is caught.
    "hba1c": _percent(2.0, 25.0),
    # Glucose: hyperosmolar states about 2,000 mg/dL; under 10 not survived for a blood draw.
    # 5.5 (mmol/L typed as mg/dL) is caught.
    "glucose": _limits(10.0, 3000.0),
    # Whole-blood glucose: as serum glucose (meters read "HI" above about 500-600 mg/dL).
    "glucose_blood": _limits(10.0, 3000.0),
    # 25-OH vitamin D: toxicity cases report several hundred ng/mL.
    "vitamin_d": _limits(None, 1000.0),
    # Testicular volume 15-25 mL a side; macro-orchidism 60-80; tumours and hydroceles more.
    "testicular_volume": _limits(None, 150.0),
    # Semen: volume rarely above 10 mL, concentration above 300 million/mL, total above 2,000.
    "semen_volume": _limits(None, 20.0),
    "sperm_concentration": _limits(None, 1000.0),
    "sperm_total_count": _limits(None, 5000.0),
    # Shares of the sperm counted: 0-100 %, every value inside possible.
    "sperm_motility": _percent(),
    "sperm_progressive_motility": _percent(),
    "sperm_morphology": _percent(),
}


# The span of plausible values of each marker, for callers that judge many results at once
# and want the common case decided in one comparison (what judge_value calls fine).
PLAUSIBLE_SPANS: dict[str, tuple[float, float]] = {
    key: (limits.low or 0.0, limits.high or limits.ceiling) for key, limits in LIMITS.items()}


@dataclass(frozen=True)
class Verdict:
    """What the limits say about a result.

    ``refused`` says why the result is impossible (it must not be stored); ``warning`` why it
    is implausible (it is kept, and shown with the warning). ``field`` names the field at fault
    (``value`` or ``taken_at``) for a form. Both empty: the result is fine.
    """

    refused: str = ""
    warning: str = ""
    field: str = ""
    # The likely reading of an implausible value, as the text to type instead ("51" for a
    # hematocrit of 0.51 %): a form may offer it; never applied without the user.
    suggestion: str = ""

    @property
    def ok(self) -> bool:
        return not self.refused and not self.warning


OK = Verdict()

_NOT_FINITE_TEXT = re.compile(r"^\s*(?:[<>]=?|=|\u2264|\u2265)?\s*([+-]?[\w.]+)\s*$")


def _show(value: float) -> str:
    """A number for a message: ``5,000``, ``0.51``, ``-5``, ``1e+308``."""
    return f"{value:,.6g}"


def _not_finite_text(text: str) -> bool:
    """True for printed text that Python reads as a number that is not finite: ``NaN``,
    ``inf``, ``-Infinity``, ``1e999`` (a censored ``<inf`` too)."""
    match = _NOT_FINITE_TEXT.match(text or "")
    if not match:
        return False
    try:
        return not math.isfinite(float(match.group(1)))
    except ValueError:
        return False


def judge_value(analyte: str, value: float | None, comparator: str = "",
                reported_value: str = "") -> Verdict:
    """Judge a canonical value of a marker (``comparator`` makes it a bound).

    ``reported_value`` is the text as printed; a result kept as text (no number) is refused
    only when that text is a number that is not finite (``NaN``, ``inf``).
    """
    if value is None:
        if _not_finite_text(reported_value):
            return Verdict(refused=f"{reported_value.strip()!r} is not a finite number, so it "
                                   "cannot be a lab value: check the value", field="value")
        return OK
    try:
        finite = math.isfinite(value)
    except TypeError:  # text in a number's place (an old or damaged journal)
        finite = False
    if not finite:
        return Verdict(refused=f"{value!r} is not a finite number, so it cannot be a lab value: "
                               "check the value", field="value")
    limits = LIMITS.get(analyte)
    if limits is None:  # a custom marker: anything finite goes
        return OK
    if (limits.low or 0.0) <= value <= (limits.high or limits.ceiling):
        return OK  # the common case, decided before any message is written
    marker = analytes.get_analyte(analyte)
    shown = f"{marker.name} {comparator}{_show(value)} {marker.unit}".rstrip()
    if value < 0:
        what = "a share" if limits.percent else "an amount"
        return Verdict(refused=f"{shown} is impossible: {what} cannot be below 0; check the sign "
                               "and the value", field="value")
    if value > limits.ceiling:
        if limits.percent:
            reason = "a percentage cannot be above 100"
        else:
            reason = (f"it is far beyond anything measured in people (this app refuses values "
                      f"above {_show(limits.ceiling)} {marker.unit})")
        return Verdict(refused=f"{shown} is impossible: {reason}; check the value and its unit",
                       field="value")
    if analyte == "hematocrit" and 0 < value <= 1:
        return Verdict(warning=f"{shown} is implausible: it is almost certainly the fraction "
                               f"{_show(value)}, that is {_show(value * 100)} %, written as a "
                               "percentage; check the unit (L/L for a fraction)", field="value",
                       suggestion=f"{comparator}{round(value * 100, 6):g}")
    if limits.low is not None and value < limits.low and comparator not in (">", ">="):
        return Verdict(warning=f"{shown} is implausible: below {_show(limits.low)} {marker.unit}, "
                               "lower than an adult man's result realistically is; check the "
                               "value and its unit", field="value")
    if limits.high is not None and value > limits.high and comparator not in ("<", "<="):
        return Verdict(warning=f"{shown} is implausible: above {_show(limits.high)} "
                               f"{marker.unit}, higher than an adult man's result realistically "
                               "is; check the value and its unit", field="value")
    return OK


# Text results labs print instead of a number (compared case-folded, without a final dot).
TEXT_RESULTS = frozenset({
    "tnp", "test not performed", "not performed", "not done", "nd", "qns",
    "quantity not sufficient", "insufficient", "insufficient sample", "pending", "cancelled",
    "canceled", "see note", "see comment", "see below", "see report", "comment", "n/a", "na",
    "-", "--", "---", "positive", "negative", "detected", "not detected", "undetectable",
    "reactive", "non-reactive", "nonreactive", "hemolyzed", "haemolysed", "hemolysed",
    "lipemic", "icteric", "dnr", "not reported", "unknown", "no data",
})
_LOOK_ALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})


def is_text_result(text: str) -> bool:
    """True for a text a lab prints in place of a number (``TNP``, ``See note``,
    ``Not assessable``, ``No data available``, ...)."""
    folded = " ".join(text.split()).casefold().rstrip(".")
    # "not assessable", "no sample received": words a lab writes, never a number mistyped
    return folded in TEXT_RESULTS or folded.startswith(("see ", "comment", "not ", "no "))


def look_alike_number(text: str) -> str:
    """The number ``text`` most likely meant when letters that look like digits were typed
    for them (``4OO`` -> ``400``, ``1l.5`` -> ``11.5``); "" when that gives no number."""
    stripped = text.strip()
    if not any(ch in stripped for ch in "OolI") or not any(ch.isdigit() for ch in stripped):
        return ""
    fixed = stripped.translate(_LOOK_ALIKES)
    parsed = parse_value(fixed)
    return fixed if parsed.number is not None and not parsed.unit and not parsed.flag else ""


def judge_text(analyte: str, reported_value: str) -> Verdict:
    """Judge a value typed by hand that is not read as a number. For a catalogue marker (which
    expects a number) it is refused unless it is a text result labs print (``TNP``); the
    message names the number meant when letters were typed for digits (``4OO``)."""
    text = (reported_value or "").strip()
    if not text or is_custom(analyte) or analyte not in analytes.CATALOGUE:
        return OK
    if parse_value(text).number is not None or is_text_result(text):
        return OK
    name = analytes.get_analyte(analyte).name
    meant = look_alike_number(text)
    if meant:
        return Verdict(refused=f"{text} is not a number: did you mean {meant}? ({name} needs "
                               "digits; O and l are letters, 0 and 1 digits)", field="value",
                       suggestion=meant)
    return Verdict(refused=f"{text} is not a number: {name} needs digits, e.g. 545 or <0.2, "
                           "or a text the lab printed instead, e.g. TNP or see note",
                   field="value")


@lru_cache(maxsize=8)
def latest_date(today: date) -> str:
    """The last day a result may be dated on: tomorrow (time zones, a lab's clock)."""
    return (today + timedelta(days=1)).isoformat()


def impossible_date(stamp: str, *, today: date | None = None, future: bool = True) -> str:
    """Why a journal date cannot be right ("" when it can): before 1900, or (with ``future``)
    more than a day after ``today``."""
    day = (stamp or "")[:10]
    if day < EARLIEST_DATE:
        return f"the date {day} is before 1900: check the year"
    if future and day > latest_date(today or date.today()):
        return (f"the date {day} is in the future: check the date (in a file, check the date "
                "order too)")
    return ""


def judge_result(result: LabResult, *, today: date | None = None) -> Verdict:
    """Judge one lab result: its date, then its value. The one check every entry path runs
    (see the module's docstring)."""
    reason = impossible_date(result.taken_at, today=today)
    if reason:
        return Verdict(refused=reason, field="taken_at")
    return judge_value(result.analyte, result.value, result.comparator, result.reported_value)


def require_possible(result: LabResult, *, today: date | None = None) -> str:
    """Raise ValidationError (naming the field) for an impossible result; else return the
    warning of an implausible one ("" for a plausible one)."""
    verdict = judge_result(result, today=today)
    if verdict.refused:
        raise ValidationError(verdict.field, verdict.refused)
    return verdict.warning


def usable(results: Iterable[LabResult], *, today: date | None = None
           ) -> tuple[list[LabResult], list[tuple[LabResult, str]]]:
    """Split stored results into those charts and calculations can use, and those they must
    leave out (impossible: kept by an older hpgjournal, or written into the file by hand),
    each with the reason. Implausible values are used: they are the user's to keep."""
    kept: list[LabResult] = []
    left_out: list[tuple[LabResult, str]] = []
    for result in results:
        reason = judge_result(result, today=today).refused
        if reason:
            left_out.append((result, reason))
        else:
            kept.append(result)
    return kept, left_out


def left_out_note(left_out: Sequence[tuple[LabResult, str]]) -> str:
    """One sentence saying which stored values were left out and why ("" for none)."""
    if not left_out:
        return ""
    result, reason = left_out[0]
    if is_custom(result.analyte) or result.analyte in analytes.CATALOGUE:
        name = analytes.get_analyte(result.analyte).short
    else:
        name = result.analyte
    first = f"{name} of {result.taken_at[:10]}: {reason}"
    more = len(left_out) - 1
    if not more:
        return (f"1 stored value is left out because it is impossible ({first}); correct or "
                "delete it (hpgjournal check lists it).")
    return (f"{len(left_out)} stored values are left out because they are impossible ({first}; "
            f"and {more} more); correct or delete them (hpgjournal check lists them).")
