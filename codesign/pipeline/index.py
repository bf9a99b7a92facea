"""The landing page of a build (``index.html``, Jinja2, autoescaped): findings, the verdict matrix, the
proposals, what changed since the previous build, then the reports and the build's details."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from codesign.core.errors import CodesignError
from codesign.core.project import Project
from codesign.outputs.markup import with_csp


def landing_and_news(project: Project, out_dir: Path, previous: dict | None, language: str):
    """The landing page's findings, and what changed since the previous build: this build's findings are kept
    as ``findings.json`` in its folder, and compared with the previous folder's. Returns (context for
    ``render_index``, the changes in English for the command's output, or None without a comparable build)."""
    from codesign.outputs import findings as F

    try:        # read once: the landing page and the snapshot (in Finnish) share it
        evidence = F.Evidence.load(project, language)
    except CodesignError:
        evidence = None                 # landing() reads it again and says why
    context = landing(project, language, {}, evidence=evidence)
    try:
        current = F.write_snapshot(project, out_dir, evidence if language == "fi" else None)
    except CodesignError as exc:
        context["not_analysed"] = context.get("not_analysed") or str(exc)
        return context, None
    if not previous:
        return context, None
    before = F.read_snapshot(Path(previous["_dir"]))
    name = Path(previous["_dir"]).name
    context["previous"] = {"name": name, "href": f"../{name}/index.html"}
    if before is None:
        return context, None
    context["changes"] = F.compare(before, current, language)
    return context, F.compare(before, current, "en")




# ---------------------------------------------------------------------------------------------- index
_INDEX_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem auto;max-width:72rem;color:#1d1d1d;
  padding:0 1rem;font-size:16px;line-height:1.45}
h1{font-size:1.9rem;margin:0.1rem 0 0.6rem}.kicker{color:#555;margin:0;font-size:0.95rem}
h2{font-size:1.35rem;margin:1.6rem 0 0.5rem}
table{border-collapse:collapse;margin:0.4rem 0 1rem;font-size:15px}
th,td{border-bottom:1px solid #d6d6d6;padding:0.35rem 0.6rem;text-align:left;vertical-align:top}
thead th{background:#f2f4f7}
table.matrix th[scope=row]{width:34%;font-weight:normal}
table.matrix .name{font-weight:600}table.matrix .sub{display:block}
ul.goals{list-style:none;margin:0;padding:0}ul.goals li{margin:0.15rem 0}
.keybox ol.findings{margin:0.3rem 0 0.2rem;padding-left:1.4rem}.keybox li{margin:0.3rem 0}
.proposals li{margin:0.45rem 0}.acted{color:#2E7D32}.partly{color:#8a5a00}.open{color:#B00020}
.failed{color:#b00020;font-weight:bold}.ok{color:#1b5e20}.unchanged,.kept{color:#555}
details.build-details{margin-top:2rem;color:#333}details.build-details summary{cursor:pointer;font-weight:600}
pre{white-space:pre-wrap;background:#fafafa;padding:0.5rem;border:1px solid #eee}code{font-size:0.9em}
"""


def _jinja():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                              autoescape=True, trim_blocks=False, lstrip_blocks=False)


def landing(project: Project | None, language: str, meta: dict, previous: dict | None = None,
            evidence=None) -> dict:
    """What the landing page shows besides the build: headline findings, the verdict matrix, the proposals
    and what changed since the previous build (empty when the analysis has not run or cannot be read).
    ``evidence``: the build's ``findings.Evidence`` in ``language`` when the caller has read it already."""
    from codesign.outputs import findings as F

    out: dict = {"findings": [], "matrix": [], "proposals": [], "changes": [], "has_changes": False,
                 "not_analysed": ""}
    if project is None:
        return out
    try:
        evidence = evidence if evidence is not None else F.Evidence.load(project, language)
    except CodesignError as exc:
        out["not_analysed"] = str(exc)
        return out
    if evidence is None:
        return out
    out["findings"] = evidence.headlines()
    out["matrix"] = evidence.matrix()
    out["proposals"] = evidence.proposals()
    out["has_changes"] = bool(evidence.programme and evidence.programme.changes)
    return out


def render_index(meta: dict, language: str = "fi", context: dict | None = None) -> str:
    """The landing page of a build (Jinja2, autoescaped): what the process found first — key findings linked to
    their evidence, the verdict matrix of themes and goals, the proposals for the committee, what changed since
    the previous build — then the reports with what each is for, the deliverables, and the build details
    folded away."""
    from codesign.core.i18n import LABELS, percent, t
    from codesign.outputs.findings import VERDICT_ORDER
    from codesign.outputs.report import CSS, badge_text, report_purpose, report_title

    context = dict(context or {})

    def tr(key: str, **values) -> str:
        text = t(key, language)
        return text.format(**values) if values else text

    notebooks = []
    for nb in meta["notebooks"]:
        status = t(f"status.{nb['status']}", language)
        if nb["status"] in ("unchanged", "kept") and nb.get("built_in"):
            status += f" ({nb['built_in']})"       # the build that made these outputs
        notebooks.append({**nb, "display_title": report_title(nb["name"], language, nb["title"]),
                          "purpose": report_purpose(nb["name"], language), "status_text": status})
    purposes = {"seurantapohja.xlsx": "deliverable.monitoring",
                "viestintasuunnitelma.xlsx": "deliverable.communication",
                "committee_summary.docx": "deliverable.summary", "committee_summary_en.docx": "deliverable.summary"}
    deliverables = [{"name": name, "purpose": t(purposes[name], language) if name in purposes else ""}
                    for name in meta.get("deliverables", [])]
    summary = next((d["name"] for d in deliverables if d["name"].startswith("committee_summary")), None)
    finished = meta.get("finished", "")
    try:        # "2026-12-04 17:18:23 UTC" as the reader writes a date and time
        moment = dt.datetime.strptime(finished, "%Y-%m-%d %H:%M:%S UTC")
        finished = (f"{moment.day}.{moment.month}.{moment.year} klo {moment:%H.%M} UTC" if language == "fi"
                    else f"{moment.day} {moment:%B %Y, %H:%M} UTC")
    except ValueError:
        pass
    template = _jinja().get_template("index.html")
    return with_csp(template.render(
        lang=language, meta=meta, css=_INDEX_CSS + CSS, tr=tr, notebooks=notebooks, deliverables=deliverables,
        errors=[nb for nb in meta["notebooks"] if nb.get("error")], finished=finished,
        params=[(k, json.dumps(v, ensure_ascii=False)) for k, v in sorted(meta["parameters"].items())],
        badge=lambda v: badge_text(v, language), pct=lambda v: percent(v, language),
        legend=[v for v in VERDICT_ORDER if f"verdict.{v}" in LABELS], deliverable_summary=summary,
        findings=context.get("findings", []), matrix=context.get("matrix", []),
        proposals=context.get("proposals", []), has_changes=context.get("has_changes", False),
        changes=context.get("changes", []), previous=context.get("previous"),
        not_analysed=context.get("not_analysed", "")))
