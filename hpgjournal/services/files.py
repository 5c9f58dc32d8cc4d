"""Writing what the charts draw to files, through the store's private atomic writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hpgjournal.store.faults import cannot_write
from hpgjournal.store.files import atomic_write, pdf_problem, png_problem

__all__ = ["cannot_write", "save_figure"]


def save_figure(figure: Any, out: Path, kind: str, dpi: float | None = None) -> None:
    """Write a chart image privately and atomically; a PNG cut short (full disk) never arrives.

    ``figure`` is a matplotlib Figure (anything with ``savefig``).
    """
    verify = {"png": png_problem, "pdf": pdf_problem}.get(kind)
    with atomic_write(out, "wb", verify=verify) as handle:
        figure.savefig(handle, format=kind, dpi=dpi if dpi is not None else "figure")
