"""How results read on screen and on paper: value with comparator, unit, trend, range status."""

from __future__ import annotations

from dataclasses import dataclass

from hpgjournal.domain import analytes
from hpgjournal.domain.kinds import KINDS
from hpgjournal.domain.knowledge.markers import DERIVED_MARKERS  # the derived series: T/E2, cFT
from hpgjournal.domain.records import LabResult
from hpgjournal.domain.values import format_number

SYSTEMS = ("us", "si")


def value_in(result: LabResult, system: str = "us") -> tuple[str, str]:
    """(value text, unit) of a result in the chosen unit system; text results stay text."""
    if result.value is None:
        return result.reported_value, result.reported_unit
    if result.analyte.startswith("custom:"):  # never converted: the lab's own digits
        if result.reported_value:
            return _point_decimal(_reported_number(result), result.value), result.unit
        return result.comparator + format_number(result.value, 2), result.unit
    marker = analytes.get_analyte(result.analyte)
    unit = analytes.display_unit(result.analyte, system)
    number = analytes.to_system(result.analyte, result.value, system)
    if result.analyte == "sperm_concentration" and result.value == 0 and not result.comparator:
        return "none seen", unit
    if result.reported_unit and analytes.normalise_unit(result.reported_unit) == unit:
        text = _reported_number(result)  # the lab's own digits, neither more nor fewer
        return _point_decimal(text, number), unit
    decimals = marker.decimals if unit == marker.unit else _si_decimals(number)
    return result.comparator + format_number(number, decimals), unit


def _point_decimal(text: str, number: float) -> str:
    """The lab's digits with a decimal point: '49,8' (a German lab) reads '49.8'; a thousands
    comma ('1,104') stays. Decided by which reading gives the stored number."""
    if "," not in text:
        return text
    digits = text.lstrip("<>=")
    for candidate, keep in ((digits.replace(",", "."), True), (digits.replace(",", ""), False)):
        try:
            if abs(float(candidate) - number) <= 1e-9 * max(1.0, abs(number)):
                return text.replace(",", ".") if keep else text
        except ValueError:
            continue
    return text


def _reported_number(result: LabResult) -> str:
    """The reported value without glued flag or unit, e.g. '235.8 H' -> '235.8'."""
    from hpgjournal.domain.values import parse_value

    parsed = parse_value(result.reported_value)
    text = parsed.text
    for tail in (parsed.unit, parsed.flag):
        if tail and text.endswith(tail):
            text = text[: -len(tail)].rstrip()
    if parsed.flag and text.split()[-1:] and text.split()[-1].upper() in ("H", "L", "HIGH", "LOW"):
        text = " ".join(text.split()[:-1])
    return text.replace(" ", "") if parsed.comparator else text


def _si_decimals(number: float) -> int:
    size = abs(number)
    return 0 if size >= 100 else 1 if size >= 10 else 2 if size >= 0.1 else 3


def marker_name(key: str) -> str:
    if key.startswith("custom:"):
        return key.split(":", 1)[1]
    try:
        return analytes.get_analyte(key).name
    except KeyError:
        pass
    derived = DERIVED_MARKERS.get(key)
    return derived.name if derived else key


METHOD_LABELS = {"measured": "dialysis", "direct": "direct", "calculated": "calculated",
                 "immunoassay": "immunoassay", "sensitive": "sensitive"}


def method_label(method: str) -> str:
    return METHOD_LABELS.get(method, method)


def series_name(key: str, method: str) -> str:
    """A marker's name with its method, e.g. 'Free testosterone (direct)'."""
    return f"{marker_name(key)} ({method_label(method)})" if method else marker_name(key)


def range_text(result: LabResult, system: str = "us") -> str:
    """The reference range in the display unit (the lab's own text when it is not numeric)."""
    if result.ref_low is None and result.ref_high is None:
        return result.ref_text
    if result.analyte.startswith("custom:"):
        return result.ref_text

    def fmt(v: float) -> str:
        marker = analytes.get_analyte(result.analyte)
        converted = analytes.to_system(result.analyte, v, system)
        unit = analytes.display_unit(result.analyte, system)
        return format_number(converted, marker.decimals if unit == marker.unit
                             else _si_decimals(converted))

    if result.ref_low is not None and result.ref_high is not None:
        return f"{fmt(result.ref_low)}–{fmt(result.ref_high)}"
    if result.ref_low is not None:
        return f"≥ {fmt(result.ref_low)}"
    # (type: ignore below: one of the two limits is set here (none set returns earlier))
    return f"≤ {fmt(result.ref_high)}"  # type: ignore[arg-type]


@dataclass(frozen=True)
class Trend:
    """The change since the previous result, as an arrow and words."""
    arrow: str  # "↑", "↓", "→" or ""
    text: str  # "+12 % since 2025-03-02 (was 612)"


def _bounds(result: LabResult) -> tuple[float, float]:
    assert result.value is not None
    if result.comparator.startswith("<"):
        return 0.0, result.value
    if result.comparator.startswith(">"):
        return result.value, float("inf")
    return result.value, result.value


def trend(latest: LabResult, previous: LabResult | None, system: str = "us") -> Trend:
    """The change since the previous result of the same marker: an arrow only beyond what the
    marker varies on its own (its reference change value; a doubling or halving where no study
    gives one), and none between two results beyond the same test limit."""
    if previous is None or latest.value is None or previous.value is None:
        return Trend("", "first result" if previous is None else "")
    from hpgjournal.domain.variation import variation_for

    before, _ = value_in(previous, system)
    since = f"since {previous.taken_at[:10]} ({before})"
    variation = variation_for(latest.analyte)
    up, down = (variation.up, variation.down) if variation else (1.0, 0.5)
    (l_lo, l_hi), (p_lo, p_hi) = _bounds(latest), _bounds(previous)
    if p_hi != float("inf") and l_lo > p_hi * (1 + up) and l_lo > 0:
        arrow = "↑"
    elif l_hi != float("inf") and l_hi < p_lo * (1 - down):
        arrow = "↓"
    else:
        arrow = "→"
    if latest.comparator or previous.comparator or previous.value == 0:
        if latest.comparator and previous.comparator and \
                latest.comparator[0] == previous.comparator[0]:
            return Trend("", f"still beyond the test's limit {since}")
        return Trend(arrow, since)
    change = (latest.value - previous.value) / abs(previous.value) * 100
    return Trend(arrow, f"{change:+.0f} % {since}")


def status(result: LabResult) -> str:
    """'high', 'low', 'in range' or '' (no range known)."""
    if result.flag.startswith("H"):
        return "high"
    if result.flag.startswith("L"):
        return "low"
    if result.ref_low is None and result.ref_high is None:
        return ""
    return "in range"


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence: "Lab results" -> "lab results"; a name whose
    second letter is a capital keeps its first ("AMS questionnaires", "hCG")."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def count_of(n: int, word: str, words: str | None = None) -> str:
    """``1 record``, ``2 records``: a number and its noun, singular for one."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


# A journal table's records in the words the window uses for them (its kinds of record).
RECORD_WORDS = {k.table: k.noun for k in KINDS}
_RECORD_PLURALS = {k.table: k.plural for k in KINDS}


def record_word(table: str) -> str:
    """``doses`` -> ``dose``: one record of a journal table, as a user calls it."""
    return RECORD_WORDS.get(table, table)


def count_of_records(n: int, table: str) -> str:
    """``3 doses``, ``1 import batch``: how many records a journal table holds, in words."""
    return count_of(n, record_word(table), _RECORD_PLURALS.get(table, table))
