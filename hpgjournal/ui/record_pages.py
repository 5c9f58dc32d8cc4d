"""The record pages: one table (or two) per kind of record, each able to load itself."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget

from hpgjournal.domain.display import method_label, range_text, series_name, value_in
from hpgjournal.domain.drugs import ROUTES
from hpgjournal.domain.phases import phase_label
from hpgjournal.domain.records import SCORE_NAMES, Dose, Measure, Medication, Note, Phase
from hpgjournal.store.journal import Journal
from hpgjournal.ui.models import Column
from hpgjournal.ui.pages import DashboardPage, TablePage


def _num(value: float | None, unit: str = "") -> str:
    return "" if value is None else f"{value:g}{' ' + unit if unit else ''}"


def _when(stamp: str | None) -> str:
    return (stamp or "").replace("T", " ")


def _or_minus(value: float | None) -> float:
    return -1.0 if value is None else value


def labs_page() -> TablePage:
    return TablePage("Lab results", "Every result in the journal, newest first.", [
        Column("Date", lambda r: _when(r.taken_at), lambda r: r.taken_at),
        Column("Marker", lambda r: series_name(r.analyte, "")),
        Column("Value", lambda r: value_in(r)[0], lambda r: _or_minus(r.value), align_right=True),
        Column("Unit", lambda r: value_in(r)[1]),
        Column("Range", range_text),
        Column("Flag", lambda r: r.flag),
        Column("As reported", lambda r: f"{r.reported_value} {r.reported_unit}".strip()),
        Column("Method", lambda r: method_label(r.method)),
        Column("Lab", lambda r: r.lab),
        Column("Note", lambda r: r.note, tooltip=lambda r: r.note),
    ], flag_of=lambda r: r.flag, loader=lambda j: j.lab_results())


class MedicationsPage(QSplitter):
    """Regimens on top, the dose log below."""

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.setChildrenCollapsible(False)
        self.medications = TablePage(
            "Medications & doses", "Regimens, newest first; every dose taken is in the log below.", [
                Column("Start", lambda m: m.start_date),
                Column("End", lambda m: m.end_date or "ongoing"),
                Column("Drug", lambda m: m.drug),
                Column("Dose", lambda m: _num(m.dose, m.unit), lambda m: _or_minus(m.dose),
                       align_right=True),
                Column("Schedule", lambda m: m.schedule),
                Column("Route", lambda m: ROUTES.get(m.route, m.route)),
                Column("Note", lambda m: m.note),
            ], loader=lambda j: j.all(Medication))
        self.doses = TablePage("Dose log", "", [
            Column("When", lambda d: _when(d.taken_at), lambda d: d.taken_at),
            Column("Drug", lambda d: d.drug),
            Column("Amount", lambda d: _num(d.amount, d.unit), lambda d: _or_minus(d.amount),
                   align_right=True),
            Column("Site", lambda d: d.site),
            Column("Note", lambda d: d.note),
        ], loader=lambda j: j.all(Dose))
        self.addWidget(self.medications)
        self.addWidget(self.doses)
        self.setSizes([260, 500])

    def load(self, journal: Journal) -> None:
        self.medications.load(journal)
        self.doses.load(journal)


def phases_page() -> TablePage:
    return TablePage("Therapy phases", "Phases may overlap.", [
        Column("Start", lambda p: p.start_date),
        Column("End", lambda p: p.end_date or "ongoing"),
        Column("Phase", lambda p: phase_label(p.kind)),
        Column("Note", lambda p: p.note, tooltip=lambda p: p.note),
    ], loader=lambda j: j.all(Phase))


def _score(name: str) -> Column:
    return Column(name.capitalize(), lambda n: _num(getattr(n, name)),
                  lambda n: _or_minus(getattr(n, name)), align_right=True)


def symptoms_page() -> TablePage:
    return TablePage("Symptoms & notes", "Check-ins scored 0 (worst) to 10 (best).", [
        Column("When", lambda n: _when(n.noted_at), lambda n: n.noted_at),
        *(_score(name) for name in SCORE_NAMES),
        Column("For doctor", lambda n: "yes" if n.for_doctor else ""),
        Column("Note", lambda n: n.text, tooltip=lambda n: n.text),
    ], loader=lambda j: j.all(Note))


def measures_page() -> TablePage:
    return TablePage("Body measures", "Testicular volume, weight, blood pressure.", [
        Column("Date", lambda m: m.measured_at),
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


# Page key -> factory. Pages are built the first time they are shown.
PAGE_FACTORIES: dict[str, Callable[[], QWidget]] = {
    "overview": DashboardPage,
    "labs": labs_page,
    "medications": MedicationsPage,
    "phases": phases_page,
    "symptoms": symptoms_page,
    "measures": measures_page,
}
