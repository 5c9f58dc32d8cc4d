"""Messages about a row or a file say what is true of it (issue 12): the counts they print
agree with what they complain about."""

from __future__ import annotations

from hpgjournal.importers.plan import plan_import
from tests.importers.helpers import by_line


def test_a_row_with_too_many_cells_counts_them_all(tmp_path, journal):
    """An empty cell between values counts; empty cells after the last value do not."""
    path = tmp_path / "ragged.csv"
    path.write_text(
        "Date,Marker,Value,Unit,Range,Flag,Lab\n"
        "2024-07-01,Testosterone, Total,640,ng/dL,264-916,,Quest\n"  # 8 cells, one of them empty
        "2024-07-01,LH,4.1,IU/L,1.7-8.6,,Quest,,\n"  # 7 cells and two empty ones: readable
        '2024-07-01,"FSH, serum",4.1,IU/L,1.5-12.4,,Quest,,,x,,\n')  # 10 cells, then 2 empty
    rows = by_line(plan_import([path], journal))
    advice = "a value probably holds an unquoted comma; put it in quotes"
    assert rows[2].reason == f"8 cells but the header has 7 columns: {advice}"
    assert rows[3].status == "new"
    assert rows[4].reason == f"10 cells but the header has 7 columns: {advice}"


def test_a_whoop_row_with_too_many_cells_counts_them_the_same_way(tmp_path, journal):
    path = tmp_path / "whoop.csv"
    path.write_text("Biomarker Name,Value,Status,Recorded On Date\n"
                    "Testosterone, Total,640,,01/02/2024,,\n")
    assert by_line(plan_import([path], journal))[2].reason == (
        "5 cells but the header has 4 columns: a name probably holds an unquoted comma; put it in "
        "quotes")
