"""REFI-QDA project exchange (``.qdpx``): the whole coded project out, another tool's coding back in.

A ``.qdpx`` is a zip holding one project XML (``project.qde``, namespace ``urn:QDA-XML:project:1.0``) and the
source texts under ``sources/``. Export writes:

- every ``build/sources/<id>.txt`` (pseudonymised) as a ``TextSource`` whose plain text is in the archive;
- the codebook as nested ``Code`` elements (the same mapping as the ``.qdc`` exchange) and the code kinds as
  ``codesign:<kind>`` sets;
- every final coding of ``build/codings.parquet`` as a ``PlainTextSelection`` over its segment (code-point
  offsets, end exclusive, from ``segments.parquet``) with one ``Coding`` per code, created by the user
  ``human`` or ``machine``;
- every participant as a ``Case`` with ``group`` and ``sector`` variable values.

GUIDs are uuid5 of the ids, and the zip carries fixed timestamps, so the same build exports the same bytes.

Import (``read_qdpx`` for any project file, ``import_qdpx`` against a codesign project) is tolerant of what
real exports do; see docs/interop.md for the rules.
"""
from __future__ import annotations

import re
import unicodedata
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from codesign._version import __version__
from codesign.coding.codebook import _GUID_NS, Codebook, add_code_elements, add_kind_sets, load_codebook
from codesign.core.errors import CodesignError, InputError
from codesign.core.project import Project, load_project
from codesign.core.safety import DEFAULT_LIMITS, Limits, open_zip, read_member
from codesign.privacy.leakcheck import guard

NS = "urn:QDA-XML:project:1.0"
PROJECT_XML = "project.qde"
SOURCES_DIR = "sources"
USERS = {"human": "codesign human coder (reference coding)", "machine": "codesign machine coder"}
#: A selection codes a segment when their overlap is at least this share of the segment or of the selection.
OVERLAP_SHARE = 0.5
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def guid(kind: str, key: str) -> str:
    """A stable GUID for a thing of ``kind`` (source, selection, case…) with id ``key``."""
    return str(uuid.uuid5(_GUID_NS, f"{kind}:{key}"))


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


# --- export -----------------------------------------------------------------------------------------

def export_qdpx(project: Project | str | Path | None, out_path: Path | str) -> Path:
    """Write the coded project as a REFI-QDA project file; returns the path written."""
    out_path = Path(out_path)
    if out_path.suffix.lower() != ".qdpx" or out_path.is_dir():
        raise InputError(out_path, "the file to write must be a .qdpx file",
                         hint="codesign export-qdpx [PROJECT] OUT.qdpx")
    project = load_project(project)
    build = project.build_dir
    for needed in ("segments.parquet", "codings.parquet"):
        if not (build / needed).is_file():
            raise CodesignError(f"{build / needed} not found: run `codesign ingest {project.root}` and "
                                f"`codesign code {project.root}` first")
    if project.codebook_path is None:
        raise CodesignError(f"{project.config_path}: no `codebook:` to export")
    codebook = load_codebook(project.codebook_path)
    segments = pd.read_parquet(build / "segments.parquet")
    codings = pd.read_parquet(build / "codings.parquet")
    final = codings[codings["final"]]
    unknown = sorted(set(final["code"]) - set(codebook.codes))
    if unknown:
        raise CodesignError(f"build/codings.parquet uses codes not in the codebook: {', '.join(unknown)}; "
                            f"re-run `codesign code {project.root}`")
    texts = {}
    for source_id in sorted(segments["source_id"].unique()):
        path = build / "sources" / f"{source_id}.txt"
        if not path.is_file():
            raise CodesignError(f"{path} not found: run `codesign ingest {project.root}` again")
        texts[source_id] = path.read_text(encoding="utf-8")
    xml = project_xml(project.name, codebook, segments, final, texts)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_member(archive, PROJECT_XML, xml)
        for source_id, text in texts.items():
            _write_member(archive, f"{SOURCES_DIR}/{guid('source', source_id)}.txt", text.encode("utf-8"))
    tmp.replace(out_path)
    # The export leaves the project: the same privacy gate as every other output (deleted on a leak).
    guard(project, [out_path])
    return out_path


def _write_member(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def project_xml(name: str, codebook: Codebook, segments: pd.DataFrame, final: pd.DataFrame,
                texts: dict[str, str]) -> bytes:
    """The ``project.qde`` document (Project-mrt2019.xsd) for final codings over segments."""
    ET.register_namespace("", NS)
    root = ET.Element(_q("Project"), {"name": name, "origin": f"codesign {__version__}"})
    users = ET.SubElement(root, _q("Users"))
    for key, label in USERS.items():
        ET.SubElement(users, _q("User"), {"guid": guid("user", key), "name": label, "id": key})
    add_code_elements(codebook, ET.SubElement(ET.SubElement(root, _q("CodeBook")), _q("Codes")), NS)

    variables = ET.SubElement(root, _q("Variables"))
    for var in ("group", "sector", "stage"):
        ET.SubElement(variables, _q("Variable"), {"guid": guid("variable", var), "name": var,
                                                  "typeOfVariable": "Text"})

    by_segment = segments.set_index("segment_id")
    coded = final.merge(segments[["segment_id", "source_id", "start", "end", "participant"]], on="segment_id",
                        how="left")
    missing = coded[coded["source_id"].isna()]
    if len(missing):
        raise CodesignError(f"codings name segments that build/segments.parquet does not have "
                            f"({', '.join(sorted(missing['segment_id'].unique())[:5])}); re-run `codesign code`")

    people = segments[segments["participant"].notna() & (segments["speaker_role"] == "participant")]
    cases = ET.SubElement(root, _q("Cases"))
    sole_owner = people.groupby("source_id")["participant"].agg(lambda p: p.iloc[0] if p.nunique() == 1 else None)
    selections_of = coded.dropna(subset=["participant"]).groupby("participant")["segment_id"].agg(
        lambda s: sorted(set(s)))
    for participant, rows in people.groupby("participant", sort=True):
        case = ET.SubElement(cases, _q("Case"), {"guid": guid("case", participant), "name": participant})
        for var in ("group", "sector"):
            value = rows[var].dropna()
            if len(value):
                _variable_value(case, var, str(value.iloc[0]))
        for source_id in sorted(sole_owner[sole_owner == participant].index):
            ET.SubElement(case, _q("SourceRef"), {"targetGUID": guid("source", source_id)})
        for segment_id in selections_of.get(participant, []):
            ET.SubElement(case, _q("SelectionRef"), {"targetGUID": guid("selection", segment_id)})
    if not len(cases):
        root.remove(cases)

    sources = ET.SubElement(root, _q("Sources"))
    stage_of = segments.groupby("source_id")["stage"].first()
    for source_id, text in texts.items():
        source_guid = guid("source", source_id)
        el = ET.SubElement(sources, _q("TextSource"), {
            "guid": source_guid, "name": source_id, "plainTextPath": f"internal://{source_guid}.txt"})
        ET.SubElement(el, _q("Description")).text = f"codesign source {source_id} ({stage_of[source_id]})"
        rows = coded[coded["source_id"] == source_id]
        for segment_id, codes in sorted(rows.groupby("segment_id"), key=lambda kv: (kv[1]["start"].iloc[0], kv[0])):
            start, end = int(by_segment.at[segment_id, "start"]), int(by_segment.at[segment_id, "end"])
            if text[start:end] != by_segment.at[segment_id, "text"]:
                raise CodesignError(f"segment {segment_id}: its offsets do not match build/sources/{source_id}.txt;"
                                    " re-run `codesign ingest`")
            codes = codes.sort_values(["source", "code"])
            selection = ET.SubElement(el, _q("PlainTextSelection"), {
                "guid": guid("selection", segment_id), "name": segment_id, "startPosition": str(start),
                "endPosition": str(end), "creatingUser": guid("user", codes["source"].iloc[0])})
            for row in codes.itertuples():
                coding = ET.SubElement(selection, _q("Coding"), {
                    "guid": guid("coding", f"{segment_id}:{row.code}:{row.source}"),
                    "creatingUser": guid("user", row.source)})
                ET.SubElement(coding, _q("CodeRef"), {"targetGUID": codebook[row.code].guid})
        _variable_value(el, "stage", str(stage_of[source_id]))
    sets = ET.SubElement(root, _q("Sets"))
    add_kind_sets(codebook, sets, NS, member_attribute="targetGUID")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _variable_value(parent: ET.Element, variable: str, value: str) -> None:
    el = ET.SubElement(parent, _q("VariableValue"))
    ET.SubElement(el, _q("VariableRef"), {"targetGUID": guid("variable", variable)})
    ET.SubElement(el, _q("TextValue")).text = value


# --- reading any project file -----------------------------------------------------------------------

@dataclass
class QdpxContent:
    """A REFI-QDA project file as tidy tables (one row per thing); ``problems`` says what could not be read.

    - ``codes``: guid, name, parent_guid, path (``parent/child`` names), depth (0 = top), is_codable, color,
      description
    - ``sources``: guid, name, kind (``text``, ``pdf_text`` for a PDF's text representation, ``pdf``,
      ``picture``, ``audio``, ``video``), parent_guid, plain_text_path, rich_text_path, member (the archive
      entry read), status (``read``, ``inline``, ``missing``, ``not_utf8``, ``no_text``), n_chars, has_bom,
      has_crlf
    - ``selections``: guid, source_guid, start, end, name, creating_user — every ``PlainTextSelection``
    - ``codings``: selection_guid, code_guid, coding_guid, creating_user
    - ``users``: guid, name
    """
    path: Path
    name: str
    origin: str
    users: pd.DataFrame
    codes: pd.DataFrame
    sources: pd.DataFrame
    selections: pd.DataFrame
    codings: pd.DataFrame
    texts: dict[str, str] = field(default_factory=dict)   # source guid -> text (BOM removed, as stored)
    problems: list[str] = field(default_factory=list)


_SOURCE_KINDS = {"TextSource": "text", "PDFSource": "pdf", "PictureSource": "picture", "AudioSource": "audio",
                 "VideoSource": "video"}


#: Codes nested deeper than this are refused: real codebooks stay under ten levels, and each level's path
#: repeats its parents' names (50,000 levels would be gigabytes of paths).
MAX_CODE_DEPTH = 200


def read_qdpx(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> QdpxContent:
    """Read a ``.qdpx`` (or a bare ``.qde``) from any REFI-QDA program into tidy tables.

    The archive's members are checked against ``limits`` (size, compression ratio, count) before anything is
    inflated, and the project XML is parsed as a stream: each source and each selection is read and then
    dropped, so memory follows the tables read, not the document tree. A damaged archive, an unknown
    encoding or codes nested too deep are InputErrors.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found")
    members: dict[str, str] = {}
    archive = None
    if zipfile.is_zipfile(path):
        archive = open_zip(path, limits, "REFI-QDA project file")
        members = {n.casefold(): n for n in archive.namelist() if not n.endswith("/")}
        xml_name = _project_member(path, archive)
        handle = archive.open(xml_name)      # zipfile inflates at most the declared size, checked above
    else:
        if path.stat().st_size > limits.max_member_bytes:
            raise InputError(path, f"the project XML is {path.stat().st_size / 2**20:,.0f} MB (at most "
                                   f"{limits.max_member_mb:g} MB)", hint="raise limits.max_member_mb in project.yml")
        xml_name, handle = path.name, path.open("rb")
    where = f"{path}:{xml_name}"
    local = lambda el: el.tag.rsplit("}", 1)[-1]   # noqa: E731
    problems: list[str] = []
    users: list[dict] = []
    codes: list[dict] = []
    sources, selections, codings, texts = [], [], [], {}
    non_text = 0
    q = None
    # one string per distinct GUID (users, codes and sources recur on every selection and coding)
    guids: dict[str | None, str | None] = {}

    def guid_of(value: str | None) -> str | None:
        found = guids.get(value)
        if found is None and value is not None:
            found = guids[value] = _norm_guid(value)
        return found

    def source_name(el, parent) -> str:
        if local(el) == "Representation":
            return el.get("name") or source_name(parent, None)
        # qc writes no name: the text file's name says more than the GUID.
        return el.get("name") or PurePosixPath(el.get("plainTextPath") or el.get("path") or "").name \
            or el.get("guid") or ""

    def add_codes(codebook_el) -> None:
        codes_el = codebook_el.find(q("Codes"))
        # depth first with an explicit stack (a recursion would fail on a deep hierarchy), in document order
        stack = [(el, None, "", 0) for el in reversed(codes_el.findall(q("Code")) if codes_el is not None else [])]
        while stack:
            el, parent_guid, parent_path, depth = stack.pop()
            if depth >= MAX_CODE_DEPTH:
                raise InputError(where, f"codes are nested more than {MAX_CODE_DEPTH} levels deep",
                                 hint="a REFI-QDA codebook this deep is not one a QDA program writes; export again")
            name = el.get("name") or ""
            code_path = f"{parent_path}/{name}" if parent_path else name
            desc = el.find(q("Description"))
            code_guid = _norm_guid(el.get("guid"))
            codes.append({"guid": code_guid, "name": name, "parent_guid": parent_guid, "path": code_path,
                          "depth": depth, "is_codable": (el.get("isCodable") or "true") == "true",
                          "color": el.get("color"),
                          "description": (desc.text or "").strip() if desc is not None else ""})
            stack += [(child, code_guid, code_path, depth + 1) for child in reversed(el.findall(q("Code")))]

    def add_selection(sel, source_el, name: str) -> None:
        sel_guid = _norm_guid(sel.get("guid"))
        try:
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
        except (TypeError, ValueError):
            problems.append(f"selection {sel.get('name') or sel_guid} in source {name!r}: bad positions")
            return
        selections.append({"guid": sel_guid, "source_guid": guid_of(source_el.get("guid")), "start": start,
                           "end": end, "name": sel.get("name") or "",
                           "creating_user": guid_of(sel.get("creatingUser"))})
        for coding in sel.findall(q("Coding")):
            ref = coding.find(q("CodeRef"))
            if ref is None:
                continue
            codings.append({"selection_guid": sel_guid, "code_guid": guid_of(ref.get("targetGUID")),
                            "coding_guid": _norm_guid(coding.get("guid")),
                            "creating_user": guid_of(coding.get("creatingUser") or sel.get("creatingUser"))})

    def add_text_source(el, kind, parent_guid, name):
        source_guid = _norm_guid(el.get("guid"))
        row = {"guid": source_guid, "name": name, "kind": kind, "parent_guid": parent_guid,
               "plain_text_path": el.get("plainTextPath"), "rich_text_path": el.get("richTextPath"),
               "member": None, "status": "no_text", "n_chars": None, "has_bom": False, "has_crlf": False}
        content = el.find(q("PlainTextContent"))
        raw = None
        if content is not None and content.text is not None:
            raw, row["status"] = content.text, "inline"
        elif row["plain_text_path"]:
            member = _resolve_member(row["plain_text_path"], members)
            if member is None:
                row["status"] = "missing"
                problems.append(f"source {name!r}: its plain text {row['plain_text_path']!r} is not in the archive")
            else:
                row["member"] = member
                try:
                    raw = read_member(archive, member, path, limits).decode("utf-8")
                    row["status"] = "read"
                except UnicodeDecodeError:
                    row["status"] = "not_utf8"
                    problems.append(f"source {name!r}: {member} is not UTF-8 text")
        else:
            problems.append(f"source {name!r}: no plain text (only {row['rich_text_path'] or 'no file'})")
        if raw is not None:
            row["has_bom"] = raw.startswith("\ufeff")
            text = raw[1:] if row["has_bom"] else raw
            row["has_crlf"] = "\r\n" in text
            row["n_chars"] = len(text)
            texts[source_guid] = text
        if row["rich_text_path"] and row["status"] in ("read", "inline"):
            problems.append(f"source {name!r}: rich text {row['rich_text_path']} not read; "
                            f"the plain text ({row['n_chars']} characters) is used")
        sources.append(row)

    def add_source(el) -> None:
        kind = _SOURCE_KINDS.get(local(el))
        if kind is None:
            return
        name = source_name(el, None)
        if kind == "text":
            add_text_source(el, "text", None, name)
            return
        sources.append({"guid": _norm_guid(el.get("guid")), "name": name, "kind": kind, "parent_guid": None,
                        "plain_text_path": None, "rich_text_path": None, "member": None, "status": "no_text",
                        "n_chars": None, "has_bom": False, "has_crlf": False})
        for rep in el.findall(q("Representation")):
            add_text_source(rep, "pdf_text", _norm_guid(el.get("guid")), rep.get("name") or name)

    # the open elements from the root down; an element is handled at its end, then dropped
    open_elements: list = []
    root = None
    try:
        with handle:
            for event, el in ET.iterparse(handle, events=("start", "end")):
                if event == "start":
                    if root is None:
                        root = el
                        if not root.tag.endswith("Project"):
                            raise InputError(where, f"root element is {root.tag!r}, expected Project",
                                             hint="this is not a REFI-QDA project file")
                        ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
                        q = (lambda t, ns=ns: f"{{{ns}}}{t}") if ns else (lambda t: t)
                    open_elements.append(el)
                    continue
                open_elements.pop()
                parent = open_elements[-1] if open_elements else None
                grandparent = open_elements[-2] if len(open_elements) > 1 else None
                tag = local(el)
                if tag == "PlainTextSelection" and parent is not None and (
                        local(parent) == "Representation" or local(parent) in _SOURCE_KINDS):
                    add_selection(el, parent, source_name(parent, grandparent))
                    parent.remove(el)
                elif tag in ("PictureSelection", "PDFSelection", "AudioSelection", "VideoSelection"):
                    non_text += 1
                elif parent is not None and parent is not root and local(parent) == "Sources" \
                        and grandparent is root:
                    add_source(el)
                    el.clear()
                elif parent is root:
                    if tag == "Users":
                        users += [{"guid": _norm_guid(u.get("guid")), "name": u.get("name") or u.get("id") or ""}
                                  for u in el.iter(q("User"))]
                    elif tag == "CodeBook":
                        add_codes(el)
                    el.clear()
    except ET.ParseError as exc:
        raise InputError(where, f"not well-formed XML ({exc})", line=exc.position[0],
                         hint="export the project again as REFI-QDA (.qdpx)") from None
    except LookupError as exc:
        raise InputError(where, f"the XML declares an encoding Python does not know ({exc})",
                         line=1, hint="export the project again as REFI-QDA (.qdpx), in UTF-8") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise InputError(path, f"member {xml_name!r} cannot be read ({type(exc).__name__}: {exc})",
                         hint="the zip file is damaged; export it again") from None
    except (ValueError, RecursionError) as exc:
        raise InputError(where, f"the XML cannot be read ({type(exc).__name__}: {exc})",
                         hint="export the project again as REFI-QDA (.qdpx)") from None
    if root is None:
        raise InputError(where, "not well-formed XML (no element found)", line=1,
                         hint="export the project again as REFI-QDA (.qdpx)")
    if non_text:
        problems.append(f"{non_text} picture, PDF-area, audio or video selection(s) not read (text only)")
    return QdpxContent(
        path=path, name=root.get("name") or "", origin=root.get("origin") or "",
        users=pd.DataFrame(users, columns=["guid", "name"]),
        codes=pd.DataFrame(codes, columns=["guid", "name", "parent_guid", "path", "depth", "is_codable", "color",
                                           "description"]),
        sources=pd.DataFrame(sources, columns=["guid", "name", "kind", "parent_guid", "plain_text_path",
                                               "rich_text_path", "member", "status", "n_chars", "has_bom",
                                               "has_crlf"]),
        selections=pd.DataFrame(selections, columns=["guid", "source_guid", "start", "end", "name",
                                                     "creating_user"]),
        codings=pd.DataFrame(codings, columns=["selection_guid", "code_guid", "coding_guid", "creating_user"]),
        texts=texts, problems=problems)


def _norm_guid(value: str | None) -> str | None:
    return value.strip("{}").lower() if value else None


def _project_member(path: Path, archive: zipfile.ZipFile) -> str:
    """The project XML: ``project.qde`` in any case, else the one ``.qde`` or ``.xml`` at the top level."""
    top = [n for n in archive.namelist() if "/" not in n.strip("/")]
    for suffixes in ((PROJECT_XML,), (".qde",), (".xml",)):
        found = [n for n in top if n.casefold() == suffixes[0] or
                 (suffixes[0].startswith(".") and n.casefold().endswith(suffixes[0]))]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise InputError(path, f"the archive holds several project files ({', '.join(found)})",
                             hint="a .qdpx holds one project XML")
    raise InputError(path, "no project XML (project.qde) in the archive",
                     hint=f"the archive holds {', '.join(archive.namelist()[:8]) or 'nothing'}; "
                          "export the project again as REFI-QDA (.qdpx)")


def _resolve_member(text_path: str, members: dict[str, str]) -> str | None:
    """The archive entry of ``internal://x.txt`` (or a bare ``x.txt``): under ``Sources/`` in any case."""
    name = re.sub(r"^(internal|relative)://+", "", text_path).lstrip("/")
    if "://" in name:
        return None   # absolute:// or a URL: outside the archive
    for candidate in (f"sources/{name}", name, f"sources/{PurePosixPath(name).name}"):
        if candidate.casefold() in members:
            return members[candidate.casefold()]
    return None


# --- importing a coding into a codesign project -----------------------------------------------------

IMPORT_COLUMNS = ["segment_id", "code", "source_id", "selection", "start", "end", "overlap", "user"]


@dataclass
class QdpxImport:
    """Codings made in another tool, mapped onto a project's segments.

    Attributes
    ----------
    codings : DataFrame
        One row per (segment, code): segment_id, code (a codebook id), source_id, selection (its name in the
        file), start, end (the selection's offsets in the project's text), overlap (characters shared with
        the segment), user (who coded).
    covered_segments : list of str
        Every segment of the sources the file holds, coded or not (participants' segments, as the coder codes;
        others only where coded), so that :meth:`coding_table` can say "seen, no code".
    """
    codings: pd.DataFrame
    covered_segments: list[str]

    def coding_table(self) -> pd.DataFrame:
        """``segment_id,codes`` (``;``-joined, empty for a segment seen but not coded), like a reference
        coding."""
        joined = self.codings.groupby("segment_id")["code"].apply(lambda c: ";".join(sorted(set(c))))
        return pd.DataFrame({"segment_id": self.covered_segments,
                             "codes": [joined.get(s, "") for s in self.covered_segments]})


def import_qdpx(path: Path | str, project: Project | str | Path | None = None) -> QdpxImport:
    """Codings made in another tool (a REFI-QDA ``.qdpx``), mapped onto the project's segments.

    Parameters
    ----------
    path : path
        The ``.qdpx`` file.
    project : Project, path or None
        The codesign project whose exported texts were coded.

    Returns
    -------
    QdpxImport

    Raises
    ------
    InputError
        Naming each selection, code or source that cannot be mapped (nothing is imported half-way).
    """
    project = load_project(project)
    path = Path(path)
    content = read_qdpx(path, project.limits)
    if project.codebook_path is None:
        raise CodesignError(f"{project.config_path}: no `codebook:` to map codes onto")
    codebook = load_codebook(project.codebook_path)
    segments = pd.read_parquet(_need(project, "segments.parquet"))
    source_ids = sorted(segments["source_id"].unique())
    project_texts = {s: (project.build_dir / "sources" / f"{s}.txt").read_text(encoding="utf-8")
                     for s in source_ids}
    errors: list[str] = []
    code_map = _map_codes(content, codebook)
    users = dict(zip(content.users["guid"], content.users["name"]))
    codes_by_guid = content.codes.set_index("guid")
    codings_of = {key: frame for key, frame in content.codings.groupby("selection_guid")}
    no_codings = content.codings.iloc[:0]
    rows, covered = [], []
    used_sources = set(content.selections["source_guid"])
    for source in content.sources.itertuples():
        if source.kind not in ("text", "pdf_text"):
            continue
        if source.guid not in content.texts:
            if source.guid in used_sources:
                errors.append(f"source {source.name!r}: its text is missing from the archive "
                              f"({source.plain_text_path or 'no plain text'}), so its selections cannot be placed")
            continue
        source_id = _match_source(source, content.texts[source.guid], project_texts)
        if source_id is None:
            if source.guid in used_sources:
                errors.append(f"source {source.name!r} ({source.guid}): no project source has this name or text "
                              f"(project sources: {', '.join(source_ids[:12])}{' …' if len(source_ids) > 12 else ''})")
            continue
        converter = _offset_converter(content.texts[source.guid], project_texts[source_id], bool(source.has_bom))
        if converter is None:
            errors.append(f"source {source.name!r}: its text differs from build/sources/{source_id}.txt "
                          f"(first difference at line "
                          f"{_first_difference_line(content.texts[source.guid], project_texts[source_id])}); "
                          "offsets cannot be mapped — code the exported text, not a re-imported copy")
            continue
        seg = segments[segments["source_id"] == source_id]
        covered += list(seg.loc[seg["speaker_role"] == "participant", "segment_id"])
        selections = content.selections[content.selections["source_guid"] == source.guid]
        to_project = converter.choose(selections)
        starts, ends = seg["start"].to_numpy(), seg["end"].to_numpy()
        for sel in selections.itertuples():
            start, end = to_project(sel.start), to_project(sel.end)
            label = sel.name or sel.guid
            if not (0 <= start < end <= len(project_texts[source_id])):
                errors.append(f"selection {label!r} in source {source.name!r}: positions {sel.start}–{sel.end} lie "
                              f"outside the text ({len(project_texts[source_id])} characters)")
                continue
            overlap = np.minimum(ends, end) - np.maximum(starts, start)
            hit = (overlap > 0) & ((overlap >= OVERLAP_SHARE * (ends - starts)) |
                                   (overlap >= OVERLAP_SHARE * (end - start)))
            if not hit.any():
                errors.append(f"selection {label!r} in source {source.name!r} ({start}–{end}) falls on no segment")
                continue
            for coding in codings_of.get(sel.guid, no_codings).itertuples():
                code = code_map.get(coding.code_guid)
                if code is None:
                    name = codes_by_guid["path"].get(coding.code_guid, coding.code_guid)
                    errors.append(f"selection {label!r} in source {source.name!r}: code {name!r} is not in the "
                                  f"codebook {project.codebook_path.name}")
                    continue
                for k in np.flatnonzero(hit):
                    rows.append({"segment_id": seg["segment_id"].iloc[k], "code": code, "source_id": source_id,
                                 "selection": label, "start": start, "end": end, "overlap": int(overlap[k]),
                                 "user": users.get(coding.creating_user, "")})
    if errors:
        shown = "\n  ".join(errors[:20]) + (f"\n  … and {len(errors) - 20} more" if len(errors) > 20 else "")
        raise InputError(path, f"{len(errors)} item(s) cannot be mapped onto project {project.name}:\n  {shown}",
                         hint="codes must carry a codebook id or label (e.g. 'T2 Työvoima…'); sources must be "
                              "the texts codesign exported (export-qdpx)")
    frame = pd.DataFrame(rows, columns=IMPORT_COLUMNS)
    frame = frame.drop_duplicates(["segment_id", "code"]).sort_values(["segment_id", "code"]).reset_index(drop=True)
    return QdpxImport(frame, sorted(set(covered) | set(frame["segment_id"])))


def _need(project: Project, name: str) -> Path:
    path = project.build_dir / name
    if not path.is_file():
        raise CodesignError(f"{path} not found: run `codesign ingest {project.root}` first")
    return path


def _map_codes(content: QdpxContent, codebook: Codebook) -> dict[str, str]:
    """qdpx code guid -> codebook id: by GUID, by a leading id (``T2 …``), by id or label, last part of a
    path-like name (``Teemat::T2``) too. Categories with no match stay unmapped (an error only if used)."""
    by_guid = {c.guid: c.id for c in codebook}
    by_name: dict[str, str] = {}
    for c in codebook:
        for key in (c.id, c.label_fi, c.label_en, f"{c.id} {c.label_fi}"):
            by_name.setdefault(key.casefold().strip(), c.id)
    out = {}
    for row in content.codes.itertuples():
        if row.guid in by_guid:
            out[row.guid] = by_guid[row.guid]
            continue
        name = re.split(r"::|\\|/", row.name)[-1].strip()
        for key in (name, name.split(" ", 1)[0]):
            if key.casefold() in by_name:
                out[row.guid] = by_name[key.casefold()]
                break
    return out


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).rstrip()


def _match_source(source, text: str | None, project_texts: dict[str, str]) -> str | None:
    """The project source a file's source is: by our GUID, by name (``H01``, ``H01.txt``), else by text."""
    for source_id in project_texts:
        if source.guid == guid("source", source_id):
            return source_id
    for key in (source.name, PurePosixPath(str(source.plain_text_path or "")).name):
        stem = PurePosixPath(str(key or "")).stem if "." in str(key or "") else str(key or "")
        for source_id in project_texts:
            if stem.casefold() == source_id.casefold():
                return source_id
    if text is not None:
        wanted = _normalise(text)
        for source_id, project_text in project_texts.items():
            if _normalise(project_text) == wanted:
                return source_id
    return None


def _first_difference_line(a: str, b: str) -> int:
    a, b = _normalise(a), _normalise(b)
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return a[:n].count("\n") + 1


class _OffsetConverter:
    """Maps positions in a tool's text to the project's (``\\n`` line ends, no BOM).

    Tools count differently: a position may count ``\\r\\n`` as two code points (the text as stored) or as
    one, and may or may not count a byte-order mark. Where selection names quote the text (ATLAS.ti and
    NVivo name a selection by its first words), the reading under which most names match the text wins;
    otherwise (ties) positions count the text as stored, without the BOM.
    """

    def __init__(self, stored: str, project_text: str, bom: bool) -> None:
        self.project_text = project_text
        # cr_before[i]: line breaks before position i of the project text written with \r\n.
        crlf_text = project_text.replace("\n", "\r\n")
        self.cr_before = np.concatenate([[0], np.cumsum([ch == "\r" for ch in crlf_text])]).astype(int)
        line_ends = ["crlf", "lf"] if "\r\n" in stored else ["lf", "crlf"]
        self.readings = [(ends, shift) for shift in ((0, 1) if bom else (0,)) for ends in line_ends]

    def reading(self, ends: str, shift: int):
        def convert(pos: int) -> int:
            pos -= shift
            if ends == "crlf":
                pos = min(max(pos, 0), len(self.cr_before) - 1)
                pos -= int(self.cr_before[pos])
            return pos
        return convert

    def choose(self, selections: pd.DataFrame):
        readings = [self.reading(*r) for r in self.readings]
        if not len(selections) or len(readings) == 1:
            return readings[0]
        scores = [sum(_quotes(self.project_text, f(s.start), f(s.end), s.name) for s in selections.itertuples())
                  for f in readings]
        return readings[int(np.argmax(scores))]   # ties keep the first: the text as stored, BOM not counted


def _quotes(text: str, start: int, end: int, name: str) -> bool:
    """Whether a selection's name quotes the selected text (names like ``line:12`` say nothing)."""
    name = re.sub(r"(…|\.\.\.)$", "", name or "").strip()
    if len(name) < 8:
        return False
    squash = lambda s: " ".join(s.split())   # noqa: E731
    return squash(text[max(start, 0):max(end, 0)]).startswith(squash(name)[:60])


def _offset_converter(stored: str, project_text: str, bom: bool) -> _OffsetConverter | None:
    if _normalise(stored) != _normalise(project_text):
        return None
    return _OffsetConverter(stored, project_text, bom)
