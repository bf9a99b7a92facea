"""Benchmark: ingest + pseudonymise the demo corpus, beside the raw spaCy pipeline on the same text.

    .venv/bin/python benchmarks/bench_ingest.py [PROJECT]      (or: make benchmark)

The figure that matters is the ratio: the NLP should dominate, not codesign's own code. The project is
copied to a temporary folder, so nothing in the repository is written. Results are printed and saved to
benchmarks/results/ingest.json.
"""
from __future__ import annotations

import json
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from codesign.core.project import load_project  # noqa: E402
from codesign.core.register import load_register  # noqa: E402
from codesign.nlp.pipeline import load_pipeline  # noqa: E402
from codesign.sources.ingest import PSEUDONYMISE_EXCLUDE, ingest, read_sources  # noqa: E402


def main(project_dir: str | None) -> dict:
    source = Path(project_dir) if project_dir else REPO / "data" / "kolari"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / source.name
        shutil.copytree(source, root, ignore=shutil.ignore_patterns("build", "pseudonym_keys.csv"))
        project = load_project(root)
        register = load_register(project.register_path, project.groups)
        documents, _ = read_sources(project, register)
        texts = [s.text for d in documents for s in d.segments]
        words = sum(len(t.split()) for t in texts)

        t = time.perf_counter()
        nlp = load_pipeline(PSEUDONYMISE_EXCLUDE)
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        raw_nlp_s = time.perf_counter() - t

        t = time.perf_counter()
        result = ingest(root)          # cold: no key table yet; the pipeline is already loaded
        ingest_s = time.perf_counter() - t
        t = time.perf_counter()
        ingest(root)                   # warm: key table present
        ingest_warm_s = time.perf_counter() - t

    figures = {
        "segments": len(texts), "words": words,
        "pipeline_load_s": round(load_s, 2),
        "raw_spacy_s": round(raw_nlp_s, 2),
        "raw_spacy_words_per_s": round(words / raw_nlp_s),
        "ingest_cold_s": round(ingest_s, 2),
        "ingest_warm_s": round(ingest_warm_s, 2),
        "ingest_breakdown_s": {k: round(v, 2) for k, v in result.timings.items()},
        "ratio_ingest_to_raw_spacy": round(ingest_s / raw_nlp_s, 2),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "pipeline_components": nlp.pipe_names,
        "python": platform.python_version(), "machine": platform.machine(),
    }
    return figures


if __name__ == "__main__":
    figures = main(sys.argv[1] if len(sys.argv) > 1 else None)
    out = REPO / "benchmarks" / "results" / "ingest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    for key, value in figures.items():
        print(f"{key:<28} {value}")
