"""What the Finnish pipeline does with spoken Finnish, measured on the demo interviews.

    .venv/bin/python benchmarks/spoken_finnish.py

For the participants' turns of the verbatim (puhekieli) and the cleaned interviews: the share of word
tokens Voikko cannot analyse as written, and the share still unresolved after codesign's spoken-form
mapping (``codesign.nlp.finnish.written_forms``). Unknown words get no base form and no compound parts, so a
lexicon cannot match them.
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from codesign.core.project import load_project  # noqa: E402
from codesign.core.register import load_register  # noqa: E402
from codesign.nlp.finnish import base_forms  # noqa: E402
from codesign.nlp.pipeline import analyses, load_pipeline  # noqa: E402
from codesign.sources.ingest import read_sources  # noqa: E402

VERBATIM = {"H01", "H02", "H06", "H09", "H10", "H14"}


def main() -> None:
    project = load_project(REPO / "data" / "kolari")
    documents, _ = read_sources(project, load_register(project.register_path, project.groups))
    nlp = load_pipeline(("parser", "ner"))
    for label, keep in (("verbatim", lambda d: d.source_id in VERBATIM),
                        ("cleaned", lambda d: d.stage == "interview" and d.source_id not in VERBATIM)):
        texts = [s.text for d in documents if keep(d) for s in d.segments if s.speaker_role == "participant"]
        total = unknown = unresolved = 0
        examples: dict[str, str] = {}
        for doc in nlp.pipe(texts, batch_size=64):
            for token in doc:
                if not token.is_alpha:
                    continue
                total += 1
                if not analyses(token.text) and not analyses(token.text.casefold()):
                    unknown += 1
                    bases = base_forms(token.text)
                    if not bases:
                        unresolved += 1
                    elif len(examples) < 12:
                        examples.setdefault(token.text.casefold(), bases[0])
        print(f"{label:<9} tokens {total:>6}  unknown to Voikko {unknown / total:6.1%}  "
              f"unresolved after spoken-form mapping {unresolved / total:6.1%}")
        print("          e.g. " + ", ".join(f"{k} → {v}" for k, v in examples.items()))


if __name__ == "__main__":
    main()
