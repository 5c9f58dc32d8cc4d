"""Services: read the journal store and hand plain data to the charts and the report (issue 20).

``hpgjournal.services.chartdata``: :func:`load_chart_data`, :func:`therapy_times`,
:func:`assess_journal` and :func:`review` read a :class:`~hpgjournal.store.journal.Journal`
into the plain types of :mod:`hpgjournal.domain.journal_data`.
``hpgjournal.services.records``: every record the report reads, in one read.
``hpgjournal.services.knowledge``: the bundled knowledge base.
``hpgjournal.services.files``: writing a chart image privately and atomically.

Layer: services import the domain and the store, never the charts, the report or the UI.
"""
