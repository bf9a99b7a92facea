"""Stage 1, ``codesign ingest``: the readers (transcripts, tables, surveys) cut every source into segments,
which are pseudonymised and written as one tidy table to ``build/segments.parquet``. Depends on ``core``,
``nlp`` and ``privacy``."""
