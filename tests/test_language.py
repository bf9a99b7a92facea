"""Plain language everywhere: a Finnish build speaks Finnish (no configuration keys, no English, Finnish number
formats, ``lang="fi"``), an English one English. The scanner (tests/language_scan.py) reads every rendered
report, the committee summary and the workbooks as a reader meets them."""
from __future__ import annotations

import pytest
from language_scan import html_text, problems, scan


def test_the_scanner_finds_configuration_words_english_and_english_numbers():
    assert problems("kattavuus ≥ confirm_coverage 50 %") == ["config: confirm_coverage"]
    assert "config: goal_min_voices" in problems("alle raja-arvon goal_min_voices 3")
    assert problems("chosen as T2; position 1 of 8 overall") == [
        "english: of", "english: position", "english: chosen", "english: overall"]
    assert problems("keskisija 2.46, p = 1.62e-34") == ["scientific: 1.62e-34", "decimal point: 1.62",
                                                        "decimal point: 2.46"]
    assert problems("Tavoite T2.G3: 4/7 kyseenalaistaa (57 %), haastattelu 4.12.2026 klo 17.18, keskisija 2,46") == []
    # participants' own words and file names are not the report's language
    assert problems("”Me sanottiin että the best option oli kaivos” (H01-004); taulukko evidence_ledger.csv") == []
    assert problems("Workshop 2: themes refined", "en") == []
    assert problems("Theme T5: tarkennettava", "en") == ["finnish: tarkennettava"]


def test_the_scanner_reads_what_a_reader_sees(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html lang="fi"><head><style>.x{}</style></head><body><p>Teema vahvistettu</p>'
                    '<q lang="fi">the quote</q><span lang="en">an English name</span>'
                    '<details data-language-scan="skip"><table><tr><td>min_coverage</td></tr></table></details>'
                    '<script>var theme_ids = 1</script></body></html>', encoding="utf-8")
    assert html_text(page) == ("fi", "Teema vahvistettu")
    assert scan([page]) == {}
    page.write_text('<html lang="en"><body><p>coverage 9/14</p></body></html>', encoding="utf-8")
    assert scan([page]) == {"p.html": ['<html lang="en">', "english: coverage"]}


def test_the_finnish_demo_build_speaks_finnish(built_demo):
    """Every rendered report, the landing page, the committee summary and the workbooks of the demo's Finnish
    build: no configuration key, no English, no decimal point, ``lang="fi"``."""
    out = built_demo.result.out_dir
    files = sorted(out.glob("*.html")) + sorted(out.glob("*.docx")) + sorted(out.glob("*.xlsx"))
    assert len(files) >= 10, files
    found = scan(files, "fi")
    assert found == {}, found


@pytest.mark.integration
def test_an_english_build_speaks_english(tmp_path):
    """The fixture project's landing page, report 04 and committee summary in English: no Finnish label of
    codesign's own (programme texts and quotes are the project's, in its language)."""
    from report_fixture import make_report_project

    from codesign.outputs.summary import write_summary
    from codesign.pipeline.build import build

    project = make_report_project(tmp_path / "tiny")
    result = build(project, reports_dir=tmp_path / "reports", params={"language": "en"}, only=["04"], quiet=True)
    assert result.exit_code == 0, [(n.name, n.error) for n in result.notebooks]
    summary = write_summary(project, tmp_path / "summary_en.docx", language="en")
    found = scan([result.out_dir / "index.html", result.out_dir / "04_interviews.html", summary], "en")
    assert found == {}, found
