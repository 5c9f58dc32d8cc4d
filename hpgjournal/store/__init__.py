"""The journal store: one SQLite file per journal, opened through :class:`Journal`."""

from hpgjournal.store.journal import Journal

__all__ = ["Journal"]
