"""From doses to levels: a testosterone curve between draws, fitted to his own results (issue 18).

A one-compartment model with first-order release and elimination (the Bateman function) for
each injected dose, doses superposed; gels, pellets and oral undecanoate as steady inputs; his
own production as a separate term the caller gives (the app's assumption). Fitted to his total
T draws where there are three or more. Standard library only.

* ``preparations``: the preparations, their published figures, sources and strength.
* ``model``: the model and its evaluation at a time and on a grid.
* ``fit``: the fit to his draws, the band, the status of each draw.
* ``questions``: what the screens ask (level at a time, where a draw fell in its interval,
  the trough before the next dose, the washout, a sampled curve).
* ``words``: the labels and the sources in words.

It is a model from published averages, fitted to his numbers: not a measurement, not advice.
"""

from hpgjournal.domain.pk.fit import Draw, DrawFit, Fit, draws_from_results, fit_levels
from hpgjournal.domain.pk.model import (
    CUTOFF,
    SCALE,
    Model,
    ModelDose,
    OwnProduction,
    day_number,
    exogenous_at,
    level_at,
    model_doses,
    own_production,
    regimen_doses,
)
from hpgjournal.domain.pk.preparations import PREPARATIONS, Figure, Preparation, preparation_for
from hpgjournal.domain.pk.questions import (
    Curve,
    IntervalPosition,
    TroughBefore,
    Washout,
    curve,
    interval_position,
    trough_before_next,
    washout,
)
from hpgjournal.domain.pk.words import (
    MODEL_LABEL,
    SHORT_LABEL,
    UNFITTED_LABEL,
    UNFITTED_SHORT_LABEL,
    describe,
    figure_lines,
    label,
    short_label,
    sources_in_use,
)

__all__ = ["CUTOFF", "MODEL_LABEL", "PREPARATIONS", "SCALE", "SHORT_LABEL", "UNFITTED_LABEL",
           "UNFITTED_SHORT_LABEL", "Curve", "Draw",
           "DrawFit", "Figure", "Fit", "IntervalPosition", "Model", "ModelDose", "OwnProduction",
           "Preparation", "TroughBefore", "Washout", "curve", "day_number", "describe",
           "draws_from_results", "exogenous_at", "figure_lines", "fit_levels", "interval_position",
           "label", "level_at", "model_doses", "own_production", "preparation_for", "regimen_doses",
           "short_label", "sources_in_use", "trough_before_next", "washout"]
