"""Benchmark: large and hostile input — time and peak memory of ingesting a large transcript and a large
sheet at two sizes each (is it linear? is memory bounded?), of refusing a zip bomb, and of reading a large
legitimate .qdpx at two sizes.

    .venv/bin/python benchmarks/bench_hostile.py                  # transcript 10 and 50 MB, sheet 20,000 and
                                                                  # 100,000 rows, the zip bomb (hours on 2 cores)
    .venv/bin/python benchmarks/bench_hostile.py --quick          # 1 and 5 MB, 5,000 and 25,000 rows (minutes)
    .venv/bin/python benchmarks/bench_hostile.py --case transcript:50

Each case runs `codesign ingest` in a child process of its own (its peak resident memory is the child's
``ru_maxrss``) on a project written to a temporary folder: the text is the independent test material
(tests/material/independent: interviews and sticky notes written apart from the code) repeated to the size
asked. Results are printed and saved to benchmarks/results/hostile.json.
"""
from __future__ import annotations

import argparse
import csv
import json
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MATERIAL = REPO / "tests" / "material" / "independent"
sys.path.insert(0, str(REPO))

PROJECT = """\
name: bench
language: fi
register: private/participants.csv
stages:
  - {{id: workshop1, label: Työpaja 1}}
  - {{id: interview, label: Haastattelut}}
sources:
{sources}
limits: {{max_source_mb: 500, max_rows: 2000000}}
"""
TRANSCRIPT_SOURCE = "  - {stage: interview, format: transcript, path: raw/H01.txt}"
SHEET_SOURCE = "  - {id: W1, stage: workshop1, format: table, path: raw/notes.csv, columns: {text: Sticky note, " \
               "prompt: Frame}}"


def _turns() -> list[str]:
    """The speaker turns of the independent interviews, without their labels."""
    turns = []
    for path in sorted((MATERIAL / "interviews").glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        for paragraph in body.split("\n\n"):
            match = re.match(r"^(?:\[[\d:]+\]\s*)?[^:\n]{1,40}:\s*(.*)", paragraph.strip(), re.S)
            if match and match[1].strip():
                turns.append(" ".join(match[1].split()))
    return turns


def write_transcript(path: Path, megabytes: float) -> int:
    """A canonical transcript of ``megabytes`` MB (written as a stream, so writing it does not raise the peak
    memory measured after); returns the number of turns."""
    turns = _turns()
    target = int(megabytes * 1024 * 1024)
    with path.open("w", encoding="utf-8") as out:
        head = "---\ninterview: H01\nparticipant: P51\ndate: 2024-02-12\n---\n"
        out.write(head)
        size, n = len(head.encode()), 0
        while size < target:
            label = "Haastattelija" if n % 2 == 0 else "P51"
            chunk = f"{label}: {turns[n % len(turns)]}\n\n"
            out.write(chunk)
            size += len(chunk.encode())
            n += 1
    return n


def write_sheet(path: Path, rows: int) -> int:
    with (MATERIAL / "notes.csv").open(encoding="utf-8") as handle:
        notes = [(r["Frame"], r["Sticky note"]) for r in csv.DictReader(handle)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Frame", "Sticky note"])
        for i in range(rows):
            frame, note = notes[i % len(notes)]
            writer.writerow([frame, note])
    return rows


def write_bomb(path: Path, megabytes: int) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("project.qde", "w") as handle:
            block = b"<" * (1 << 20)
            for _ in range(megabytes):
                handle.write(block)


def write_qdpx(path: Path, selections: int) -> int:
    """A legitimate REFI-QDA project: one text source, 50 codes, ``selections`` coded selections (written as a
    stream, so writing it does not raise the peak memory measured after)."""
    import zipfile

    user = "33333333-3333-3333-3333-333333333333"
    size = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("project.qde", "w") as out:
        def write(text: str) -> None:
            nonlocal size
            data = text.encode()
            size += len(data)
            out.write(data)
        write('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="bench">'
              "<CodeBook><Codes>")
        for i in range(50):
            write(f'<Code guid="00000000-0000-0000-0000-{i:012d}" name="koodi {i}" isCodable="true"/>')
        write('</Codes></CodeBook><Sources><TextSource guid="11111111-1111-1111-1111-111111111111" name="H01">'
              "<PlainTextContent>teksti</PlainTextContent>")
        for i in range(selections):
            write(f'<PlainTextSelection guid="22222222-2222-2222-2222-{i:012d}" name="valinta {i}" '
                  f'startPosition="0" endPosition="5" creatingUser="{user}"><Coding '
                  f'guid="44444444-4444-4444-4444-{i:012d}" creatingUser="{user}"><CodeRef '
                  f'targetGUID="00000000-0000-0000-0000-{i % 50:012d}"/></Coding></PlainTextSelection>')
        write("</TextSource></Sources></Project>")
    return size


def run_case(kind: str, size: float) -> dict:
    """One measurement, in this process (called in a child by ``main``)."""
    from codesign.cli import main as cli

    with tempfile.TemporaryDirectory(prefix="codesign-bench-") as tmp:
        root = Path(tmp) / "bench"
        (root / "private").mkdir(parents=True)
        (root / "raw").mkdir()
        (root / "private" / "participants.csv").write_bytes((MATERIAL / "participants.csv").read_bytes())
        figures: dict = {"case": f"{kind}:{size:g}"}
        if kind == "qdpx":
            from codesign.outputs.qdpx import read_qdpx

            path = root / "raw" / "big.qdpx"
            figures["xml_mb"] = round(write_qdpx(path, int(size)) / 2**20, 1)
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            start = time.perf_counter()
            content = read_qdpx(path)
            figures["seconds"] = round(time.perf_counter() - start, 2)
            figures["selections"] = len(content.selections)
            figures["rss_before_mb"] = round(before)
        elif kind == "bomb":
            bomb = root / "raw" / "bomb.qdpx"
            write_bomb(bomb, int(size))
            (root / "project.yml").write_text(PROJECT.format(sources=TRANSCRIPT_SOURCE), encoding="utf-8")
            figures["file_kb"] = round(bomb.stat().st_size / 1024)
            figures["member_mb"] = int(size)
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            start = time.perf_counter()
            figures["exit"] = {cmd: cli(argv) for cmd, argv in (
                ("import-qdpx", ["-q", "import-qdpx", str(bomb), str(root)]),
                ("agreement", ["-q", "agreement", str(bomb), str(bomb), "--project", str(root)]),
                ("leak-check", ["-q", "leak-check", str(root), str(bomb)]))}
            figures["seconds"] = round(time.perf_counter() - start, 2)
            figures["rss_before_mb"] = round(before)
        elif kind == "transcript-read":
            # what ingest does besides the Finnish pipeline: read, split, build the segment table and write it
            from codesign.core.project import load_project
            from codesign.core.register import load_register
            from codesign.sources.ingest import read_sources
            from codesign.sources.segments import segments_frame

            (root / "project.yml").write_text(PROJECT.format(sources=TRANSCRIPT_SOURCE), encoding="utf-8")
            path = root / "raw" / "H01.txt"
            figures["turns"] = write_transcript(path, size)
            figures["input_mb"] = round(path.stat().st_size / 2**20, 2)
            project = load_project(root)
            start = time.perf_counter()
            documents, failures = read_sources(project, load_register(project.register_path, project.groups))
            frame = segments_frame(documents)
            frame.to_parquet(root / "segments.parquet", index=False)
            figures["seconds"] = round(time.perf_counter() - start, 1)
            figures["segments"] = len(frame)
            figures["words"] = int(frame["text"].str.split().str.len().sum())
            figures["failures"] = [f.error for f in failures]
        else:
            source = TRANSCRIPT_SOURCE if kind == "transcript" else SHEET_SOURCE
            (root / "project.yml").write_text(PROJECT.format(sources=source), encoding="utf-8")
            if kind == "transcript":
                path = root / "raw" / "H01.txt"
                figures["turns"] = write_transcript(path, size)
            else:
                path = root / "raw" / "notes.csv"
                figures["rows"] = write_sheet(path, int(size))
            figures["input_mb"] = round(path.stat().st_size / 2**20, 2)
            from codesign.sources.ingest import ingest

            start = time.perf_counter()
            result = ingest(root)
            figures["seconds"] = round(time.perf_counter() - start, 1)
            figures["segments"] = len(result.segments)
            figures["words"] = int(result.segments["text"].str.split().str.len().sum())
            figures["failures"] = [f.error for f in result.failures]
            figures["timings_s"] = {k: round(v, 1) for k, v in result.timings.items()}
            figures["words_per_s"] = round(figures["words"] / figures["seconds"])
        usage = resource.getrusage(resource.RUSAGE_SELF)
        figures["peak_rss_mb"] = round(usage.ru_maxrss / 1024)
        # CPU seconds of the whole child (model loading included): steadier than wall time on a shared machine
        figures["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (minutes, not hours)")
    parser.add_argument("--case", action="append", help="kind:size (MB, rows, MB, selections), e.g. transcript:50, "
                                                        "sheet:100000, bomb:1200, qdpx:100000, transcript-read:50 "
                                                        "(reading and the segment table only, no Finnish pipeline)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import logging

        logging.basicConfig(level=logging.INFO, format="%(message)s")    # progress on stderr
        kind, size = args.child.split(":")
        print(json.dumps(run_case(kind, float(size))))
        return
    cases = args.case or (["transcript:1", "transcript:5", "sheet:5000", "sheet:25000", "bomb:1200",
                           "qdpx:20000", "qdpx:100000"] if args.quick
                          else ["transcript:10", "transcript:50", "sheet:20000", "sheet:100000", "bomb:1200",
                                "qdpx:20000", "qdpx:100000"])
    results = []
    for case in cases:
        print(f"running {case} …", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, __file__, "--child", case], stdout=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{case} failed")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(figures, ensure_ascii=False), flush=True)
        results.append(figures)
    out = REPO / "benchmarks" / "results" / "hostile.json"
    out.parent.mkdir(exist_ok=True)
    previous = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    runs = {r["case"]: r for r in previous.get("runs", [])} | {r["case"]: r for r in results}
    out.write_text(json.dumps({"python": platform.python_version(), "machine": platform.machine(),
                               "runs": list(runs.values())}, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
