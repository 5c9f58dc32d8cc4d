"""Reading result values and reference ranges the way labs print them.

Lab values arrive as text: censored (``<0.5``, ``GT 45``), with a flag glued on (``235.8 H``,
``4.6 Low``), with thousands separators (``1,077``) or a decimal comma (``21,3``), with the
unit inside the cell (``1,050 ng/mL``), or with no number at all (``TNP``). Ranges come as
``264-916``, ``< OR = 39``, ``Adult Males: 8.0 - 35`` and many more. The parsers here never
raise: whatever they cannot read is kept as text with no number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from hpgjournal.domain.analytes import is_known_unit

__all__ = [
    "COMPARATORS",
    "FLAGS",
    "FLAG_COLUMN_WORDS",
    "FLAG_WORDS",
    "ParsedRange",
    "ParsedValue",
    "flag_code",
    "flag_for",
    "format_number",
    "parse_range",
    "parse_value",
    "unit_like",
]

COMPARATORS: tuple[str, ...] = ("", "<", "<=", ">", ">=")
FLAGS: tuple[str, ...] = ("", "H", "L", "HH", "LL", "A")


@dataclass(frozen=True)
class ParsedValue:
    """A result value as printed, split into its parts.

    ``number`` is None for text results (``TNP``, ``See note``, ``Positive``...). ``flag`` is
    the flag printed next to the number, normalised to one of FLAGS (a bare ``Critical`` or
    ``Abnormal`` becomes ``A``; ``Normal``/``N`` becomes ``""``). ``unit`` is a unit printed in
    the same cell, exactly as printed.
    """

    number: float | None
    comparator: str
    text: str
    flag: str
    unit: str

    @property
    def censored(self) -> bool:
        """True when the number is a bound (``<0.5``), not a measured value."""
        return self.number is not None and self.comparator != ""


@dataclass(frozen=True)
class ParsedRange:
    """A reference range; a missing bound is None (its inclusive flag then means nothing)."""

    low: float | None
    high: float | None
    low_inclusive: bool
    high_inclusive: bool
    text: str


# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------

_SPACES = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "\r": " ", "\n": " ",
    "\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-",
    "\u2264": "<=", "\u2265": ">=", "\u2266": "<=", "\u2267": ">=", "\uff1c": "<", "\uff1e": ">",
})
_WS_RE = re.compile(r"\s+")

# A number as printed: digits with "," or "." inside, an optional exponent (Excel writes
# 1.2E+03). The interpretation of "," and "." is left to _to_float.
_NUM = r"(?:\d[\d,.]*\d|\d|[.,]\d+)(?:[eE][+-]?\d+)?"
_NUMBER_RE = re.compile(r"[+-]?" + _NUM)
_THOUSANDS_COMMA = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_THOUSANDS_DOT = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")
_EXPONENT_RE = re.compile(r"[eE][+-]?\d+$")


def _clean(text: object) -> str:
    if not isinstance(text, str):
        return ""
    return _WS_RE.sub(" ", text.translate(_SPACES)).strip()


def _to_float(token: str, decimal_comma: bool) -> float | None:
    """Read one printed number; None when its separators make no sense."""
    sign = ""
    if token[:1] in "+-":
        sign, token = token[0], token[1:]
    exponent = ""
    match = _EXPONENT_RE.search(token)
    if match:
        exponent, token = match.group(0), token[: match.start()]
    if decimal_comma:
        if _THOUSANDS_DOT.fullmatch(token):
            token = token.replace(".", "").replace(",", ".")
        elif "," in token:
            if token.count(",") != 1 or "." in token:
                return None
            token = token.replace(",", ".")
    elif _THOUSANDS_COMMA.fullmatch(token):
        token = token.replace(",", "")
    elif "," in token:
        # Not a thousands pattern ("21,3", "0,500"): a decimal comma in a dot file.
        if token.count(",") != 1 or "." in token:
            return None
        token = token.replace(",", ".")
    if token.count(".") > 1:
        return None
    try:
        number = float(sign + token + exponent)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# Assay techniques print like units (LC/MS/MS) but are part of a marker's name.
_TECHNIQUES = frozenset({"lc", "ms", "msms", "gc", "hplc", "ia", "ria", "eclia", "cia", "cmia",
                         "ed", "uf", "calc", "ms ms", "lc ms", "lc ms ms"})
# Units of custom markers that have no "/" (Weight (kg), Pulse (bpm)...).
_PLAIN_UNITS = frozenset({"kg", "g", "lb", "lbs", "cm", "mm", "m", "in", "bpm", "mmhg", "ml", "l",
                          "iu", "u", "mu", "x", "s", "min", "h", "years", "kcal", "sd", "fl",
                          "pg", "ratio", "index"})
_UNITISH_IN_NAME = re.compile(r"[A-Za-z\u00b5\u03bc%][\w\u00b5\u03bc%/^*.\-{} ]*")


def unit_like(text: str, *, in_name: bool = False) -> bool:
    """True for text that can be a unit: THE test of what a unit looks like (issue 20).

    By default, a unit printed after a number in a value or range cell (``5.2 ng/mL``). With
    ``in_name``, a unit printed in brackets after a marker's name (``Weight (kg)``): there a
    plain unit without "/" (kg, bpm) counts too, and an assay technique (LC/MS/MS) does not.
    """
    if in_name:
        text = text.strip()
    if not text:
        return False
    if is_known_unit(text):
        return True
    if in_name:
        if text.casefold() in _PLAIN_UNITS:
            return True
        parts = [p for p in re.split(r"[/\s\-]+", text.casefold()) if p]
        if parts and all(p in _TECHNIQUES for p in parts):
            return False
        return ("/" in text or text == "%") and _UNITISH_IN_NAME.fullmatch(text) is not None
    compact = text.replace("(calc)", "").replace("(Calc)", "").strip()
    return (" " not in compact and ("/" in compact or "%" in compact)
            and re.fullmatch(r"[A-Za-z\u00b5\u03bc%][\w\u00b5\u03bc%/^*.\-{}\[\]]*", compact)
            is not None)


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

# THE flag vocabulary (issue 20): a printed word and the flag code it means. FLAG_WORDS are
# read at the end (or start) of a value cell; a flag column also reads FLAG_COLUMN_WORDS, the
# symbols and yes/no words that only mean a flag when they stand alone in that column.
FLAG_WORDS: dict[str, str] = {
    "h": "H", "hi": "H", "high": "H",
    "l": "L", "lo": "L", "low": "L",
    "hh": "HH", "critical high": "HH", "crit high": "HH", "high critical": "HH",
    "panic high": "HH",
    "ll": "LL", "critical low": "LL", "crit low": "LL", "low critical": "LL",
    "panic low": "LL",
    "a": "A", "abn": "A", "abnormal": "A", "aa": "A", "critical": "A", "crit": "A",
    "panic": "A",
    "n": "", "normal": "",
    "hoch": "H", "niedrig": "L",
}
FLAG_COLUMN_WORDS: dict[str, str] = {
    **FLAG_WORDS,
    "above": "H", "above range": "H", "above high normal": "H", "abnormal high": "H",
    "erhoht": "H", "erhöht": "H", "+": "H",
    "below": "L", "below range": "L", "below low normal": "L", "abnormal low": "L",
    "erniedrigt": "L", "-": "L",
    "out of range": "A", "outside range": "A", "out of reference range": "A", "yes": "A",
    "y": "A", "true": "A", "1": "A", "*": "A", "!": "A",
    "no": "", "false": "", "0": "", "in range": "", "within range": "", "optimal": "",
    "sufficient": "", "ok": "", "nl": "", "wnl": "",
}


def flag_code(text: str) -> tuple[str, str]:
    """A printed flag (a flag column's cell) as ``(code, note)``: ``High`` -> ``("H", "")``.

    A flag this vocabulary does not know gives no code and a note keeping the printed text,
    so nothing the lab printed is lost and nothing is invented.
    """
    cleaned = " ".join(text.replace("_", " ").split()).strip().rstrip("*").strip()
    if not cleaned:
        return "", ""
    code = FLAG_COLUMN_WORDS.get(cleaned.casefold())
    if code is not None:
        return code, ""
    return "", f"flag printed: {cleaned}"


_FLAG_ALTERNATIVES = "|".join(
    re.escape(w).replace(r"\ ", r"\s+") for w in sorted(FLAG_WORDS, key=len, reverse=True)
)
_FLAG_AT_END = re.compile(
    r"(?:^|\s)[(\[]?(" + _FLAG_ALTERNATIVES + r")[)\]]?\*?$", re.IGNORECASE
)
_FLAG_AT_START = re.compile(
    r"^[(\[]?(" + _FLAG_ALTERNATIVES + r")[)\]]?\*?(?:\s|$)", re.IGNORECASE
)
_GLUED_FLAG = re.compile(r"^(HH|LL|H|L|A)\*?$")

_VALUE_COMPARATOR_RE = re.compile(
    r"^(?:"
    r"(?P<sym_or>[<>])\s*(?:or\s*)?=|"
    r"(?P<sym_eq><=|>=|=<|=>)|"
    r"(?P<sym>[<>])|"
    r"(?P<word>less\s+than\s+or\s+equal\s+to|greater\s+than\s+or\s+equal\s+to|"
    r"less\s+than|greater\s+than|below|above|under|over|LT|GT|LE|GE)(?=\s*[+\-.,\d])"
    r")\s*",
    re.IGNORECASE,
)
_LEADING_EQUALS_RE = re.compile(r"^=+(?![<>])")
_WORD_COMPARATORS: dict[str, str] = {
    "less than or equal to": "<=", "greater than or equal to": ">=",
    "less than": "<", "greater than": ">", "below": "<", "under": "<", "above": ">",
    "over": ">", "lt": "<", "gt": ">", "le": "<=", "ge": ">=",
}


def _comparator_prefix(text: str) -> tuple[str, str]:
    """Split a leading comparator off ``text``: ``"< OR = 5"`` -> ``("<=", "5")``."""
    match = _VALUE_COMPARATOR_RE.match(text)
    if not match:
        return "", text
    rest = text[match.end():]
    if match.group("sym_or"):
        return match.group("sym_or") + "=", rest
    if match.group("sym_eq"):
        symbol = match.group("sym_eq")
        return {"=<": "<=", "=>": ">="}.get(symbol, symbol), rest
    if match.group("sym"):
        return match.group("sym"), rest
    word = _WS_RE.sub(" ", match.group("word").lower())
    return _WORD_COMPARATORS[word], rest


def _split_flag(rest: str) -> tuple[str, str]:
    """Take a flag off the text after a number: ``"Low pg/mL"`` -> ``("L", "pg/mL")``."""
    if not rest:
        return "", ""
    match = _FLAG_AT_END.search(rest)
    if match:
        return FLAG_WORDS[_WS_RE.sub(" ", match.group(1).lower())], rest[: match.start()].strip()
    match = _FLAG_AT_START.match(rest)
    if match:
        return FLAG_WORDS[_WS_RE.sub(" ", match.group(1).lower())], rest[match.end():].strip()
    return "", rest


def parse_value(text: str, *, decimal_comma: bool = False) -> ParsedValue:
    """Read a printed result value. Never raises.

    Handles censored values (``<0.5``, ``<= 4``, ``< OR = 5``, ``GT 45``), flags glued to the
    number (``235.8 H``, ``4.6 Low``, ``52.3 High``; ``Critical`` -> ``A``), thousands
    separators (``1,077``; with ``decimal_comma`` ``1.077``), decimal commas (``21,3``, and
    ``0,500`` is 0.5 in either mode), a unit in the same cell (``1,050 ng/mL``), signs
    (``-2.0``, ``+2.0``) and exponents (``1.2e3``). Anything else (``TNP``, ``--``,
    ``See note``, ``5 see note``) keeps its text and has no number.
    """
    original = text.strip() if isinstance(text, str) else ""
    # A leading "=" ("= 5") is dropped, but not the "=" of "=<5" / "=>5" (at most / at least)
    cleaned = _LEADING_EQUALS_RE.sub("", _clean(text)).strip()
    nothing = ParsedValue(None, "", original, "", "")
    if not cleaned:
        return nothing
    comparator, rest = _comparator_prefix(cleaned)
    match = _NUMBER_RE.match(rest)
    if not match:
        return nothing
    number = _to_float(match.group(0), decimal_comma)
    if number is None:
        return nothing
    tail = rest[match.end():]
    if tail and not tail[0].isspace():
        # Glued on: "235.8H" and "45%" are fine, "2+" and "5 077x" are not numbers.
        first = tail.split(" ", 1)[0]
        if not (_GLUED_FLAG.fullmatch(first) or unit_like(first)):
            return nothing
    flag, unit = _split_flag(tail.strip())
    if unit and not unit_like(unit):
        return nothing
    return ParsedValue(number, comparator, original, flag, unit)


# --------------------------------------------------------------------------------------------
# Ranges
# --------------------------------------------------------------------------------------------

_RANGE_WORDS = (
    (re.compile(r"\b(?:less\s+than\s+or\s+equal\s+to|at\s+most|up\s+to|not\s+more\s+than)\b",
                re.IGNORECASE), "<="),
    (re.compile(r"\b(?:greater\s+than\s+or\s+equal\s+to|at\s+least|not\s+less\s+than)\b",
                re.IGNORECASE), ">="),
    (re.compile(r"\b(?:less\s+than|below|under)\b", re.IGNORECASE), "<"),
    (re.compile(r"\b(?:greater\s+than|more\s+than|above|over)\b", re.IGNORECASE), ">"),
    (re.compile(r"\bLE\b(?=\s*[+\-.,\d])", re.IGNORECASE), "<="),
    (re.compile(r"\bGE\b(?=\s*[+\-.,\d])", re.IGNORECASE), ">="),
    (re.compile(r"\bLT\b(?=\s*[+\-.,\d])", re.IGNORECASE), "<"),
    (re.compile(r"\bGT\b(?=\s*[+\-.,\d])", re.IGNORECASE), ">"),
)
_OR_EQUAL_RE = re.compile(r"([<>])\s*(?:or\s*)?=", re.IGNORECASE)
_EQUAL_FIRST_RE = re.compile(r"=\s*([<>])")
_PREFIX = r"[^\d<>=+\-.,]*?"
_TWO_SIDED_RE = re.compile(
    r"^" + _PREFIX + r"(?P<a>[+-]?" + _NUM + r")\s*(?:-|to|and|\.\.)\s*"
    r"(?P<b>[+-]?" + _NUM + r")\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_ONE_SIDED_RE = re.compile(
    r"^" + _PREFIX + r"(?P<cmp><=|>=|<|>)\s*(?P<a>[+-]?" + _NUM + r")\s*(?P<rest>.*)$"
)


def _range_rest_ok(rest: str) -> bool:
    rest = rest.strip().strip("\"'").strip()
    if not rest or rest.lower() in ("(calc)", "calc"):
        return True
    return unit_like(rest)


def parse_range(text: str, *, decimal_comma: bool = False) -> ParsedRange:
    """Read a printed reference range. Never raises.

    Two-sided ranges (``264-916``, ``-2.0 - +2.0``, ``8,64-29,0``, ``250 - 1,100 ng/dL``),
    ceilings (``<200``, ``< OR = 39``, ``<=4.00``) and floors (``>59``, ``> OR = 40``,
    ``>=90``, ``above >=90``) are read; a label before a colon (``Adult Males: 8.0 - 35``) or
    a word before the comparator (``Negative<0.8``) is skipped, a trailing unit ignored.
    Text such as ``Not Estab.`` gives no bounds. A reversed range gives no bounds, and so does
    ``0-0``: exporters write it for "no range" (no result is ever in it).
    """
    original = text.strip() if isinstance(text, str) else ""
    empty = ParsedRange(None, None, True, True, original)
    cleaned = _clean(text).strip("\"'").strip()
    if ":" in cleaned:
        cleaned = cleaned.rsplit(":", 1)[1].strip()
    if not cleaned:
        return empty
    cleaned = _OR_EQUAL_RE.sub(r"\1=", cleaned)
    cleaned = _EQUAL_FIRST_RE.sub(r"\1=", cleaned)
    if not re.search(r"[<>]", cleaned):
        for pattern, symbol in _RANGE_WORDS:
            cleaned = pattern.sub(symbol, cleaned)
    one = _ONE_SIDED_RE.match(cleaned)
    if one and _range_rest_ok(one.group("rest")):
        bound = _to_float(one.group("a"), decimal_comma)
        if bound is None:
            return empty
        comparator = one.group("cmp")
        if comparator.startswith("<"):
            return ParsedRange(None, bound, True, comparator == "<=", original)
        return ParsedRange(bound, None, comparator == ">=", True, original)
    two = _TWO_SIDED_RE.match(cleaned)
    if two and _range_rest_ok(two.group("rest")):
        low = _to_float(two.group("a"), decimal_comma)
        high = _to_float(two.group("b"), decimal_comma)
        if low is None or high is None or low > high:
            return empty
        if low == high == 0:
            return empty  # "0-0" (LOW 0, HIGH 0) is how some systems write "no range"
        return ParsedRange(low, high, True, True, original)
    return empty


# --------------------------------------------------------------------------------------------
# Flags and formatting
# --------------------------------------------------------------------------------------------


def flag_for(
    value: float | None,
    comparator: str,
    low: float | None,
    high: float | None,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> str:
    """``"H"``, ``"L"`` or ``""`` for a canonical value against a range in the same unit.

    A censored value is flagged only when every value it stands for is out of range:
    ``<0.2`` against a low of 1.7 is ``L``, while ``<5`` against a high of 3 is not ``H``.
    By default both bounds are part of the range (a value equal to a bound is in range).
    """
    if comparator not in COMPARATORS:
        raise ValueError(f"unknown comparator {comparator!r}; expected one of "
                         f"{', '.join(repr(c) for c in COMPARATORS)}")
    if value is None or not math.isfinite(value):
        return ""
    below = above = False
    if low is not None:
        if comparator in ("", "<"):
            # the true value is value itself, or anything under it
            below = value < low or (value == low and (comparator == "<" or not low_inclusive))
        elif comparator == "<=":
            below = value < low or (value == low and not low_inclusive)
    if high is not None:
        if comparator in ("", ">"):
            above = value > high or (value == high and (comparator == ">" or not high_inclusive))
        elif comparator == ">=":
            above = value > high or (value == high and not high_inclusive)
    if below:
        return "L"
    if above:
        return "H"
    return ""


def format_number(value: float, decimals: int) -> str:
    """A number for display with exactly ``decimals`` places, rounded half up.

    No thousands separator and never a negative zero: ``656``, ``4.8``, ``0.52``, ``29.0``;
    ``-0.001`` with two places is ``0.00``.
    """
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, not {decimals}")
    if not math.isfinite(value):
        return str(value)
    exact = Decimal(repr(float(value)))
    try:
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds
        rounded = exact
    if rounded.is_zero():
        rounded = abs(rounded)
    return f"{rounded:f}"
