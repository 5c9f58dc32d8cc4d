"""What the model is, in words a user reads, with the sources of the figures in use."""

from __future__ import annotations

from hpgjournal.domain.pk.fit import Fit
from hpgjournal.domain.pk.model import SCALE
from hpgjournal.domain.pk.preparations import PREPARATIONS

__all__ = ["MODEL_LABEL", "OWN_PRODUCTION_WORDS", "SHORT_LABEL", "UNFITTED_LABEL",
           "UNFITTED_SHORT_LABEL", "describe", "figure_lines", "label", "short_label",
           "sources_in_use"]

MODEL_LABEL = "A model from published averages, fitted to your numbers; not a measurement and not advice."
UNFITTED_LABEL = ("A model from published averages alone, not yet fitted to your numbers; not a "
                  "measurement and not advice.")
# where room is short (a chart's legend); the whole label is said beside it (the side panel, a
# file's footnote)
SHORT_LABEL = "Model: published averages, fitted to your numbers"
UNFITTED_SHORT_LABEL = "Model: published averages alone, not fitted to you"
OWN_PRODUCTION_WORDS = ("Your own production is the app's assumption (a level and how far it is "
                        "suppressed or recovered), not a published model.")


def label(fit: Fit) -> str:
    """The one-line label for a curve: fitted or published averages alone."""
    return MODEL_LABEL if fit.fitted else UNFITTED_LABEL


def short_label(fit: Fit) -> str:
    """The label in a few words, for a legend: fitted or published averages alone."""
    return SHORT_LABEL if fit.fitted else UNFITTED_SHORT_LABEL


def figure_lines(fit: Fit) -> list[str]:
    """One line a figure in use: what it is, its value and range, its source and how sure it
    is ('Testosterone cypionate, release half-life: 4.5 d (range 4.5 to 8 d); ...')."""
    lines = []
    for key in fit.model.preparation_keys():
        preparation = PREPARATIONS[key]
        for name, figure in preparation.figures():
            lines.append(f"{preparation.name}, {name}: {figure.words()}")
    if fit.model.doses:
        lines.append(f"Scale (average level for 1 mg of testosterone a day): {SCALE.words()}")
    return lines


def sources_in_use(fit: Fit) -> list[str]:
    """The short names of the sources of the figures in use, each once, in the order met
    ('Behre & Nieschlag', 'Nankin 1987', 'Aveed label', ...)."""
    found: list[str] = []
    figures = [f for key in fit.model.preparation_keys()
               for _, f in PREPARATIONS[key].figures()]
    for figure in [*figures, SCALE] if fit.model.doses else []:
        for name in figure.cites:
            if name not in found:
                found.append(name)
    return found


def describe(fit: Fit) -> str:
    """A short paragraph: what the curve is, how well it fits, and the preparations in use."""
    parts = [label(fit)]
    if fit.fitted:
        quality = []
        if fit.r_squared is not None:
            quality.append(f"R² {fit.r_squared:.2f}")
        if fit.median_abs_percent is not None:
            quality.append(f"typical distance from a draw {fit.median_abs_percent:.0f} %")
        used = sum(1 for d in fit.draws if d.status == "used")
        parts.append(f"Fitted to {used} of your draws" + (f" ({', '.join(quality)})" if quality
                                                           else "") + ".")
        if fit.half_life_fitted is not None:
            key, days = fit.half_life_fitted
            parts.append(f"{PREPARATIONS[key].name}: release half-life fitted at {days:.1f} d, "
                         "within its published range.")
    elif fit.note:
        parts.append(fit.note)
    names = [PREPARATIONS[k].name for k in fit.model.preparation_keys()]
    if names:
        parts.append("Preparations modelled: " + ", ".join(names) + ".")
    if fit.unmodelled:
        parts.append(f"{len(fit.unmodelled)} logged dose(s) have no model (another drug, or no "
                     "amount in mg) and are left out.")
    if fit.model.own is not None:
        parts.append(OWN_PRODUCTION_WORDS)
    sources = sources_in_use(fit)
    if sources:
        parts.append("Sources: " + "; ".join(sources) + ".")
    return " ".join(parts)
