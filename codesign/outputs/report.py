"""Report helpers for the notebooks: each report cell is a few lines that read as the report's outline.

A ``Report`` knows the project, its language, its codebook and programme, and shows what a reader meets: the
title with a "key findings" box, a table of contents with previous/next links to the other reports, sections
with anchors, tables (14 px and more, verdicts as colour + symbol + word, ids with their names), figures whose
alternative text states the finding, quotes with their segment ids, and a method appendix with the thresholds
in plain words. Everything inserted into HTML here is escaped; the style sheet prints cleanly.
"""
from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from codesign.core.i18n import LABELS, check_language, code_label, group_label, number, percent, stage_label, t
from codesign.core.i18n import verdict_label as _verdict_label
from codesign.outputs.style import VERDICT_STYLES, verdict_style

esc = html.escape


def _verdict_css() -> str:
    rules = []
    for verdict, style in VERDICT_STYLES.items():
        rules.append(f".badge.{verdict}{{color:#{style.text};background:#{style.fill};border-color:#{style.text}}}")
    return "\n".join(rules)


#: The style sheet of the reports and the landing page: readable tables (15 px), verdict badges, the key-findings
#: box, navigation, and print rules (no navigation, no rows split across pages, headings kept with their text).
CSS = """
.cs-report{font-size:16px;line-height:1.5;max-width:72rem}
.jp-OutputArea-output.jp-RenderedHTMLCommon table,.cs-table{font-size:15px!important;table-layout:auto!important;
  margin-left:0!important;border-collapse:collapse}
.jp-OutputArea-output.jp-RenderedHTMLCommon table td,.jp-OutputArea-output.jp-RenderedHTMLCommon table th,
.cs-table td,.cs-table th{text-align:left!important;vertical-align:top;padding:0.35em 0.6em;
  border-bottom:1px solid #d0d0d0}
.cs-table th{background:#f2f4f7;font-weight:600}
.cs-table td.num,.cs-table th.num{text-align:right!important;font-variant-numeric:tabular-nums}
.badge{display:inline-block;white-space:nowrap;border:1px solid;border-radius:0.8em;padding:0 0.55em;
  font-weight:600;font-size:0.95em}
.keybox{border-left:6px solid #1f4e79;background:#eef3f9;padding:0.6em 1.2em;margin:1em 0 1.4em}
.keybox h2{margin-top:0.2em;font-size:1.3em}
.keybox li{margin:0.35em 0}
nav.cs-nav{display:flex;flex-wrap:wrap;gap:0.4em 1.4em;font-size:15px;padding:0.5em 0;border-bottom:1px solid #ccc}
nav.cs-toc ol{columns:2;font-size:15px;margin:0.3em 0 1em}
.cs-quotes li{margin:0.4em 0}.cs-quotes q{font-style:italic}
.cs-muted,.sub{color:#555;font-size:0.92em}
.cs-method li{margin:0.3em 0}
mark{background:#fff1a8;padding:0 0.1em}
@media print{
  nav.cs-nav,nav.cs-toc{display:none}
  .cs-report{font-size:11pt;max-width:none}
  .cs-table,.jp-OutputArea-output.jp-RenderedHTMLCommon table{font-size:10pt!important}
  tr,img,.keybox,li{break-inside:avoid;page-break-inside:avoid}
  thead{display:table-header-group}
  h2,h3{break-after:avoid;page-break-after:avoid}
  a{color:inherit;text-decoration:none}
  .badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
""" + _verdict_css()


def badge(verdict, language: str = "fi") -> str:
    """A verdict as HTML: colour, symbol and word (``✗ ei tuettu``), so colour never carries it alone."""
    if verdict is None or verdict != verdict or verdict == "":
        return ""
    style = verdict_style(verdict)
    word = _verdict_label(verdict, language)
    return f'<span class="badge {esc(str(verdict))}">{esc(style.symbol)} {esc(word)}</span>'.replace("  ", " ")


def badge_text(verdict, language: str = "fi") -> str:
    """The same as plain text (``✗ ei tuettu``), for the workbooks, the summary and figure labels."""
    if verdict is None or verdict != verdict or verdict == "":
        return ""
    symbol = verdict_style(verdict).symbol
    return f"{symbol} {_verdict_label(verdict, language)}".strip()


def html_table(frame: pd.DataFrame, html_columns=(), numeric=(), caption: str = "") -> str:
    """``frame`` as an HTML table, every cell escaped except ``html_columns`` (made by these helpers, e.g.
    badges); ``numeric`` columns right-aligned. No index."""
    head = "".join(f'<th class="num">{esc(str(c))}</th>' if c in numeric else f"<th>{esc(str(c))}</th>"
                   for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, values):
            text = "" if value is None or (not isinstance(value, (list, tuple)) and value != value) else value
            text = str(text) if column in html_columns else esc(str(text))
            cells.append(f'<td class="num">{text}</td>' if column in numeric else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="cs-table">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


@dataclass
class ReportLink:
    name: str
    title: str
    href: str


def report_title(name: str, language: str, fallback: str = "") -> str:
    """A report's title in ``language``: ``nbNN.title`` of the wording when there is one, else its own."""
    key = f"nb{name[:2]}.title"
    return LABELS[key][language] if key in LABELS else (fallback or name)


def report_purpose(name: str, language: str) -> str:
    key = f"nb{name[:2]}.purpose"
    return LABELS[key][language] if key in LABELS else ""


def report_links(folder: Path | str | None = None, language: str = "fi") -> list[ReportLink]:
    """The reports beside this one (``NN_*.ipynb`` of the notebooks folder: ``$CODESIGN_NOTEBOOKS_DIR`` when a
    build runs notebooks two at a time, else the kernel's working folder), in order, with their titles in
    ``language``."""
    if folder is None:
        folder = os.environ.get("CODESIGN_NOTEBOOKS_DIR") or Path.cwd()
    folder = Path(folder)
    out = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        try:
            title = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("codesign", {}).get(
                "title", "")
        except ValueError:
            title = ""
        out.append(ReportLink(path.stem, report_title(path.stem, language, title), f"{path.stem}.html"))
    return out


def _display(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


class Report:
    """One report notebook: its project, language, names and the parts a reader meets.

    >>> r = Report("04_interviews", project, "fi")          # doctest: +SKIP
    >>> r.start(findings, sections=["teemat", "tavoitteet"])  # doctest: +SKIP
    """

    def __init__(self, name: str, project=None, language: str = "fi", themes=None, groups=None) -> None:
        import warnings

        from codesign.core.project import load_project
        from codesign.outputs.explore import project_codebook
        from codesign.outputs.plots import set_language

        # library warnings (matplotlib's layout, pandas' deprecations) are not for the report's reader
        warnings.filterwarnings("ignore")
        self.name = name
        self.language = check_language(language)
        set_language(self.language)
        self.project = load_project(project)
        self.codebook = project_codebook(self.project)
        self.groups = list(groups) if groups else None
        self._themes = list(themes) if themes else None
        self.sections: list[tuple[str, str]] = []
        self._evidence = None

    # -- words and names ----------------------------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        text = t(key, self.language)
        return text.format(**values) if values else text

    @property
    def theme_ids(self) -> list[str]:
        if self._themes:
            return self._themes
        return self.codebook.themes if self.codebook is not None else []

    def theme_name(self, code) -> str:
        return code_label(self.codebook, code, self.language) if isinstance(code, str) else ""

    def code_name(self, code) -> str:
        return code_label(self.codebook, code, self.language, with_id=False) if isinstance(code, str) else ""

    def group_name(self, group) -> str:
        return group_label(group, self.language)

    def stage_name(self, stage) -> str:
        return stage_label(stage, self.language)

    def verdict(self, verdict) -> str:
        """A verdict with its sign (``✗ ei tuettu``)."""
        return badge_text(verdict, self.language)

    def verdict_word(self, verdict) -> str:
        """A verdict, stance or strength as a word (``kyseenalaistaa``)."""
        return _verdict_label(verdict, self.language)

    def pct(self, share) -> str:
        return percent(share, self.language)

    def num(self, value, digits: int = 0) -> str:
        return number(value, self.language, digits)

    @property
    def evidence(self):
        """The analysis tables with names for every id (``codesign.outputs.findings.Evidence``), or None."""
        if self._evidence is None:
            from codesign.outputs.findings import Evidence

            self._evidence = Evidence.load(self.project, self.language)
        return self._evidence

    def goal_name(self, goal_id: str, limit: int = 60) -> str:
        return self.evidence.goal_name(goal_id, limit) if self.evidence is not None else goal_id

    def label(self, frame: pd.DataFrame, **columns) -> pd.DataFrame:
        """``frame`` with the named columns shown as names: ``stage="stage"``, ``group="group"``,
        ``theme="theme"`` (id with name), ``code="statements"`` (name only), ``goal="goal_id"``."""
        name = {"stage": self.stage_name, "group": self.group_name, "theme": self.theme_name, "code": self.code_name,
                "goal": self.goal_name}
        out = frame.copy()
        for kind, column in columns.items():
            out[column] = out[column].map(name[kind])
        return out

    def strongest(self, frame: pd.DataFrame, index: str, columns: str, value: str, share: bool = False) -> str:
        """The largest cell of a tidy table as words (``Haastattelut – yrittäjä: 120``), for alternative texts."""
        data = frame.dropna(subset=[value]).reset_index(drop=True)
        if data.empty:
            return self.t("caption.empty")
        row = data.loc[data[value].idxmax()]
        shown = self.pct(row[value]) if share else self.num(row[value])
        return self.t("report.strongest", cell=f"{row[index]} – {row[columns]}", value=shown)

    # -- the parts of a report ----------------------------------------------------------------------------
    def start(self, findings=(), sections=(), intro_key: str | None = None) -> None:
        """Title, the project, the report's purpose, a "key findings" box, the table of contents and links to
        the previous and next report. ``sections``: anchors (in order) whose headings are ``section()``'s."""
        self.sections = [(anchor, self.t(key)) for anchor, key in sections]
        title = report_title(self.name, self.language)
        intro = self.t(intro_key or f"nb{self.name[:2]}.intro") if (intro_key or f"nb{self.name[:2]}.intro") in LABELS \
            else ""
        items = "".join(f"<li>{esc(getattr(f, 'text', f))}"
                        + (f' <a href="{esc(f.link)}">{esc(self.t("index.evidence"))} →</a>'
                           if getattr(f, "link", "") else "") + "</li>" for f in findings)
        box = (f'<section class="keybox"><h2>{esc(self.t("report.key_findings"))}</h2><ul>{items}</ul></section>'
               if items else "")
        toc = "".join(f'<li><a href="#{esc(a)}">{esc(h)}</a></li>' for a, h in self.sections)
        toc = f'<nav class="cs-toc"><b>{esc(self.t("report.contents"))}</b><ol>{toc}</ol></nav>' if toc else ""
        _display(f"<style>{CSS}</style>" + self._nav() + f'<div class="cs-report"><h1>{esc(title)}</h1>'
                 f'<p><b>{esc(self.project.title)}</b> — {esc(intro)}</p>{box}{self._machine_note()}{toc}</div>')

    def _machine_note(self) -> str:
        """What rests on machine codes (their share, their agreement with people, whether the verdicts hold on
        human codes alone), as a muted paragraph; nothing when the project has no codings yet."""
        from codesign.core.errors import CodesignError
        from codesign.outputs.explore import machine_code_note

        try:
            note = machine_code_note(self.project, self.language)
        except (CodesignError, OSError):
            return ""
        title, _, rest = note.partition("** ")
        return f'<p class="cs-muted"><b>{esc(title.strip("*"))}</b> {esc(rest)}</p>'

    def _nav(self) -> str:
        links = report_links(language=self.language)
        names = [link.name for link in links]
        parts = [f'<a href="index.html">{esc(self.t("report.home"))}</a>']
        if self.name in names:
            i = names.index(self.name)
            if i > 0:
                parts.append(f'<a href="{esc(links[i - 1].href)}" rel="prev">← {esc(links[i - 1].title)}</a>')
            if i + 1 < len(links):
                parts.append(f'<a href="{esc(links[i + 1].href)}" rel="next">{esc(links[i + 1].title)} →</a>')
        return f'<nav class="cs-nav">{"".join(parts)}</nav>'

    def section(self, anchor: str, note: str = "") -> None:
        """A section heading with its anchor (the table of contents links to it) and an optional lead."""
        heading = dict(self.sections).get(anchor, anchor)
        lead = f"<p>{esc(note)}</p>" if note else ""
        _display(f'<h2 id="{esc(anchor)}">{esc(heading)}</h2>{lead}')

    def heading(self, text: str, level: int = 3) -> None:
        _display(f"<h{level}>{esc(text)}</h{level}>")

    def text(self, text: str, muted: bool = False) -> None:
        _display(f'<p class="{"cs-muted" if muted else ""}">{esc(text)}</p>')

    def bullets(self, items) -> None:
        _display("<ul>" + "".join(f"<li>{esc(str(i))}</li>" for i in items) + "</ul>")

    def material(self, text) -> str:
        """Participants' words as HTML marked in the material's language (escaped): ``<q lang="fi">…</q>``."""
        return f'<q lang="{esc(self.project.language)}">{esc(" ".join(str(text or "").split()))}</q>'

    def table(self, frame: pd.DataFrame, verdicts=(), numeric=(), drop_constant: bool = False, html=()) -> None:
        """A table: ``verdicts`` columns (verdict values) shown as badges, ``numeric`` right-aligned, ``html``
        columns made by these helpers (``material``); ``drop_constant`` leaves out a column that says the same
        on every row and says so below."""
        frame = frame.copy()
        note = ""
        if drop_constant and len(frame) > 1:
            same = [c for c in frame.columns if frame[c].astype(str).nunique() == 1]
            if same:
                note = "; ".join(f"{c}: {_plain(frame[c].iloc[0], self.language)}" for c in same)
                frame = frame.drop(columns=same)
        for column in verdicts:
            frame[column] = frame[column].map(lambda v: badge(v, self.language))
        markup = html_table(frame, html_columns=set(verdicts) | set(html), numeric=set(numeric))
        if note:
            markup += f'<p class="cs-muted">{esc(self.t("report.same_for_all"))} {esc(note)}</p>'
        _display(markup)

    def figure(self, fig, alt: str) -> None:
        """A figure with alternative text that states what it shows (the finding, not only the title)."""
        from codesign.outputs.plots import show

        show(fig, alt=alt)

    def quotes(self, rows: pd.DataFrame, text_column: str = "quote") -> None:
        """Pseudonymised quotes, each with its segment id and who said it (participant code, group, stage)."""
        from codesign.core.text import excerpt

        if rows is None or len(rows) == 0:
            self.text(self.t("caption.empty"), muted=True)
            return
        items = []
        for row in rows.to_dict("records"):
            quote = excerpt(str(row.get(text_column) or row.get("text") or ""), 300)
            if quote.startswith("“") and quote.endswith(")"):        # explore.quotes: “text” (id)
                quote = quote.rsplit(" (", 1)[0].strip("“”")
            who = [str(row["participant"])] if isinstance(row.get("participant"), str) and row["participant"] else []
            who.append(self.group_name(row.get("group")))
            if row.get("stage"):
                who.append(self.stage_name(row["stage"]))
            extra = f" — {esc(str(row['note']))}" if row.get("note") else ""
            items.append(f'<li>{self.material(quote)} <span class="cs-muted">({esc(str(row["segment_id"]))}; '
                         f'{esc(", ".join(who))}){extra}</span></li>')
        _display(f'<ul class="cs-quotes">{"".join(items)}</ul>')

    def method(self, used: dict, keys=None) -> None:
        """The method appendix: the rules behind the verdicts with the thresholds used, in plain words."""
        _display(f'<h2 id="menetelma">{esc(self.t("report.method"))}</h2>')
        _display('<ul class="cs-method">' + "".join(f"<li>{esc(line)}</li>" for line in method_lines(
            used, self.language, keys)) + "</ul>")

    def end(self) -> None:
        _display(self._nav())


def _plain(value, language: str) -> str:
    if isinstance(value, bool):
        return t("word.yes" if value else "word.no", language)
    return str(value)


#: The rules of the method appendix and the parameters each needs (docs/schema.md).
METHOD_RULES = {
    "method.themes": ("min_coverage", "confirm_coverage", "scope_min_participants", "scope_min_share"),
    "method.subcodes": ("subcode_min_participants",),
    "method.perspective": ("perspective_min_n", "alpha", "perspective_gap", "perspective_rank_gap"),
    "method.goals": ("goal_min_voices", "goal_unsupported_question_share", "goal_max_support_share",
                     "goal_refine_question_share", "goal_refine_share"),
    "method.survey": ("ci_level", "bootstrap", "small_n", "top_k"),
    "method.emergent": ("emergent_min_participants", "emergent_min_uncovered", "emergent_min_persistence",
                        "emergent_max_topics"),
}
_SHARES = {"min_coverage", "confirm_coverage", "scope_min_share", "perspective_gap", "goal_unsupported_question_share",
           "goal_max_support_share", "goal_refine_question_share", "goal_refine_share", "ci_level",
           "emergent_min_uncovered", "emergent_min_persistence"}


def method_lines(used: dict, language: str = "fi", keys=None) -> list[str]:
    """The rules behind the verdicts as sentences with the thresholds the analysis used (``analysis_report.json``
    parameters): the configuration's names stay in docs/schema.md, the reader gets the numbers."""
    out = []
    for key, names in METHOD_RULES.items():
        if keys is not None and key not in keys:
            continue
        if not all(n in used for n in names):
            continue
        values = {n: percent(used[n], language) if n in _SHARES else number(used[n], language, 2 if n == "alpha"
                                                                                 else 0) for n in names}
        out.append(t(key, language).format(**values))
    return out
