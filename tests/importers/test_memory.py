"""An import needs memory in proportion to its file, and not much of it (issue 12): under ten
times the file's size for a large long table, measured in a real process."""

from __future__ import annotations

import io
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from hpgjournal.importers import table as table_module


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b,c", "\n", "\r", "\r\n", '"', "\u00e9", "\u2028", " "]),
                max_size=80).map("".join), st.integers(1, 7))
def test_the_text_read_in_pieces_gives_the_lines_of_the_whole(text, piece):
    """Rows are read from the text a piece at a time; the lines are those of the whole text
    read at once, whatever the line ends and wherever a piece would end."""
    with mock.patch.object(table_module, "_CHUNK_CHARS", piece):
        pieces = list(table_module._lines(text))
    assert pieces == list(io.StringIO(text, newline=""))
