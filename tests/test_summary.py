"""The committee summary (.docx), read back with python-docx, and LibreOffice opening every deliverable.

The analysis tables are the hand-made fixtures of tests/fixtures/analysis (the contract's exact schema;
`codesign analyse` is tested on its own), so every verdict and quote the document must show is known.
"""
from __future__ import annotations

import shutil
import subprocess

import docx
import pandas as pd
import pytest
from test_templates import make_project, register_names

from codesign.cli import main
from codesign.core.errors import InputError, LeakError
from codesign.outputs.summary import write_summary
from codesign.outputs.templates import make_templates


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("summary") / "proj")


@pytest.fixture(scope="module")
def summary_fi(project):
    return write_summary(project)


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def test_summary_round_trip(summary_fi, project):
    assert summary_fi == project / "build" / "committee_summary.docx"
    document = docx.Document(summary_fi)
    heads = headings(document)
    assert heads[:3] == ["Yhteiskehittämisen tulokset elinkeinolautakunnalle", "Keskeiset luvut", "Teemat ja arviot"]
    assert "T5 Yhteistyö, saavutettavuus ja vetovoima – tarkennettava" in heads
    assert "T4 Luonnonvarat ja monipuolinen elinkeinorakenne – vahvistettu" in heads
    assert heads[-1] == "Menetelmä ja tietosuoja"

    theme_table = document.tables[0]
    assert [c.text for c in theme_table.rows[0].cells] == ["Teema", "Nimi", "Arvio", "Kattavuus", "Perustelut"]
    assert [[c.text for c in row.cells][:4] for row in theme_table.rows[1:]][4] == \
        ["T5", "Yhteistyö, saavutettavuus ja vetovoima", "tarkennettava", "64%"]
    goal_rows = [[c.text for c in row.cells] for table in document.tables[1:] for row in table.rows[1:]]
    goals = {row[0]: row for row in goal_rows}
    assert goals["T4.G1"][2] == "ei tuettu" and goals["T4.G1"][3] == "0 / 8 / 1"
    assert goals["T2.G3"][2] == "tarkennettava" and "T3.G1" not in goals

    text = all_text(document)
    # reasons and flags in Finnish, rendered from the structured reasons; no English reason sentence
    assert goals["T2.G3"][4] == ("tavoitteesta puhui 6 osallistujaa: 2 tukee, 4 kyseenalaistaa, 1 ehdottaa toista "
                                 "tavoitetasoa tai mittaria; kyseenalaistavien osuus 67 % ≥ "
                                 "goal_refine_question_share 34 % (tukevien osuus 33 %)")
    assert "rajaus: kaatoluokka: 5/20 osallistujasta; hiljaiset alakoodit: T5.5" in text
    assert "näkökulma: kysely, A4: sija 1 ryhmässä luottamushenkilö (n = 7, pieni n)" in text
    assert "näkökulma: yrittäjä: 5/5 haastateltavaa, muista haastateltavista 78 % (p = 0,043)" in text
    for english in ("interviewees", "participants voicing", "participants spoke", "supporting share",
                    "questioning share", "no scope challenge", "subcodes voiced", "catch_all", "survey A4",
                    "coverage 9/14"):
        assert english not in text, english
    assert "Teemat: 4 vahvistettu, 1 tarkennettava, 0 ei tuettu (5 teemaa)." in text
    assert "Kyselyyn vastasi 100 henkilöä" in text and "Työvoima ja asuminen 71%" in text
    assert "Haastatelluista teemasta puhui 64–93 %" in text
    # quotes with their segment ids, group and stage label
    assert "kaatoluokka" in text and "— H02-031 (viranhaltija, Haastattelut)" in text
    assert "— C-014 (luottamushenkilö, Luonnoskommentit)" in text
    assert len(document.inline_shapes) == 2                      # the two figures
    assert document.core_properties.author == "codesign"
    for name in register_names(project):
        assert name not in text, name


def test_summary_in_english(project, tmp_path):
    path = write_summary(project, tmp_path / "en.docx", language="en")
    document = docx.Document(path)
    heads = headings(document)
    assert heads[:3] == ["Co-design results for the business committee", "Key figures", "Themes and verdicts"]
    assert "T5 Yhteistyö, saavutettavuus ja vetovoima – needs refinement" in heads
    text = all_text(document)
    assert "not supported" in text and "100 people answered the survey" in text
    assert "coverage 9/14 interviewees (64%); 5 of the 20 participants voicing it call the scope" in text
    assert "haastateltavaa" not in text and "kattavuus" not in text
    assert "— H02-031 (viranhaltija, interview)" in text


def test_missing_tables_tell_to_run_analyse(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "build" / "goal_validation.csv").unlink()
    (root / "build" / "evidence_ledger.csv").unlink()
    with pytest.raises(InputError) as info:
        write_summary(root)
    assert "goal_validation.csv, evidence_ledger.csv" in info.value.message
    assert "codesign analyse" in info.value.hint


def test_table_without_a_contract_column(tmp_path):
    root = make_project(tmp_path / "p")
    path = root / "build" / "theme_validation.csv"
    pd.read_csv(path).drop(columns=["reasons"]).to_csv(path, index=False)
    with pytest.raises(InputError, match="lacks the column"):
        write_summary(root)


def test_a_name_in_a_quote_stops_the_summary(tmp_path):
    root = make_project(tmp_path / "p")
    path = root / "build" / "evidence_ledger.csv"
    ledger = pd.read_csv(path)
    ledger.loc[0, "quote"] = "Kysykää Aila Keinäseltä, hän tietää."    # an inflected register name
    ledger.to_csv(path, index=False)
    out = tmp_path / "leaky.docx"
    with pytest.raises(LeakError):
        write_summary(root, out)
    assert not out.exists() and not list(tmp_path.glob("*.docx"))


def test_unknown_language(project):
    with pytest.raises(InputError, match="unknown language"):
        write_summary(project, language="sv")


def test_cli_summary(tmp_path, capsys):
    root = make_project(tmp_path / "p")
    assert main(["summary", str(root), "-o", str(tmp_path / "s.docx"), "--language", "en"]) == 0
    assert (tmp_path / "s.docx").is_file()
    (root / "build" / "theme_validation.csv").unlink()
    assert main(["summary", str(root)]) == 2
    assert "run `codesign analyse" in capsys.readouterr().err


@pytest.mark.integration
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: `make system-deps` installs "
                           "libreoffice-writer-nogui and libreoffice-calc-nogui")
def test_libreoffice_opens_every_deliverable(project, summary_fi, tmp_path):
    """A spreadsheet and a word processor other than the libraries that wrote them open the files."""
    result = make_templates(project, tmp_path / "templates")
    files = [summary_fi, result.monitoring, result.communication]
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, files)],
                   check=True, capture_output=True, timeout=180)
    for file in files:
        pdf = tmp_path / "pdf" / (file.stem + ".pdf")
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000, pdf
    if shutil.which("pdftotext"):
        def text(name):
            return subprocess.run(["pdftotext", str(tmp_path / "pdf" / f"{name}.pdf"), "-"], check=True,
                                  capture_output=True, text=True).stdout
        summary = text(summary_fi.stem)
        assert "Keskeiset luvut" in summary and "tarkennettava" in summary and "H02-031" in summary
        monitoring = text(result.monitoring.stem)
        assert "T4.G1" in monitoring and "Ylläksen matkailuyhdistys" in monitoring
        assert "H01-002" in text(result.communication.stem)
