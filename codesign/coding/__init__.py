"""Stage 2, ``codesign code``: the codebook, the Finnish-aware theme coder (``model``), the coding step that
writes ``build/codings.parquet`` (``step``; human codes always win), its evaluation and the agreement between
codings. Depends on ``core``, ``nlp``, ``privacy`` and ``ingest`` (the segment table)."""
