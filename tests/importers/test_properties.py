"""Property tests: whatever bytes or tables come in, the importer never crashes (only UserError
with one line), never writes a partial batch, and a committed file imported again adds nothing.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hpgjournal.domain import analytes
from hpgjournal.domain.errors import UserError
from hpgjournal.domain.records import Batch, LabResult
from hpgjournal.importers import ImportCancelled, commit_plan, plan_import
from hpgjournal.importers import commit as commit_module
from hpgjournal.store.check import check
from hpgjournal.store.journal import Journal

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextmanager
def fresh_journal() -> Iterator[tuple[Journal, Path]]:
    with tempfile.TemporaryDirectory() as folder, \
            Journal.open(Path(folder) / "j.hpgjournal") as journal:
        yield journal, Path(folder)


def plan_or_user_error(journal: Journal, path: Path, **options: object):
    try:
        return plan_import([path], journal, **options)  # type: ignore[arg-type]
    except UserError as exc:
        message = str(exc)
        assert message and "\n" not in message and "Traceback" not in message
        return None


def assert_sound(journal: Journal) -> None:
    assert [p for p in check(journal) if p.severity == "error"] == []


# ---- arbitrary bytes -------------------------------------------------------------------------

CSVISH = st.lists(st.sampled_from([
    b"date", b"marker", b"value", b"unit", b",", b";", b"\t", b"\n", b"\r\n", b'"', b"2024-01-02",
    b"03/04/2024", b"LH", b"Testosterone", b"<0.5", b"1,077", b"21,3", b"ng/dL", b"%", b"\xef\xbb\xbf",
    b"\x00", b"\xff", b"\xd6", b"PK\x03\x04", b"{", b"}", b"[", b"TNP", b" ", b"=", b"'",
]), max_size=60).map(b"".join)


@SETTINGS
@given(st.one_of(st.binary(max_size=3000), CSVISH))
def test_arbitrary_bytes_never_crash_the_reader(content):
    with fresh_journal() as (journal, folder):
        path = folder / "input.csv"
        path.write_bytes(content)
        plan = plan_or_user_error(journal, path, date_order="dmy")
        if plan is None:
            assert journal.count(LabResult) == 0
            return
        try:
            result = commit_plan(plan, journal)
        except UserError:
            assert journal.count(LabResult) == 0
            return
        assert journal.count(LabResult) == result.added == plan.count("new")
        assert_sound(journal)


# ---- arbitrary well-formed tables ------------------------------------------------------------

NAMES = sorted({label for a in analytes.CATALOGUE.values() for label in (a.name, a.short,
                                                                          *a.aliases)})
HEADERS = {
    "date": ["date", "Collection Date", "test_date", "Datum", "Recorded On Date"],
    "marker": ["marker", "Test Name", "Analyte", "Biomarker Name", "Untersuchung"],
    "value": ["value", "Result", "Ergebnis", "Your Result"],
    "unit": ["unit", "Units", "UOM", "Einheit"],
    "range": ["reference range", "Range", "Referenzbereich"],
    "flag": ["flag", "Abnormal Flag", "Status"],
}
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=12)


@st.composite
def dates(draw):
    year = draw(st.integers(1990, 2030))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    form = draw(st.sampled_from(["iso", "mdy", "dmy", "dot", "iso_time", "junk"]))
    if form == "junk":
        return draw(TEXT)
    return {"iso": f"{year}-{month:02d}-{day:02d}", "mdy": f"{month}/{day}/{year}",
            "dmy": f"{day:02d}/{month:02d}/{year}", "dot": f"{day}.{month}.{year}",
            "iso_time": f"{year}-{month:02d}-{day:02d} {draw(st.integers(0, 23))}:05"}[form]


@st.composite
def values(draw):
    number = draw(st.floats(min_value=0, max_value=1e6, allow_nan=False))
    return draw(st.sampled_from([
        f"{number:.2f}", f"<{number:.1f}", f">= {number:g}", f"{number:,.1f}",
        f"{number:.1f} H", "TNP", "", f"{number:.1f} ng/dL", str(draw(TEXT)),
        f"{number:.3f}".replace(".", ","),
    ]))


@st.composite
def tables(draw):
    extra = draw(st.lists(st.sampled_from(["unit", "range", "flag"]), unique=True))
    fields = ["date", "marker", "value", *extra]
    header = [draw(st.sampled_from(HEADERS[f])) for f in fields]
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        cells = {
            "date": draw(dates()),
            "marker": draw(st.one_of(st.sampled_from(NAMES), TEXT)),
            "value": draw(values()),
            "unit": draw(st.one_of(st.sampled_from(["ng/dL", "nmol/L", "pg/mL", "%", "IU/L",
                                                    "mIU/mL", "mg/dL", "L/L", ""]), TEXT)),
            "range": draw(st.sampled_from(["", "264-916", "<5", "> OR = 40", "8,64-29,0", "x"])),
            "flag": draw(st.sampled_from(["", "H", "L", "High", "abnormal", "?"])),
        }
        rows.append([cells[f] for f in fields])
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    preamble = draw(st.sampled_from(["", "Lab export\n\n", "Patient: X\nCollected: 01/02/2024\n"]))
    out = io.StringIO()
    out.write(preamble)
    writer = csv.writer(out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return out.getvalue().encode(encoding, errors="replace"), len(rows)


@SETTINGS
@given(tables(), st.sampled_from(["auto", "dmy", "mdy"]))
def test_well_formed_tables_import_and_reimport_adds_nothing(table, date_order):
    content, _rows = table
    with fresh_journal() as (journal, folder):
        path = folder / "labs.csv"
        path.write_bytes(content)
        plan = plan_or_user_error(journal, path, date_order=date_order)
        if plan is None:
            return
        for row in plan.rows:
            assert row.status in ("new", "duplicate", "error")
            assert (row.result is None) == (row.status == "error")
            assert row.status != "error" or row.reason
        try:
            result = commit_plan(plan, journal)
        except UserError:  # ambiguous dates
            assert plan.ambiguous_files() and journal.count(LabResult) == 0
            return
        assert journal.count(LabResult) == result.added == plan.count("new")
        assert journal.count(Batch) == (1 if result.added else 0)
        assert_sound(journal)
        again = plan_import([path], journal, date_order=date_order)
        assert again.count("new") == 0
        assert commit_plan(again, journal).added == 0


@SETTINGS
@given(tables(), st.integers(1, 6))
def test_a_cancelled_commit_never_leaves_part_of_a_batch(table, stop_after):
    content, _rows = table
    with fresh_journal() as (journal, folder):
        path = folder / "labs.csv"
        path.write_bytes(content)
        plan = plan_or_user_error(journal, path, date_order="dmy")
        if plan is None:
            return
        calls = []

        def cancelled() -> bool:
            calls.append(1)
            return len(calls) > stop_after

        with mock.patch.object(commit_module, "_CHUNK", 2):
            try:
                result = commit_plan(plan, journal, cancelled=cancelled)
            except ImportCancelled:
                assert journal.count(LabResult) == 0 and journal.count(Batch) == 0
                return
        assert journal.count(LabResult) == result.added == plan.count("new")
