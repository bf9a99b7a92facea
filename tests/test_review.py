"""A project with a codebook and no human coding: coded from the codebook alone, then the review loop round trip
(queue → workbook → filled in → read back into the reference coding) and every kind of bad review input."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook
from report_fixture import write_report_project

from codesign.cli import main
from codesign.core.errors import InputError


@pytest.fixture(scope="module")
def uncoded_project(tmp_path_factory):
    """The report fixture's raw files (tiny project, demo codebook and programme), ingested, with NO
    reference coding, and coded from the codebook alone."""
    from codesign.core.project import load_project
    from codesign.pipeline.steps import STEPS, run_pipeline

    root = write_report_project(tmp_path_factory.mktemp("uncoded") / "tiny")
    runs = run_pipeline(load_project(root), {}, steps=[s for s in STEPS if s.name in ("ingest", "code")])
    assert [r.status for r in runs] == ["ran", "ran"], runs
    assert "no human codes" in runs[1].note
    return root


@pytest.fixture(scope="module")
def workbook(uncoded_project, tmp_path_factory):
    from codesign.coding.review import write_review

    return write_review(uncoded_project, tmp_path_factory.mktemp("review") / "tarkistus.xlsx", n=8)


def _copy(uncoded_project, tmp_path):
    """A fresh copy of the project (review --apply writes into it)."""
    target = tmp_path / "tiny"
    shutil.copytree(uncoded_project, target)
    return target


def _rows(path):
    book = load_workbook(path)
    sheet = book["Tarkistettavat"]
    header = [c.value for c in sheet[1]]
    return book, sheet, {name: index + 1 for index, name in enumerate(header)}


def test_codebook_alone_codes_every_segment(uncoded_project):
    import codesign

    codings = codesign.load_project(uncoded_project).codings(final=False)
    assert set(codings["source"]) == {"machine"} and codings["final"].all()       # nothing to cross-fit
    evidence = codings[codings["code"].str.fullmatch(r"T\d")]["evidence"].iloc[0]
    assert '"learned_from": "codebook"' in evidence
    # classify works with no human codes too
    [(_, codes)] = codesign.classify(uncoded_project, [("a", "Matkailijoita tulee ja safarit myyvät hyvin.")])
    assert "T1" in codes


def test_review_queue_and_workbook(uncoded_project, workbook):
    from codesign.coding.review import HEADERS, QUEUE_COLUMNS, review_queue

    queue = review_queue(uncoded_project, n=5, language="en")
    assert list(queue.columns) == QUEUE_COLUMNS and len(queue) == 5
    assert queue["segment_id"].is_unique and (queue[["accept", "reject", "add", "reviewer"]] == "").all().all()
    assert queue["source_id"].nunique() >= 3                       # spread over sources
    book = load_workbook(workbook)
    assert book.sheetnames == ["Tarkistettavat", "Koodit", "Ohjeet"]
    header = [c.value for c in book["Tarkistettavat"][1]]
    assert header == [HEADERS["fi"][c] for c in QUEUE_COLUMNS]     # Finnish headers by default
    assert book["Tarkistettavat"].max_row == 9                     # n=8 rows under the header
    codes = [r[0].value for r in book["Koodit"].iter_rows(min_row=2)]
    assert codes == ["T1", "T2", "T3", "T4", "T5", "VAHVUUS", "HAASTE", "EHDOTUS", "TAVOITE"]


def test_review_round_trip_from_the_command_line(uncoded_project, workbook, tmp_path, capsys):
    project = _copy(uncoded_project, tmp_path)
    book, sheet, col = _rows(workbook)
    machine = {r: [c for c in (sheet.cell(r, col["Koneen koodit"]).value or "").split(", ") if c]
               for r in range(2, sheet.max_row + 1)}
    ids = {r: sheet.cell(r, col["Tunniste"]).value for r in machine}
    given = next(r for r, codes in machine.items() if codes)
    rest = [r for r in machine if r != given]
    accepted, changed, empty_handed = given, rest[0], rest[1]
    sheet.cell(accepted, col["Hyväksy (x)"], "x")
    sheet.cell(accepted, col["Tarkistaja (nimikirjaimet)"], "AK")
    # reject every machine code of one row and add two others
    new_codes = [c for c in ("T3", "HAASTE", "T4") if c not in machine[changed]][:2]
    sheet.cell(changed, col["Hylkää koodit"]).value = ", ".join(machine[changed]) or None
    sheet.cell(changed, col["Lisää koodit"], "; ".join(new_codes))
    sheet.cell(changed, col["Tarkistaja (nimikirjaimet)"], "MV")
    sheet.cell(changed, col["Huomautus"], "ei matkailua")
    # a row that adds a code to whatever the machine gave
    extra = next(c for c in ("T5", "T2", "EHDOTUS") if c not in machine[empty_handed])
    sheet.cell(empty_handed, col["Lisää koodit"], extra)
    sheet.cell(empty_handed, col["Tarkistaja (nimikirjaimet)"], "AK")
    filled = tmp_path / "filled.xlsx"
    book.save(filled)

    assert main(["review", str(project), "--apply", str(filled)]) == 0
    out = capsys.readouterr().out
    assert "3 segment(s) added" in out and f"{len(machine) - 3} row(s) not reviewed" in out
    assert "reference_coding: reference_coding.csv" in out                  # the project had none
    config = (project / "project.yml").read_text(encoding="utf-8")
    assert "reference_coding: reference_coding.csv" in config
    coding = pd.read_csv(project / "reference_coding.csv", dtype=str, keep_default_na=False).set_index("segment_id")
    assert list(coding.columns) == ["codes", "coder", "date"]
    assert set(coding.loc[ids[accepted], "codes"].split(";")) == set(machine[accepted])
    assert set(coding.loc[ids[changed], "codes"].split(";")) == set(new_codes)
    assert set(coding.loc[ids[empty_handed], "codes"].split(";")) == set(machine[empty_handed]) | {extra}
    assert coding.loc[ids[changed], "coder"] == "MV" and len(coding.loc[ids[changed], "date"]) == 10

    # applied again: nothing new, nothing overwritten, a backup only when something is written
    assert main(["review", str(project), "--apply", str(filled)]) == 0
    assert "0 segment(s) added" in capsys.readouterr().out
    assert not list((project / "backups").glob("reference_coding-*.csv"))     # nothing written, nothing backed up

    # a different decision on a segment that already has a human code: kept, listed as a conflict
    sheet.cell(changed, col["Lisää koodit"], "T1")
    sheet.cell(changed, col["Hylkää koodit"]).value = None
    sheet.cell(rest[2], col["Hyväksy (x)"], "x")
    sheet.cell(rest[2], col["Tarkistaja (nimikirjaimet)"], "LP")
    book.save(filled)
    assert main(["review", str(project), "--apply", str(filled)]) == 0
    captured = capsys.readouterr()
    assert "1 segment(s) added" in captured.out and "1 conflict(s)" in captured.err and ids[changed] in captured.err
    again = pd.read_csv(project / "reference_coding.csv", dtype=str, keep_default_na=False).set_index("segment_id")
    assert set(again.loc[ids[changed], "codes"].split(";")) == set(new_codes)          # never overwritten
    assert len(list((project / "backups").glob("reference_coding-*.csv"))) == 1        # the version before

    # the next coding learns from the reviewed segments: they are human codes now
    import codesign

    result = codesign.code(project)
    assert result.n_human == 4
    human = result.codings[result.codings["source"] == "human"]
    assert set(human.loc[human["segment_id"] == ids[changed], "code"]) == set(new_codes)
    [(_, codes)] = codesign.classify(project, [("a", "Vuokra-asuntoja ei ole ja asunnot puuttuvat.")])   # few codes
    assert "T2" in codes


def test_review_from_python(uncoded_project, tmp_path):
    from codesign.coding.review import apply_review, review_queue

    project = _copy(uncoded_project, tmp_path)
    queue = review_queue(project, n=3)
    queue.loc[0, ["accept", "reviewer"]] = ["x", "AK"]
    queue.loc[1, ["add", "reviewer"]] = ["T2", "AK"] if "T2" not in queue.loc[1, "machine_codes"] else ["T3", "AK"]
    result = apply_review(project, queue)
    assert len(result.added) == 2 and result.not_reviewed == 1 and result.config_updated
    queue.loc[2, "add"] = "T9"
    queue.loc[2, "reviewer"] = "AK"
    with pytest.raises(InputError, match="unknown code 'T9'") as err:
        apply_review(project, queue)
    assert err.value.row == 4 and err.value.column == "Lisää koodit"


def _bad(sheet, col, row, change):
    kind, value = change
    sheet.cell(row, col["Tarkistaja (nimikirjaimet)"], "AK")
    sheet.cell(row, col["Hyväksy (x)"], "x")
    if kind == "unknown code":
        sheet.cell(row, col["Hyväksy (x)"]).value = None
        sheet.cell(row, col["Lisää koodit"], "T9")
    elif kind == "changed id":
        sheet.cell(row, col["Tunniste"], "ZZ-999")
    elif kind == "missing id":
        sheet.cell(row, col["Tunniste"]).value = None
    elif kind == "changed text":
        sheet.cell(row, col["Teksti"], str(sheet.cell(row, col["Teksti"]).value) + " (muokattu)")
    elif kind == "duplicate row":
        copy = sheet.max_row + 1
        for c in range(1, sheet.max_column + 1):
            sheet.cell(copy, c, sheet.cell(row, c).value)
    elif kind == "no reviewer":
        sheet.cell(row, col["Tarkistaja (nimikirjaimet)"]).value = None
    elif kind == "no decision":
        sheet.cell(row, col["Hyväksy (x)"]).value = None
    elif kind == "accept and change":
        sheet.cell(row, col["Lisää koodit"], "TAVOITE")
    elif kind == "bad accept":
        sheet.cell(row, col["Hyväksy (x)"], "ehkä")
    elif kind == "reject not given":
        sheet.cell(row, col["Hyväksy (x)"]).value = None
        given = set((sheet.cell(row, col["Koneen koodit"]).value or "").split(", "))
        sheet.cell(row, col["Hylkää koodit"], next(c for c in ("T1", "T2", "T3", "T4", "T5") if c not in given))
    elif kind == "header":
        sheet.cell(1, col["Teksti"], "Tekstit")
    return value


@pytest.mark.parametrize("change", [
    ("unknown code", ("unknown code 'T9'", "Lisää koodit")),
    ("changed id", ("unknown segment id 'ZZ-999'", "Tunniste")),
    ("missing id", ("no segment id", "Tunniste")),
    ("changed text", ("was changed", "Teksti")),
    ("duplicate row", ("repeats row 2", "Tunniste")),
    ("no reviewer", ("a decision but no reviewer", "Tarkistaja (nimikirjaimet)")),
    ("no decision", ("but no decision", "Hyväksy (x)")),
    ("accept and change", ("accepted and also changed", "Hyväksy (x)")),
    ("bad accept", ("'ehkä' in the accept column", "Hyväksy (x)")),
    ("reject not given", ("the machine did not give it", "Hylkää koodit")),
    ("header", ("the column 'Teksti' is missing", "Teksti")),
])
def test_bad_review_input_names_sheet_row_and_column(uncoded_project, workbook, tmp_path, change, capsys):
    project = _copy(uncoded_project, tmp_path)
    book, sheet, col = _rows(workbook)
    message, column = _bad(sheet, col, 2, change)
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    before = (project / "project.yml").read_text(encoding="utf-8")
    assert main(["review", str(project), "--apply", str(bad)]) == 2
    err = capsys.readouterr().err
    expected_row = 1 if change[0] == "header" else (sheet.max_row if change[0] == "duplicate row" else 2)
    assert message in err and "'Tarkistettavat'" in err and f"row {expected_row}" in err and repr(column) in err, err
    assert not (project / "reference_coding.csv").exists()                   # nothing written
    assert (project / "project.yml").read_text(encoding="utf-8") == before


def test_review_workbook_in_english_reads_back(uncoded_project, tmp_path):
    from codesign.coding.review import HEADERS, apply_review, write_review

    project = _copy(uncoded_project, tmp_path)
    path = write_review(project, tmp_path / "review.xlsx", n=2, language="en")
    book = load_workbook(path)
    sheet = book["Review"]
    col = {c.value: c.column for c in sheet[1]}
    assert set(col) == set(HEADERS["en"].values())
    sheet.cell(2, col["Accept (x)"], "x")
    sheet.cell(2, col["Reviewer (initials)"], "JS")
    book.save(path)
    assert len(apply_review(project, path).added) == 1


@pytest.mark.integration
def test_a_project_with_no_human_codes_builds_end_to_end(uncoded_project, tmp_path):
    from codesign.pipeline.build import build

    project = _copy(uncoded_project, tmp_path)
    result = build(project, reports_dir=tmp_path / "reports", quiet=True)
    assert result.exit_code == 0 and result.complete, [(n.name, n.error) for n in result.notebooks]
    steps = {s.name: s for s in result.steps}
    assert steps["code"].status == "up_to_date" and steps["analyse"].status == "ran"
    for name in ("00_explore", "04_interviews"):
        html = (result.out_dir / f"{name}.html").read_text(encoding="utf-8")
        assert "Kaikki koodit ovat koneen antamia" in html, name


def test_evaluate_compares_the_machine_codes_with_the_evaluation_coding(uncoded_project, tmp_path, capsys):
    from report_fixture import CODES

    project = _copy(uncoded_project, tmp_path)
    themes_and_statements = {k: [c for c in v if "." not in c] for k, v in CODES.items()}
    pd.DataFrame({"segment_id": list(themes_and_statements),
                  "codes": [";".join(v) for v in themes_and_statements.values()]}).to_csv(
        project / "evaluation.csv", index=False)
    with (project / "project.yml").open("a", encoding="utf-8") as handle:
        handle.write("evaluation_coding: evaluation.csv\n")
    assert main(["evaluate", str(project), "--codes", "T1,T2,T4"]) == 0
    out = capsys.readouterr().out
    assert f"final machine codes on {len(CODES)} segments without a human code" in out and "kappa" in out
    assert "cross-fitted" not in out                          # no human codes: nothing cross-fitted
    from codesign.coding.evaluate import evaluate_codings

    result = evaluate_codings(project, codes=["T1", "T2"])
    assert result.n_machine == len(CODES) and result.cross_fitted is None
    assert list(result.final.index) == ["T1", "T2"] and result.final["n"].eq(len(CODES)).all()


def test_reports_say_every_code_is_a_machine_code(uncoded_project, tmp_path):
    import json

    from codesign.analysis import analyse
    from codesign.outputs.explore import machine_code_note

    project = _copy(uncoded_project, tmp_path)
    report = analyse(project).report["machine_codes"]
    assert report["human_segments"] == 0 and report["machine_share"] == 1.0 and report["agreement"] is None
    assert report["verdict_stability"] == {"compared": False}
    assert pd.read_csv(project / "build" / "verdict_stability.csv").empty
    note = machine_code_note(project, "fi")
    assert "Kaikki koodit ovat koneen antamia" in note and "koodikirjasta" in note
    assert json.loads((project / "build" / "analysis_report.json").read_text())["machine_codes"] == report
