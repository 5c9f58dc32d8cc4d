"""The record pages: one table (or two) per kind of record, each able to load itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QSplitter, QWidget

from hpgjournal.domain.ams import decode, score
from hpgjournal.domain.display import marker_name, method_label, range_text, value_in
from hpgjournal.domain.drugs import ROUTES
from hpgjournal.domain.kinds import Profile
from hpgjournal.domain.phases import phase_label
from hpgjournal.domain.records import (
    SCORE_NAMES,
    Batch,
    Dose,
    LabResult,
    Measure,
    Medication,
    Note,
    Phase,
    Questionnaire,
)
from hpgjournal.domain.timing import DoseClock
from hpgjournal.store.journal import Journal
from hpgjournal.ui.actions import RecordActions
from hpgjournal.ui.models import Column
from hpgjournal.ui.pages import DashboardPage, TablePage
from hpgjournal.ui.prefs import UnitPrefs

if TYPE_CHECKING:  # the model (domain.pk) loads with the lab page, not at the window's start
    from hpgjournal.services.levels import Levels


def _num(value: float | None, unit: str = "") -> str:
    return "" if value is None else f"{value:g}{' ' + unit if unit else ''}"


def _when(stamp: str | None) -> str:
    return (stamp or "").replace("T", " ")


def _or_minus(value: float | None) -> float:
    return -1.0 if value is None else value


class LabsPage(TablePage):
    """Every result, with filters by marker and dates, shown in the chosen units."""

    def __init__(self, actions: RecordActions, prefs: UnitPrefs) -> None:
        self.prefs = prefs
        self.clock: DoseClock | None = None
        self.levels: Levels | None = None  # the dose-to-level model, for total T's interval
        self.batches: dict[int, str] = {}
        super().__init__("Lab results", "Every result in the journal.", [
            Column("Date", lambda r: _when(r.taken_at), lambda r: r.taken_at, dated=True),
            Column("Marker", lambda r: marker_name(r.analyte)),
            Column("Value", lambda r: self._value(r)[0], lambda r: _or_minus(r.value),
                   align_right=True),
            Column("Unit", lambda r: self._value(r)[1]),
            Column("Range", lambda r: range_text(r, self._system(r))),
            Column("Flag", lambda r: r.flag),
            Column("As reported", lambda r: f"{r.reported_value} {r.reported_unit}".strip()),
            Column("Since dose", self._timing, lambda r: self._hours(r)),
            Column("Model: in the interval", self._interval, self._interval_sort,
                   tooltip=self._interval_tip),
            Column("Method", lambda r: method_label(r.method)),
            Column("Lab", lambda r: r.lab),
            Column("From", self._origin),
            Column("Note", lambda r: r.note, tooltip=lambda r: r.note),
        ], flag_of=lambda r: r.flag)
        self.add_button("&Add result…", actions.add_lab, "Add one result (Ctrl+R)")
        self.add_button("Add &blood test…", actions.add_panel,
                        "Type a whole report: one date, many markers")
        self.add_button("Add &semen analysis…", actions.add_semen)
        self.enable_editing(actions.edit_lab, actions.delete)
        self.marker_filter = QComboBox()
        # as wide as a usual marker's name; a longer one is elided in the box, whole in its list
        self.marker_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.marker_filter.setMinimumContentsLength(16)
        self.marker_filter.setToolTip("Show one marker")
        self.marker_filter.setAccessibleName("Marker shown")
        self.from_date, self.to_date = QLineEdit(), QLineEdit()
        for edit, text in ((self.from_date, "from YYYY-MM-DD"), (self.to_date, "to YYYY-MM-DD")):
            edit.setPlaceholderText(text)
            # the placeholder and a typed date readable, with room for the clear button
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance(text) + 40)
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self._apply_filters)
        self.from_date.setAccessibleName("Shown from date")
        self.to_date.setAccessibleName("Shown up to date")
        for widget in (self.marker_filter, self.from_date, self.to_date):
            self.add_filter(widget)
        self.marker_filter.currentIndexChanged.connect(self._apply_filters)
        prefs.changed.connect(self._units_changed)

    def _system(self, r: LabResult) -> str:
        return self.prefs.for_marker(r.analyte)

    def _value(self, r: LabResult) -> tuple[str, str]:
        return value_in(r, self._system(r))

    def _timing(self, r: LabResult) -> str:
        timing = self.clock.timing(r.taken_at) if self.clock else None
        return str(timing) if timing else ""

    def _hours(self, r: LabResult) -> float:
        timing = self.clock.timing(r.taken_at) if self.clock else None
        return timing.hours if timing else -1.0

    def _interval(self, r: LabResult) -> str:
        """Where a total T draw fell in its dosing interval by the model (issue 18), beside
        the clock's 'since dose', so that the two can be read against each other."""
        if r.analyte != "testosterone_total" or self.levels is None:
            return ""
        from hpgjournal.services.levels import draw_words

        return draw_words(self.levels, r.taken_at, self._system(r))

    def _interval_sort(self, r: LabResult) -> float:
        where = self.levels.position(r.taken_at) if self.levels and \
            r.analyte == "testosterone_total" else None
        return where.fraction if where else -1.0

    def _interval_tip(self, r: LabResult) -> str:
        if r.analyte != "testosterone_total" or self.levels is None:
            return ""
        from hpgjournal.services.levels import draw_details

        return draw_details(self.levels, r.taken_at, self._system(r))

    def _origin(self, r: LabResult) -> str:
        if r.batch_id is not None:
            return self.batches.get(r.batch_id, f"import #{r.batch_id}")
        return r.source

    def load(self, journal: Journal) -> None:
        self.clock = DoseClock(journal.all(Dose), journal.all(Medication))
        from hpgjournal.services.levels import level_model

        self.levels = level_model(journal)
        self.batches = {b.id: f"import #{b.id}: {b.source}" for b in journal.all(Batch)
                        if b.id is not None}  # a stored batch always has one
        self.set_records(journal.lab_results())
        current = self.marker_filter.currentData()
        self.marker_filter.blockSignals(True)
        self.marker_filter.clear()
        self.marker_filter.addItem("All markers", None)
        for key in sorted(journal.analytes_present(), key=marker_name):
            self.marker_filter.addItem(marker_name(key), key)
        self.marker_filter.setCurrentIndex(max(0, self.marker_filter.findData(current)))
        self.marker_filter.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self, *args: object) -> None:
        key = self.marker_filter.currentData()
        start, end = self.from_date.text().strip(), self.to_date.text().strip()

        def keep(r: LabResult) -> bool:
            return ((key is None or r.analyte == key) and (not start or r.taken_at >= start)
                    and (not end or r.taken_at[:10] <= end))

        self.proxy.set_predicate(keep if key or start or end else None)

    def _units_changed(self) -> None:
        self.model.layoutChanged.emit()


class MedicationsPage(QSplitter):
    """Regimens on top, the dose log below."""

    def __init__(self, actions: RecordActions, prefs: UnitPrefs) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.setChildrenCollapsible(False)
        self.medications = TablePage(
            "Medications & doses", "Regimens; every dose taken is in the log below.", [
                Column("Start", lambda m: m.start_date, dated=True),
                Column("End", lambda m: m.end_date or "ongoing", dated=True),
                Column("Drug", lambda m: m.drug),
                Column("Dose", lambda m: _num(m.dose, m.unit), lambda m: _or_minus(m.dose),
                       align_right=True),
                Column("Schedule", lambda m: m.schedule),
                Column("Route", lambda m: ROUTES.get(m.route, m.route)),
                Column("Note", lambda m: m.note),
            ], loader=lambda j: j.all(Medication))
        self.doses = TablePage("Dose log", "", [
            Column("When", lambda d: _when(d.taken_at), lambda d: d.taken_at, dated=True),
            Column("Drug", lambda d: d.drug),
            Column("Amount", lambda d: _num(d.amount, d.unit), lambda d: _or_minus(d.amount),
                   align_right=True),
            Column("Site", lambda d: d.site),
            Column("Note", lambda d: d.note),
        ], loader=lambda j: j.all(Dose))
        self.medications.add_button("&Add regimen…", actions.add_medication)
        self.medications.add_button("&Change dose from…", lambda: self._change(actions),
                                    "End the selected regimen and start a new period")
        self.medications.enable_editing(actions.edit_medication, actions.delete)
        self.doses.add_button("&Log a dose…", actions.log_dose, "Log a dose (Ctrl+D)")
        self.doses.enable_editing(actions.edit_dose, actions.delete)
        self.addWidget(self.medications)
        self.addWidget(self.doses)
        self.setSizes([340, 420])

    def _change(self, actions: RecordActions) -> None:
        selected = self.medications.selected_records()
        if selected:
            actions.change_medication(selected[0])

    def load(self, journal: Journal) -> None:
        self.medications.load(journal)
        self.doses.load(journal)


def phases_page(actions: RecordActions, prefs: UnitPrefs) -> QWidget:
    from hpgjournal.ui.timeline import PhasesPage

    return PhasesPage(actions)


def phases_table() -> TablePage:
    return TablePage("Therapy phases", "Phases may overlap.", [
        Column("Start", lambda p: p.start_date, dated=True),
        Column("End", lambda p: p.end_date or "ongoing", dated=True),
        Column("Phase", lambda p: phase_label(p.kind)),
        Column("Note", lambda p: p.note, tooltip=lambda p: p.note),
    ], loader=lambda j: j.all(Phase))


def _score(name: str) -> Column:
    return Column(name.capitalize(), lambda n: _num(getattr(n, name)),
                  lambda n: _or_minus(getattr(n, name)), align_right=True)


class SymptomsPage(QSplitter):
    """Daily check-ins on top, AMS questionnaires below."""

    def __init__(self, actions: RecordActions, prefs: UnitPrefs) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.setChildrenCollapsible(False)
        self.notes = TablePage("Symptoms & notes", "Check-ins scored 0 (worst) to 10 (best).", [
            Column("When", lambda n: _when(n.noted_at), lambda n: n.noted_at, dated=True),
            *(_score(name) for name in SCORE_NAMES),
            Column("For doctor", lambda n: "yes" if n.for_doctor else ""),
            Column("Note", lambda n: n.text, tooltip=lambda n: n.text),
        ], loader=lambda j: j.all(Note))
        self.notes.add_button("&Check in…", actions.check_in, "How do you feel today? (Ctrl+K)")
        self.notes.add_button("&AMS questionnaire…", actions.ams,
                              "The Aging Males' Symptoms scale, 17 questions")
        self.notes.enable_editing(actions.edit_note, actions.delete)
        self.ams = TablePage("AMS questionnaires", "", [
            Column("Date", lambda q: q.taken_at, dated=True),
            Column("Total", lambda q: str(q.total), lambda q: q.total, align_right=True),
            Column("Reading", lambda q: str(score(decode(q.answers)))),
        ], loader=lambda j: j.all(Questionnaire))
        self.ams.enable_editing(None, actions.delete)  # answers are a record: retake, don't edit
        self.addWidget(self.notes)
        self.addWidget(self.ams)
        self.setSizes([520, 200])
        self.proxy = self.notes.proxy

    def load(self, journal: Journal) -> None:
        self.notes.load(journal)
        self.ams.load(journal)


def measures_page(actions: RecordActions, prefs: UnitPrefs) -> TablePage:
    page = TablePage("Body measures", "Testicular volume, weight, blood pressure.", [
        Column("Date", lambda m: m.measured_at, dated=True),
        Column("Left testis", lambda m: _num(m.testis_left_ml, "mL"),
               lambda m: _or_minus(m.testis_left_ml), align_right=True),
        Column("Right testis", lambda m: _num(m.testis_right_ml, "mL"),
               lambda m: _or_minus(m.testis_right_ml), align_right=True),
        Column("Method", lambda m: m.testis_method),
        Column("Weight", lambda m: _num(m.weight_kg, "kg"), lambda m: _or_minus(m.weight_kg),
               align_right=True),
        Column("Blood pressure", lambda m: f"{m.systolic}/{m.diastolic}"
               if m.systolic and m.diastolic else ""),
        Column("Note", lambda m: m.note),
    ], loader=lambda j: j.all(Measure))
    page.add_button("&Add measures…", actions.add_measure)
    page.add_button("Add &semen analysis…", actions.add_semen,
                    "Semen analyses are kept with the lab results")
    page.enable_editing(actions.edit_measure, actions.delete)
    return page


# Page key -> factory. Pages are built the first time they are shown.
def _chart_page(actions: RecordActions, prefs: UnitPrefs) -> QWidget:
    from hpgjournal.ui.chart_view import ChartPage  # loads matplotlib: only when first shown

    return ChartPage(actions, prefs)


def _report_page(actions: RecordActions, prefs: UnitPrefs) -> QWidget:
    from hpgjournal.ui.report_page import ReportPage

    return ReportPage(actions, prefs)


def overview_page(actions: RecordActions, prefs: UnitPrefs) -> DashboardPage:
    return DashboardPage(prefs, actions)


# What each page reads from the journal: a change to other kinds leaves it as it is. None: it
# reads a bit of everything (the overview's cards, alerts and tests due; the report's period),
# so any change reloads it. The profile (domain.kinds.Profile) counts where a page shows the age.
PAGE_KINDS: dict[str, frozenset[type] | None] = {
    "overview": None,
    "labs": frozenset({LabResult, Dose, Medication, Phase}),  # since dose, and the model
    "medications": frozenset({Medication, Dose}),
    "phases": frozenset({Phase}),
    "symptoms": frozenset({Note, Questionnaire}),
    "measures": frozenset({Measure}),
    "charts": frozenset({LabResult, Dose, Medication, Phase, Measure, Profile}),
    "report": None,
}


def pages_showing(kinds: frozenset[type]) -> set[str]:
    """The pages a change to ``kinds`` makes out of date (all of them when it is not said)."""
    if not kinds:
        return set(PAGE_KINDS)
    return {key for key, shown in PAGE_KINDS.items() if shown is None or shown & kinds}


PAGE_FACTORIES: dict[str, Callable[[RecordActions, UnitPrefs], QWidget]] = {
    "overview": overview_page,
    "labs": LabsPage,
    "medications": MedicationsPage,
    "phases": phases_page,
    "symptoms": SymptomsPage,
    "report": lambda actions, prefs: _report_page(actions, prefs),
    "charts": lambda actions, prefs: _chart_page(actions, prefs),
    "measures": measures_page,
}
