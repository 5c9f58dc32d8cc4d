"""``hpgjournal report``: write the doctor-visit report as a PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hpgjournal.domain.errors import UserError


def add_report_options(p: argparse.ArgumentParser) -> None:
    """Give the ``report`` command's parser its options."""
    from hpgjournal.report.content import SECTIONS

    p.add_argument("--from", dest="start", metavar="DATE",
                   help="first day (default: 12 months before --to)")
    p.add_argument("--to", dest="end", metavar="DATE", help="last day (default: today)")
    p.add_argument("--units", choices=("us", "si"), default="us", help="units (default: us)")
    p.add_argument("--paper", choices=("a4", "letter"), default=None,
                   help="paper size (default: from your locale)")
    p.add_argument("--sections", metavar="LIST",
                   help=f"comma-separated sections to include, of {','.join(SECTIONS)} (default: "
                        "all but results)")
    p.add_argument("--appendix", action="store_true",
                   help="add every result as an appendix (the 'results' section)")
    p.add_argument("--markers", metavar="LIST",
                   help="comma-separated marker keys for the summary and charts (default: the "
                        "key markers with data)")
    p.add_argument("-o", "--output", metavar="OUT.pdf", type=Path, required=True)


def cmd_report(args: argparse.Namespace) -> int:
    from hpgjournal.domain import analytes
    from hpgjournal.domain.timestamps import normalise_date
    from hpgjournal.paths import default_journal
    from hpgjournal.report.content import DEFAULT_SECTIONS, SECTIONS, ReportOptions
    from hpgjournal.store.journal import Journal

    if args.output.suffix.lower() != ".pdf":
        raise UserError(f"{args.output} does not end in .pdf: the report is a PDF file")
    if not args.output.parent.exists():
        raise UserError(f"cannot write {args.output}: the folder {args.output.parent} does "
                        "not exist")
    start = normalise_date(args.start, "--from") if args.start else None
    end = normalise_date(args.end, "--to") if args.end else None
    if start and end and start > end:
        raise UserError(f"--from {start} is after --to {end}: swap them")
    sections = tuple(DEFAULT_SECTIONS)
    if args.appendix:
        sections = tuple(SECTIONS)
    if args.sections:
        sections = tuple(s.strip() for s in args.sections.split(",") if s.strip())
        unknown = [s for s in sections if s not in SECTIONS]
        if unknown:
            raise UserError(f"unknown section {unknown[0]!r}: choose from {', '.join(SECTIONS)}")
    markers: tuple[str, ...] = ()
    if args.markers:
        markers = tuple(m.strip() for m in args.markers.split(",") if m.strip())
        unknown = [m for m in markers if m not in analytes.CATALOGUE]
        if unknown:
            raise UserError(f"unknown marker {unknown[0]!r}: use keys such as "
                            f"{', '.join(list(analytes.KEY_MARKERS)[:5])}")
    from hpgjournal.report.build import write_report
    from hpgjournal.report.pdf import default_paper, ensure_gui_app

    ensure_gui_app()
    options = ReportOptions(start=start, end=end, sections=sections, markers=markers,
                            units=args.units, paper=args.paper or default_paper())
    path = args.journal or default_journal()
    with Journal.open(path, readonly=True, passphrase=getattr(args, "passphrase", None)) \
            as journal:
        try:
            pages = write_report(journal, args.output, options)
        except OSError as exc:
            from hpgjournal.store.faults import cannot_write

            raise cannot_write(args.output, exc) from None
        encrypted = journal.encrypted
    print(f"{pages} pages written to {args.output}", file=sys.stderr)
    if encrypted:
        print(f"hpgjournal: warning: {args.output} is not encrypted: anyone who can read it "
              "can read the results it shows", file=sys.stderr)
    return 0
