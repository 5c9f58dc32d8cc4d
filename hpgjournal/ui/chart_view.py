"""The Charts page: a marker or panel over time with phases, doses, ranges and the responses the
source documents expect, the verdicts beside it, and a phase's explanation on click."""

from __future__ import annotations

import html
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg, NavigationToolbar2QT
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from hpgjournal.domain.display import marker_name
from hpgjournal.domain.phases import phase_label
from hpgjournal.domain.provenance import cite_words, response_details, strength_words
from hpgjournal.store.journal import Journal
from hpgjournal.ui.style import colour

PANEL = "panel"
SPERM = "sperm_recovery"
PRESETS = (("All", None), ("Last 6 months", 183), ("Last 12 months", 365),
           ("This phase", "phase"))
VERDICT_COLOURS = {"as_expected": "ok", "in_expected_direction": "ok",
                   "more_than_expected": "caution", "less_than_expected": "caution",
                   "opposite": "high"}  # theme colours (ui.style.colour)


FILE_DPI = 100  # the charts' sizes are in inches at 100 dpi (charts.marker.chart_size)
SMALL_CANVAS_HEIGHT = 440  # logical pixels: below this a single chart scrolls, not squashes
CHART_MIN_WIDTH = 420  # pixels: the narrowest the splitter makes the chart (its legend fits)


MODEL_TIP = ("Draw the level your logged doses predict between the draws on total testosterone, "
             "with its band: a model from published averages, fitted to your numbers; not a "
             "measurement and not advice")
MODEL_OFF_TIP = "The model predicts total testosterone only: choose it, or the panel, to draw it"


def esc(text: object) -> str:
    return html.escape(str(text))


class ChartPage(QWidget):
    def __init__(self, actions: object, prefs: Any) -> None:
        super().__init__()
        from hpgjournal.charts import default_knowledge

        self.prefs = prefs
        self.journal: Journal | None = None
        self.knowledge = default_knowledge()
        self.result: Any = None
        self.data_cache: dict[tuple[str, ...], Any] = {}
        self.levels: Any = None  # the dose-to-level model fitted to the journal, once per load
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        self.marker = QComboBox()
        # a long panel name is elided in the box (the whole name is its tooltip)
        self.marker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.marker.setMinimumContentsLength(22)
        self.marker.setToolTip("Marker or panel to show")
        self.marker.setAccessibleName("Marker or panel to show")
        self.period = QComboBox()
        for text, value in PRESETS:
            self.period.addItem(text, value)
        self.period.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.period.setAccessibleName("Period shown")
        self.toggles: dict[str, QCheckBox] = {}
        for key, text in (("ranges", "&Ranges"), ("phases", "&Phases"),
                          ("expected", "E&xpected"), ("doses", "D&oses")):
            box = QCheckBox(text)
            box.setChecked(True)
            box.toggled.connect(self.redraw)
            self.toggles[key] = box
        # the model is off until asked for: the chart shows his measurements first, and a
        # curve computed from published averages is an interpretation he turns on (as the
        # command line's --model); it applies to total testosterone only
        model = QCheckBox("&Model")
        model.setChecked(False)
        model.setToolTip(MODEL_TIP)
        model.setAccessibleName("Model: the testosterone level the doses predict")
        model.toggled.connect(self.redraw)
        self.toggles["model"] = model
        self.png = QPushButton("Export P&NG…")
        self.svg = QPushButton("Export &SVG…")
        self.png.clicked.connect(lambda: self.export("png"))
        self.svg.clicked.connect(lambda: self.export("svg"))
        # the controls: one row when the page is wide enough, else the toggles and the
        # export buttons on a second row
        self.bar_top = QHBoxLayout()
        self.bar_bottom = QHBoxLayout()
        self.two_rows: bool | None = None
        layout.addLayout(self.bar_top)
        layout.addLayout(self.bar_bottom)
        self._arrange_controls(False)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.figure = Figure(figsize=(9, 6))
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.toolbar = NavigationToolbar2QT(self.canvas, left)
        left_layout.addWidget(self.toolbar)
        # a panel keeps its natural height (the command line's file) and scrolls; a single
        # marker fills what is visible
        self.chart_scroll = QScrollArea()
        self.chart_scroll.setWidgetResizable(True)
        self.chart_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.chart_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chart_scroll.setWidget(self.canvas)
        self.chart_scroll.setAccessibleName("Chart")  # a Tab stop: the arrow keys scroll a panel
        self.canvas.setAccessibleName("Chart")
        left_layout.addWidget(self.chart_scroll, 1)
        self.hover = QLabel(" ")
        self.hover.setProperty("role", "muted")
        self.hover.setTextFormat(Qt.TextFormat.PlainText)
        left_layout.addWidget(self.hover)
        # the chart keeps a readable width: the splitter neither squeezes it below this nor
        # folds it away (its date ticks thin out to fit what is left)
        left.setMinimumWidth(CHART_MIN_WIDTH)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        self.side = QTextBrowser()
        self.side.setOpenExternalLinks(False)
        self.side.setOpenLinks(False)  # its links are the app's own: see _link
        self.side.anchorClicked.connect(self._link)
        self.side.setMinimumWidth(230)
        self.side.setAccessibleName("What the chart shows and what was expected")
        split.addWidget(self.side)
        split.setSizes([900, 340])
        layout.addWidget(split, 1)
        self.marker.currentIndexChanged.connect(self.redraw)
        self.marker.currentIndexChanged.connect(self._marker_tip)
        # a resized canvas is drawn again (after a pause), so the legend's columns fit its width
        self.drawn_width = 0
        self.refit = QTimer(self)
        self.refit.setSingleShot(True)
        self.refit.setInterval(150)
        self.refit.timeout.connect(self._refit)
        self.canvas.installEventFilter(self)
        self.period.currentIndexChanged.connect(self.redraw)
        self.canvas.mpl_connect("motion_notify_event", self._hovered)
        self.canvas.mpl_connect("button_press_event", self._clicked)
        prefs.changed.connect(self.redraw)

    # ----------------------------------------------------------------- layout
    def _controls(self) -> list[QWidget]:
        return [self.marker, self.period, *self.toggles.values(), self.png, self.svg]

    def _one_row_width(self) -> int:
        spacing = max(0, self.bar_top.spacing())
        widgets = self._controls()
        layout = self.layout()
        assert layout is not None, "__init__ gives the page its layout"
        margins = layout.contentsMargins()
        return (sum(w.minimumSizeHint().width() if w is self.marker else w.sizeHint().width()
                    for w in widgets) + spacing * (len(widgets) + 1)
                + margins.left() + margins.right() + 40)

    def _arrange_controls(self, two_rows: bool) -> None:
        if two_rows == self.two_rows:
            return
        self.two_rows = two_rows
        for bar in (self.bar_top, self.bar_bottom):
            while bar.count():
                bar.takeAt(0)
        self.bar_top.addWidget(self.marker, 1 if two_rows else 0)
        self.bar_top.addWidget(self.period)
        rest = self.bar_bottom if two_rows else self.bar_top
        for box in self.toggles.values():
            rest.addWidget(box)
        if not two_rows:
            self.bar_top.addStretch(1)
        else:
            rest.addStretch(1)
        rest.addWidget(self.png)
        rest.addWidget(self.svg)

    def resizeEvent(self, event: Any) -> None:
        self._arrange_controls(event.size().width() < self._one_row_width())
        super().resizeEvent(event)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent

        if (watched is self.canvas and event.type() == QEvent.Type.Resize
                and abs(event.size().width() - self.drawn_width) > 8):
            self.refit.start()
        return super().eventFilter(watched, event)

    def _refit(self) -> None:
        if abs(self.canvas.width() - self.drawn_width) > 8:
            self.redraw()

    def _marker_tip(self, *args: object) -> None:
        self.marker.setToolTip(f"Marker or panel to show: {self.marker.currentText()}")
        self.canvas.setAccessibleName(f"Chart of {self.marker.currentText()}")
        self.chart_scroll.setAccessibleName(f"Chart of {self.marker.currentText()}")

    # ----------------------------------------------------------------- data
    def load(self, journal: Journal) -> None:
        self.journal = journal
        self.data_cache.clear()
        self.levels = None
        present = set(journal.analytes_present())
        current = self.marker.currentData()
        self.marker.blockSignals(True)
        self.marker.clear()
        self.marker.addItem("Panel: T, free T, E2, LH, FSH, SHBG, Hct", PANEL)
        if {"lh", "fsh"} <= present:
            self.marker.addItem("LH and FSH", "lh,fsh")
        from hpgjournal.domain import analytes

        for key in analytes.CATALOGUE:
            if key in present:
                self.marker.addItem(marker_name(key), key)
        if {"testosterone_total", "estradiol"} <= present:
            self.marker.addItem("T/E2 ratio", "t_e2_ratio")
        if {"testosterone_total", "shbg"} <= present:
            self.marker.addItem("Free testosterone, calculated (Vermeulen)", "free_t_calculated")
        if "sperm_concentration" in present:
            self.marker.addItem("Sperm concentration against the published recovery", SPERM)
        index = self.marker.findData(current) if current else self.marker.findData(
            "testosterone_total")
        self.marker.setCurrentIndex(max(0, index))
        self.marker.blockSignals(False)
        self._marker_tip()
        self.redraw()

    def markers(self) -> tuple[str, ...]:
        from hpgjournal.charts import PANEL_MARKERS

        choice = self.marker.currentData() or PANEL
        if choice == PANEL:
            return tuple(PANEL_MARKERS)
        return tuple(choice.split(","))

    def select(self, key: str) -> None:
        self.marker.setCurrentIndex(max(0, self.marker.findData(key)))

    def _period(self) -> tuple[str | None, str | None]:
        value = self.period.currentData()
        today = date.today()
        if value is None:
            return None, None
        if value == "phase" and self.journal is not None:
            running = self.journal.phases_at(today.isoformat())
            if running:
                return max(p.start_date for p in running), None
            return (today - timedelta(days=365)).isoformat(), None
        return (today - timedelta(days=int(value))).isoformat(), None

    # ----------------------------------------------------------------- drawing
    def redraw(self, *args: object) -> None:
        if self.journal is None:
            return
        from hpgjournal.charts import build_marker_chart, build_sperm_recovery_chart

        units = self.prefs.system if self.prefs else "us"
        start, end = self._period()
        try:
            if self.marker.currentData() == SPERM:
                from hpgjournal.services.chartdata import sperm_chart_data

                self.result = build_sperm_recovery_chart(
                    sperm_chart_data(self.journal), units=units, knowledge=self.knowledge,
                    figure=self.figure)
            else:
                keys = self.markers()
                self.result = build_marker_chart(
                    self._chart_data(keys), list(keys), start=start, end=end, units=units,
                    show_ranges=self.toggles["ranges"].isChecked(),
                    show_phases=self.toggles["phases"].isChecked(),
                    show_expected=self.toggles["expected"].isChecked(),
                    show_doses=self.toggles["doses"].isChecked(),
                    knowledge=self.knowledge, figure=self.figure, model=self._model_fit(keys))
        except ValueError as exc:
            self.figure.clear()
            self.figure.text(0.5, 0.5, str(exc), ha="center", va="center", wrap=True)
            self.result = None
        self._model_toggle()
        self._fit_canvas()
        self.drawn_width = self.canvas.width()
        self.canvas.draw_idle()
        self._show_verdicts()

    def _model_levels(self) -> Any:
        """The dose-to-level model fitted to the journal, computed once per load."""
        if self.levels is None and self.journal is not None:
            from hpgjournal.services.levels import level_model

            self.levels = level_model(self.journal)
        return self.levels

    def _model_fit(self, keys: tuple[str, ...]) -> Any:
        """The fit to draw, when the toggle is on and the chart shows total testosterone."""
        if not self.toggles["model"].isChecked() or "testosterone_total" not in keys:
            return None
        return self._model_levels().fit

    def _model_toggle(self) -> None:
        """The model toggle is offered where it draws something: on total testosterone."""
        box = self.toggles["model"]
        usable = (self.marker.currentData() != SPERM
                  and "testosterone_total" in self.markers())
        box.setEnabled(usable)
        box.setToolTip(MODEL_TIP if usable else MODEL_OFF_TIP)

    def _chart_data(self, keys: tuple[str, ...]) -> Any:
        """What a chart of ``keys`` draws, read once through the services and kept."""
        if keys not in self.data_cache:
            from hpgjournal.services.chartdata import load_chart_data

            assert self.journal is not None, "only a page with a journal draws"
            # what every marker shares (phases, doses) from a chart read since the last load
            shared = next(iter(self.data_cache.values()), None)
            self.data_cache[keys] = load_chart_data(self.journal, list(keys), shared=shared)
        return self.data_cache[keys]

    def _fit_canvas(self) -> None:
        """A panel's canvas is as tall as its file (``chart_size``); the scroll area shows it."""
        from hpgjournal.charts.marker import chart_size

        n = len(self.result.marker_axes) if self.result is not None else 1
        if self.marker.currentData() == SPERM or n <= 2:
            self.canvas.setMinimumHeight(SMALL_CANVAS_HEIGHT)
            return
        self.canvas.setMinimumHeight(int(chart_size(n)[1] * FILE_DPI))

    def _show_verdicts(self) -> None:
        parts = []
        if self.result is not None and self.result.model is not None:
            parts.append(self._model_summary())  # first: it was just asked for
        parts.append("<h3>Observed against expected</h3>")
        assessments = list(self.result.assessments) if self.result else []
        if not assessments:
            parts.append("<p>No phase of this chart has enough results, or an expectation, to "
                         "compare with.</p>")
        for item in assessments:
            shade = colour(VERDICT_COLOURS.get(item.verdict, "muted"))
            parts.append(f"<p><b style='color:{shade}'>{esc(phase_label(item.phase_kind))}: "
                         f"{esc(item.words)}</b><br>{esc(item.text)}<br>"
                         f"<span style='color:{colour('muted')}'>How strong: "
                         f"{esc(strength_words(item.tag))}.</span></p>")
        if self.result and self.result.notes:
            parts.append("<h4>Not drawn</h4><ul>" + "".join(
                f"<li>{esc(n)}</li>" for n in self.result.notes) + "</ul>")
        spans = self._distinct_spans()
        if spans:
            parts.append("<h4>What the sources say about each phase</h4><ul>")
            for index, span in spans:
                parts.append(f"<li><a href='phase:{index}'>{esc(phase_label(span.kind))}</a> "
                             f"<span style='color:{colour('muted')}'>{esc(span.start)} to "
                             f"{esc(span.end or 'now')}</span></li>")
            parts.append("</ul>")
        parts.append(f"<p style='color:{colour('muted')}'>A phase's link, or the phase in the "
                     "bottom lane of the chart, shows what the source documents say about it. "
                     "These are published expectations, not advice: decisions belong to you "
                     "and your clinician.</p>")
        self.side.setHtml("".join(parts))

    def _distinct_spans(self) -> list[tuple[int, Any]]:
        """The chart's phases once each (a panel draws a lane per marker), by start."""
        if self.result is None:
            return []
        seen: set[tuple[object, ...]] = set()
        found = []
        for index, span in enumerate(self.result.phase_spans):
            key = (span.phase_id, span.kind, span.start)
            if key not in seen:
                seen.add(key)
                found.append((index, span))
        return sorted(found, key=lambda item: item[1].start)

    def _model_summary(self) -> str:
        """The model in the verdict pane: what it is, how well it fits, a link to the rest."""
        from hpgjournal.domain import pk

        fit = self.result.model.fit
        quality = ""
        if fit.fitted and fit.r_squared is not None:
            quality = (f" Fitted to your draws: R² {fit.r_squared:.2f}, typical distance from a "
                       f"draw {fit.median_abs_percent or 0:.0f} %.")
        elif fit.note:
            quality = " " + fit.note
        return (f"<h3>The model curve</h3><p>{esc(pk.label(fit))}{esc(quality)} "
                f"<a href='model:'>How it is made, its figures and their sources</a></p>")

    def show_model(self) -> None:
        """The model explained: what it is, every figure in use with its source, each draw."""
        from hpgjournal.domain import pk

        levels = self._model_levels()
        if levels is None:
            return
        fit = levels.fit
        muted = colour("muted")
        ranges = "the rates" if fit.fitted else \
            "the rates, the scale and the fraction absorbed (nothing is fitted yet)"
        parts = ["<h3>The model curve</h3>", f"<p>{esc(pk.describe(fit))}</p>",
                 f"<p>{esc(levels.own_words)}</p>",
                 "<p>The curve: each dose released into the blood and cleared at first-order "
                 "rates (a one-compartment model, the Bateman function), the doses added up. "
                 f"The band: the same curve at the ends of the published ranges of {ranges}; "
                 "the spread of the published figures, not a confidence interval. It "
                 "suggests no dose.</p>"]
        lines = pk.figure_lines(fit)
        if lines:
            parts.append("<h4>The figures in use, each with its source</h4><ul>" + "".join(
                f"<li>{esc(line)}</li>" for line in lines) + "</ul>")
        if fit.draws:
            parts.append("<h4>Your total testosterone draws against it</h4><ul>" + "".join(
                f"<li>{esc(d.draw.taken_at.replace('T', ' '))}: {esc(d.words())}</li>"
                for d in fit.draws) + "</ul>")
        sources = pk.sources_in_use(fit)
        if sources:
            parts.append(f"<p style='color:{muted}'>Sources: {esc('; '.join(sources))}.</p>")
        parts.append("<p><a href='#verdicts'>Back to the verdicts</a></p>")
        self.side.setHtml("".join(parts))

    # ----------------------------------------------------------------- events
    def _hovered(self, event: Any) -> None:
        if self.result is None:
            return
        point = self.result.point_near(event.inaxes, event.x, event.y)
        if point is None:  # between the draws: the model's level there, when it is drawn
            self.hover.setText(self.result.model_text_at(event.inaxes, event.xdata) or " ")
            return
        text = self.result.hover_text(point)
        self.hover.setText(text.replace("\n", " · "))
        if event.guiEvent is not None:
            QToolTip.showText(event.guiEvent.globalPosition().toPoint(), text, self.canvas)

    def _clicked(self, event: Any) -> None:
        if self.result is None:
            return
        span = self.result.phase_at(event.inaxes, event.xdata, event.ydata)
        if span is not None:
            self.show_phase(span.kind, span.start, span.end, span.note)

    def show_phase(self, kind: str, start: Any = None, end: Any = None, note: str = "") -> None:
        info = self.knowledge.phase(kind)
        parts = [f"<h3>{esc(phase_label(kind))}</h3>"]
        if start is not None:
            parts.append(f"<p style='color:{colour('muted')}'>{esc(start)} to {esc(end or 'now')}"
                         f"{' · ' + esc(note) if note else ''}</p>")
        if info is None:
            parts.append("<p>The knowledge base has nothing about this phase.</p>")
        else:
            parts.append(f"<p>{esc(info.summary)}</p>")
            for title, statements in (("How it works", info.mechanism),
                                      ("In practice", info.practice),
                                      ("Cautions", info.cautions)):
                if statements:
                    parts.append(f"<h4>{title}</h4><ul>")
                    for s in statements:
                        parts.append(f"<li>{esc(s.text)} <span style='color:{colour('muted')}'>"
                                     f"({esc(cite_words(s.origin, s.sources, self.knowledge))})"
                                     "</span></li>")
                    parts.append("</ul>")
            if info.responses:
                parts.append("<h4>What each marker is expected to do</h4><ul>")
                for response in info.responses:
                    parts.append(f"<li>{esc(response_details(response, self.knowledge))}</li>")
                parts.append("</ul>")
            cited = [self.knowledge.sources[i] for i in info.source_ids
                     if i in self.knowledge.sources]
            if cited:
                parts.append("<h4>Sources</h4><ol>" + "".join(
                    f"<li>{esc(s.citation)}</li>" for s in cited) + "</ol>")
        parts.append("<p><a href='#verdicts'>Back to the verdicts</a></p>")
        self.side.setHtml("".join(parts))

    def _link(self, url: Any) -> None:
        """A link in the side panel: a phase of the chart (keyboard users reach the phase
        explanations this way: Tab to the panel, Tab to the link, Enter) or the way back."""
        target = url.toString()
        if target == "model:":
            self.show_model()
            return
        if target.startswith("phase:") and self.result is not None:
            index = int(target.split(":", 1)[1])
            if 0 <= index < len(self.result.phase_spans):
                span = self.result.phase_spans[index]
                self.show_phase(span.kind, span.start, span.end, span.note)
                return
        self._show_verdicts()

    # ----------------------------------------------------------------- export
    def file_figure(self) -> Figure:
        """The chart on show drawn as the command line writes it: its whole natural size (not
        the part of it the window shows) and the footnote that stands in for the side panel."""
        from hpgjournal.charts import build_marker_chart, build_sperm_recovery_chart
        from hpgjournal.charts.marker import chart_size

        units = self.prefs.system if self.prefs else "us"
        if self.marker.currentData() == SPERM:
            from hpgjournal.services.chartdata import sperm_chart_data

            assert self.journal is not None, "a chart on show was drawn from a journal"
            return build_sperm_recovery_chart(sperm_chart_data(self.journal), units=units,
                                              knowledge=self.knowledge).figure
        keys = self.markers()
        start, end = self._period()
        return build_marker_chart(
            self._chart_data(keys), list(keys), start=start, end=end, units=units,
            show_ranges=self.toggles["ranges"].isChecked(),
            show_phases=self.toggles["phases"].isChecked(),
            show_expected=self.toggles["expected"].isChecked(),
            show_doses=self.toggles["doses"].isChecked(), knowledge=self.knowledge,
            size=chart_size(len(keys)), footnote=True, model=self._model_fit(keys)).figure

    def export(self, kind: str, path: Path | None = None) -> Path | None:
        if self.result is None:
            return None
        if path is None:
            name = (self.marker.currentData() or PANEL).replace(",", "-")
            chosen, _ = QFileDialog.getSaveFileName(
                self, f"Export the chart as {kind.upper()}", str(Path.home() / f"{name}.{kind}"),
                f"{kind.upper()} files (*.{kind})")
            if not chosen:
                return None
            path = Path(chosen if chosen.lower().endswith(f".{kind}") else f"{chosen}.{kind}")
        try:
            from hpgjournal.services.files import save_figure

            save_figure(self.file_figure(), path, kind)
        except OSError as exc:
            from hpgjournal.store.faults import cannot_write

            QMessageBox.warning(self, "Export", str(cannot_write(path, exc)))
            return None
        window = self.window()
        if isinstance(window, QMainWindow):  # the feedback: where the chart went
            window.statusBar().showMessage(f"Chart exported to {path}", 10000)
        return path
