"""Newline-delimited JSON (NDJSON), as a FHIR bulk export writes it: one resource a line.

:func:`parse_json_lines` gives the parsed lines of a text that is not one JSON document but a
JSON object on every line, or None: the FHIR format reads them like a bundle's entries.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["JsonLines", "parse_json_lines"]


class JsonLines(list[Any]):
    """The objects of an NDJSON file, in order; ``lines[i]`` is the file line of ``self[i]``."""

    def __init__(self, objects: list[Any], lines: list[int]) -> None:
        super().__init__(objects)
        self.lines = lines


def parse_json_lines(text: str) -> JsonLines | None:
    """Every non-blank line parsed as a JSON object; None when one is not (or there are none).

    A line that is a JSON value but not an object, or not JSON at all, means the text is not
    NDJSON: the caller reports the file as invalid JSON.
    """
    objects: list[Any] = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            found = json.loads(line)
        except (ValueError, RecursionError):
            return None
        if not isinstance(found, dict):
            return None
        objects.append(found)
        lines.append(number)
    if len(objects) < 2:  # one object is a plain JSON document (which failed to parse)
        return None
    return JsonLines(objects, lines)
