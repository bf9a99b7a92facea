"""REFI-QDA project exchange: export validates against the standard's schema, round trips exactly, real
exports of other programs read with the counts their README gives, tolerant import, clear errors."""
from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import DEMO, SHARED, write_tiny_project

from codesign.cli import main
from codesign.coding.agreement import read_coding
from codesign.core.errors import InputError, LeakError
from codesign.core.project import load_project
from codesign.outputs.qdpx import USERS, export_qdpx, guid, import_qdpx, read_qdpx

# Beside the checkout (CI, the main checkout); CODESIGN_SHARED points elsewhere (a git worktree).
REFI = Path(os.environ.get("CODESIGN_SHARED") or SHARED) / "refi-qda"
SCHEMA = REFI / "Project-mrt2019.xsd"
FIXTURES = REFI / "fixtures"
needs_schema = pytest.mark.skipif(not SCHEMA.is_file(), reason=f"REFI-QDA schema not found at {SCHEMA}")
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"REFI-QDA fixtures not found at {FIXTURES}")

# --- a small coded project whose build is written by hand, so every offset is known -----------------

H01 = ("[00:00:05] Haastattelija: Kertoisitko yrityksestäsi?\n\n"
       "[00:01:10] P01: Meillä on safarifirma Äkäslompolossa.\nTalvella töissä on kymmenen ihmistä.\n\n"
       "[00:02:45] P01: Matkailuyrittäjille ei löydy työsuhdeasuntoja.\n")
W1 = "[W1-001] Ylläs vetää ympäri vuoden\n\n[W1-002] Ei vuokra-asuntoja ollenkaan\n\n[W1-003] Kylät elävät\n"


def _segment(source_id, segment_id, text, fragment, participant, group, sector, role="participant"):
    start = text.index(fragment)
    return {"segment_id": segment_id, "source_id": source_id,
            "stage": "interview" if source_id == "H01" else "workshop1",
            "participant": participant, "group": group, "sector": sector, "speaker_role": role,
            "text": fragment, "start": start, "end": start + len(fragment)}


SEGMENTS = [
    _segment("H01", "H01-001", H01, "Kertoisitko yrityksestäsi?", None, None, None, "interviewer"),
    _segment("H01", "H01-002", H01, "Meillä on safarifirma Äkäslompolossa.\nTalvella töissä on kymmenen ihmistä.",
             "P01", "yrittäjä", "matkailu"),
    _segment("H01", "H01-003", H01, "Matkailuyrittäjille ei löydy työsuhdeasuntoja.", "P01", "yrittäjä", "matkailu"),
    _segment("W1", "W1-001", W1, "Ylläs vetää ympäri vuoden", None, None, None),
    _segment("W1", "W1-002", W1, "Ei vuokra-asuntoja ollenkaan", "P03", "yrityksen edustaja", "matkailu"),
    _segment("W1", "W1-003", W1, "Kylät elävät", None, None, None),
]
CODINGS = [  # (segment, code, source, final)
    ("H01-002", "T1", "human", True), ("H01-002", "VAHVUUS", "human", True), ("H01-002", "T1.1", "machine", True),
    ("H01-003", "T2", "human", True), ("H01-003", "HAASTE", "human", True), ("H01-003", "T1", "machine", False),
    ("W1-001", "T1", "machine", True), ("W1-002", "T2", "human", True), ("W1-002", "HAASTE", "machine", True),
]


def write_coded_tiny(root: Path) -> Path:
    write_tiny_project(root)
    config = root / "project.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: fi\n",
                                                                 "language: fi\ncodebook: codebook.yml\n"),
                      encoding="utf-8")
    shutil.copy(DEMO / "codebook.yml", root / "codebook.yml")
    build = root / "build"
    (build / "sources").mkdir(parents=True)
    (build / "sources" / "H01.txt").write_text(H01, encoding="utf-8")
    (build / "sources" / "W1.txt").write_text(W1, encoding="utf-8")
    pd.DataFrame(SEGMENTS).to_parquet(build / "segments.parquet", index=False)
    pd.DataFrame([{"segment_id": s, "code": c, "source": src, "confidence": 1.0, "evidence": "{}", "final": f}
                  for s, c, src, f in CODINGS]).to_parquet(build / "codings.parquet", index=False)
    return root


@pytest.fixture
def coded_tiny(tmp_path) -> Path:
    return write_coded_tiny(tmp_path / "tiny")


def _final_pairs(root: Path) -> set[tuple[str, str, str]]:
    codings = pd.read_parquet(root / "build" / "codings.parquet")
    final = codings[codings["final"]]
    return set(zip(final["segment_id"], final["code"], final["source"]))


def _imported_pairs(imported) -> set[tuple[str, str, str]]:
    by_name = {name: key for key, name in USERS.items()}
    rows = imported.codings
    return set(zip(rows["segment_id"], rows["code"], rows["user"].map(by_name)))


def _validate(qdpx: Path) -> None:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    with zipfile.ZipFile(qdpx) as archive:
        document = etree.fromstring(archive.read("project.qde"))
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)


def _rewrite(src: Path, dst: Path, edit) -> Path:
    """A copy of a .qdpx whose members pass through ``edit(name, data) -> (name, data)``."""
    with zipfile.ZipFile(src) as archive, zipfile.ZipFile(dst, "w") as out:
        for name in archive.namelist():
            new_name, data = edit(name, archive.read(name))
            out.writestr(new_name, data)
    return dst


# --- export ------------------------------------------------------------------------------------------

@needs_schema
def test_export_validates_and_holds_the_whole_project(coded_tiny, tmp_path):
    out = export_qdpx(coded_tiny, tmp_path / "tiny.qdpx")
    _validate(out)
    with zipfile.ZipFile(out) as archive:
        names = sorted(archive.namelist())
        xml = archive.read("project.qde").decode("utf-8")
        texts = {n: archive.read(n).decode("utf-8") for n in names if n.startswith("sources/")}
    assert names == ["project.qde", f"sources/{guid('source', 'H01')}.txt", f"sources/{guid('source', 'W1')}.txt"]
    assert texts[f"sources/{guid('source', 'H01')}.txt"] == H01
    content = read_qdpx(out)
    assert len(content.codes) == 41 and content.codes["depth"].max() == 1     # themes with nested subcodes
    assert set(content.users["name"]) == set(USERS.values())
    # One selection per coded segment with its exact code-point offsets; one coding per final code.
    selections = content.selections.set_index("name")
    assert sorted(selections.index) == ["H01-002", "H01-003", "W1-001", "W1-002"]
    row = selections.loc["H01-002"]
    assert H01[row.start:row.end] == SEGMENTS[1]["text"] and "Äkäslompolossa" in H01[row.start:row.end]
    assert len(content.codings) == sum(final for *_, final in CODINGS)
    by_user = dict(zip(content.users["guid"], content.users["name"]))
    assert sorted(content.codings["creating_user"].map(by_user).value_counts().tolist()) == [3, 5]
    # Participants as cases with their group and sector; the interview's sole speaker owns the source.
    assert '<Case guid="%s" name="P01">' % guid("case", "P01") in xml
    case = re.search(r'<Case [^>]*name="P01">(.*?)</Case>', xml, re.S).group(1)
    assert "<TextValue>yrittäjä</TextValue>" in case and "<TextValue>matkailu</TextValue>" in case
    assert f'<SourceRef targetGUID="{guid("source", "H01")}"' in case
    assert case.count("<SelectionRef") == 2
    assert re.findall(r'<Case [^>]*name="([^"]+)"', xml) == ["P01", "P03"]   # not the interviewer, not anonymous notes


def test_export_is_reproducible(coded_tiny, tmp_path):
    first = export_qdpx(coded_tiny, tmp_path / "a.qdpx").read_bytes()
    assert export_qdpx(coded_tiny, tmp_path / "b.qdpx").read_bytes() == first


def test_round_trip_keeps_every_coding(coded_tiny, tmp_path):
    out = export_qdpx(coded_tiny, tmp_path / "tiny.qdpx")
    imported = import_qdpx(out, coded_tiny)
    assert _imported_pairs(imported) == _final_pairs(coded_tiny)
    table = imported.coding_table()
    # Every participant segment of the exported sources is covered; uncoded ones with no codes.
    assert dict(zip(table["segment_id"], table["codes"])) == {
        "H01-002": "T1;T1.1;VAHVUUS", "H01-003": "HAASTE;T2", "W1-001": "T1", "W1-002": "HAASTE;T2", "W1-003": ""}


def test_export_needs_a_coded_build(tiny_project, tmp_path):
    from codesign.core.errors import CodesignError

    with pytest.raises(CodesignError, match="run `codesign ingest"):
        export_qdpx(tiny_project, tmp_path / "x.qdpx")


def test_leak_check_reads_inside_qdpx(coded_tiny, tmp_path):
    from codesign.core.register import load_register
    from codesign.privacy.leakcheck import check_outputs
    from codesign.privacy.pseudonymise import KeyTable

    project = load_project(coded_tiny)
    register = load_register(project.register_path, project.groups)
    keys = KeyTable.load(project.private_dir / "pseudonym_keys.csv")
    out = export_qdpx(project, tmp_path / "tiny.qdpx")
    assert check_outputs([out], register, keys, project.keep_terms) == []
    leaky = _rewrite(out, tmp_path / "leaky.qdpx", lambda n, d: (n, d.replace(
        "Talvella".encode(), "Aila Keinänen soitti numerosta 040 123 4567, talvella".encode())))
    with pytest.raises(LeakError, match=r"leaky.qdpx:sources/.*Aila Keinänen") as info:
        check_outputs([leaky], register, keys, project.keep_terms)
    assert "phone number '040 123 4567'" in str(info.value)
    # GUIDs whose last group looks like a phone number are not findings.
    guids = tmp_path / "guids.qde"
    guids.write_text('<Coding guid="c6a93817-f2f3-507c-b246-055960195343"/>', encoding="utf-8")
    assert check_outputs([guids], register, keys, project.keep_terms) == []


# --- tolerant import -----------------------------------------------------------------------------------

def test_import_tolerates_what_real_exports_do(coded_tiny, tmp_path):
    """Upper-case Sources/, an XML not named project.qde, a BOM, CRLF text with positions counting \\r\\n,
    codes re-created by another tool inside a category (own GUIDs, 'id label' or label-only names)."""
    out = export_qdpx(coded_tiny, tmp_path / "tiny.qdpx")
    content = read_qdpx(out)
    crlf_h01 = H01.replace("\n", "\r\n")

    def to_crlf(pos: int) -> int:
        return pos + H01[:pos].count("\n")

    def edit(name, data):
        if name == "project.qde":
            xml = data.decode("utf-8")
            for sel in content.selections.itertuples():   # positions in the CRLF text of H01
                if sel.source_guid == guid("source", "H01"):
                    xml = xml.replace(f'startPosition="{sel.start}" endPosition="{sel.end}"',
                                      f'startPosition="{to_crlf(sel.start)}" endPosition="{to_crlf(sel.end)}"')
            for code in content.codes.itertuples():        # the other tool's own GUIDs
                xml = xml.replace(code.guid, guid("foreign", code.guid))
            xml = xml.replace('name="T2 Työvoima ja asuminen"', 'name="Työvoima ja asuminen"')
            xml = re.sub(r"(<Codes>)(.*)(</Codes>)", lambda m: m.group(1) + '<Code guid="%s" name="Teemat" '
                         'isCodable="false">' % guid("foreign", "category") + m.group(2) + "</Code>" + m.group(3),
                         xml, flags=re.S)
            return "Kolari (exported).qde", "\ufeff".encode() + xml.encode("utf-8")
        if name.endswith(guid("source", "H01") + ".txt"):
            return name.replace("sources/", "Sources/"), ("\ufeff" + crlf_h01).encode("utf-8")
        return name.replace("sources/", "Sources/"), data

    foreign = _rewrite(out, tmp_path / "foreign.qdpx", edit)
    content = read_qdpx(foreign)
    assert content.codes["depth"].max() == 2 and content.sources["has_crlf"].tolist() == [True, False]
    assert content.sources["has_bom"].tolist() == [True, False]
    assert _imported_pairs(import_qdpx(foreign, coded_tiny)) == _final_pairs(coded_tiny)


def test_import_reads_crlf_positions_counted_as_one_by_the_quoted_text(coded_tiny, tmp_path):
    """CRLF stored but positions counting a line end once: selection names quoting the text decide."""
    out = export_qdpx(coded_tiny, tmp_path / "tiny.qdpx")
    quotes = {s["segment_id"]: s["text"][:40] + "…" for s in SEGMENTS}

    def edit(name, data):
        if name == "project.qde":
            xml = data.decode("utf-8")
            for segment_id, quote in quotes.items():
                xml = xml.replace(f'name="{segment_id}"', f'name="{quote}"')
            return name, xml.encode("utf-8")
        if name.endswith(".txt"):
            return name, data.replace(b"\n", b"\r\n")
        return name, data

    edited = _rewrite(out, tmp_path / "crlf1.qdpx", edit)
    assert _imported_pairs(import_qdpx(edited, coded_tiny)) == _final_pairs(coded_tiny)


def test_import_maps_a_selection_by_most_of_its_length(coded_tiny, tmp_path):
    """A selection a few characters wider than its segment, or a phrase inside it, codes that segment only."""
    out = export_qdpx(coded_tiny, tmp_path / "tiny.qdpx")
    seg = SEGMENTS[2]   # H01-003

    def edit(name, data):
        if name == "project.qde":
            xml = data.decode("utf-8")
            xml = xml.replace(f'startPosition="{seg["start"]}" endPosition="{seg["end"]}"',
                              f'startPosition="{seg["start"] - 6}" endPosition="{seg["end"] + 1}"')
            h2 = SEGMENTS[1]
            phrase = h2["start"] + h2["text"].index("safarifirma")
            xml = xml.replace(f'startPosition="{h2["start"]}" endPosition="{h2["end"]}"',
                              f'startPosition="{phrase}" endPosition="{phrase + len("safarifirma")}"')
            return name, xml.encode("utf-8")
        return name, data

    imported = import_qdpx(_rewrite(out, tmp_path / "wide.qdpx", edit), coded_tiny)
    assert _imported_pairs(imported) == _final_pairs(coded_tiny)


def test_import_a_selection_over_several_segments_codes_each(coded_tiny, tmp_path):
    out = export_qdpx(coded_tiny, tmp_path / "tiny.qdpx")
    first, last = SEGMENTS[3], SEGMENTS[5]   # W1-001 … W1-003

    def edit(name, data):
        if name == "project.qde":
            return name, data.replace(f'startPosition="{first["start"]}" endPosition="{first["end"]}"'.encode(),
                                      f'startPosition="{first["start"]}" endPosition="{last["end"]}"'.encode())
        return name, data

    imported = import_qdpx(_rewrite(out, tmp_path / "span.qdpx", edit), coded_tiny)
    spanned = {(s, c, u) for s, c, u in _imported_pairs(imported) if c == "T1" and s.startswith("W1")}
    assert spanned == {("W1-001", "T1", "machine"), ("W1-002", "T1", "machine"), ("W1-003", "T1", "machine")}


def test_import_errors_name_the_selection_code_and_source(coded_tiny, tmp_path):
    out = export_qdpx(coded_tiny, tmp_path / "tiny.qdpx")
    t1 = read_qdpx(out).codes.set_index("name").loc["T1 Ympärivuotinen ja vastuullinen matkailu", "guid"]

    def edit(name, data):
        if name == "project.qde":
            xml = data.decode("utf-8").replace('name="T1 Ympärivuotinen ja vastuullinen matkailu"', 'name="Luonto"')
            xml = xml.replace(f'<Code guid="{t1}"', f'<Code guid="{guid("foreign", "luonto")}"')
            xml = xml.replace(f'targetGUID="{t1}"', f'targetGUID="{guid("foreign", "luonto")}"')
            # W1 under another tool's name and GUID, with its text edited: nothing says which source it is.
            xml = xml.replace(f'guid="{guid("source", "W1")}" name="W1"',
                              f'guid="{guid("foreign", "W1")}" name="Muistilaput"')
            return name, xml.encode("utf-8")
        if name.endswith(guid("source", "W1") + ".txt"):
            return name, data.replace("Kylät elävät".encode(), "Kylät kuolevat".encode())
        return name, data

    with pytest.raises(InputError) as info:
        import_qdpx(_rewrite(out, tmp_path / "bad.qdpx", edit), coded_tiny)
    message = str(info.value)
    assert "selection 'H01-002' in source 'H01': code 'Luonto' is not in the codebook codebook.yml" in message
    assert "source 'Muistilaput'" in message and "no project source has this name or text" in message


@needs_fixtures
@pytest.mark.parametrize("name, codes, depth, text_sources, with_text, selections, codings", [
    ("qc-demo", 262, 6, 2, 2, 158, 205),
    ("nvivo15-mac-codebook", 262, 6, 2, 2, 0, 0),
    ("atlasti84-spec-example", 14, 0, 6, 0, 8, 9),
])
def test_read_real_exports_of_other_programs(name, codes, depth, text_sources, with_text, selections, codings):
    content = read_qdpx(FIXTURES / f"{name}.qdpx")
    assert len(content.codes) == codes and content.codes["depth"].max() == depth
    text = content.sources[content.sources["kind"] == "text"]
    assert len(text) == text_sources
    assert text["status"].isin(["read", "inline"]).sum() == with_text
    assert len(content.selections) == selections and len(content.codings) == codings
    assert content.selections["guid"].is_unique or name == "atlasti84-spec-example"
    assert set(content.codings["selection_guid"]) <= set(content.selections["guid"])
    if name == "qc-demo":
        # Offsets index the stored text in code points: qc names each selection by its (0-based) line.
        for sel in content.selections.itertuples():
            assert sel.name == f"line:{content.texts[sel.source_guid][:sel.start].count(chr(10))}"
        assert set(content.codings["code_guid"]) <= set(content.codes["guid"])
    if name == "nvivo15-mac-codebook":
        assert all("rich text" in p and ".docx not read" in p for p in content.problems)
        assert text["n_chars"].tolist() == [1, 1]
    if name == "atlasti84-spec-example":
        assert sum("is not in the archive" in p for p in content.problems) == 8   # 6 texts + 2 PDF texts
        assert any("7 picture, PDF-area, audio or video selection(s) not read" in p for p in content.problems)
        assert content.sources["kind"].value_counts().to_dict() == {
            "text": 6, "pdf": 2, "pdf_text": 2, "video": 2, "picture": 1, "audio": 1}


@needs_fixtures
def test_importing_another_projects_file_says_what_does_not_map(coded_tiny):
    with pytest.raises(InputError) as info:
        import_qdpx(FIXTURES / "qc-demo.qdpx", coded_tiny)
    # Only board_2017.txt carries selections; qc names a source by nothing but its text file.
    assert "1 item(s) cannot be mapped" in str(info.value)
    assert "source 'board_2017.txt'" in str(info.value) and "no project source has this name or text" in str(info.value)
    with pytest.raises(InputError, match="its text is missing from the archive"):
        import_qdpx(FIXTURES / "atlasti84-spec-example.qdpx", coded_tiny)


def test_not_a_project_file(tmp_path):
    bad = tmp_path / "x.qdpx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(InputError, match="no project XML"):
        read_qdpx(bad)
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("project.qde", "<Project")
    with pytest.raises(InputError, match="not well-formed XML"):
        read_qdpx(bad)


# --- command line and agreement -------------------------------------------------------------------

def test_cli_export_import_and_agreement_on_a_qdpx(coded_tiny, tmp_path, capsys):
    out = tmp_path / "tiny.qdpx"
    assert main(["export-qdpx", str(coded_tiny), str(out)]) == 0
    coding_csv = tmp_path / "coding.csv"
    assert main(["import-qdpx", str(out), str(coded_tiny), "-o", str(coding_csv)]) == 0
    assert "imported 8 codings on 4 segments" in capsys.readouterr().err
    table = pd.read_csv(coding_csv, dtype=str, keep_default_na=False)
    assert list(table.columns) == ["segment_id", "codes"] and len(table) == 5
    assert read_coding(out, project=coded_tiny).equals(read_coding(coding_csv))
    assert main(["agreement", str(coding_csv), str(out), "--project", str(coded_tiny)]) == 0
    assert "on 5 shared segments" in capsys.readouterr().out
    assert main(["import-qdpx", str(tmp_path / "missing.qdpx"), str(coded_tiny)]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["export-qdpx", str(coded_tiny)]) == 2          # PROJECT given, OUT forgotten
    assert "must be a .qdpx file" in capsys.readouterr().err


# --- the demo, built once (shared with the coder's tests when they ran first) ----------------------------

@pytest.fixture(scope="module")
def coded_demo_build(built_demo):
    return built_demo.root


@needs_schema
def test_demo_export_validates_round_trips_and_passes_the_leak_check(coded_demo_build, tmp_path):
    out = tmp_path / "kolari.qdpx"
    assert main(["export-qdpx", str(coded_demo_build), str(out)]) == 0
    _validate(out)
    imported = import_qdpx(out, coded_demo_build)
    assert _imported_pairs(imported) == _final_pairs(coded_demo_build)
    content = read_qdpx(out)
    segments = pd.read_parquet(coded_demo_build / "build" / "segments.parquet")
    assert len(content.sources) == segments["source_id"].nunique()
    xml = zipfile.ZipFile(out).read("project.qde").decode("utf-8")
    assert xml.count("<Case ") == segments.loc[segments["speaker_role"] == "participant", "participant"].nunique()
    assert main(["leak-check", str(coded_demo_build), str(out)]) == 0
