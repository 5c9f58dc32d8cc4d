"""The report never fails on a stored value: impossible ones (written into an old journal by
SQL) are left out of it, and its summary says so. (In-process, like test_report.py: the report
paints with QtGui, so it runs after the window's tests.)"""

from __future__ import annotations

from hpgjournal.cli import main
from hpgjournal.store.journal import Journal
from tests.conftest import DEMO_TODAY, IMPOSSIBLE_BY_SQL


def test_the_report_is_written_and_names_what_it_left_out(broken_demo_path, tmp_path, capsys):
    from hpgjournal.report.content import ReportOptions, gather, render_html

    out = tmp_path / "report.pdf"
    status = main(["report", "--journal", str(broken_demo_path), "--to", DEMO_TODAY.isoformat(),
                   "--appendix", "-o", str(out)])
    assert status == 0, capsys.readouterr().err
    assert out.read_bytes()[:5] == b"%PDF-"
    with Journal.open(broken_demo_path, readonly=True) as journal:
        data = gather(journal, ReportOptions(), today=DEMO_TODAY)
    assert len(data.left_out) == len(IMPOSSIBLE_BY_SQL)
    assert all(abs(r.value) < 1e6 for r in data.all_results if r.value is not None)
    html = render_html(data, ReportOptions())
    assert "7 stored values are left out because they are impossible" in html
