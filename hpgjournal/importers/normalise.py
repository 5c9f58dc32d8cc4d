"""From a printed row to a journal result, through the domain's catalogue and parsers.

Marker names go through :func:`~hpgjournal.domain.analytes.find_analyte` (which also tells
the method: free T direct, measured or calculated; sensitive or standard estradiol); an
unknown name becomes ``custom:<name>`` with its own unit. Units are converted by the marker's
own factors; a unit that does not fit the marker fails the row. Values, ranges and flags are
read by :mod:`hpgjournal.domain.values`, and :func:`~hpgjournal.domain.results.make_result`
builds the result.

Files hold thousands of rows with a few dozen names, units and ranges, so those lookups are
cached; a plain number (``18.5``) in a known unit takes a direct path that gives exactly what
``make_result`` gives (a test checks that on generated rows) at a fraction of the cost.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from operator import itemgetter

from hpgjournal.domain import analytes
from hpgjournal.domain.analytes import CATALOGUE, CUSTOM_PREFIX, UnitError, find_analyte, fold_name
from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.plausible import LIMITS, impossible_date, judge_value
from hpgjournal.domain.records import LabResult
from hpgjournal.domain.results import make_result
from hpgjournal.domain.values import flag_code, parse_range, unit_like
from hpgjournal.importers.dates import DateError, DateOrder, DateShape, parse_shape, to_stamp
from hpgjournal.importers.rows import Candidate, RowError
from hpgjournal.store.journal import LAB_COLUMNS

__all__ = [
    "Context",
    "Normaliser",
    "Resolved",
    "context_cells",
    "decide_decimal_comma",
    "flag_code",
    "key_of",
    "result_key",
    "split_name_unit",
]

# ---------------------------------------------------------------------------------- flags

# The flag vocabulary is the domain's (hpgjournal.domain.values.flag_code, re-exported here).


# ---------------------------------------------------------------------------------- names

_UNIT_PAREN = re.compile(r"^(?P<name>.*?\S)\s*[(\[](?P<unit>[^()\[\]]+)[)\]]\s*$")


def split_name_unit(name: str) -> tuple[str, str]:
    """Split a unit off a printed name: ``Total T (ng/dL)`` -> ``("Total T", "ng/dL")``."""
    text = " ".join(name.split())
    match = _UNIT_PAREN.match(text)
    if match and unit_like(match["unit"], in_name=True):
        return match["name"].rstrip(" ,;:-"), match["unit"].strip()
    head, _, last = text.rpartition(" ")
    if head and analytes.is_known_unit(last) and not last.isalpha():
        return head.rstrip(" ,;:-"), last
    return text, ""


@dataclass(frozen=True, slots=True)
class Resolved:
    """A printed name resolved to a marker key, its method and a unit printed in the name."""

    key: str
    method: str
    name_unit: str
    note: str


def _fits(key: str, unit: str) -> bool:
    try:
        analytes.to_canonical(key, 1.0, unit)
    except UnitError:
        return False
    return True


def _custom_key(name: str) -> str:
    return CUSTOM_PREFIX + name[:120]


def resolve_name(marker: str, method: str = "", loinc: str = "") -> Resolved:
    """Find the marker of a printed name (and optional method and LOINC cells).

    Raises RowError when the name carries a unit that does not fit its marker.
    """
    full = " ".join(marker.split())
    bare, name_unit = split_name_unit(full)
    method = " ".join(method.split())
    hit: tuple[analytes.Analyte, str] | None
    if not bare:
        if loinc and (hit := find_analyte(loinc.strip())) is not None:
            return Resolved(hit[0].key, hit[1], name_unit, "")
        raise RowError("no marker name")
    if bare.startswith(CUSTOM_PREFIX) and len(bare) > len(CUSTOM_PREFIX):
        return Resolved(bare, "", name_unit, "")
    note = ""
    if bare in CATALOGUE:
        hit = (CATALOGUE[bare], method if method in CATALOGUE[bare].methods else "")
        if method and not hit[1]:
            note = f"method printed: {method}"
    else:
        hit = find_analyte(f"{bare} ({method})") if method else find_analyte(bare)
        if hit is None and method:
            hit = find_analyte(bare)
            if hit is not None:
                note = f"method printed: {method}"
    if loinc:
        by_code = find_analyte(loinc.strip())
        if by_code is not None and (hit is None or hit[0].key != by_code[0].key):
            hit = by_code
    if hit is None:
        return Resolved(_custom_key(bare), "", name_unit, note)
    key = hit[0].key
    if name_unit and not _fits(key, name_unit):
        if analytes.normalise_unit(name_unit) == "%":
            # "Free Testosterone (%)" is the percentage free, a marker of its own
            return Resolved(_custom_key(full), "", name_unit, note)
        raise RowError(f"unit {name_unit!r} in the name {full!r} does not fit {hit[0].name} "
                       f"({key}); accepted units: {', '.join(analytes.units_for(key))}")
    return Resolved(key, hit[1], name_unit, note)


# ---------------------------------------------------------------------------------- values

_GROUPED = re.compile(r"^(?P<cmp>(?:[<>]=?|\u2264|\u2265)?\s*)"
                      r"(?P<num>\d{1,3}(?:[ \u00a0\u202f\u2009']\d{3})+)(?=$|[.,]\d|\s+\D)")
_NUMBER_TOKEN = re.compile(r"\d[\d.,]*\d|\d")
_UNIT_WORD = re.compile(r"\S*/\S*")


def ungroup_digits(text: str) -> str:
    """Drop space or apostrophe thousands separators: ``1 077`` and ``1'077`` -> ``1077``."""
    match = _GROUPED.match(text)
    if not match:
        return text
    digits = re.sub(r"[ \u00a0\u202f\u2009']", "", match["num"])
    return match["cmp"] + digits + text[match.end():]


def decide_decimal_comma(texts: Iterable[str], delimiter: str | None) -> bool:
    """Does a file write decimals with a comma? Decided from its values and ranges.

    ``21,3`` or ``0,51`` say yes unless the file also writes ``21.3``; ``1,077`` alone is a
    thousands separator in a comma-delimited file and a decimal comma in a semicolon one.
    """
    comma_decimal = comma_grouped = 0
    for text in texts:
        if "," not in text and "." not in text:
            continue
        for token in _NUMBER_TOKEN.findall(_UNIT_WORD.sub(" ", text)):
            if "," in token and "." not in token:
                if re.fullmatch(r"[1-9]\d{0,2}(?:,\d{3})+", token):
                    comma_grouped += 1
                else:
                    comma_decimal += 1
            elif "." in token and not re.fullmatch(r"[1-9]\d{0,2}(?:\.\d{3})+", token):
                return False  # one decimal point settles it
    if comma_decimal:
        return True
    return bool(comma_grouped) and delimiter not in (",", None)


# ---------------------------------------------------------------------------------- results


def key_of(taken_at: str, analyte: str, method: str, comparator: str, value: float | None,
           reported_value: str) -> tuple[object, ...]:
    """What makes two results the same: time, marker, method and value (or printed text).

    Values are compared to six decimals, so that the same value reached through another
    unit (2.3 ng/mL is 229.99999999999997 ng/dL) matches; a result with no number is
    compared by its printed text.
    """
    if value is not None:
        return (taken_at, analyte, method, comparator, round(value, 6))
    return (taken_at, analyte, method, "text", " ".join((reported_value or "").split()).casefold())


def result_key(result: LabResult) -> tuple[object, ...]:
    """The duplicate key of a result (see :func:`key_of`)."""
    return key_of(result.taken_at, result.analyte, result.method, result.comparator, result.value,
                  result.reported_value)


class Normaliser:
    """Turns the candidates of one file into results, with the file's decisions applied."""

    def __init__(self, *, decimal_comma: bool, order: DateOrder, source: str, lab: str = "",
                 keep_time: bool = True, shapes: dict[str, DateShape] | None = None,
                 names: Mapping[str, tuple[str, str]] | None = None) -> None:
        """``shapes`` are date texts already parsed (while deciding the order), reused here.
        ``names`` are names the user mapped to a known marker (folded name -> key, method):
        a name no marker is known by is looked up there before it becomes an own marker."""
        self.names = names or {}
        self.unknown: set[str] = set()  # printed names kept as own markers (not recognised)
        self.renamed: dict[str, tuple[str, str]] = {}  # printed name -> the user's marker
        self.decimal_comma = decimal_comma
        self._shapes = shapes or {}
        self.order = order
        self.source = source
        self.lab = lab
        self.keep_time = keep_time
        self._plain_match = re.compile(r"-?\d+(?:,\d+)?" if decimal_comma
                                       else r"-?\d+(?:\.\d+)?").fullmatch
        self._names: dict[tuple[str, str, str], Resolved | RowError] = {}
        self._dates: dict[tuple[str, str], str | DateError] = {}
        self._factors: dict[tuple[str, str], float | None] = {}
        self._ranges: dict[tuple[str, str, str], tuple[float | None, float | None]] = {}
        self._contexts: dict[tuple[str, ...], Context | RowError] = {}

    # -- dates
    def stamp(self, date_text: str, time_text: str = "") -> str:
        """The journal timestamp of a date cell (and time cell); raises RowError."""
        cache_key = (date_text, time_text)
        found = self._dates.get(cache_key)
        if found is None:
            try:
                found = self._stamp(date_text, time_text)
            except DateError as exc:
                found = exc
            self._dates[cache_key] = found
        if isinstance(found, DateError):
            raise RowError(str(found))
        return found

    def _stamp(self, date_text: str, time_text: str) -> str:
        if not date_text.strip():
            raise DateError("no date: add a date column, or a date on this row")
        if not time_text.strip():
            shape: DateShape = self._shapes.get(date_text) or parse_shape(date_text)
        else:
            try:
                shape = parse_shape(f"{date_text} {time_text}")
            except DateError:
                parse_shape(date_text)  # a bad date is reported as such
                raise DateError(f"{time_text.strip()!r} is not a time") from None
        stamp = to_stamp(shape, self.order.order, keep_time=self.keep_time)
        reason = impossible_date(stamp)
        if reason:
            raise DateError(reason)
        return stamp

    # -- names
    def resolve(self, marker: str, method: str, loinc: str) -> Resolved:
        cache_key = (marker, method, loinc)
        found = self._names.get(cache_key)
        if found is None:
            try:
                found = self._named(resolve_name(marker, method, loinc), marker)
            except RowError as exc:
                found = exc
            self._names[cache_key] = found
        if isinstance(found, RowError):
            raise RowError(str(found))
        return found

    def _named(self, found: Resolved, marker: str) -> Resolved:
        """A name that became an own marker: the user's mapping, if there is one."""
        if not found.key.startswith(CUSTOM_PREFIX) or marker.strip().startswith(CUSTOM_PREFIX):
            return found  # recognised, or an own marker written as one (an export)
        printed = found.key[len(CUSTOM_PREFIX):]
        meaning = self.names.get(fold_name(printed))
        if meaning is None:
            self.unknown.add(printed)
            return found
        key, method = meaning
        if key not in CATALOGUE:
            self.unknown.add(printed)
            return found
        if found.name_unit and not _fits(key, found.name_unit):
            raise RowError(f"{printed!r} is mapped to {CATALOGUE[key].name}, but its unit "
                           f"{found.name_unit!r} does not fit it; accepted units: "
                           f"{', '.join(analytes.units_for(key))}")
        self.renamed[printed] = (key, method)
        note = "; ".join(n for n in (f"printed as {printed}", found.note) if n)
        return Resolved(key, method, found.name_unit, note)

    # -- units and ranges
    def _factor(self, key: str, unit: str) -> float | None:
        """Factor from canonical to ``unit`` for a catalogue marker; None when not a plain factor."""
        cache_key = (key, unit)
        if cache_key not in self._factors:
            factor: float | None
            if key == "hba1c" and analytes.normalise_unit(unit) == "mmol/mol":
                factor = None
            else:
                try:
                    factor = analytes.from_canonical(key, 1.0, unit)
                except UnitError:
                    factor = None
            self._factors[cache_key] = factor
        return self._factors[cache_key]

    def _range(self, key: str, unit: str, text: str) -> tuple[float | None, float | None]:
        cache_key = (key, unit, text)
        found = self._ranges.get(cache_key)
        if found is None:
            parsed = parse_range(text, decimal_comma=self.decimal_comma)
            low = high = None
            try:
                if parsed.low is not None:
                    low = analytes.to_canonical(key, parsed.low, unit)
                if parsed.high is not None:
                    high = analytes.to_canonical(key, parsed.high, unit)
            except UnitError:
                low = high = None
            if not all(b is None or math.isfinite(b) for b in (low, high)):
                low = high = None  # as make_result: a bound too large to convert is no range
            found = self._ranges[cache_key] = (low, high)
        return found

    # -- one candidate
    def _context(self, cells: tuple[str, ...]) -> Context:
        """Everything about a row but its date and value (shared by the rows that share it)."""
        found = self._contexts.get(cells)
        if found is None:
            try:
                found = self._make_context(*cells)
            except RowError as exc:
                found = exc
            self._contexts[cells] = found
        if isinstance(found, RowError):
            raise RowError(str(found))
        return found

    def _make_context(self, marker: str, method: str, loinc: str, unit: str, range_text: str,
                      flag_text: str, lab: str, note_text: str) -> Context:
        resolved = self.resolve(marker, method, loinc)
        unit = unit.strip() or resolved.name_unit
        flag, flag_note = flag_code(flag_text)
        notes = [n for n in (note_text.strip(), resolved.note, flag_note) if n]
        key = resolved.key
        if not unit and loinc and (coded := analytes.loinc_unit(loinc, key)):
            # a moles code with no unit printed is in moles, not in the marker's mass unit
            unit = coded
            notes.append(f"no unit printed: read in {coded}, the unit of its LOINC code {loinc}")
        ref_text = range_text.strip()
        factor: float | None = 1.0
        floor, ceiling = -math.inf, math.inf
        if key.startswith(CUSTOM_PREFIX):
            stored_unit = unit_text = unit
        else:
            stored_unit = CATALOGUE[key].unit
            unit_text = unit or stored_unit
            factor = self._factor(key, unit_text)
            floor, ceiling = 0.0, LIMITS[key].ceiling
        low = high = None
        if ref_text and factor is not None:
            low, high = self._range(key, unit_text or stored_unit, ref_text)
        lab = lab.strip() or self.lab
        note = "; ".join(notes)
        template: dict[str, object] = {
            "id": None, "taken_at": "", "analyte": key, "value": None, "unit": stored_unit,
            "reported_value": "", "reported_unit": unit, "method": resolved.method,
            "comparator": "", "ref_low": low, "ref_high": high, "ref_text": ref_text, "flag": "",
            "lab": lab, "source": self.source, "note": note, "batch_id": None,
        }
        return Context(key, resolved.method, unit, flag, note, lab, ref_text, factor,
                       not key.startswith(CUSTOM_PREFIX), stored_unit, low, high, floor,
                       ceiling, template, self.decimal_comma)

    def build(self, candidate: Candidate) -> LabResult:
        """The result of one candidate; raises RowError with the reason it cannot be one."""
        made = self.prepare(candidate.date, candidate.time, candidate.value,
                            context_cells(candidate))
        if made.__class__ is tuple:
            context, stamp, text, _number = made
            return context.result(stamp, text)
        # (type: ignore below: the hot path tells a tuple from a result by its class, (mypy cannot narrow it))
        return made  # type: ignore[return-value]

    def prepare(self, date: str, time: str, value: str, cells: tuple[str, ...]
                ) -> tuple[Context, str, str, float] | LabResult:
        """What a candidate becomes (its date, time and value cells, and its
        :func:`context_cells`), without building a plain result: raises RowError.

        A plain number in a unit with a factor gives ``(context, stamp, text, number)``: the
        context its marker, unit and range share with other rows, its timestamp, the number
        as printed and converted; :meth:`Context.result` makes the result (a plan holds these
        few parts of each row rather than the result, a tenth of the memory). Anything else
        (censored values, text, flags or units in the cell, HbA1c in mmol/mol, units that do
        not fit) goes through make_result, which gives the same answer for the plain case.
        This runs once per row of a file: the lookups are inlined on purpose.
        """
        stamp = self._dates.get((date, time))
        if stamp is None or stamp.__class__ is not str:
            stamp = self.stamp(date, time)
        ctx = self._contexts.get(cells)
        if ctx is None or ctx.__class__ is not Context:
            ctx = self._context(cells)
        # readers strip their cells
        plain = self._plain_match(value)
        if plain is None and _GROUPED.match(value):
            value = ungroup_digits(value)
            plain = self._plain_match(value)
        if plain is not None and ctx.factor is not None and len(value) < 300:  # < 300: finite
            # ctx.number(value), inlined
            number = float(value.replace(",", ".")) if ctx.decimal_comma else float(value)
            if ctx.converts:
                number = number / ctx.factor
            if number < ctx.floor or number > ctx.ceiling:  # impossible, as make_result says
                raise RowError(judge_value(ctx.key, number).refused)
            return ctx, stamp, value, number
        try:
            return make_result(stamp, ctx.key, value, ctx.unit, method=ctx.method,
                               ref_text=ctx.ref_text, flag=ctx.flag, lab=ctx.lab, note=ctx.note,
                               source=self.source, decimal_comma=self.decimal_comma)
        except ValidationError as exc:
            raise RowError(str(exc)) from None


def context_cells(candidate: Candidate) -> tuple[str, str, str, str, str, str, str, str]:
    """The cells of a candidate its result shares with others: all but its date, time and
    value (marker, method, LOINC, unit, range, flag, lab, note)."""
    return (candidate.marker, candidate.method, candidate.loinc, candidate.unit, candidate.range,
            candidate.flag, candidate.lab, candidate.note)


_LAB_FIELDS = tuple(f.name for f in fields(LabResult))
_TEMPLATE_VALUES = itemgetter(*LAB_COLUMNS)
# Context.values() writes a row's own values into these places of its template's
if LAB_COLUMNS[:5] != ("taken_at", "analyte", "value", "unit", "reported_value") or \
        LAB_COLUMNS[11] != "flag" or len(LAB_COLUMNS) != 15:
    raise ImportError("Context.values() does not know the store's LAB_COLUMNS order")
_new = object.__new__
_set = object.__setattr__


def _result(values: dict[str, object]) -> LabResult:
    """A LabResult from all its fields, built without the frozen ``__init__``.

    Setting seventeen frozen fields one by one is the largest single cost of a big import;
    the record is the same (LabResult has no ``__post_init__``; a test compares results
    built here with make_result's).
    """
    result = _new(LabResult)
    _set(result, "__dict__", values)
    return result


@dataclass(frozen=True, slots=True)
class Context:
    """A row's marker, unit, range, flag, lab and note, resolved once per distinct set.

    ``factor`` is None when the unit has no plain factor (the slow path decides); ``converts``
    is False for a custom marker, whose number is never converted. For a plain number
    printed in ``unit`` (a factor is known), :meth:`result` gives the row's result from its
    timestamp and the number as printed.
    """

    key: str
    method: str
    unit: str
    flag: str
    note: str
    lab: str
    ref_text: str
    factor: float | None
    converts: bool
    stored_unit: str
    low: float | None
    high: float | None
    floor: float  # a value below it or above ``ceiling`` is impossible (plausible.LIMITS)
    ceiling: float
    template: dict[str, object]  # a result's fields that are the same for all these rows
    decimal_comma: bool
    row: tuple[object, ...] = ()  # the template's values in LAB_COLUMNS order (see values())

    def __post_init__(self) -> None:
        object.__setattr__(self, "row", _TEMPLATE_VALUES(self.template))

    def number(self, text: str) -> float:
        """A plain number printed in ``unit``, in the stored unit."""
        number = float(text.replace(",", ".")) if self.decimal_comma else float(text)
        if self.converts:
            # (type: ignore below: converts is True only when factor is set)
            number = number / self.factor  # type: ignore[operator]
        return number

    def _flag(self, number: float) -> str:
        """flag_for() for a plain number against an inclusive range, inlined."""
        low, high = self.low, self.high
        if self.flag:
            return self.flag
        if low is not None and number < low:
            return "L"
        if high is not None and number > high:
            return "H"
        return ""

    def fields(self, stamp: str, text: str) -> dict[str, object]:
        """Every field of the result of a plain number (``text``) taken at ``stamp``."""
        number = self.number(text)
        fields = self.template.copy()
        fields["taken_at"] = stamp
        fields["value"] = number
        fields["reported_value"] = text
        fields["flag"] = self._flag(number)
        return fields

    def values(self, stamp: str, text: str) -> tuple[object, ...]:
        """:meth:`fields` as the store writes them: a tuple in ``LAB_COLUMNS`` order
        (:meth:`~hpgjournal.store.journal.Journal.insert_lab_values`), made without the dict."""
        # number() and _flag(), inlined: this runs once a row of a commit
        number = float(text.replace(",", ".")) if self.decimal_comma else float(text)
        if self.converts:
            number = number / self.factor  # type: ignore[operator]
        flag, low, high = self.flag, self.low, self.high
        if not flag:
            flag = "L" if low is not None and number < low else \
                "H" if high is not None and number > high else ""
        r = self.row
        return (stamp, r[1], number, r[3], text, r[5], r[6], r[7], r[8], r[9], r[10], flag,
                r[12], r[13], r[14])

    def result(self, stamp: str, text: str) -> LabResult:
        return _result(self.fields(stamp, text))

    def duplicate_key(self, stamp: str, text: str) -> tuple[object, ...]:
        """:func:`result_key` of :meth:`result`, without making it."""
        return (stamp, self.key, self.method, "", round(self.number(text), 6))
