"""The committee summary (.docx), read back with python-docx, and LibreOffice opening every deliverable.

The analysis tables are the hand-made fixtures of tests/fixtures/analysis (the contract's exact schema;
`codesign analyse` is tested on its own), so every verdict and quote the document must show is known.
"""
from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pandas as pd
import pytest
from docx.oxml.ns import qn
from test_templates import make_project, register_names

from codesign.cli import main
from codesign.core.errors import InputError, LeakError
from codesign.outputs.summary import write_summary
from codesign.outputs.templates import make_templates


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    import dataclasses
    import json

    from codesign.analysis.params import AnalysisParams

    root = make_project(tmp_path_factory.mktemp("summary") / "proj")
    # the parameters the analysis used, as `codesign analyse` records them: the method states them
    parameters = {k: v for k, v in dataclasses.asdict(AnalysisParams()).items() if not isinstance(v, (list, tuple))}
    (root / "build" / "analysis_report.json").write_text(json.dumps({"parameters": parameters}), encoding="utf-8")
    return root


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


def test_summary_opens_with_what_to_decide(summary_fi, project):
    assert summary_fi == project / "build" / "committee_summary.docx"
    document = docx.Document(summary_fi)
    heads = headings(document)
    assert heads[:3] == ["Yhteiskehittämisen tulokset ja esitykset toimikunnalle", "Esitykset toimikunnalle",
                         "Keskeiset havainnot"]
    assert "T5 Yhteistyö, saavutettavuus ja vetovoima – ! tarkennettava" in heads      # sign and word
    assert "T4 Luonnonvarat ja monipuolinen elinkeinorakenne – ✓ vahvistettu" in heads
    assert heads[-2:] == ["Menetelmä ja tietosuoja", "Arviointisäännöt"]
    # the proposals, computed from the tables, most decisive first, each with the segments behind it
    proposals = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert proposals[0].startswith("Muotoile tavoite T4.G1 Hannukaisen kaivoshanke") and "siitä puhunutta: 8 " \
        "kyseenalaistaa, 0 tukee" in proposals[0] and "Näyttö: H05-014" in proposals[0]
    assert proposals[1].startswith("Tarkenna tavoitetta T2.G3")
    assert proposals[2].startswith("Harkitse teeman T5 Yhteistyö, saavutettavuus ja vetovoima jakamista — 5/20")
    assert "Hyväksytty ohjelma" not in " ".join(proposals)       # this programme keeps no change log

    # the tables in the landscape appendix, the reasons in Finnish from the structured reasons
    section = document.sections[-1]
    assert section.page_width > section.page_height
    theme_table, goal_table = document.tables
    assert [c.text for c in theme_table.rows[0].cells] == ["Teema", "Nimi", "Arvio", "Kattavuus", "Perustelut"]
    assert [c.text for c in theme_table.rows[5].cells][:4] == \
        ["T5", "Yhteistyö, saavutettavuus ja vetovoima", "! tarkennettava", "64 %"]
    goals = {row.cells[0].text: [c.text for c in row.cells] for row in goal_table.rows[1:]}
    assert goals["T4.G1"][2] == "✗ ei tuettu" and goals["T4.G1"][3] == "0 / 8 / 1"
    assert goals["T2.G3"][2] == "! tarkennettava" and "T3.G1" not in goals
    assert goals["T2.G3"][4] == ("6 osallistujaa puhui tavoitteesta: 2 tukee, 4 kyseenalaistaa, 1 ehdottaa toista "
                                 "tavoitetasoa tai mittaria; 67 % kyseenalaistaa (raja 34 %), 33 % tukee")
    header = goal_table.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None    # repeated on every page

    text = all_text(document)
    assert "rajaus: 5/20 osallistujaa pitää teemaa kaatoluokkana; hiljaiset osa-alueet: T5.5" in text
    assert "näkökulma: kyselyssä A4 Kaivos- ja luonnonvaratalous on sijalla 1 ryhmällä luottamushenkilö " \
        "(7 vastaajaa, pieni ryhmä)" in text
    assert "näkökulma: yrittäjä: 5/5 haastateltavaa, muista haastateltavista 78 % (p = 0,043)" in text
    for english in ("interviewees", "participants voicing", "participants spoke", "supporting share",
                    "questioning share", "no scope challenge", "subcodes voiced", "catch_all", "survey A4",
                    "coverage 9/14"):
        assert english not in text, english
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    assert "Teemat: 4 vahvistettu, 1 tarkennettava, 0 ei tuettu (5 teemaa)." in text
    assert "Kyselyyn vastasi 100 henkilöä" in text and "Työvoima ja asuminen 71 %" in text
    assert "Teema on vahvistettu, kun vähintään 50 % haastateltavista puhui siitä" in text    # the method
    # quotes with their segment ids, group and stage label
    assert "— H02-031 (viranhaltija, Haastattelut)" in text and "— C-014 (luottamushenkilö, Luonnoskommentit)" in text
    assert len(document.inline_shapes) == 2                      # survey priorities and the group split
    assert document.core_properties.author == "codesign"
    for name in register_names(project):
        assert name not in text, name


CHANGES = """
changes:
  - id: M1
    target: T4.G1
    change: Tavoite muotoiltiin uudelleen laadulliseksi.
    reason: Luvat eivät ole kunnan päätettävissä.
    comments: [2]
  - id: M2
    target: T1.G1
    change: Rinnalle lisättiin lyhytvuokrauksen mittari.
  - id: M3
    target: T3.A1
    change: Toimenpiteeseen lisättiin markkinavuoropuhelu.
"""


def test_summary_sets_the_committees_changes_against_the_evidence(tmp_path):
    root = make_project(tmp_path / "p")
    with open(root / "programme.yml", "a", encoding="utf-8") as handle:
        handle.write(CHANGES)
    document = docx.Document(write_summary(root))
    assert "Toimikunnan muutokset luonnokseen" in headings(document)
    changes = document.tables[0]
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in changes.rows[1:]}
    assert rows["M1"][3:] == ["✗ ei tuettu", "vastaa näyttöä"]
    assert rows["M2"][3:] == ["✓ vahvistettu", "aineisto vahvisti kohteen; muutos täydentää sitä"]
    assert rows["M3"][3:] == ["–", "aineisto ei arvioinut kohdetta"]
    proposals = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert proposals[0].endswith("Hyväksytty ohjelma: muutettu (M1).")
    assert proposals[1].endswith("Hyväksytty ohjelma: ei muutettu.")         # T2.G3: the committee left it
    text = all_text(document)
    assert "Aineisto esitti, mutta hyväksytty ohjelma ei muuttanut: Tarkenna tavoitetta T2.G3" in text


def test_summary_in_english(project, tmp_path):
    path = write_summary(project, tmp_path / "en.docx", language="en")
    document = docx.Document(path)
    heads = headings(document)
    assert heads[:3] == ["Co-design results and proposals for the committee", "Proposals for the committee",
                         "Key findings"]
    assert "T5 Yhteistyö, saavutettavuus ja vetovoima – ! needs refinement" in heads
    text = all_text(document)
    assert "not supported" in text and "100 people answered the survey" in text
    assert "9 of 14 interviewees discussed the theme (64%); 5 of the 20 participants who voiced it call it a " \
        "catch-all" in text
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
        assert "Esitykset toimikunnalle" in summary and "tarkennettava" in summary and "H02-031" in summary
        monitoring = text(result.monitoring.stem)
        assert "T4.G1" in monitoring and "Ylläksen matkailuyhdistys" in monitoring
        assert "H01-002" in text(result.communication.stem)
