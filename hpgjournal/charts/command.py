"""``hpgjournal chart``: write the chart the GUI shows to a PNG or SVG file.

    hpgjournal chart MARKER [MARKER...] [--journal PATH] [--from DATE] [--to DATE]
                     [--units us|si] [--model] -o OUT.png|OUT.svg

MARKER is a key of the analyte catalogue (``testosterone_total``, ``lh``...), a derived series
(``t_e2_ratio``, ``free_t_calculated``), ``panel`` for the standard panel (T, free T, E2, LH,
FSH, SHBG, Hct), or ``sperm_recovery`` for sperm concentration against the published recovery
curve. ``--model`` draws the dose-to-level model (issue 18) on total testosterone, as the
window's Model toggle does. This module imports nothing heavy until the command runs, so the
parser stays cheap.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hpgjournal.domain.errors import UserError

__all__ = ["SPECIAL_KEYS", "add_chart_options", "cmd_chart", "resolve_markers"]

SPECIAL_KEYS = ("panel", "sperm_recovery")
SUFFIXES = (".png", ".svg")


def add_chart_options(p: argparse.ArgumentParser) -> None:
    """Give the ``chart`` command's parser its description and options."""
    p.description = ("Write the chart the window shows (phases, reference ranges, doses and the "
                     "expected response of each phase) to a PNG or SVG file.")
    p.add_argument("markers", nargs="+", metavar="MARKER",
                   help="marker keys such as testosterone_total, lh, estradiol; also t_e2_ratio, "
                        "free_t_calculated, panel, sperm_recovery")
    p.add_argument("--from", dest="start", metavar="DATE", help="first day shown (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", metavar="DATE", help="last day shown (YYYY-MM-DD)")
    p.add_argument("--units", choices=("us", "si"), default="us",
                   help="us (ng/dL, pg/mL; default) or si (nmol/L, pmol/L)")
    p.add_argument("--model", action="store_true",
                   help="on total testosterone, draw the level the logged doses predict and its "
                        "band (a model from published averages fitted to your numbers; not a "
                        "measurement and not advice)")
    p.add_argument("-o", "--output", metavar="OUT", type=Path, required=True,
                   help="the file to write: .png or .svg")


def resolve_markers(names: list[str]) -> list[str]:
    """The chart keys for the names given; raises UserError naming the valid keys."""
    from hpgjournal.charts.data import PANEL_MARKERS, chart_keys

    valid = chart_keys()
    keys: list[str] = []
    for name in names:
        key = name.strip().lower()
        if key == "panel":
            keys.extend(PANEL_MARKERS)
        elif key in valid or key == "sperm_recovery":
            keys.append(key)
        else:
            raise UserError(f"unknown marker {name!r}: choose from {', '.join((*valid, *SPECIAL_KEYS))}")
    keys = list(dict.fromkeys(keys))
    if "sperm_recovery" in keys and len(keys) > 1:
        raise UserError("sperm_recovery is a chart of its own: give it without other markers")
    return keys


def _date(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    from hpgjournal.domain.timestamps import normalise_date

    try:
        return normalise_date(text, option)
    except UserError as exc:
        raise UserError(f"{option}: {exc}") from None


def cmd_chart(args: argparse.Namespace) -> int:
    out: Path = args.output
    if out.suffix.lower() not in SUFFIXES:
        raise UserError(f"cannot write {out.name!r}: the output must end in .png or .svg")
    keys = resolve_markers(args.markers)
    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    if start and end and end < start:
        raise UserError(f"--to {end} comes before --from {start}: swap them")
    model_wanted = getattr(args, "model", False)
    if model_wanted and "testosterone_total" not in keys:
        raise UserError("--model draws on total testosterone: chart testosterone_total (or the "
                        "panel) with it")
    if not out.parent.exists():
        raise UserError(f"cannot write {out}: the folder {out.parent} does not exist")

    from hpgjournal.paths import default_journal
    from hpgjournal.services.chartdata import load_chart_data, open_journal, sperm_chart_data

    path = getattr(args, "journal", None) or default_journal()
    fit = None
    with open_journal(path, readonly=True, passphrase=getattr(args, "passphrase", None)) \
            as journal:
        data = sperm_chart_data(journal) if keys == ["sperm_recovery"] \
            else load_chart_data(journal, keys)
        encrypted = journal.encrypted
        if model_wanted:
            from hpgjournal.services.levels import level_model

            fit = level_model(journal).fit
    if keys == ["sperm_recovery"]:
        from hpgjournal.charts.sperm import build_sperm_recovery_chart

        result = build_sperm_recovery_chart(data, units=args.units)
    else:
        from hpgjournal.charts.marker import build_marker_chart, chart_size

        result = build_marker_chart(data, keys, start=start, end=end, units=args.units,
                                    size=chart_size(len(keys)), footnote=True, model=fit)
    from hpgjournal.services.files import cannot_write, save_figure

    try:
        save_figure(result.figure, out, out.suffix.lower()[1:])
    except OSError as exc:
        raise cannot_write(out, exc) from None
    from hpgjournal.domain.display import marker_name

    names = ("sperm recovery" if key == "sperm_recovery" else marker_name(key) for key in keys)
    print(f"chart of {', '.join(names)} written to {out}")
    if encrypted:
        import sys

        print(f"hpgjournal: warning: {out} is not encrypted: anyone who can read it can read "
              "the results it shows", file=sys.stderr)
    return 0
