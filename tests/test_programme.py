"""The programme model (programme.yml): typed, validated with line numbers, with a change log and messages."""
from __future__ import annotations

import textwrap

import pytest
from conftest import DEMO

from codesign.core.errors import InputError
from codesign.core.programme import load_programme
from codesign.core.project import load_project

PROGRAMME = textwrap.dedent("""\
    programme:
      title: Testiohjelma
      period: [2024, 2026]
      status: luonnos
      vision: Kylä elää.
    themes:
      - id: T1
        title: Matkailu
        goals:
          - id: T1.G1
            text: Kesäyöpymisten osuus nousee.
            indicator: Touko–marraskuun yöpymisten osuus
            unit: "%"
            baseline: 24
            baseline_year: 2022
            target: 35
            target_year: 2026
            lexicon: [Ympärivuotisuus, kesäkausi]
          - id: T1.G2
            text: Foorumi toimii.
            measurable: false
            indicator: Foorumin kokoukset (laadullinen arvio)
        actions:
          - id: T1.A1
            text: Tuotekehitysohjelma.
            owner: matkailuyhdistys
    communication:
      audiences: [yrittäjä, asukkaat]
      channels: [uutiskirje]
      messages:
        - audience: yrittäjä
          message: Ohjelma on tehty yhdessä.
          timing: tammikuu
          channel: uutiskirje
          owner: elinkeinoasiamies
    changes:
      - id: M1
        target: T1.G1
        change: Mittarin rinnalle lisättiin mökkivuokraus.
        reason: Rekisteröidyt yöpymiset eivät kata sitä.
        comments: [5, 7]
    """)


def _write(tmp_path, text=PROGRAMME):
    path = tmp_path / "programme.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_programme_loads_typed(tmp_path):
    programme = load_programme(_write(tmp_path))
    assert [t.id for t in programme.themes] == ["T1"] and programme.years == [2024, 2025, 2026]
    goals = {g.id: g for g in programme.goals}
    assert goals["T1.G1"].baseline == 24 and goals["T1.G1"].target == 35 and goals["T1.G1"].unit == "%"
    assert goals["T1.G1"].lexicon == ("ympärivuotisuus", "kesäkausi")          # base forms, casefolded
    assert goals["T1.G2"].measurable is False and goals["T1.G2"].baseline is None
    assert programme.status == "luonnos" and programme.audiences == ["yrittäjä", "asukkaat"]
    assert programme.messages[0].audience == "yrittäjä" and programme.messages[0].owner == "elinkeinoasiamies"
    change = programme.changes[0]
    assert (change.id, change.target, change.comments) == ("M1", "T1.G1", ("5", "7"))


@pytest.mark.parametrize("edit, message, line", [
    (("baseline: 24\n", "baseline: noin 24\n"), "baseline: 'noin 24' is not a number (write the number alone", 14),
    (("baseline_year: 2022\n", "baseline_year: 2022.5\n"), "baseline_year: 2022.5 is not a whole number", 15),
    (("measurable: false\n", "measurable: ei\n"), "measurable: 'ei' is not true or false", 21),
    # a single word where a list belongs was read letter by letter; a typo in a key was ignored
    (("lexicon: [Ympärivuotisuus, kesäkausi]", "lexicon: kesäkausi"), "lexicon: 'kesäkausi' is not a list", 18),
    (("  audiences: [yrittäjä, asukkaat]", "  audiences: yrittäjä"), "audiences: 'yrittäjä' is not a list", 28),
    (("        target: 35\n", "        tagret: 35\n"), "unknown key 'tagret' in themes, entry 1 (T1), goals", 16),
    (("communication:\n", "communication: uutiskirje\nx:\n"), "communication: 'uutiskirje' is not a mapping", 27),
    (("period: [2024, 2026]", "period: [2026, 2024]"), "period must be two years", 3),
    (("      - id: T1.G2\n", "      - id: T1.G1\n"), "repeats", None),
    (("      - id: T1.G2\n", "      - id: T2.G9\n"), "does not start with its theme id", 19),
    (("  title: Testiohjelma\n", ""), "needs the key 'title'", 2),
    (("    target: T1.G1\n", "    target: T9.G9\n"), "targets 'T9.G9', which is no theme, goal or action", 38),
    (("    - audience: yrittäjä\n", "    - audience: matkailijat\n"), "unknown audience 'matkailijat'", 31),
])
def test_programme_errors_name_the_line(tmp_path, edit, message, line):
    assert edit[0] in PROGRAMME
    with pytest.raises(InputError) as info:
        load_programme(_write(tmp_path, PROGRAMME.replace(edit[0], edit[1], 1)))
    assert message in info.value.message
    assert info.value.line is not None
    if line is not None:
        assert info.value.line == line


def test_the_draft_is_the_programme_the_analytics_validate(tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    config = "name: p\nstages: [{id: interview}]\nsources: []\nprogramme: programme.yml\n"
    (root / "project.yml").write_text(config, encoding="utf-8")
    assert load_project(root).validated_programme_path == root / "programme.yml"
    (root / "project.yml").write_text(config + "programme_draft: luonnos.yml\n", encoding="utf-8")
    project = load_project(root)
    assert project.validated_programme_path == root / "luonnos.yml" and project.programme_path == root / "programme.yml"


def test_the_demo_programme_loads():
    programme = load_programme(DEMO / "programme.yml")
    assert [t.id for t in programme.themes] == ["T1", "T2", "T3", "T4", "T5"] and len(programme.goals) == 15
