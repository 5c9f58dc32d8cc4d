"""Add or correct lab results: one result, or a whole panel copied from a paper report."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hpgjournal.domain import analytes
from hpgjournal.domain.display import method_label, value_in
from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.plausible import Verdict, judge_result, judge_text
from hpgjournal.domain.records import LabResult
from hpgjournal.domain.results import make_result
from hpgjournal.domain.values import parse_value
from hpgjournal.ui.forms import DateTimeField, FieldErrors, form
from hpgjournal.ui.saving import SavesOnAccept

PANEL_MARKERS = ("testosterone_total", "testosterone_free", "estradiol", "lh", "fsh", "shbg",
                 "albumin", "hematocrit", "hemoglobin", "psa", "prolactin")


def _search_entries() -> tuple[list[str], dict[str, str]]:
    """Texts a user can type to pick a marker (names, short names, aliases) -> analyte key."""
    entries: dict[str, str] = {}
    for key, marker in analytes.CATALOGUE.items():
        entries[marker.name] = key
        for alias in (marker.short, *marker.aliases):
            if alias and alias.casefold() != marker.name.casefold():
                entries.setdefault(f"{alias} — {marker.name}", key)
    return list(entries), entries


class MarkerPicker(QComboBox):
    """An editable combo box over the catalogue: type any name or alias a lab prints."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(16)
        texts, self._lookup = _search_entries()
        for key, marker in analytes.CATALOGUE.items():
            self.addItem(marker.name, key)
        completer = QCompleter(QStringListModel(texts, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.activated.connect(self._completed)
        self.setCompleter(completer)
        edit = self.lineEdit()
        assert edit is not None, "an editable box has a line edit"
        edit.editingFinished.connect(self._typed)
        edit.setPlaceholderText("Type a name, e.g. Oestradiol, TT, Free T (Direct)")
        self.setCurrentIndex(-1)

    def _completed(self, text: str) -> None:
        key = self._lookup.get(text)
        if key:
            self.set_key(key)

    def _typed(self) -> None:
        """Leaving the field: a typed name or alias picks its marker (and so its units)."""
        found = self.resolve()
        if found and found[0] != self.currentData():
            self.set_key(found[0])

    def set_key(self, key: str) -> None:
        index = self.findData(key)
        if index >= 0:
            self.setCurrentIndex(index)
            self.setEditText(self.itemText(index))

    def resolve(self) -> tuple[str, str] | None:
        """(analyte key, method implied by the name) of what is typed, or None if unknown."""
        text = self.currentText().strip()
        if not text:
            return None
        if text in self._lookup:
            return self._lookup[text], ""
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return self.itemData(index), ""
        found = analytes.find_analyte(text)
        return (found[0].key, found[1]) if found else None


def refill_units(combo: QComboBox, key: str | None, wanted: str) -> bool:
    """Fill ``combo`` with the units of marker ``key`` (any unit for an own marker, None).

    The unit the user had (``wanted``) stays chosen when the new marker accepts it. Returns
    False when it does not: the combo is then left with no unit chosen, so that a number
    typed under the old unit is never kept under another one without the user choosing it.
    """
    combo.blockSignals(True)
    try:
        combo.clear()
        if key is None or analytes.is_custom(key):
            if combo.isEditable():
                combo.setEditText(wanted)
            return True
        units = list(analytes.units_for(key))
        combo.addItems(units)
        if not wanted.strip():
            return True
        norm = analytes.normalise_unit(wanted)
        for index, unit in enumerate(units):
            if analytes.normalise_unit(unit) == norm:
                combo.setCurrentIndex(index)
                return True
        combo.setCurrentIndex(-1)
        return False
    finally:
        combo.blockSignals(False)


class NotANumber(ValidationError):
    """A typed value that is no number where the marker needs one; ``meant`` is the number
    it most likely was ("" when there is no guess)."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(verdict.field, verdict.refused)
        self.meant = verdict.suggestion


def require_number(result: LabResult) -> LabResult:
    """Refuse a result kept as text when its marker needs a number (see judge_text)."""
    if result.value is None:
        verdict = judge_text(result.analyte, result.reported_value)
        if verdict.refused:
            raise NotANumber(verdict)
    return result


def offer_reading(errors: FieldErrors, name: str, field: QLineEdit, text: str,
                  caption: str) -> None:
    """Offer the likely reading ``text`` under the message of ``name``: a button fills it."""
    errors.offer(name, caption, lambda: field.setText(text))


def offer_canonical(errors: FieldErrors, name: str, field: QLineEdit, unit: QComboBox,
                    analyte: str, text: str) -> None:
    """Offer a likely reading given in the marker's canonical unit ("Store 51 %"): the button
    fills the value and chooses that unit, so the number never lands under another one."""
    canonical = analytes.get_analyte(analyte).unit

    def take() -> None:
        field.setText(text)
        unit.setCurrentIndex(max(0, unit.findText(canonical)))

    errors.offer(name, f"Store {text} {canonical}", take)


def unit_not_chosen(key: str, wanted: str) -> ValidationError:
    name = analytes.get_analyte(key).name
    accepted = ", ".join(analytes.units_for(key))
    return ValidationError("unit", f"choose the unit: {wanted} is not a unit of {name} (its "
                                   f"units: {accepted}); the value was typed in {wanted}, so "
                                   "check it too")


class LabResultDialog(SavesOnAccept, QDialog):
    """One result. ``result`` given = edit it; the dialog returns the new LabResult."""

    def __init__(self, parent: QWidget | None = None, result: LabResult | None = None,
                 labs: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.original = result
        self.lab_result: LabResult | None = None  # not result: that is QDialog.result()
        self.setWindowTitle("Correct a lab result" if result else "Add a lab result")
        self.setMinimumWidth(520)
        self.errors = FieldErrors()
        layout = QVBoxLayout(self)
        fields = form()
        self.when = DateTimeField()
        fields.addRow("&Date and time", self.errors.holder("taken_at", self.when))
        self.marker = MarkerPicker()
        self.custom = QCheckBox("Not in the list: keep it as my &own marker")
        keep_room = self.custom.sizePolicy()
        keep_room.setRetainSizeWhenHidden(True)  # the form does not jump when it shows
        self.custom.setSizePolicy(keep_room)
        marker_box = QWidget()
        marker_layout = QVBoxLayout(marker_box)
        marker_layout.setContentsMargins(0, 0, 0, 0)
        marker_layout.addWidget(self.marker)
        marker_layout.addWidget(self.custom)
        fields.addRow("&Marker", self.errors.holder("analyte", marker_box))
        self.method = QComboBox()
        fields.addRow("Me&thod", self.errors.holder("method", self.method))
        value_row = QWidget()
        value_layout = QHBoxLayout(value_row)
        value_layout.setContentsMargins(0, 0, 0, 0)
        self.value = QLineEdit()
        self.value.setPlaceholderText("e.g. 545, <0.2, TNP")
        self.unit = QComboBox()
        self.unit.setMinimumWidth(130)
        self.unit.setAccessibleName("Unit")
        value_layout.addWidget(self.value, 1)
        value_layout.addWidget(self.unit)
        fields.addRow("&Value", self.errors.holder("value", value_row))
        self.errors.labels["unit"] = self.errors.labels["value"]
        self.range = QLineEdit()
        self.range.setPlaceholderText("as printed, e.g. 264-916, <39, > OR = 40")
        fields.addRow("&Reference range", self.errors.holder("range", self.range))
        self.lab = QLineEdit()
        self.lab.setCompleter(QCompleter(sorted(set(labs)), self))
        fields.addRow("&Lab", self.lab)
        self.note = QLineEdit()
        fields.addRow("&Note", self.note)
        layout.addLayout(fields)
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview.setProperty("role", "muted")
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.preview)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.marker.currentIndexChanged.connect(self._marker_changed)
        self.marker.editTextChanged.connect(self._update_preview)
        self.marker.editTextChanged.connect(self._offer_custom)
        self.custom.toggled.connect(self._custom_toggled)
        for edit in (self.value, self.range):
            edit.textChanged.connect(self._update_preview)
        self.unit.currentTextChanged.connect(self._update_preview)
        self.unit.currentTextChanged.connect(self._unit_chosen)
        self._last_unit = ""  # the unit the user had: it travels with the value
        self._unit_missing = ""  # the unit the new marker does not accept, until one is chosen
        self._marker_changed()
        if result:
            self._load(result)
        self._offer_custom()
        # Tab follows the order the fields are read in (they are made in that order); the
        # cursor starts where a new result starts, at the marker.
        (self.value if result else self.marker).setFocus()

    # ----------------------------------------------------------------- filling the form
    def _load(self, r: LabResult) -> None:
        self.when.set_stamp(r.taken_at)
        if analytes.is_custom(r.analyte):
            self.custom.setChecked(True)
            self.marker.setEditText(r.analyte.split(":", 1)[1])
        else:
            self.marker.set_key(r.analyte)
        self._marker_changed()
        self.method.setCurrentIndex(max(0, self.method.findData(r.method)))
        self.value.setText(r.reported_value)
        self._load_unit(r.reported_unit or r.unit)
        self.range.setText(r.ref_text)
        self.lab.setText(r.lab)
        self.note.setText(r.note)

    def _load_unit(self, text: str) -> None:
        """Show the unit a result was stored in, however it was spelled (``nmol/l``). One the
        marker does not take is left unchosen with an error: saving needs a unit chosen."""
        if self.custom.isChecked() or not self.unit.count():
            self.unit.setCurrentText(text)
            return
        norm = analytes.normalise_unit(text)
        for index in range(self.unit.count()):
            if analytes.normalise_unit(self.unit.itemText(index)) == norm:
                self.unit.setCurrentIndex(index)
                return
        self.unit.setCurrentIndex(-1)
        self._unit_missing = text
        self.errors.show(unit_not_chosen(self.marker.currentData(), text))

    def _unit_chosen(self, text: str) -> None:
        if text.strip():
            self._last_unit = text
            if self._unit_missing:  # chosen: the error on the unit goes
                self._unit_missing = ""
                self.errors.labels["unit"].clear()
                self.errors.labels["unit"].hide()

    def _marker_changed(self, *args: object) -> None:
        key = self.marker.currentData() if not self.custom.isChecked() else None
        self.method.clear()
        self.method.addItem("not stated", "")
        if key:
            marker = analytes.get_analyte(key)
            for method in marker.methods:
                self.method.addItem(method_label(method), method)
        has_number = parse_value(self.value.text()).number is not None
        wanted = self._last_unit if has_number else ""
        kept = refill_units(self.unit, key, wanted)
        if not has_number and key:
            self.unit.setCurrentIndex(0)
        if kept and self._unit_missing:  # the unit fits again: its error goes
            self.errors.labels["unit"].clear()
            self.errors.labels["unit"].hide()
        self._unit_missing = "" if kept else wanted
        if self.unit.currentText().strip():
            self._last_unit = self.unit.currentText()
        self.method.setEnabled(self.method.count() > 1)
        self._update_preview()
        if self._unit_missing and key:
            self.errors.show(unit_not_chosen(key, self._unit_missing))

    def _offer_custom(self, *args: object) -> None:
        """The "own marker" box shows only when it means something: the typed name is no
        known marker, or the result is kept as an own marker already. So Tab goes from a
        known marker straight on to its value."""
        typed = self.marker.currentText().strip()
        self.custom.setVisible(self.custom.isChecked()
                               or (bool(typed) and self.marker.resolve() is None))

    def _custom_toggled(self, on: bool) -> None:
        self.unit.setEditable(on)
        self._marker_changed()

    # ----------------------------------------------------------------- building the result
    def _key(self) -> tuple[str, str]:
        if self.custom.isChecked():
            name = self.marker.currentText().strip()
            if not name:
                raise ValidationError("analyte", "type the marker's name")
            return f"custom:{name}", ""
        found = self.marker.resolve()
        if found is None:
            raise ValidationError("analyte", f"{self.marker.currentText().strip() or 'nothing'!s} "
                                             "is not a known marker: pick one from the list, or "
                                             "tick the box to keep it as your own marker")
        return found

    def build(self) -> LabResult:
        key, implied_method = self._key()
        if (self._unit_missing and not self.custom.isChecked()
                and not self.unit.currentText().strip()):
            raise unit_not_chosen(key, self._unit_missing)
        method = self.method.currentData() or implied_method
        result = make_result(
            self.when.stamp("taken_at"), key, self.value.text(), self.unit.currentText(),
            method=method, ref_text=self.range.text(), lab=self.lab.text(),
            note=self.note.text(),
            source=self.original.source if self.original else "manual",
            batch_id=self.original.batch_id if self.original else None,
        )
        require_number(result)
        if self.original is not None:
            from dataclasses import replace

            result = replace(result, id=self.original.id)
        return result

    def _update_preview(self, *args: object) -> None:
        try:
            result = self.build()
        except ValidationError:
            self.preview.setText("")
            return
        if result.value is None:
            self.preview.setText(f"Kept as text: {result.reported_value}")
            return
        us, us_unit = value_in(result, "us")
        si, si_unit = value_in(result, "si")
        both = f"{us} {us_unit}" + (f" ({si} {si_unit})" if si_unit != us_unit else "")
        flag = {"H": ", above the range", "L": ", below the range"}.get(result.flag[:1], "")
        warning = judge_result(result).warning
        self.preview.setText(f"Will be saved as {both}{flag}" + (f"\n{warning}" if warning else ""))

    def accept(self) -> None:
        """Save: an impossible value is an error on its field (nothing is saved); an
        implausible one is a warning under its field, and saving needs a second press."""
        self.errors.clear()
        try:
            result = self.build()
        except ValidationError as exc:
            self.errors.show(exc, fallback="value")
            if isinstance(exc, NotANumber) and exc.meant:
                offer_reading(self.errors, "value", self.value, exc.meant, f"Use {exc.meant}")
            return
        verdict = judge_result(result)
        if not self.errors.confirm_warnings({verdict.field: verdict.warning} if verdict.warning
                                            else {}, fallback="value"):
            if verdict.suggestion:
                offer_canonical(self.errors, "value", self.value, self.unit, result.analyte,
                                verdict.suggestion)
            return
        self.lab_result = result
        super().accept()


class PanelDialog(SavesOnAccept, QDialog):
    """A whole blood test at once: one date and lab, a row per marker; blank rows are skipped."""

    def __init__(self, parent: QWidget | None = None, labs: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.results: list[LabResult] = []
        self.setWindowTitle("Add a blood test (several markers)")
        self.setMinimumSize(720, 560)
        self.errors = FieldErrors()
        layout = QVBoxLayout(self)
        top = form()
        self.when = DateTimeField()
        top.addRow("&Date and time", self.errors.holder("taken_at", self.when))
        self.lab = QLineEdit()
        self.lab.setCompleter(QCompleter(sorted(set(labs)), self))
        top.addRow("&Lab", self.lab)
        layout.addLayout(top)
        hint = QLabel("Fill in the markers you have; leave the others blank. Units and ranges "
                      "as printed on the report.")
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        for col, title in enumerate(("Marker", "Value", "Unit", "Reference range", "")):
            header = QLabel(f"<b>{title}</b>")
            self.grid.addWidget(header, 0, col)
        self.rows: list[tuple[MarkerPicker, QLineEdit, QComboBox, QLineEdit, QLabel]] = []
        self._unit_missing: dict[int, str] = {}  # rows whose marker changed to one not taking
        # their unit, with that unit, until one is chosen
        for key in PANEL_MARKERS:
            self.add_row(key)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its fields are the stops, not the area
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        layout.addWidget(scroll, 1)
        more = QPushButton("Add another &marker")
        more.clicked.connect(lambda: self.add_row(None))
        layout.addWidget(more, 0, Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def add_row(self, key: str | None) -> None:
        row = len(self.rows) + 1
        picker = MarkerPicker()
        value = QLineEdit()
        value.setPlaceholderText("blank = not tested")
        unit = QComboBox()
        unit.setMinimumWidth(110)
        ref = QLineEdit()
        error = QLabel()
        error.setObjectName(f"error-row-{row}")
        error.setTextFormat(Qt.TextFormat.PlainText)
        error.setWordWrap(True)
        self.errors.labels[f"row-{row}"] = error  # errors and warnings of this marker's row
        message_box = QWidget()  # the message, and under it a likely reading to take
        message_layout = QVBoxLayout(message_box)
        message_layout.setContentsMargins(0, 0, 0, 0)
        message_layout.addWidget(error)

        def marker_changed(*args: object) -> None:
            # the unit the row had travels with its number (see refill_units)
            has_number = parse_value(value.text()).number is not None
            wanted = (unit.currentText() or self._unit_missing.get(row, "")) if has_number else ""
            key = picker.currentData()
            if refill_units(unit, key, wanted) or not key:
                if self._unit_missing.pop(row, None):  # the unit fits again: no error
                    error.clear()
                    error.hide()
            else:
                self._unit_missing[row] = wanted
                self.errors.show(ValidationError(f"row-{row}", str(unit_not_chosen(key, wanted))))

        def unit_chosen(text: str) -> None:
            if text and self._unit_missing.pop(row, ""):
                error.clear()
                error.hide()

        def name_row(*args: object) -> None:
            """A screen reader hears which marker a row's value, unit and range are of."""
            marker = picker.currentText().strip() or f"row {row}"
            picker.setAccessibleName(f"Marker, row {row}")
            value.setAccessibleName(f"{marker}: value")
            unit.setAccessibleName(f"{marker}: unit")
            ref.setAccessibleName(f"{marker}: reference range")

        picker.currentIndexChanged.connect(marker_changed)
        picker.editTextChanged.connect(name_row)
        unit.currentTextChanged.connect(unit_chosen)
        if key:
            picker.set_key(key)
            marker_changed()
        name_row()
        for col, widget in enumerate((picker, value, unit, ref, message_box)):
            self.grid.addWidget(widget, row, col)
        self.rows.append((picker, value, unit, ref, error))

    def accept(self) -> None:
        self.errors.clear()
        results, failed = [], False
        try:
            stamp = self.when.stamp("taken_at")
        except ValidationError as exc:
            self.errors.show(exc)
            return
        warnings: dict[str, str] = {}
        offers: dict[int, tuple[QLineEdit, QComboBox, str, str]] = {}
        for row, (picker, value, unit, ref, _error) in enumerate(self.rows, start=1):
            if not value.text().strip():
                continue
            found = picker.resolve()
            try:
                if found is None:
                    raise ValidationError("analyte", "unknown marker")
                if row in self._unit_missing and not unit.currentText():
                    raise unit_not_chosen(found[0], self._unit_missing[row])
                result = require_number(make_result(
                    stamp, found[0], value.text(), unit.currentText(), method=found[1],
                    ref_text=ref.text(), lab=self.lab.text()))
            except ValidationError as exc:
                if exc.field == "taken_at":  # the date is wrong for every row: say it once
                    self.errors.show(exc)
                    return
                self.errors.show(ValidationError(f"row-{row}", str(exc)))
                if isinstance(exc, NotANumber) and exc.meant:
                    offer_reading(self.errors, f"row-{row}", value, exc.meant,
                                  f"Use {exc.meant}")
                failed = True
                continue
            results.append(result)
            verdict = judge_result(result)
            if verdict.warning:
                warnings[f"row-{row}"] = verdict.warning
                if verdict.suggestion:
                    offers[row] = (value, unit, found[0], verdict.suggestion)
        if failed:
            return
        if not results:
            self.errors.show(ValidationError("taken_at", "type at least one value"))
            return
        if not self.errors.confirm_warnings(warnings):
            for row, (field, unit_box, analyte, text) in offers.items():
                offer_canonical(self.errors, f"row-{row}", field, unit_box, analyte, text)
            return
        self.results = results
        super().accept()
