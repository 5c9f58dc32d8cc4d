"""Run the app with ``python -m hpgjournal``."""

from hpgjournal.cli import main

raise SystemExit(main())
