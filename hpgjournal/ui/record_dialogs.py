"""Entry dialogs for regimens, doses, phases, check-ins, body measures and semen analyses.

Each dialog validates on Save, shows what is wrong next to the field, and leaves the built
record in ``self.record`` (or ``self.records``) for the caller to store.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from hpgjournal.domain import analytes
from hpgjournal.domain.dosing import INJECTION_SITES, SCHEDULES, interval_days, next_site
from hpgjournal.domain.drugs import DRUG_CLASSES, DRUGS, ROUTES, find_drug
from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.phases import PHASE_KINDS, new_overlaps
from hpgjournal.domain.plausible import judge_result
from hpgjournal.domain.records import SCORE_NAMES, Dose, LabResult, Measure, Medication, Note, Phase
from hpgjournal.domain.results import make_result
from hpgjournal.domain.semen import worked_out_total
from hpgjournal.ui.forms import DateTimeField, FieldErrors, form
from hpgjournal.ui.lab_dialog import require_number
from hpgjournal.ui.saving import SavesOnAccept


def parse_number(text: str, field: str, what: str, *, required: bool = False,
                 low: float | None = 0, high: float | None = None) -> float | None:
    raw = text.strip().replace(",", ".")
    if not raw:
        if required:
            raise ValidationError(field, f"type the {what}")
        return None
    try:
        number = float(raw)
    except ValueError:
        raise ValidationError(field, f"{text.strip()!r} is not a number: type the {what} as "
                                     "digits, e.g. 100 or 0.5") from None
    if (low is not None and number < low) or (high is not None and number > high):
        span = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise ValidationError(field, f"the {what} must be {span}")
    return number


class RecordDialog(SavesOnAccept, QDialog):
    """Common frame: a form, an error line per field, Save and Cancel."""

    def __init__(self, title: str, parent: QWidget | None = None, width: int = 480) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.errors = FieldErrors()
        self.outer = QVBoxLayout(self)
        self.fields = form()
        self.outer.addLayout(self.fields)
        self.record: object | None = None

    def add_buttons(self) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.outer.addWidget(buttons)

    def row(self, text: str, name: str, widget: QWidget) -> None:
        self.fields.addRow(text, self.errors.holder(name, widget))

    def build(self) -> object:
        raise TypeError("RecordDialog subclasses define build()")

    def accept(self) -> None:
        self.errors.clear()
        try:
            self.record = self.build()
        except ValidationError as exc:
            self.errors.show(exc)
            return
        super().accept()


def _optional_date_field(checked: bool) -> tuple[QWidget, QCheckBox, DateTimeField]:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    switch = QCheckBox("Has an end date")
    field = DateTimeField(with_time=False)
    switch.setChecked(checked)
    field.setEnabled(checked)
    switch.toggled.connect(field.setEnabled)
    layout.addWidget(switch)
    layout.addWidget(field)
    return box, switch, field


class MedicationDialog(RecordDialog):
    """A regimen: drug, dose, schedule and the period it ran."""

    record: Medication | None  # what build() made, once saved

    def __init__(self, parent: QWidget | None = None, medication: Medication | None = None,
                 *, start: date | None = None, title: str = "") -> None:
        super().__init__(title or ("Edit regimen" if medication else "Add a regimen"), parent)
        self.original = medication
        self.drug = QComboBox()
        self.drug.setEditable(True)
        self.drug.addItems([d.name for d in DRUGS])
        self.drug.setCurrentIndex(-1)
        drug_edit = self.drug.lineEdit()
        assert drug_edit is not None, "an editable box has a line edit"
        drug_edit.setPlaceholderText("choose or type a drug")
        self.row("&Drug", "drug", self.drug)
        self.drug_class = QComboBox()
        for key, text in DRUG_CLASSES.items():
            self.drug_class.addItem(text, key)
        self.row("&Class", "drug_class", self.drug_class)
        self.dose = QLineEdit()
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(["mg", "IU", "mcg", "mL"])
        dose_row = QWidget()
        grid = QGridLayout(dose_row)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.dose, 0, 0)
        grid.addWidget(self.unit, 0, 1)
        self.row("D&ose", "dose", dose_row)
        self.route = QComboBox()
        for key, text in ROUTES.items():
            self.route.addItem(text, key)
        self.row("&Route", "route", self.route)
        self.schedule = QComboBox()
        self.schedule.setEditable(True)
        self.schedule.addItems(list(SCHEDULES))
        self.schedule.setCurrentText("every 7 days")
        self.row("&Schedule", "schedule", self.schedule)
        self.start = DateTimeField(with_time=False)
        if start:
            self.start.set_stamp(start.isoformat())
        self.row("S&tart", "start_date", self.start)
        end_box, self.has_end, self.end = _optional_date_field(False)
        self.row("&End", "end_date", end_box)
        self.note = QLineEdit()
        self.row("&Note", "note", self.note)
        self.add_buttons()
        self.drug.currentTextChanged.connect(self._drug_chosen)
        if medication:
            self._load(medication)

    def _drug_chosen(self, name: str) -> None:
        drug = find_drug(name)
        if drug and self.original is None:
            self.drug_class.setCurrentIndex(self.drug_class.findData(drug.drug_class))
            self.route.setCurrentIndex(self.route.findData(drug.route))
            self.unit.setCurrentText(drug.unit)

    def _load(self, m: Medication) -> None:
        self.drug.setCurrentText(m.drug)
        self.drug_class.setCurrentIndex(max(0, self.drug_class.findData(m.drug_class)))
        self.dose.setText("" if m.dose is None else f"{m.dose:g}")
        self.unit.setCurrentText(m.unit)
        self.route.setCurrentIndex(max(0, self.route.findData(m.route)))
        self.schedule.setCurrentText(m.schedule)
        self.start.set_stamp(m.start_date)
        if m.end_date:
            self.has_end.setChecked(True)
            self.end.set_stamp(m.end_date)
        self.note.setText(m.note)

    def build(self) -> Medication:
        drug = self.drug.currentText().strip()
        if not drug:
            raise ValidationError("drug", "choose a drug from the list or type its name")
        dose = parse_number(self.dose.text(), "dose", "dose")
        schedule = self.schedule.currentText().strip()
        start = self.start.stamp("start_date")
        end = self.end.stamp("end_date") if self.has_end.isChecked() else None
        if end is not None and end < start:
            raise ValidationError("end_date", "the end is before the start: correct one of them")
        return Medication(self.original.id if self.original else None, drug, start,
                          self.drug_class.currentData() or "", self.route.currentData() or "",
                          dose, self.unit.currentText().strip(), schedule,
                          interval_days(schedule), end, self.note.text().strip())


class DoseDialog(RecordDialog):
    """One dose taken. Regimen defaults fill amount and unit; the next injection site is offered."""

    def __init__(self, parent: QWidget | None = None, dose: Dose | None = None, *,
                 regimens: Sequence[Medication] = (), regimen: Medication | None = None,
                 last_site: str = "") -> None:
        super().__init__("Edit dose" if dose else "Log a dose", parent)
        self.original = dose
        self.regimens = list(regimens)
        self.regimen = QComboBox()
        self.regimen.addItem("no regimen (one-off)", None)
        for med in self.regimens:
            amount = f" {med.dose:g} {med.unit}" if med.dose is not None else ""
            self.regimen.addItem(f"{med.drug}{amount}, {med.schedule}".strip(", "), med.id)
        self.row("&Regimen", "medication_id", self.regimen)
        self.drug = QLineEdit()
        self.row("&Drug", "drug", self.drug)
        self.when = DateTimeField()
        self.when.time.setText(datetime.now().strftime("%H:%M"))
        self.row("&When", "taken_at", self.when)
        self.amount = QLineEdit()
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(["mg", "IU", "mcg", "mL"])
        amount_row = QWidget()
        grid = QGridLayout(amount_row)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.amount, 0, 0)
        grid.addWidget(self.unit, 0, 1)
        self.row("&Amount", "amount", amount_row)
        self.site = QComboBox()
        self.site.setEditable(True)
        self.site.addItem("")
        self.site.addItems(list(INJECTION_SITES))
        self.row("&Site", "site", self.site)
        self.note = QLineEdit()
        self.row("&Note", "note", self.note)
        self.add_buttons()
        self._last_site = last_site
        self.regimen.currentIndexChanged.connect(self._regimen_chosen)
        if dose:
            self._load(dose)
        elif regimen is not None:
            self.regimen.setCurrentIndex(max(0, self.regimen.findData(regimen.id)))
            self._regimen_chosen()
        self.amount.setFocus()

    def _regimen_chosen(self, *args: object) -> None:
        med = next((m for m in self.regimens if m.id == self.regimen.currentData()), None)
        if med is None or self.original is not None:
            return
        self.drug.setText(med.drug)
        self.amount.setText("" if med.dose is None else f"{med.dose:g}")
        self.unit.setCurrentText(med.unit)
        if med.route in ("im", "subq"):
            self.site.setCurrentText(next_site(self._last_site, med.route))

    def _load(self, d: Dose) -> None:
        self.regimen.setCurrentIndex(max(0, self.regimen.findData(d.medication_id)))
        self.drug.setText(d.drug)
        self.when.set_stamp(d.taken_at)
        self.amount.setText("" if d.amount is None else f"{d.amount:g}")
        self.unit.setCurrentText(d.unit)
        self.site.setCurrentText(d.site)
        self.note.setText(d.note)

    def build(self) -> Dose:
        drug = self.drug.text().strip()
        if not drug:
            raise ValidationError("drug", "type the drug, or choose a regimen above")
        amount = parse_number(self.amount.text(), "amount", "amount")
        return Dose(self.original.id if self.original else None, self.when.stamp("taken_at"),
                    drug, amount, self.unit.currentText().strip(), self.site.currentText().strip(),
                    self.note.text().strip(), self.regimen.currentData())


class PhaseDialog(RecordDialog):
    """A therapy phase. ``others`` are the journal's phases: dates that would put a drug-free
    phase (baseline, washout, recovery) on days of a drug phase are a warning that must be
    seen before Save keeps them."""

    def __init__(self, parent: QWidget | None = None, phase: Phase | None = None,
                 kind: str = "", others: Sequence[Phase] = ()) -> None:
        super().__init__("Edit phase" if phase else "Add a therapy phase", parent)
        self.original = phase
        self.others = list(others)
        self.kind = QComboBox()
        for key, info in PHASE_KINDS.items():
            self.kind.addItem(info.label, key)
        if kind:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        self.row("&Phase", "kind", self.kind)
        self.start = DateTimeField(with_time=False)
        self.row("&Start", "start_date", self.start)
        end_box, self.has_end, self.end = _optional_date_field(False)
        self.row("&End", "end_date", end_box)
        self.note = QLineEdit()
        self.row("&Note", "note", self.note)
        self.add_buttons()
        if phase:
            self.kind.setCurrentIndex(self.kind.findData(phase.kind))
            self.start.set_stamp(phase.start_date)
            if phase.end_date:
                self.has_end.setChecked(True)
                self.end.set_stamp(phase.end_date)
            self.note.setText(phase.note)

    def build(self) -> Phase:
        start = self.start.stamp("start_date")
        end = self.end.stamp("end_date") if self.has_end.isChecked() else None
        if end is not None and end < start:
            raise ValidationError("end_date", "the end is before the start: correct one of them")
        return Phase(self.original.id if self.original else None, self.kind.currentData(),
                     start, end, self.note.text().strip())

    def accept(self) -> None:
        self.errors.clear()
        try:
            phase = self.build()
        except ValidationError as exc:
            self.errors.show(exc)
            return
        clashes = clashing(self.original, phase, self.others)
        if not self.errors.confirm_warnings({"start_date": "; ".join(clashes)} if clashes else {}):
            return
        self.record = phase
        QDialog.accept(self)


def clashing(before: Phase | None, after: Phase, others: Sequence[Phase]) -> list[str]:
    """Sentences for the days ``after`` would newly share with a phase it cannot run beside
    (a washout during TRT); ``before`` is the phase as it was (None for a new one)."""
    if before is None:  # a new phase: every overlap is new
        before = replace(after, start_date="0001-01-01", end_date="0001-01-01")
    return [o.sentence(after.kind) for o in new_overlaps(before, after, others, date.today())
            if o.contradicts]


SCORE_LABELS = {"energy": "&Energy", "libido": "&Libido", "mood": "&Mood", "sleep": "&Sleep",
                "erections": "E&rections"}
NOT_RATED = "not rated"


class NoteEdit(QPlainTextEdit):
    """A note of a few lines: Enter starts a new line, Tab moves on; text() as a line edit."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # the name QLineEdit gives it
        self.setPlainText(text)


class CheckInDialog(RecordDialog):
    """How you feel today: five 0-10 scores, each optional, and a note.

    A score is rated only when the user touches it (moves its slider or ticks its box); one
    left alone is stored as not rated, never as the slider's middle. The note takes several
    lines: Enter starts a new line there, Ctrl+Enter saves.
    """

    def __init__(self, parent: QWidget | None = None, note: Note | None = None) -> None:
        super().__init__("Edit check-in" if note else "Daily check-in", parent, width=520)
        self.original = note
        self.when = DateTimeField()
        self.when.time.setText(datetime.now().strftime("%H:%M"))
        self.row("&When", "noted_at", self.when)
        hint = QLabel("0 = worst, 10 = best. Only the scores you move or tick are saved; the "
                      "others stay not rated.")
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)
        self.fields.addRow("", hint)
        self.sliders: dict[str, QSlider] = {}
        self.rated: dict[str, QCheckBox] = {}
        self.shown: dict[str, QLabel] = {}
        for name in SCORE_NAMES:
            box = QWidget()
            grid = QGridLayout(box)
            grid.setContentsMargins(0, 0, 0, 0)
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, 10)
            slider.setValue(5)
            slider.setPageStep(1)
            slider.setTickPosition(QSlider.TickPosition.TicksBelow)
            slider.setAccessibleName(SCORE_LABELS[name].replace("&", ""))
            value = QLabel(NOT_RATED)
            value.setMinimumWidth(70)
            rated = QCheckBox()
            rated.setChecked(False)
            rated.setToolTip("rate this score (untick: not rated)")
            slider.valueChanged.connect(lambda _v, box=rated: box.setChecked(True))
            slider.sliderPressed.connect(lambda box=rated: box.setChecked(True))
            slider.valueChanged.connect(lambda _v, n=name: self._show_score(n))
            rated.toggled.connect(lambda _on, n=name: self._show_score(n))
            grid.addWidget(rated, 0, 0)
            grid.addWidget(slider, 0, 1)
            grid.addWidget(value, 0, 2)
            self.sliders[name], self.rated[name], self.shown[name] = slider, rated, value
            self.fields.addRow(SCORE_LABELS[name], box)
        self.text = NoteEdit("anything worth remembering (Ctrl+Enter saves)")
        self.row("&Note", "text", self.text)
        self.for_doctor = QCheckBox("Show this note in the doctor report")
        self.fields.addRow("", self.for_doctor)
        self.add_buttons()
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        if note:
            self.when.set_stamp(note.noted_at)
            for name in SCORE_NAMES:
                value = getattr(note, name)
                self.sliders[name].setValue(5 if value is None else value)
                self.rated[name].setChecked(value is not None)
            self.text.setText(note.text)
            self.for_doctor.setChecked(note.for_doctor)

    def _show_score(self, name: str) -> None:
        rated = self.rated[name].isChecked()
        self.shown[name].setText(str(self.sliders[name].value()) if rated else NOT_RATED)

    def build(self) -> Note:
        scores = {n: (self.sliders[n].value() if self.rated[n].isChecked() else None)
                  for n in SCORE_NAMES}
        text = self.text.text().strip()
        if all(v is None for v in scores.values()) and not text:
            raise ValidationError("text", "rate at least one score or write a note")
        return Note(self.original.id if self.original else None, self.when.stamp("noted_at"),
                    text=text, for_doctor=self.for_doctor.isChecked(), **scores)


class MeasureDialog(RecordDialog):
    def __init__(self, parent: QWidget | None = None, measure: Measure | None = None) -> None:
        super().__init__("Edit body measures" if measure else "Add body measures", parent)
        self.original = measure
        self.when = DateTimeField(with_time=False)
        self.row("&Date", "measured_at", self.when)
        self.left, self.right = QLineEdit(), QLineEdit()
        self.left.setPlaceholderText("mL")
        self.right.setPlaceholderText("mL")
        self.row("&Left testis (mL)", "testis_left_ml", self.left)
        self.row("&Right testis (mL)", "testis_right_ml", self.right)
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems(["orchidometer", "ultrasound", ""])
        self.row("&Measured by", "testis_method", self.method)
        self.weight = QLineEdit()
        self.row("&Weight (kg)", "weight_kg", self.weight)
        self.bp = QLineEdit()
        self.bp.setPlaceholderText("e.g. 124/80")
        self.row("&Blood pressure", "bp", self.bp)
        self.note = QLineEdit()
        self.row("&Note", "note", self.note)
        self.add_buttons()
        if measure:
            self.when.set_stamp(measure.measured_at)
            for edit, value in ((self.left, measure.testis_left_ml),
                                (self.right, measure.testis_right_ml),
                                (self.weight, measure.weight_kg)):
                edit.setText("" if value is None else f"{value:g}")
            self.method.setCurrentText(measure.testis_method)
            if measure.systolic and measure.diastolic:
                self.bp.setText(f"{measure.systolic}/{measure.diastolic}")
            self.note.setText(measure.note)

    def build(self) -> Measure:
        left = parse_number(self.left.text(), "testis_left_ml", "left volume", high=60)
        right = parse_number(self.right.text(), "testis_right_ml", "right volume", high=60)
        weight = parse_number(self.weight.text(), "weight_kg", "weight", low=20, high=400)
        systolic = diastolic = None
        if self.bp.text().strip():
            match = re.fullmatch(r"\s*(\d{2,3})\s*/\s*(\d{2,3})\s*", self.bp.text())
            if not match:
                raise ValidationError("bp", "write blood pressure as two numbers, e.g. 124/80")
            systolic, diastolic = int(match.group(1)), int(match.group(2))
            if diastolic >= systolic:
                raise ValidationError("bp", "the first number (systolic) must be the larger")
        if all(v is None for v in (left, right, weight, systolic)):
            raise ValidationError("testis_left_ml", "fill in at least one measure")
        return Measure(self.original.id if self.original else None,
                       self.when.stamp("measured_at"), left, right,
                       self.method.currentText().strip(), weight, systolic, diastolic,
                       self.note.text().strip())


SEMEN_FIELDS = ("semen_volume", "sperm_concentration", "sperm_total_count", "sperm_motility",
                "sperm_progressive_motility", "sperm_morphology")


class SemenDialog(RecordDialog):
    """A semen analysis, stored as lab results, with the WHO 2021 lower limits beside each."""

    def __init__(self, parent: QWidget | None = None, labs: Sequence[str] = ()) -> None:
        super().__init__("Add a semen analysis", parent, width=560)
        self.records: list[LabResult] = []
        self.when = DateTimeField()
        self.row("&Date and time", "taken_at", self.when)
        self.lab = QLineEdit()
        self.row("&Lab", "lab", self.lab)
        self.values: dict[str, QLineEdit] = {}
        for key in SEMEN_FIELDS:
            marker = analytes.get_analyte(key)
            edit = QLineEdit()
            limit = f"WHO lower limit {marker.ref_low:g} {marker.unit}" if marker.ref_low else ""
            edit.setToolTip(f"{marker.name} in {marker.unit}. {limit} ({marker.ref_source}).")
            self.values[key] = edit
            box = QWidget()
            line = QGridLayout(box)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(edit, 0, 0)
            hint = QLabel(f"≥ {marker.ref_low:g}" if marker.ref_low is not None else "")
            hint.setProperty("role", "muted")
            hint.setMinimumWidth(48)
            line.addWidget(hint, 0, 1)
            self.row(f"{marker.name} ({marker.unit})", key, box)
        hint = QLabel("Blank fields are skipped. The total count is worked out from volume and "
                      "concentration when left blank. The ≥ figures are the WHO lower reference "
                      "limits (WHO laboratory manual, 6th edition, 2021: the 5th centile of "
                      "fertile men), not targets.")
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        self.outer.addWidget(hint)
        self.add_buttons()

    def build(self) -> list[LabResult]:
        stamp = self.when.stamp("taken_at")
        results = []
        for key, edit in self.values.items():
            if edit.text().strip():
                marker = analytes.get_analyte(key)
                try:
                    results.append(require_number(make_result(
                        stamp, key, edit.text(), marker.unit, ref_text=_limit_text(marker),
                        lab=self.lab.text(), source="manual")))
                except ValidationError as exc:
                    if exc.field == "taken_at":
                        raise
                    raise ValidationError(key, str(exc)) from None  # under its own field
        total = worked_out_total(results)
        if total is not None:
            marker = analytes.get_analyte("sperm_total_count")
            try:
                worked_out = make_result(stamp, "sperm_total_count", f"{total:g}", marker.unit,
                                         ref_text=_limit_text(marker), lab=self.lab.text())
            except ValidationError as exc:
                raise ValidationError("sperm_total_count", f"volume x concentration: {exc}"
                                      ) from None
            results.append(replace(worked_out, note="worked out as volume x concentration"))
        if not results:
            raise ValidationError("semen_volume", "fill in at least one value")
        return results

    def accept(self) -> None:
        self.errors.clear()
        try:
            records = self.build()
        except ValidationError as exc:
            self.errors.show(exc, fallback="semen_volume")
            return
        warnings = {r.analyte: w for r in records if (w := judge_result(r).warning)}
        if not self.errors.confirm_warnings(warnings, fallback="semen_volume"):
            return
        self.records = records
        QDialog.accept(self)


def _limit_text(marker: analytes.Analyte) -> str:
    return f">={marker.ref_low:g}" if marker.ref_low is not None else ""



class AmsDialog(RecordDialog):
    """The Aging Males' Symptoms questionnaire: 17 questions, five answers each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QButtonGroup, QRadioButton, QScrollArea

        from hpgjournal.domain.ams import ANSWERS, ITEMS

        super().__init__("Aging Males' Symptoms (AMS) scale", parent, width=860)
        self.setMinimumHeight(640)
        self.when = DateTimeField(with_time=False)
        self.row("&Date", "taken_at", self.when)
        intro = QLabel("Which of these symptoms do you have at the moment, and how strongly? "
                       "Answer every question. The score is a description of symptoms, not a "
                       "diagnosis.")
        intro.setWordWrap(True)
        self.outer.addWidget(intro)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setHorizontalSpacing(14)
        for col, answer in enumerate(ANSWERS, start=1):
            header = QLabel(answer)
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(header, 0, col)
        self.groups: list[QButtonGroup] = []
        for row, item in enumerate(ITEMS, start=1):
            text = QLabel(f"{row}. {item}")
            text.setWordWrap(True)
            grid.addWidget(text, row, 0)
            group = QButtonGroup(self)
            for value in range(1, 6):
                button = QRadioButton()
                button.setAccessibleName(f"question {row}: {ANSWERS[value - 1]}")
                group.addButton(button, value)
                grid.addWidget(button, row, value, Qt.AlignmentFlag.AlignCenter)
            self.groups.append(group)
        grid.setColumnStretch(0, 1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its answers are the stops, not the area
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        self.outer.addWidget(scroll, 1)
        self.result_label = QLabel()
        self.result_label.setObjectName("ams-result")
        self.outer.addWidget(self.errors.holder("answers", self.result_label))
        for group in self.groups:
            group.idClicked.connect(self._update)
        self.add_buttons()

    def answers(self) -> list[int]:
        return [group.checkedId() for group in self.groups]

    def _update(self, *args: object) -> None:
        from hpgjournal.domain.ams import score

        answers = self.answers()
        done = sum(1 for a in answers if a > 0)
        if done < len(answers):
            self.result_label.setText(f"{done} of {len(answers)} questions answered")
        else:
            self.result_label.setText(f"Score {score(answers)}")

    def build(self) -> object:
        from hpgjournal.domain.ams import encode, score
        from hpgjournal.domain.records import Questionnaire

        answers = self.answers()
        missing = [n for n, a in enumerate(answers, start=1) if a < 1]
        if missing:
            raise ValidationError("answers", "answer every question; still open: "
                                             + ", ".join(str(n) for n in missing))
        result = score(answers)
        return Questionnaire(None, self.when.stamp("taken_at"), "ams", encode(answers),
                             result.total)


class ProfileDialog(RecordDialog):
    """Journal > Profile: who the records are about, as the report's header shows it."""

    def __init__(self, parent: QWidget | None = None, profile: dict[str, str] | None = None
                 ) -> None:
        from hpgjournal.domain.profile import GOALS

        super().__init__("Profile", parent)
        profile = profile or {}
        self.name = QLineEdit(profile.get("name", ""))
        self.name.setPlaceholderText("as the doctor knows you")
        self.row("&Name", "name", self.name)
        self.birth = QLineEdit(profile.get("birth_date", ""))
        self.birth.setPlaceholderText("YYYY-MM-DD")
        self.row("&Date of birth", "birth_date", self.birth)
        self.clinician = QLineEdit(profile.get("clinician", ""))
        self.clinician.setPlaceholderText("optional")
        self.row("&Clinician", "clinician", self.clinician)
        self.goal = QComboBox()
        for key, words in GOALS.items():
            self.goal.addItem(words[:1].upper() + words[1:], key)
        self.goal.setCurrentIndex(max(0, self.goal.findData(profile.get("goal", ""))))
        self.row("&Goal", "goal", self.goal)
        self.outer.addWidget(QLabel("The name and date of birth head every page of the doctor "
                                    "report. They stay in this journal on this computer."))
        self.add_buttons()

    def build(self) -> dict[str, str]:
        from hpgjournal.domain.profile import check_profile

        return check_profile({"name": self.name.text(), "birth_date": self.birth.text().strip(),
                              "clinician": self.clinician.text(),
                              "goal": self.goal.currentData()})
