"""What the record pages' buttons do: open a dialog, then store through the undoable session."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from hpgjournal.commands import ChangeRegimen, LogDose, StartPhases, describe, phases_to_start
from hpgjournal.domain.kinds import KINDS
from hpgjournal.domain.phases import phase_label
from hpgjournal.domain.records import Dose, LabResult, Measure, Medication, Note, Phase
from hpgjournal.ui.session import JournalSession

KIND_NAMES = {k.record: k.short for k in KINDS if k.batched}


class RecordActions:
    """Opens the entry dialogs and stores what they return. Needs the window for parenting."""

    def __init__(self, window: QWidget, session: Callable[[], JournalSession | None]) -> None:
        self.window = window
        self._session = session

    @property
    def session(self) -> JournalSession:
        session = self._session()
        if session is None:
            raise RuntimeError("no journal is open")
        return session

    def _run(self, dialog: QDialog, save: Callable[[], Any] | None = None) -> bool:
        """Run a dialog; ``save`` writes its record before it closes (a failure keeps it open)."""
        if save is not None:
            # (type: ignore below: every entry dialog mixes in SavesOnAccept, which a QDialog
            # annotation cannot say; a Protocol of "a dialog that saves" would)
            dialog.save_hook = save  # type: ignore[attr-defined]
            dialog.journal_path = self.session.journal.path  # type: ignore[attr-defined]
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _add_from(self, dialog: Any, text: str | Callable[[Any], str]) -> Any:
        """Run an entry dialog; store its record as one undoable step. Returns it (or None)."""
        def save() -> Any:
            if dialog.record is None:
                return None
            label = text(dialog.record) if callable(text) else text
            return self.session.add([dialog.record], label)[0]

        return dialog.saved if self._run(dialog, save) else None

    def _edit_from(self, dialog: Any, old: Any) -> None:
        """Run an entry dialog opened on ``old``; store the change as one undoable step."""
        def save() -> None:
            if dialog.record is not None:
                # an imported record stays in its import batch when corrected
                new = replace(dialog.record, batch_id=getattr(old, "batch_id", None))
                self.session.edit(old, new, f"Edit {describe(old)}")

        self._run(dialog, save)

    def confirm_delete(self, records: Sequence[Any]) -> bool:
        if len(records) == 1:
            question = f"Delete the {KIND_NAMES[type(records[0])]} {describe(records[0])}?"
        else:
            question = f"Delete these {len(records)} {KIND_NAMES[type(records[0])]}s?"
        answer = QMessageBox.question(
            self.window, "Delete", question + "\n\nEdit > Undo brings it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def delete(self, records: Sequence[Any]) -> None:
        if records and self.confirm_delete(records):
            what = describe(records[0]) if len(records) == 1 else f"{len(records)} records"
            self.session.delete(records, f"Delete {what}")

    def _labs(self) -> list[str]:
        return self.session.journal.labs_named()

    # ----------------------------------------------------------------- lab results
    def add_lab(self) -> LabResult | None:
        from hpgjournal.ui.lab_dialog import LabResultDialog

        dialog = LabResultDialog(self.window, labs=self._labs())

        def save() -> LabResult | None:
            if dialog.lab_result is None:
                return None
            return self.session.add([dialog.lab_result], f"Add {describe(dialog.lab_result)}")[0]

        return dialog.saved if self._run(dialog, save) else None

    def add_panel(self) -> None:
        from hpgjournal.ui.lab_dialog import PanelDialog

        dialog = PanelDialog(self.window, labs=self._labs())

        def save() -> None:
            if dialog.results:
                self.session.add(dialog.results,
                                 f"Add blood test of {dialog.results[0].taken_at[:10]}")

        self._run(dialog, save)

    def edit_lab(self, result: LabResult) -> None:
        from hpgjournal.ui.lab_dialog import LabResultDialog

        dialog = LabResultDialog(self.window, result, labs=self._labs())

        def save() -> None:
            if dialog.lab_result is not None:
                self.session.edit(result, dialog.lab_result, f"Correct {describe(result)}")

        self._run(dialog, save)

    def add_semen(self) -> None:
        from hpgjournal.ui.record_dialogs import SemenDialog

        dialog = SemenDialog(self.window, labs=self._labs())

        def save() -> None:
            if dialog.records:
                self.session.add(dialog.records, "Add semen analysis")

        self._run(dialog, save)

    # ----------------------------------------------------------------- regimens and doses
    def add_medication(self) -> None:
        from hpgjournal.ui.record_dialogs import MedicationDialog

        self._add_from(MedicationDialog(self.window), lambda m: f"Add regimen {m.drug}")

    def edit_medication(self, medication: Medication) -> None:
        from hpgjournal.ui.record_dialogs import MedicationDialog

        self._edit_from(MedicationDialog(self.window, medication), medication)

    def change_medication(self, medication: Medication) -> None:
        """A new dose or schedule from a date on: the old period ends, a new one starts."""
        from hpgjournal.ui.record_dialogs import MedicationDialog

        dialog = MedicationDialog(self.window, replace(medication, id=None, end_date=None),
                                  start=date.today(), title=f"Change {medication.drug} from…")
        dialog.start.set_stamp(max(date.today().isoformat(), medication.start_date))

        def save() -> None:
            if dialog.record is not None:
                self.session.run(ChangeRegimen(medication, dialog.record))

        self._run(dialog, save)

    def active_regimens(self) -> list[Medication]:
        return self.session.journal.active_medications(date.today().isoformat())

    def _last_site(self, medication_id: int | None) -> str:
        return self.session.journal.last_site(medication_id)

    def log_dose(self, regimen: Medication | None = None) -> Dose | None:
        """Log a dose; with a regimen, its dose, unit and the next injection site are filled in."""
        from hpgjournal.ui.record_dialogs import DoseDialog

        regimens = self.session.journal.all(Medication)
        if regimen is None:
            active = self.active_regimens()
            regimen = active[0] if len(active) == 1 else None
        dialog = DoseDialog(self.window, regimens=regimens, regimen=regimen,
                            last_site=self._last_site(regimen.id if regimen else None))
        return self._add_from(dialog, lambda d: f"Log {describe(d)}")

    def log_dose_now(self, regimen: Medication) -> Dose | None:
        """One click: the regimen's dose, unit and next injection site, taken now, as one
        undoable step (the dialog stays one menu away: Journal > Log a dose)."""
        from datetime import datetime

        command = LogDose(self.session.journal, regimen, datetime.now())
        added = self.session.run(command).added
        if not added:
            return None
        status = getattr(self.window, "statusBar", None)
        if callable(status):
            status().showMessage(f"Logged {describe(command.dose)} — Edit > Undo removes it",
                                 10000)
        return added[0]

    def edit_dose(self, dose: Dose) -> None:
        from hpgjournal.ui.record_dialogs import DoseDialog

        self._edit_from(DoseDialog(self.window, dose,
                                   regimens=self.session.journal.all(Medication)), dose)

    # ----------------------------------------------------------------- phases
    def add_phase(self, kind: str = "") -> None:
        from hpgjournal.ui.record_dialogs import PhaseDialog

        self._add_from(PhaseDialog(self.window, kind=kind,
                                   others=self.session.journal.all(Phase)),
                       lambda p: f"Add {describe(p)}")

    def edit_phase(self, phase: Phase) -> None:
        from hpgjournal.ui.record_dialogs import PhaseDialog

        self._edit_from(PhaseDialog(self.window, phase, others=self.session.journal.all(Phase)),
                        phase)

    def move_phase(self, old: Phase, new: Phase) -> bool:
        """A phase dragged on the timeline: moved as one undoable step, after a question when
        the new days cannot be true beside another phase (a washout during TRT). The status
        bar names the new dates and any overlap the move made."""
        from hpgjournal.domain.phases import new_overlaps
        from hpgjournal.ui.record_dialogs import clashing

        others = self.session.journal.all(Phase)
        clashes = clashing(old, new, others)
        if clashes:
            box = QMessageBox(QMessageBox.Icon.Warning, "Move the phase",
                              f"Move {describe(old)} to {_span(new)}?\n\n"
                              + "\n".join(f"{c}." for c in clashes), parent=self.window)
            move = box.addButton("&Move it", QMessageBox.ButtonRole.AcceptRole)
            keep = box.addButton("&Keep it where it was", QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(keep)
            box.exec()
            if box.clickedButton() is not move:
                return False
        self.session.edit(old, new, f"Move {phase_label(old.kind)}")
        shared = [o.sentence(new.kind) for o in new_overlaps(old, new, others, date.today())
                  if not o.contradicts]
        status = getattr(self.window, "statusBar", None)
        if callable(status):
            status().showMessage(" · ".join([f"{phase_label(new.kind)} now runs {_span(new)}",
                                             *shared, "Edit > Undo moves it back"]), 15000)
        return True

    def phases_from_regimens(self) -> None:
        """Start a phase for each active regimen's drug (e.g. hCG + clomiphene) from today."""
        today = date.today().isoformat()
        kinds = phases_to_start(self.session.journal, today)
        if not kinds:
            QMessageBox.information(
                self.window, "Start phases from regimens",
                "No active regimen starts a new phase today: add the regimens first "
                "(Medications & doses), or add a phase by hand.")
            return
        command = StartPhases(kinds, today)
        answer = QMessageBox.question(
            self.window, "Start phases from regimens",
            f"Start these phases today ({today}): {command.names}?")
        if answer == QMessageBox.StandardButton.Yes:
            self.session.run(command)

    # ----------------------------------------------------------------- symptoms and measures
    def check_in(self) -> None:
        from hpgjournal.ui.record_dialogs import CheckInDialog

        self._add_from(CheckInDialog(self.window), "Add check-in")

    def edit_note(self, note: Note) -> None:
        from hpgjournal.ui.record_dialogs import CheckInDialog

        self._edit_from(CheckInDialog(self.window, note), note)

    def ams(self) -> None:
        from hpgjournal.ui.record_dialogs import AmsDialog

        self._add_from(AmsDialog(self.window), "Add AMS questionnaire")

    def add_measure(self) -> None:
        from hpgjournal.ui.record_dialogs import MeasureDialog

        self._add_from(MeasureDialog(self.window), "Add body measures")

    def edit_measure(self, measure: Measure) -> None:
        from hpgjournal.ui.record_dialogs import MeasureDialog

        self._edit_from(MeasureDialog(self.window, measure), measure)


def _span(phase: Phase) -> str:
    return f"{phase.start_date} to {phase.end_date or 'ongoing'}"
