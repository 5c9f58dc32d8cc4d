"""Lab reports read from a PDF's lines (issue 15): Quest, Labcorp and the usual European layout.

The lines come from :mod:`hpgjournal.importers.pdf`, each with the cells (columns) it is
printed in. A result line starts with the marker's name, then its value, then in some order
the flag, the unit, the reference range, a previous result with its date and the code of the
lab that ran it::

    TESTOSTERONE, TOTAL, MS 656 250-1100 ng/dL 503.0 10/10/2025 EZ     (Quest)
    ESTRADIOL 40 H < OR = 39 pg/mL                                       (Quest, flag after)
    Free Testosterone (Direct) 4.6 Low pg/mL 6.8-21.5 01                 (Labcorp)
    Estradiol 18.0 <5.0 04/13/2022 pg/mL 7.6-42.6                        (Labcorp, previous)
    Testosteron gesamt 5,3 ng/ml 2,5 - 8,4 H                             (German)

The reader finds the value: the first number after a name, in the second column when the
line has columns, else where the words before it are a known marker's name. A value may carry
a comparator (``<0.5``, ``< 0.5``) or a glued flag (``235.8H``, ``18,2*``); a number never
starts with 0 then a digit (``030``: a telephone number). A previous result printed with its
date (``503.0 10/10/2025``, or ``12/01/2025 4,1`` after the range) and the flag between belong
to the previous result, never to this one. A range is two bounds in order (``92675-2042`` is
a ZIP+4 code), after a population's label when there is one (``Adult Males (41 - 50y): 16 -
390``); bounds joined by a word (``2,5 à 8,4``) are kept joined by "-". A flag column prints
``H``/``L``, a word, ``+``/``-`` or an arrow. A name wrapped onto the next line (``Sex Horm
Binding Glob,`` / ``Serum 02 15.1``) is joined when the joined name is a known marker's, also
across a page break; a range printed on a line of its own (``Reference Range: 250-1100
ng/dL``) joins the result above.

A line is taken for a result only when its name is a known marker's, or when it has a unit
or a reference range as well as a value and no other words: "Age: 45", "Page 1 of 2" or
"Account Number: 12345678 Phone: (555) 123-4567" are not results, nor is a bare cut-off
under an unknown name ("Deficiency <20 ng/mL", "Optimal < 100 mg/dL": an interpretation
table), a value that starts a range ("Prediabetes 5.7 - 6.4 %"), a line holding a second
marker's name after the result ("Testosterone 386 ng/dL Estradiol 22 pg/mL", listed rather
than half read), or a sentence (a method note, "... 3.5 ng/dL was the limit of detection
..."): a line with the words of one (``is``, ``was``, ``the``, ``for``, ``than``...) outside
a quoted range. Every line that gives no result is listed with the reason; a result the
report marks as pending ("TNP", "pending", "folgt") is named among the warnings, since it
has no value to import. Dates come from the collection date printed in the report's header
(``Collected:``, ``Date Collected:``, ``Entnahme:``, ``Prélèvement :``...), the newest one
above each line. Every row keeps the PDF line it came from, and its page, for the preview.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from hpgjournal.domain.analytes import find_analyte, is_known_unit
from hpgjournal.importers.errors import NoLabResultsError
from hpgjournal.importers.formats.base import Format, Probe, Reading
from hpgjournal.importers.mapping import ColumnMapping
from hpgjournal.importers.names import FORMAT_LABELS, PDF_FORMAT, PDF_LINE, PDF_PAGE
from hpgjournal.importers.pdf import PdfLine, PdfText
from hpgjournal.importers.rows import Candidate, Ignored, Item

__all__ = ["LAB_PDF", "LabPdfFormat", "read_report"]

_NUMBER = r"(?:[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?|(?:0|[1-9]\d*)(?:[.,]\d+)?|[.,]\d+)"
_VALUE_RE = re.compile(rf"^(?P<cmp><=|>=|≤|≥|<|>)?(?P<num>{_NUMBER})"
                       r"(?P<flag>HH|LL|H|L|A|\*{1,3}|↑{1,2}|↓{1,2}|\+{1,2})?$")
_COMPARATORS = {"<", ">", "<=", ">=", "≤", "≥"}
_FLAG_WORDS = {"h": "H", "l": "L", "hh": "HH", "ll": "LL", "a": "A", "high": "H", "low": "L",
               "abnormal": "A", "hoch": "H", "niedrig": "L", "erhöht": "H", "erniedrigt": "L",
               "*": "A", "**": "A", "↑": "H", "↑↑": "HH", "↓": "L", "↓↓": "LL", "+": "H",
               "++": "HH", "-": "L", "--": "LL", "élevé": "H", "bas": "L", "alto": "H",
               "bajo": "L", "basso": "L", "hoog": "H", "laag": "L", "wysoki": "H", "niski": "L", "baixo": "L"}
_GLUED_FLAGS = {"H": "H", "L": "L", "HH": "HH", "LL": "LL", "A": "A", "*": "A", "**": "A",
                "***": "A", "↑": "H", "↑↑": "HH", "↓": "L", "↓↓": "LL", "+": "H", "++": "HH"}
_DATE_TOKEN = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})$|^\d{4}-\d{2}-\d{2}$")
# (a bound is a whole number: "41 - 50y" is an age, not a range; nor the "1234" of "01234")
_RANGE_RE = re.compile(
    rf"(?:(?P<two>(?<![\w.,/])(?P<low>[-−]?{_NUMBER})\s*(?P<to>-|–|—|−|to|bis|à|a|do|tot)\s*"
    rf"\+?(?P<high>{_NUMBER})(?![\w/]))"
    rf"|(?P<one>(?:<=|>=|≤|≥|<|>)\s*(?:or\s*=\s*)?{_NUMBER}(?![\w/]))"
    r"|(?P<text>not\s+estab\.?|siehe\s+befund|see\s+(?:note|below)|\"[^\"]*\"))",
    re.IGNORECASE)
_RANGE_TO = {"-", "–", "—", "−", "to", "bis", "à", "a", "do", "tot"}
# words of a sentence (a method note, a comment), never of a result line
_PROSE = {"is", "are", "was", "were", "be", "been", "the", "this", "these", "than", "for",
          "should", "will", "has", "have", "may", "which"}
_LAB_CODE = re.compile(r"^(?:0\d|[A-Z]{2,3}|[A-Z]\d[A-Z]|[A-Z]{2}\d)$")
_PENDING = re.compile(
    r"^(?:pending|in progress|to follow|tnp|test not performed|not performed|see note|"
    r"cancell?ed|result to follow|folgt|befund folgt|in arbeit|in bearbeitung|en cours|"
    r"à suivre|a suivre|pendiente|en curso|in corso|in lavorazione|volgt|in behandeling|"
    r"w trakcie|oczekuje|pendente|em andamento|aguardando)\b", re.IGNORECASE)
_RANGE_LINE = re.compile(r"^(?:reference\s+(?:range|interval)|ref\.?\s*range|normal\s+range|"
                         r"referenzbereich|normbereich|referenzwert[e]?|valeurs?\s+de\s+"
                         r"r[ée]f[ée]rence|intervalo\s+de\s+referencia|valori\s+di\s+"
                         r"riferimento|referentiewaarde[n]?)\s*:?\s*(?P<range>.+)$", re.IGNORECASE)
_COLLECTED = re.compile(
    r"\b(?:date\s+(?:of\s+)?collect(?:ed|ion)|collect(?:ed|ion)\s+date|collected|drawn|"
    r"specimen\s+collected|date\s+drawn|entnahme(?:datum)?|abnahme(?:datum)?|"
    r"probenentnahme|entnahmedatum|pr[ée]lev[ée]\s+le|date\s+de\s+pr[ée]l[èe]vement|"
    r"pr[ée]l[èe]vement|fecha\s+de\s+(?:extracci[óo]n|toma|recogida)|data\s+(?:del\s+)?"
    r"prelievo|afnamedatum|afname|data\s+pobrania|data\s+(?:da\s+)?colheita|"
    r"data\s+de\s+coleta)\s*:?\s*(?:(?:am|on|le|du|del|el|il)\s+)?(?P<date>\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})"
    r"(?:\s*(?:um\s+|at\s+|à\s+|ore\s+|,\s*)?(?P<time>\d{1,2}[:.h]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?))?",
    re.IGNORECASE)
_LABS = (("quest diagnostics", "Quest Diagnostics"), ("labcorp", "Labcorp"),
         ("laboratory corporation of america", "Labcorp"), ("synlab", "Synlab"),
         ("unilabs", "Unilabs"), ("cerba", "Cerba"), ("eurofins", "Eurofins"),
         ("bioscientia", "Bioscientia"), ("sonic healthcare", "Sonic Healthcare"),
         ("medichecks", "Medichecks"), ("thriva", "Thriva"), ("randox", "Randox"),
         ("limbach", "Limbach"), ("amedes", "amedes"), ("biogroup", "Biogroup"))
_US_LABS = {"Quest Diagnostics", "Labcorp"}


def _is_value(token: str) -> bool:
    return _VALUE_RE.match(token) is not None


def _flag_word(token: str) -> str:
    return _FLAG_WORDS.get(token.casefold(), "")


def _unit_like(token: str) -> bool:
    if _LAB_CODE.match(token) and not is_known_unit(token):
        return False
    if is_known_unit(token):
        return True
    letters = sum(ch.isalpha() for ch in token)
    return ("/" in token and letters >= 1 and not _DATE_TOKEN.match(token)) or token == "%"


@dataclass
class _Found:
    """A result read from a line (its cells as printed, not yet checked)."""

    line: PdfLine
    name: str
    value: str
    flag: str = ""
    unit: str = ""
    range: str = ""
    recognised: bool = False
    also: tuple[PdfLine, ...] = ()  # the other lines it was read from (a wrapped name, a range)

    def printed(self) -> tuple[str, str]:
        """``(pages, text)`` as printed: every line it was read from, in order."""
        lines = sorted((self.line, *self.also), key=lambda line: line.number)
        pages = dict.fromkeys(str(line.page) for line in lines)
        return "-".join(pages), " / ".join(line.text for line in lines)


def _value_at(tokens: list[str], i: int) -> tuple[str, str, int] | None:
    """``(value, glued flag, tokens used)`` when a value starts at ``tokens[i]``."""
    token = tokens[i]
    if token in _COMPARATORS and i + 1 < len(tokens):
        nxt = _VALUE_RE.match(tokens[i + 1])
        if nxt is not None and not nxt.group("cmp"):
            return token + nxt.group("num"), _GLUED_FLAGS.get(nxt.group("flag") or "", ""), 2
        return None
    match = _VALUE_RE.match(token)
    if match is None:
        return None
    value = (match.group("cmp") or "") + match.group("num")
    return value, _GLUED_FLAGS.get(match.group("flag") or "", ""), 1


def _name_of(tokens: list[str]) -> str:
    """A name from its words, without the punctuation around it and without the two-digit
    lab code Labcorp prints after a wrapped name (``Serum 02``)."""
    if len(tokens) >= 2 and re.fullmatch(r"0\d", tokens[-1]):
        tokens = tokens[:-1]
    return " ".join(tokens).strip(" :*.-\u2022")


def _split_points(line: PdfLine) -> list[int]:
    """Where the value may start: the first token of the second cell first (when the first
    cell is a name), then every token after the first, from the left."""
    tokens = line.text.split()
    points = [i for i in range(1, len(tokens)) if _value_at(tokens, i) is not None]
    if len(line.cells) >= 2 and any(ch.isalpha() for ch in line.cells[0]):
        first = len(line.cells[0].split())
        if first in points:
            points.remove(first)
            points.insert(0, first)
    return points


def _lab_code_skip(tokens: list[str], i: int) -> int:
    """Labcorp prints its two-digit lab code before the value on a wrapped line
    (``Serum 02 15.1 Low``): the index of the value after it, or ``i``."""
    if re.fullmatch(r"0\d", tokens[i]) and i + 1 < len(tokens) and \
            _value_at(tokens, i + 1) is not None:
        return i + 1
    return i


def _is_prose(text: str) -> bool:
    """True when a line, outside its quoted range, has the words of a sentence."""
    return any(word.strip(",.;:()") in _PROSE for word in re.sub(r'"[^"]*"', " ", text).split())


def _number(text: str) -> float:
    """A bound of a range as a number (a comma between thousands, or a decimal comma)."""
    text = text.replace("−", "-")
    if re.fullmatch(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def _range_in(text: str) -> re.Match[str] | None:
    """The reference range printed in ``text``: after a population's label when there is one
    (``Adult Males (41 - 50y): 16 - 390``), never two numbers out of order (``92675-2042``,
    a ZIP+4 code)."""
    start = text.rfind(": ") + 1 if '"' not in text else 0
    for found in _RANGE_RE.finditer(text, start):
        if not found.group("two") or _number(found.group("low")) <= _number(found.group("high")):
            return found
    return None


def _range_text(found: re.Match[str]) -> str:
    """A range as printed, its bounds joined by "-" when a word joined them (``2,5 à 8,4``)."""
    if found.group("two") and found.group("to").isalpha():
        return f"{found.group('low')} - {found.group('high')}"
    return " ".join(found.group(0).split())


def _is_bound(token: str) -> bool:
    return _is_value(token.removeprefix("+"))


def _without_previous(rest: list[str]) -> tuple[list[str], bool]:
    """``rest`` without a previous result and its date (and any flag between), which are not
    this result's; True when there was one. The previous result is printed before its date
    (US) or after it (``12/01/2025 4,1``); a range's upper bound is never one."""
    kept: list[str] = []
    previous = False
    i = 0
    while i < len(rest):
        token = rest[i]
        if kept and kept[-1].casefold() in _RANGE_TO and _is_bound(token):
            kept.append(token)  # the upper bound of a range
            i += 1
            continue
        if _DATE_TOKEN.match(token):
            previous, i = True, _after_previous_date(rest, i + 1)
            continue
        used = _previous_before_date(rest, i)
        if used:
            previous, i = True, i + used
            continue
        kept.append(token)
        i += 1
    return kept, previous


def _previous_before_date(rest: list[str], i: int) -> int:
    """How many tokens from ``rest[i]`` are a previous result and its date (``503.0
    10/10/2025``, ``106.0 H 10/10/2025``, ``< 5.0 04/13/2022``); 0 when they are not."""
    token, after, after2 = [*rest, "", ""][i:i + 3]
    if _is_value(token) and _DATE_TOKEN.match(after):
        return 2
    second = _flag_word(after) if _is_value(token) else token in _COMPARATORS and _is_value(after)
    return 3 if second and _DATE_TOKEN.match(after2) else 0


def _after_previous_date(rest: list[str], i: int) -> int:
    """Where what follows a previous result's date starts: past the previous result printed
    after it (its comparator, value and flag), unless that number starts a range."""
    start = i
    if i < len(rest) and rest[i] in _COMPARATORS:
        i += 1
    if i >= len(rest) or not _is_value(rest[i]) or _starts_range(rest, i + 1):
        return start
    i += 1
    if i < len(rest) and _flag_word(rest[i]) and not _starts_range(rest, i):
        i += 1
    return i


def _starts_range(rest: list[str], i: int) -> bool:
    """True when ``rest[i]`` is a range's "-" (or "to"...) followed by its upper bound."""
    return i + 1 < len(rest) and rest[i].casefold() in _RANGE_TO and _is_bound(rest[i + 1])


def _is_word(token: str) -> bool:
    """True for a word that is no part of a result line: not a flag, a lab's code or a note in
    brackets (``(calc)``)."""
    return sum(ch.isalpha() for ch in token) >= 2 and not _flag_word(token) and \
        not _LAB_CODE.match(token) and not token.startswith("(")


def _read_rest(rest: list[str]) -> tuple[str, str, str, list[str]]:
    """``(flag, unit, range, words)`` from what follows a value; ``words`` are the words
    that are none of these (``Phone:`` after an account number)."""
    flag = ""
    while rest and _flag_word(rest[0]) and not _starts_range(rest, 0):
        flag = flag or _flag_word(rest[0])
        rest = rest[1:]
    kept, previous = _without_previous(rest)
    unit = ""
    unit_at = -1
    for j, token in enumerate(kept):
        if _unit_like(token) and not _flag_word(token):
            unit, unit_at = token, j
            break
    without_unit = [t for j, t in enumerate(kept) if j != unit_at]
    joined = " ".join(without_unit)
    found = _range_in(joined)
    range_text = ""
    if found is not None:
        range_text = _range_text(found)
        tail = joined[found.end():].split()
        before = joined[:found.start()]  # (a population's label: "Adult Males:")
        words = [t for t in ("" if before.rstrip().endswith(":") else before).split() + tail
                 if _is_word(t)]
    else:
        tail = without_unit
        words = [t for t in tail if _is_word(t)]
    if not flag and not previous:  # a flag printed after the range (older Quest, European)
        for k, token in enumerate(tail):
            if _flag_word(token) and not _starts_range(tail, k):
                flag = _flag_word(token)
                break
    return flag, unit, range_text, words


def _read_line(line: PdfLine) -> _Found | str | None:
    """The result a line holds; a name (str) when the line is a name with a pending result;
    None when it holds no result."""
    tokens = line.text.split()
    if len(tokens) >= 2:
        for start in range(1, min(len(tokens), 12)):
            name = _name_of(tokens[:start])
            if sum(ch.isalpha() for ch in name) >= 2 and _PENDING.match(" ".join(tokens[start:])) \
                    and find_analyte(name) is not None:
                return name
    if _is_prose(line.text):
        return None
    chosen: _Found | None = None
    for point in _split_points(line):
        name = _name_of(tokens[:point])
        if sum(ch.isalpha() for ch in name) < 2 or tokens[point - 1] in _COMPARATORS:
            continue
        at = _lab_code_skip(tokens, point)
        found = _value_at(tokens, at)
        if found is None:
            continue
        value, glued, used = found
        if _starts_range(tokens, at + used):  # "5.7 - 6.4 %": a range, with no result
            return None
        flag, unit, range_text, words = _read_rest(tokens[at + used:])
        result = _Found(line, name, value, glued or flag, unit, range_text,
                        find_analyte(name) is not None)
        if result.recognised:  # (unless a second marker's name follows: two results, half read)
            return None if any(find_analyte(" ".join(words[:k])) for k in (1, 2, 3)
                               if k <= len(words)) else result
        # an unknown name: a unit or range, no other words, and not a bare cut-off ("<20")
        if chosen is None and (unit or range_text) and not words and \
                (range_text or value[0].isdigit() or value[0] in ".,"):
            chosen = result
    return chosen


def _collection(line: PdfLine) -> tuple[str, str] | None:
    found = _COLLECTED.search(line.text)
    if found is None:
        return None
    return found.group("date"), (found.group("time") or "").replace("h", ":")


def _lab_of(lines: tuple[PdfLine, ...]) -> str:
    for line in lines[:80]:
        folded = line.text.casefold()
        for needle, name in _LABS:
            if needle in folded:
                return name
    return ""


@dataclass
class _Report:
    """What reading a report found, beside its rows."""

    pending: list[str] = field(default_factory=list)
    undated: int = 0
    dates: set[str] = field(default_factory=set)


def _candidate(found: _Found, date: tuple[str, str] | None, lab: str) -> Candidate:
    line = found.line
    pages, printed = found.printed()
    raw = {PDF_PAGE: pages, PDF_LINE: printed}
    day, time = date if date is not None else ("", "")
    return Candidate(line.number, raw, day, found.name, found.value, time, unit=found.unit,
                     range=found.range, flag=found.flag, lab=lab)


def _joined(pending: PdfLine, found: _Found) -> _Found | None:
    """``found`` with the name that ended on ``pending`` (the line above) put before its own,
    when the joined name is a known marker's and its own is not."""
    if found.recognised:
        return None
    name = f"{_name_of(pending.text.split())} {found.name}"
    if find_analyte(name) is None:
        return None
    return _Found(found.line, name, found.value, found.flag, found.unit, found.range, True,
                  (*found.also, pending))


def _wrapped_name(found: _Found, line: PdfLine) -> str | None:
    """The name of an unrecognised result with the line below (a wrapped name's end) added,
    when that makes a known marker's name."""
    if found.recognised or len(line.text) > 40 or any(ch.isdigit() for ch in line.text):
        return None
    name = f"{found.name} {_name_of(line.text.split())}"
    return name if find_analyte(name) is not None else None


def _continues(found: _Found, line: PdfLine) -> bool:
    """True when ``line``, which holds no result, belongs to the result above: its range
    printed on a line of its own, or the end of its wrapped name."""
    if _RANGE_LINE.match(line.text) is not None:
        return not found.range
    return _wrapped_name(found, line) is not None


def _complete(found: _Found, line: PdfLine) -> str:
    """Put the line that continues ``found`` into it; the reason the line is no row."""
    found.also = (*found.also, line)
    ranged = _RANGE_LINE.match(line.text)
    if ranged is not None:
        flag, unit, range_text, _ = _read_rest(ranged.group("range").split())
        found.range = range_text or ranged.group("range").strip()
        found.unit = found.unit or unit
        found.flag = found.flag or flag
        return "the reference range of the result above"
    found.name = _wrapped_name(found, line) or found.name
    found.recognised = True
    return "the end of the name above"


def read_report(text: PdfText, report: _Report | None = None, lab: str = "") -> Iterator[Item]:
    """The items of a report's lines: a Candidate per result, an Ignored per other line."""
    report = report if report is not None else _Report()
    # results printed above the first collection date (a date in the page's footer) take it
    date = next((found for found in map(_collection, text.lines) if found is not None), None)
    held: _Found | None = None  # the last result, until the next line shows it is whole
    date_of_held = date
    name_above: PdfLine | None = None  # a line that may be the start of a wrapped name
    for line in text.lines:
        collected = _collection(line)
        if collected is not None:
            date = collected
            report.dates.add(collected[0])
        read = None if collected is not None else _read_line(line)
        if held is not None and not (read is None and _continues(held, line)):
            yield _dated(held, date_of_held, lab, report)
            held = None
        if isinstance(read, str):
            report.pending.append(read)
            yield Ignored(line.number, line.text, "a pending result: the report has no value "
                                                  "for it yet")
            continue
        if read is None:
            if held is not None:  # the line continues it (_continues)
                yield Ignored(line.number, line.text, _complete(held, line))
                continue
            wordy = any(ch.isalpha() for ch in line.text) and \
                not any(ch.isdigit() for ch in line.text)
            # (a page break keeps the name the page ended on, past the next page's header)
            if collected is None and wordy and (name_above is None or
                                                line.page == name_above.page):
                name_above = line
            yield Ignored(line.number, line.text, "the collection date" if collected else
                          "not a result (no known marker, unit or range with a value, or a "
                          "note, an interpretation table or a sentence)")
            continue
        if name_above is not None:
            joined = _joined(name_above, read)
            if joined is not None:
                read = joined
        name_above = None
        held, date_of_held = read, date
    if held is not None:
        yield _dated(held, date_of_held, lab, report)


def _dated(found: _Found, date: tuple[str, str] | None, lab: str, report: _Report) -> Candidate:
    if date is None:
        report.undated += 1
    return _candidate(found, date, lab)


class LabPdfFormat(Format):
    """A lab report PDF with a text layer."""

    name = PDF_FORMAT
    label = FORMAT_LABELS[PDF_FORMAT]
    kind = "pdf"

    def score(self, probe: Probe) -> float:
        return 1.0 if isinstance(probe.document, PdfText) else 0.0

    def read(self, probe: Probe, mapping: ColumnMapping | None = None) -> Reading:
        text = probe.document
        assert isinstance(text, PdfText)
        lab = _lab_of(text.lines)
        if not any(_collection(line) is not None for line in text.lines):
            raise NoLabResultsError(probe.source.path, f"{probe.source.name}: no collection date "
                                    "was found in the PDF (a line such as 'Collected: 03/01/2025' "
                                    "or 'Entnahme: 01.03.2025'), so its results cannot be dated: "
                                    "type them in by hand (Labs > Add result)")
        report = _Report()
        reading = Reading(items=(), layout=self.label, lab=lab,
                          date_order="mdy" if lab in _US_LABS else None)
        pages = f"{text.pages} page{'s' if text.pages != 1 else ''}"
        reading.contents = f"lab report PDF{f' from {lab}' if lab else ''}, {pages}"
        reading.items = _with_warnings(read_report(text, report, lab), report, reading)
        return reading


def _with_warnings(items: Iterator[Item], report: _Report, reading: Reading) -> Iterator[Item]:
    yield from items
    if report.pending:
        names = ", ".join(dict.fromkeys(report.pending))
        are = "results are" if len(report.pending) > 1 else "result is"
        reading.warnings.append(f"{len(report.pending)} {are} pending in this report, with "
                                f"no value yet ({names}): import the final report when the lab has "
                                "finished it")
    if len(report.dates) > 1:
        reading.warnings.append(f"the report holds {len(report.dates)} collection dates "
                                f"({', '.join(sorted(report.dates))}): each result is dated by "
                                "the nearest one printed above it")


LAB_PDF = LabPdfFormat()
