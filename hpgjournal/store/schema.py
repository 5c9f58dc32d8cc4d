"""The journal schema as numbered migrations.

Each migration runs in one transaction together with the new ``PRAGMA user_version``, so a
journal is always at exactly one version. Never edit a migration that has shipped: add one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from hpgjournal.domain.phases import PHASE_KINDS

# "HPJ1": marks the SQLite file as a journal, so that other databases are refused.
APPLICATION_ID = 0x48504A31

_PHASE_KIND_LIST = ", ".join(f"'{k}'" for k in PHASE_KINDS)
_SCORE = "INTEGER CHECK ({0} IS NULL OR {0} BETWEEN 0 AND 10)"


def _v1_initial(conn: sqlite3.Connection) -> None:
    score = {name: _SCORE.format(name) for name in ("energy", "libido", "mood", "sleep", "erections")}
    conn.executescript(
        f"""
        CREATE TABLE batches (
            id INTEGER PRIMARY KEY,
            imported_at TEXT NOT NULL,
            source TEXT NOT NULL,
            format TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL DEFAULT '',
            rows INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE lab_results (
            id INTEGER PRIMARY KEY,
            taken_at TEXT NOT NULL,
            analyte TEXT NOT NULL,
            method TEXT NOT NULL DEFAULT '',
            value REAL,
            comparator TEXT NOT NULL DEFAULT ''
                CHECK (comparator IN ('', '<', '<=', '>', '>=')),
            unit TEXT NOT NULL DEFAULT '',
            reported_value TEXT NOT NULL DEFAULT '',
            reported_unit TEXT NOT NULL DEFAULT '',
            ref_low REAL,
            ref_high REAL,
            ref_text TEXT NOT NULL DEFAULT '',
            flag TEXT NOT NULL DEFAULT '',
            lab TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'manual',
            note TEXT NOT NULL DEFAULT '',
            batch_id INTEGER REFERENCES batches(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        CREATE INDEX lab_results_by_analyte ON lab_results (analyte, taken_at);
        CREATE INDEX lab_results_by_time ON lab_results (taken_at);
        CREATE INDEX lab_results_by_batch ON lab_results (batch_id);
        CREATE TABLE medications (
            id INTEGER PRIMARY KEY,
            drug TEXT NOT NULL,
            drug_class TEXT NOT NULL DEFAULT '',
            route TEXT NOT NULL DEFAULT '',
            dose REAL,
            unit TEXT NOT NULL DEFAULT '',
            schedule TEXT NOT NULL DEFAULT '',
            interval_days REAL CHECK (interval_days IS NULL OR interval_days > 0),
            start_date TEXT NOT NULL,
            end_date TEXT CHECK (end_date IS NULL OR end_date >= start_date),
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE doses (
            id INTEGER PRIMARY KEY,
            taken_at TEXT NOT NULL,
            medication_id INTEGER REFERENCES medications(id) ON DELETE SET NULL,
            drug TEXT NOT NULL,
            amount REAL,
            unit TEXT NOT NULL DEFAULT '',
            site TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX doses_by_time ON doses (taken_at);
        CREATE TABLE phases (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ({_PHASE_KIND_LIST})),
            start_date TEXT NOT NULL,
            end_date TEXT CHECK (end_date IS NULL OR end_date >= start_date),
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            noted_at TEXT NOT NULL,
            energy {score['energy']},
            libido {score['libido']},
            mood {score['mood']},
            sleep {score['sleep']},
            erections {score['erections']},
            text TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX notes_by_time ON notes (noted_at);
        CREATE TABLE measures (
            id INTEGER PRIMARY KEY,
            measured_at TEXT NOT NULL,
            testis_left_ml REAL CHECK (testis_left_ml IS NULL OR testis_left_ml >= 0),
            testis_right_ml REAL CHECK (testis_right_ml IS NULL OR testis_right_ml >= 0),
            testis_method TEXT NOT NULL DEFAULT '',
            weight_kg REAL CHECK (weight_kg IS NULL OR weight_kg > 0),
            systolic INTEGER,
            diastolic INTEGER,
            note TEXT NOT NULL DEFAULT ''
        );
        """
    )


def _v2_profile_and_doctor_notes(conn: sqlite3.Connection) -> None:
    """Notes can be marked for the doctor; the journal keeps a small profile (name, birth date)."""
    conn.executescript(
        """
        ALTER TABLE notes ADD COLUMN for_doctor INTEGER NOT NULL DEFAULT 0
            CHECK (for_doctor IN (0, 1));
        CREATE TABLE profile (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )


def _v3_questionnaires(conn: sqlite3.Connection) -> None:
    """Validated questionnaires such as the Aging Males' Symptoms scale (answers as 1-5)."""
    conn.executescript(
        """
        CREATE TABLE questionnaires (
            id INTEGER PRIMARY KEY,
            taken_at TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('ams')),
            answers TEXT NOT NULL,
            total INTEGER NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX questionnaires_by_time ON questionnaires (taken_at);
        """
    )


BATCHED_TABLES = ("medications", "doses", "phases", "notes", "measures", "questionnaires")


def _v4_batches_for_every_record(conn: sqlite3.Connection) -> None:
    """Records imported from an 'export all' document belong to their import batch too, so
    that taking the batch out removes everything it added."""
    conn.executescript("".join(
        f"ALTER TABLE {table} ADD COLUMN batch_id INTEGER "
        f"REFERENCES batches(id) ON DELETE CASCADE;\n"
        f"CREATE INDEX {table}_by_batch ON {table} (batch_id);\n"
        for table in BATCHED_TABLES))


def _v5_marker_names(conn: sqlite3.Connection) -> None:
    """Names in the user's files that no marker is known by, mapped by the user to a known
    marker in the import preview, so that the next import of such a file maps them too."""
    conn.executescript(
        """
        CREATE TABLE marker_names (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            analyte TEXT NOT NULL CHECK (analyte <> '' AND analyte NOT LIKE 'custom:%'),
            method TEXT NOT NULL DEFAULT '',
            set_at TEXT NOT NULL
        );
        """
    )


MIGRATIONS: tuple[tuple[int, str, Callable[[sqlite3.Connection], None]], ...] = (
    (1, "initial tables", _v1_initial),
    (2, "profile and notes for the doctor", _v2_profile_and_doctor_notes),
    (3, "questionnaires", _v3_questionnaires),
    (4, "import batches for every kind of record", _v4_batches_for_every_record),
    (5, "marker names the user mapped", _v5_marker_names),
)
CURRENT_VERSION = MIGRATIONS[-1][0]
