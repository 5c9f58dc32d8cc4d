"""Undo of a regimen delete and of an import batch: what comes back, what is counted, what is
announced to the pages (issue 20, item 6)."""

from __future__ import annotations

from hpgjournal.commands import RemoveBatch
from hpgjournal.domain.records import Batch, Dose, LabResult, Medication
from hpgjournal.domain.results import make_result
from hpgjournal.store.journal import Journal


def heard(session) -> list[frozenset]:
    """Every set of record kinds the session announces from now on."""
    out: list[frozenset] = []
    session.changed.connect(out.append)
    return out


def test_undo_of_a_regimen_delete_relinks_its_doses(opened):
    journal = opened.journal
    med = next(m for m in journal.all(Medication)
               if any(d.medication_id == m.id for d in journal.all(Dose)))
    linked = [d for d in journal.all(Dose) if d.medication_id == med.id]
    others = [d for d in journal.all(Dose) if d.medication_id != med.id]
    said = heard(opened.session)

    opened.session.delete([med], f"Delete {med.drug}")
    assert journal.get(Medication, med.id) is None
    assert all(journal.get(Dose, d.id).medication_id is None for d in linked)  # kept, unlinked
    opened.undo_group.undo()
    assert journal.get(Medication, med.id) == med
    assert [journal.get(Dose, d.id) for d in linked] == linked  # linked to the regimen again
    assert [journal.get(Dose, d.id) for d in others] == others
    opened.undo_group.redo()
    assert all(journal.get(Dose, d.id).medication_id is None for d in linked)
    opened.undo_group.undo()
    assert [journal.get(Dose, d.id) for d in linked] == linked
    # delete, undo, redo, undo: each step says the regimen and its doses changed
    assert len(said) == 4 and all({Medication, Dose} <= kinds for kinds in said)


def two_imports(path) -> tuple[int, int]:
    with Journal.open(path) as journal:
        journal.add(make_result("2025-01-01", "lh", "3.0", "IU/L"))  # typed by hand
        first = journal.start_batch("first.csv", "long", "a")
        journal.add_many([make_result("2025-02-01", key, value, unit, batch_id=first)
                          for key, value, unit in (("lh", "4.1", "IU/L"), ("fsh", "5", "IU/L"),
                                                   ("shbg", "30", "nmol/L"))])
        second = journal.start_batch("second.csv", "long", "b")
        journal.add(make_result("2025-03-01", "lh", "4.4", "IU/L", batch_id=second))
        regimen = journal.add(Medication(None, "hCG", "2025-03-01", "gonadotropin", "subq",
                                         500, "IU", "twice weekly", 3.5, batch_id=second))
        journal.add(Dose(None, "2025-03-02T21:00", "hCG", 500, "IU", "", "", regimen,
                         batch_id=second))
    return first, second


def test_undo_batch_counts_only_the_results_of_that_batch(tmp_path):
    path = tmp_path / "j.hpgjournal"
    first, second = two_imports(path)
    with Journal.open(path) as journal:
        assert journal.results_per_batch() == {first: 3, second: 1}
        assert journal.undo_batch(second) == 1  # not the 5 results of the journal
        assert journal.results_per_batch() == {first: 3}
        assert journal.undo_batch(first) == 3
        assert journal.count(LabResult) == 1  # the one typed by hand stays


def test_the_history_counts_each_import_and_undo_announces_what_came_back(window, qtbot,
                                                                           tmp_path):
    path = tmp_path / "j.hpgjournal"
    _, second = two_imports(path)
    window.open_journal(path)
    from hpgjournal.ui.history_dialog import ImportHistoryDialog

    dialog = ImportHistoryDialog(window.session, window)
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 1).text(): dialog.table.item(r, 3).text() for r in range(2)}
    assert rows == {"first.csv": "3", "second.csv": "1"}
    said = heard(window.session)
    window.session.run(RemoveBatch(second, "Remove import of second.csv"))
    assert window.journal.count(Medication) == 0 and window.journal.count(Dose) == 0
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 3).text() == "3"
    window.undo_group.undo()
    assert window.journal.count(Medication) == 1 and window.journal.count(Dose) == 1
    rows = {dialog.table.item(r, 1).text(): dialog.table.item(r, 3).text() for r in range(2)}
    assert rows == {"first.csv": "3", "second.csv": "1"}
    window.undo_group.redo()
    # remove, undo, redo: each says the batch, its results, its regimen and its dose changed
    assert len(said) == 3
    assert all({Batch, LabResult, Medication, Dose} <= kinds for kinds in said)
