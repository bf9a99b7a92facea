"""Scanning what a reader meets for words of the wrong language and for the configuration's own words.

The rendered reports (HTML), the committee summary (.docx) and the workbooks (.xlsx) are reduced to the text a
reader sees: no scripts, styles or embedded images; not the build details folded away on the landing page
(``data-language-scan="skip"``), not passages marked as another language (``lang="…"``), and not quoted
material (”…”, ``<q>``, ``<blockquote>``, the summary's Quote paragraphs): participants' words are theirs.
"""
from __future__ import annotations

import dataclasses
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from codesign.analysis.columns import CONTRACT
from codesign.analysis.params import AnalysisParams
from codesign.core.i18n import REASONS

#: Words of the configuration and of the tables' contract that must not reach a reader.
CONFIG_WORDS = ({f.name for f in dataclasses.fields(AnalysisParams)} | {c for cs in CONTRACT.values() for c in cs}
                | set(REASONS) | {"fisher_exact", "kendall_w", "insufficient_evidence", "needs_refinement",
                                 "not_supported", "programme.yml", "project.yml", "codesign analyse"})
CONFIG_WORDS = {w for w in CONFIG_WORDS if "_" in w or "." in w or " " in w}
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
#: English a Finnish reader should not meet (whole words, case-sensitive where a Finnish word could clash).
ENGLISH = ["the", "and", "of", "with", "coverage", "interviewees", "participants", "support", "supports",
           "question", "questions", "refine", "position", "chosen", "human", "machine", "True", "False", "topic",
           "overall", "verdict", "theme", "themes", "goal", "goals", "survey", "group", "confirmed",
           "needs refinement", "not supported", "insufficient evidence", "unknown", "descriptive", "small n",
           "lexicon", "score", "threshold", "segments", "respondents", "Reports", "Status", "Duration"]
#: Finnish labels of codesign's own an English reader should not meet.
FINNISH = ["vahvistettu", "tarkennettava", "ei tuettu", "liian vähän näyttöä", "haastateltavaa", "osallistujaa",
           "Tärkeimmät havainnot", "Sisältö", "Etusivu", "näyttö", "kyllä", "vastaajaa", "kaatoluokka"]
DECIMAL_POINT = re.compile(r"(?<![\d.\w])\d+\.\d+(?![\d.])")
SCIENTIFIC = re.compile(r"\b\d(?:\.\d+)?[eE][-+]?\d+\b")
FILE_NAME = re.compile(r"[\w/.-]+\.(?:csv|xlsx|docx|json|parquet|ipynb|html)\b")
QUOTED = re.compile(r"[”“\"][^”“\"\n]{0,600}[”\"]")
#: Names of organisations in the programme's text (House of Lapland) are names, not English.
PROPER_NAME = re.compile(r"\b[A-ZÅÄÖ][\w-]+(?: (?:of|and|the|for) [A-ZÅÄÖ][\w-]+)+")


class _Visible(HTMLParser):
    """The text of an HTML page a reader sees, in the page's language."""

    SKIP = {"script", "style", "q", "blockquote", "title", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.language = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.language = attrs.get("lang", "")
        skip = (tag in self.SKIP or attrs.get("data-language-scan") == "skip"
                or (attrs.get("lang") and tag != "html" and attrs.get("lang") != self.language)
                or (self.stack and self.stack[-1][1]))
        if tag not in ("br", "img", "meta", "link", "input", "hr", "col"):
            self.stack.append((tag, bool(skip)))

    def handle_endtag(self, tag):
        while self.stack:
            name, _ = self.stack.pop()
            if name == tag:
                break

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.parts.append(data)


def html_text(path: Path) -> tuple[str, str]:
    """(the page's ``lang``, its visible text)."""
    parser = _Visible()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser.language, " ".join(" ".join(parser.parts).split())


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs if p.style.name != "Quote"]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    parts = list(wb.sheetnames)
    for sheet in wb.worksheets:
        if sheet.sheet_state != "visible":
            continue
        for row in sheet.iter_rows(values_only=True):
            parts += [str(v) for v in row if isinstance(v, str)]
    return "\n".join(parts)


def text_of(path: Path) -> str:
    path = Path(path)
    if path.suffix == ".html":
        return html_text(path)[1]
    if path.suffix == ".docx":
        return docx_text(path)
    if path.suffix == ".xlsx":
        return xlsx_text(path)
    raise ValueError(path)


def problems(text: str, language: str = "fi") -> list[str]:
    """What a reader of ``language`` should not meet in ``text``: configuration words, words of the other
    language, and (Finnish) numbers written with a decimal point or in scientific notation."""
    text = PROPER_NAME.sub(" ", FILE_NAME.sub(" ", QUOTED.sub(" ", text)))
    found = [f"config: {w}" for w in sorted(CONFIG_WORDS) if re.search(rf"(?<![\w.-]){re.escape(w)}(?![\w-])", text)]
    found += [f"config: {m}" for m in sorted(set(SNAKE.findall(text))) if f"config: {m}" not in found]
    words = ENGLISH if language == "fi" else FINNISH
    found += [f"{'english' if language == 'fi' else 'finnish'}: {w}" for w in words
              if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    found += [f"scientific: {m}" for m in sorted(set(SCIENTIFIC.findall(text)))]
    if language == "fi":
        clock = re.compile(r"klo \d{1,2}\.\d{2}")
        found += [f"decimal point: {m}" for m in sorted(set(DECIMAL_POINT.findall(clock.sub(" ", text))))]
    return found


def scan(paths, language: str = "fi") -> dict[str, list[str]]:
    """File name → its problems (files without any are left out); an HTML page in another language is one."""
    out = {}
    for path in paths:
        path = Path(path)
        found = []
        if path.suffix == ".html":
            lang, text = html_text(path)
            if lang != language:
                found.append(f'<html lang="{lang}">')
        else:
            text = text_of(path)
        found += problems(text, language)
        if found:
            out[path.name] = found
    return out


def is_office(path: Path) -> bool:
    return zipfile.is_zipfile(path)
