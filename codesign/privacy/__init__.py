"""Personal data: the pseudonymiser (register names to codes, other identifiers to stable placeholders; the
key table only in the project's private folder) and the one leak gate every written output passes
(``leakcheck.guard``). Depends on ``core`` and ``nlp``."""
