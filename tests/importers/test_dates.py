"""Dates as files print them, and the day/month order decided per file from its evidence."""

from __future__ import annotations

import pytest

from hpgjournal.importers.dates import DateError, decide_order, parse_shape, read_typed, to_stamp
from tests.importers.helpers import plan_file, results


@pytest.mark.parametrize(("text", "order", "stamp"), [
    ("2024-03-01", "mdy", "2024-03-01"),
    ("2024-03-01T08:30", "dmy", "2024-03-01T08:30"),
    ("2024-03-01 10:30:00 -0500", "mdy", "2024-03-01T10:30"),
    ("2024-03-01T10:30:00.123Z", "mdy", "2024-03-01T10:30"),
    ("2024/3/1", "dmy", "2024-03-01"),
    ("20240301", "dmy", "2024-03-01"),
    ("20250814112100-0700", "dmy", "2025-08-14T11:21"),
    ("03/01/2024", "mdy", "2024-03-01"),
    ("03/01/2024", "dmy", "2024-01-03"),
    ("1.3.2024", "dmy", "2024-03-01"),
    ("01-03-2024", "dmy", "2024-03-01"),
    ("7/2/26", "mdy", "2026-07-02"),
    ("3/1/2024 8:30 AM", "mdy", "2024-03-01T08:30"),
    ("3/1/2024 12:05 am", "mdy", "2024-03-01T00:05"),
    ("3/1/2024 2:05 PM", "mdy", "2024-03-01T14:05"),
    ("01.03.2024 14:30", "dmy", "2024-03-01T14:30"),
    ("1 Mar 2024", "mdy", "2024-03-01"),
    ("March 2, 2024", "dmy", "2024-03-02"),
    ("Sat, March 2, 2024", "dmy", "2024-03-02"),
    ("03-Mar-2024", "mdy", "2024-03-03"),
    ("5. Mai 2024", "dmy", "2024-05-05"),
    ("24/03/01", "ymd", "2024-03-01"),
])
def test_dates_read_in_their_order(text, order, stamp):
    assert to_stamp(parse_shape(text), order) == stamp


@pytest.mark.parametrize("text", ["", "TNP", "2024", "13/13", "32 Foo 2024", "2024-03-01 25:00",
                                  "3/1/2024 13:00 PM"])
def test_texts_that_are_no_dates(text):
    with pytest.raises(DateError):
        parse_shape(text)


@pytest.mark.parametrize(("text", "order"), [("02/30/2024", "mdy"), ("13/01/2024", "mdy"),
                                             ("2024-02-30", "mdy"), ("03/04/2024", "ymd")])
def test_impossible_dates_in_an_order(text, order):
    with pytest.raises(DateError):
        to_stamp(parse_shape(text), order)


def test_a_month_above_twelve_hints_at_the_order():
    with pytest.raises(DateError, match="is the date order wrong"):
        to_stamp(parse_shape("25/04/2024"), "mdy")


def test_time_can_be_dropped():
    assert to_stamp(parse_shape("3/1/2024 8:30"), "mdy", keep_time=False) == "2024-03-01"


def shapes(*texts):
    return [parse_shape(t) for t in texts]


def test_order_from_the_evidence():
    assert decide_order(shapes("03/04/2024", "25/04/2024")).order == "dmy"
    assert decide_order(shapes("03/04/2024", "04/25/2024")).order == "mdy"
    assert decide_order(shapes("2024-03-04")).order == "ymd"
    decided = decide_order(shapes("25/04/2024"))
    assert (decided.source, decided.ambiguous) == ("file", False)


def test_ambiguous_files_are_reported_with_examples():
    decided = decide_order(shapes("03/04/2024", "05/06/2024"), guess="dmy")
    assert decided.ambiguous and decided.order == "dmy" and decided.source == "guess"
    assert decided.examples == ("03/04/2024", "05/06/2024")


def test_day_equal_month_is_not_ambiguous():
    decided = decide_order(shapes("03/03/2024", "07/07/2024"))
    assert not decided.ambiguous


def test_user_format_and_convention_decide_in_that_order():
    ambiguous = shapes("03/04/2024")
    assert decide_order(ambiguous, user="dmy").source == "user"
    assert decide_order(ambiguous, format_default="mdy").source == "format"
    assert decide_order(shapes("03.04.2024")).source == "convention"
    assert decide_order(shapes("03.04.2024")).order == "dmy"
    # evidence in the file beats the convention and the format
    assert decide_order(shapes("03.25.2024"), format_default="dmy").order == "mdy"


def test_contradicting_dates_are_a_conflict():
    decided = decide_order(shapes("25/04/2024", "26/04/2024", "04/27/2024"))
    assert decided.order == "dmy" and decided.conflict


def test_bad_user_order_is_refused():
    with pytest.raises(ValueError):
        decide_order([], user="yyyy")


# ---- through the planner, with fixture files ---------------------------------------------------


@pytest.mark.parametrize(("name", "order", "source", "stamps"), [
    ("dates_dmy_evidence.csv", "dmy", "file", ["2024-04-03", "2024-04-25"]),
    ("dates_mdy_evidence.csv", "mdy", "file", ["2024-03-04T08:30", "2024-04-25T14:05"]),
    ("dates_dotted.csv", "dmy", "convention", ["2024-04-03", "2024-06-05"]),
    ("dates_iso_times.csv", "ymd", "file", ["2024-03-01T10:30", "2024-03-02T07:45", "2024-03-03"]),
    ("dates_midnight.csv", "ymd", "file", ["2024-03-01", "2024-04-01"]),
    ("dates_month_names.csv", "ymd", "file", ["2024-03-01", "2024-03-02", "2024-03-03"]),
    ("whoop.csv", "mdy", "format", ["2026-07-02"] * 5),
])
def test_files_get_their_date_order(journal, name, order, source, stamps):
    plan = plan_file(journal, name)
    file = plan.files[0]
    assert (file.date_order, file.date_order_source, file.date_order_ambiguous) == (order, source,
                                                                                   False)
    assert [r.taken_at for r in results(plan)] == stamps


@pytest.mark.parametrize(("name", "examples"), [
    ("dates_ambiguous.csv", ("03/04/2024", "05/06/2024")),
    ("dates_two_digit_year.csv", ("7/2/26", "12/1/25")),
])
def test_ambiguous_files_ask_and_the_users_order_is_used(journal, name, examples):
    plan = plan_file(journal, name)
    assert plan.files[0].date_order_ambiguous
    assert plan.files[0].date_examples == examples
    assert plan.ambiguous_files() == plan.files
    dmy = plan_file(journal, name, date_order="dmy")
    mdy = plan_file(journal, name, date_order="mdy")
    assert not dmy.files[0].date_order_ambiguous and dmy.files[0].date_order_source == "user"
    assert [r.taken_at for r in results(dmy)] != [r.taken_at for r in results(mdy)]
    if name == "dates_ambiguous.csv":
        assert [r.taken_at for r in results(dmy)] == ["2024-04-03", "2024-06-05"]
        assert [r.taken_at for r in results(mdy)] == ["2024-03-04", "2024-05-06"]


def test_a_wrong_user_order_makes_rows_unreadable_not_silently_wrong(journal):
    plan = plan_file(journal, "dates_dmy_evidence.csv", date_order="mdy")
    assert [r.status for r in plan.rows] == ["new", "error"]
    assert "25/04/2024" in plan.rows[1].reason


def test_rows_without_a_date_take_the_one_above(journal):
    plan = plan_file(journal, "dates_filled_down.csv")
    assert [r.taken_at for r in results(plan)] == ["2024-06-01"] * 3 + ["2024-09-01"] * 2
    assert any("took the date of the row above" in w for w in plan.files[0].warnings)


def test_a_collection_date_above_the_table(journal):
    plan = plan_file(journal, "dates_in_preamble.csv")
    assert [r.taken_at for r in results(plan)] == ["2024-06-18"] * 2
    assert any("collection date printed above" in w for w in plan.files[0].warnings)


def test_a_separate_time_column(tmp_path, journal):
    from hpgjournal.importers.plan import plan_import

    path = tmp_path / "times.csv"
    path.write_text("Date,Time,Test,Result,Units\n03/15/2024,8:05 AM,LH,3.1,IU/L\n"
                    "03/16/2024,,LH,2.9,IU/L\n03/17/2024,25:00,LH,2.7,IU/L\n")
    plan = plan_import([path], journal)
    assert [r.result.taken_at if r.result else r.reason for r in plan.rows] == [
        "2024-03-15T08:05", "2024-03-16", "'25:00' is not a time"]


def test_a_typed_date_is_read_on_its_own_and_never_guessed():
    assert read_typed("2026-03-04") == ("2026-03-04", "")
    assert read_typed("4.3.2026") == ("2026-03-04", "")  # dotted: day first
    assert read_typed("14/3/2026") == ("2026-03-14", "")
    assert read_typed("3/14/2026 8:30 PM") == ("2026-03-14", "20:30")
    assert read_typed("4 Mar 2026") == ("2026-03-04", "")
    assert read_typed("3/3/2026") == ("2026-03-03", "")  # both readings are the same day
    with pytest.raises(DateError, match="could be 2026-03-04 or 2026-04-03"):
        read_typed("3/4/2026")
    with pytest.raises(DateError, match="is not a date"):
        read_typed("soon")
