"""The codebook: a typed model of ``codebook.yml``, validated with file and line in every error, and
exchanged with other QDA programs as a REFI-QDA codebook (``.qdc``).
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.etree import ElementTree as ET

from codesign._version import __version__
from codesign.core.errors import InputError
from codesign.core.settings import ConfigEntry, validate_config
from codesign.core.yamlio import LineDict, load_yaml

KINDS = ("theme", "subcode", "statement")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ID = re.compile(r"^[A-Za-zÅÄÖåäö0-9_.-]+$")
QDC_NS = "urn:QDA-XML:codebook:1.0"
# A fixed namespace, so a code keeps its GUID from export to export and tool to tool.
_GUID_NS = uuid.UUID("6f1f5a0e-3c1b-4f8e-9a57-0c0de5167a11")


@dataclass(frozen=True)
class Lexicon:
    """Signals of a code: base forms (lemmas), parts of compounds, multiword lemma sequences."""
    lemmas: frozenset[str] = frozenset()
    compound_parts: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Code:
    id: str
    kind: str
    label_fi: str
    label_en: str
    definition: str
    parent: str | None = None
    colour: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    lexicon: Lexicon = field(default_factory=Lexicon)

    @property
    def guid(self) -> str:
        return str(uuid.uuid5(_GUID_NS, self.id))

    @property
    def label(self) -> str:
        return self.label_fi


@dataclass
class Codebook:
    name: str
    codes: dict[str, Code]
    language: str = "fi"
    path: Path | None = None

    def __getitem__(self, code_id: str) -> Code:
        return self.codes[code_id]

    def __iter__(self):
        return iter(self.codes.values())

    def of_kind(self, kind: str) -> list[Code]:
        return [c for c in self if c.kind == kind]

    @property
    def themes(self) -> list[str]:
        return [c.id for c in self.of_kind("theme")]

    @property
    def statements(self) -> list[str]:
        return [c.id for c in self.of_kind("statement")]

    def children(self, code_id: str) -> list[Code]:
        return [c for c in self if c.parent == code_id]


# --- codebook.yml as pydantic reads it (a key that is not here is a typo, reported with its line) ----------

class LexiconEntry(ConfigEntry):
    lemmas: list[str] = []
    compound_parts: list[str] = []
    phrases: list[str] = []


class CodeEntry(ConfigEntry):
    id: str | None = None           # checked below, with the id pattern
    kind: str = "theme"
    parent: str | None = None
    label_fi: str | None = None
    label_en: str | None = None
    colour: str | None = None
    definition: str | None = None
    include: list[str] = []
    exclude: list[str] = []
    examples: list[str] = []
    lexicon: LexiconEntry | None = None


class CodebookHead(ConfigEntry):
    name: str | None = None
    language: str | None = "fi"
    version: str | None = None


class CodebookFile(ConfigEntry):
    """The keys of codebook.yml (docs/coder.md; data/kolari/codebook.yml is an example)."""
    codebook: CodebookHead | None = None
    codes: list[CodeEntry] | None = None


def load_codebook(path: Path | str) -> Codebook:
    """Read and validate ``codebook.yml``; every error names the file and the line."""
    path = Path(path)
    raw = load_yaml(path)
    if not isinstance(raw, LineDict) or "codes" not in raw:
        raise InputError(path, "a codebook needs a `codes:` list", line=1,
                         hint="see data/kolari/codebook.yml for the format")
    config = validate_config(CodebookFile, raw, path, docs="docs/coder.md and data/kolari/codebook.yml")
    meta = config.codebook or CodebookHead()
    codes: dict[str, Code] = {}
    lines: dict[str, int] = {}
    parent_lines: dict[str, int] = {}
    for entry, item in zip(config.codes or [], raw["codes"] or []):
        code_id = (entry.id or "").strip()
        if not code_id or not _ID.match(code_id):
            raise InputError(path, f"invalid code id {entry.id!r}", line=item.line_of("id"),
                             hint="ids are letters, digits, '.', '_' or '-' (e.g. T1, T1.2, HAASTE)")
        if code_id in codes:
            raise InputError(path, f"duplicate code id {code_id!r} (first on line {lines[code_id]})",
                             line=item.line_of("id"), hint="give every code a unique id")
        kind = entry.kind
        if kind not in KINDS:
            raise InputError(path, f"unknown kind {kind!r} for code {code_id}", line=item.line_of("kind"),
                             hint=f"use one of {', '.join(KINDS)}")
        definition = (entry.definition or "").strip()
        if not definition:
            raise InputError(path, f"code {code_id} has an empty definition", line=item.line_of("definition"),
                             hint="write what the code means: coders and the semantic matcher need it")
        colour = entry.colour
        if colour is not None and not _COLOUR.match(colour):
            raise InputError(path, f"bad colour {colour!r} for code {code_id}", line=item.line_of("colour"),
                             hint='write colours as "#rrggbb" in quotes')
        lex = entry.lexicon or LexiconEntry()
        lexicon = Lexicon(
            lemmas=frozenset(w.casefold() for w in lex.lemmas),
            compound_parts=frozenset(w.casefold() for w in lex.compound_parts),
            phrases=tuple(tuple(p.casefold().split()) for p in lex.phrases if p.split()),
        )
        codes[code_id] = Code(
            id=code_id, kind=kind, label_fi=entry.label_fi or code_id,
            label_en=entry.label_en or entry.label_fi or code_id, definition=definition,
            parent=entry.parent or None, colour=colour or None,
            include=tuple(entry.include), exclude=tuple(entry.exclude), examples=tuple(entry.examples),
            lexicon=lexicon)
        lines[code_id] = item.line
        parent_lines[code_id] = item.line_of("parent")
    for code in codes.values():
        if code.parent is not None and code.parent not in codes:
            raise InputError(path, f"code {code.id} names an unknown parent {code.parent!r}",
                             line=parent_lines[code.id],
                             hint="the parent must be the id of another code in this codebook")
        if code.kind == "subcode" and code.parent is None:
            raise InputError(path, f"subcode {code.id} has no parent", line=lines[code.id],
                             hint="set `parent:` to its theme's id")
    _check_cycles(path, codes, lines)
    return Codebook(meta.name or path.stem, codes, meta.language or "fi", path)


def _check_cycles(path: Path, codes: dict[str, Code], lines: dict[str, int]) -> None:
    for code in codes.values():
        seen, current = set(), code
        while current.parent is not None:
            if current.id in seen:
                raise InputError(path, f"code {code.id} is its own ancestor", line=lines[code.id])
            seen.add(current.id)
            current = codes[current.parent]


# --- REFI-QDA codebook exchange (.qdc) ------------------------------------------------------------

def to_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA ``CodeBook`` XML document (Codebook.xsd, namespace codebook:1.0).

    Names are ``id label`` (``T1 Ympärivuotinen ja vastuullinen matkailu``) so that the id survives tools
    that keep only names; the description carries the definition and the include/exclude rules.
    """
    ET.register_namespace("", QDC_NS)
    root = ET.Element(f"{{{QDC_NS}}}CodeBook", {"origin": f"codesign {__version__}"})
    add_code_elements(codebook, ET.SubElement(root, f"{{{QDC_NS}}}Codes"), QDC_NS)
    # The kind of each code travels as a set, so statement codes come back as statement codes.
    add_kind_sets(codebook, ET.SubElement(root, f"{{{QDC_NS}}}Sets"), QDC_NS, member_attribute="guid")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def add_code_elements(codebook: Codebook, codes_el: ET.Element, namespace: str) -> None:
    """The codebook as nested REFI-QDA ``Code`` elements under ``codes_el`` (shared by .qdc and .qdpx)."""
    def add(parent_el: ET.Element, code: Code) -> None:
        attrs = {"guid": code.guid, "name": f"{code.id} {code.label_fi}", "isCodable": "true"}
        if code.colour:
            attrs["color"] = code.colour.upper()
        el = ET.SubElement(parent_el, f"{{{namespace}}}Code", attrs)
        ET.SubElement(el, f"{{{namespace}}}Description").text = _description(code)
        for child in codebook.children(code.id):
            add(el, child)

    for code in codebook:
        if code.parent is None:
            add(codes_el, code)


def add_kind_sets(codebook: Codebook, sets_el: ET.Element, namespace: str, member_attribute: str) -> None:
    """One ``Set`` per code kind (``codesign:theme`` …). The codebook schema names the member reference
    ``guid``, the project schema ``targetGUID``."""
    for kind in KINDS:
        members = [c for c in codebook if c.kind == kind]
        if members:
            set_el = ET.SubElement(sets_el, f"{{{namespace}}}Set",
                                   {"guid": str(uuid.uuid5(_GUID_NS, "kind:" + kind)), "name": f"codesign:{kind}"})
            for c in members:
                ET.SubElement(set_el, f"{{{namespace}}}MemberCode", {member_attribute: c.guid})


def _description(code: Code) -> str:
    parts = [code.definition]
    if code.include:
        parts.append("Sisältyy: " + " ".join(code.include))
    if code.exclude:
        parts.append("Ei sisälly: " + " ".join(code.exclude))
    return "\n\n".join(parts)


def from_qdc(path: Path | str) -> Codebook:
    """Read a REFI-QDA codebook (from NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette or codesign).

    Nesting gives parents; a top-level code is a ``theme``, a nested one a ``subcode``. Where a name
    starts with an id-like token (``T1 Matkailu``) that token is the id, otherwise an id is made from the
    name. Codes without a description get their name as the definition.
    """
    path = Path(path)
    try:
        tree = ET.parse(path)
    except ET.ParseError as exc:
        raise InputError(path, f"not well-formed XML ({exc})", line=exc.position[0],
                         hint="export the codebook again as REFI-QDA (.qdc)") from None
    root = tree.getroot()
    if not root.tag.endswith("CodeBook"):
        raise InputError(path, f"root element is {root.tag!r}, expected CodeBook",
                         hint="this is not a REFI-QDA codebook (.qdc)")
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    q = (lambda t: f"{{{ns}}}{t}") if ns else (lambda t: t)
    codes: dict[str, Code] = {}
    kinds: dict[str, str] = {}   # guid -> code id

    def walk(el: ET.Element, parent: str | None) -> None:
        name = (el.get("name") or "").strip()
        first, _, rest = name.partition(" ")
        id_like = bool(rest) and re.fullmatch(r"[A-ZÅÄÖ][A-Za-zÅÄÖåäö0-9_.-]*", first) is not None and (
            any(ch.isdigit() for ch in first) or first.isupper())
        code_id = first if id_like else _slug(name)
        label = rest if code_id == first else name
        while code_id in codes:
            code_id += "_"
        desc_el = el.find(q("Description"))
        description = (desc_el.text or "").strip() if desc_el is not None else ""
        definition = description.split("\n\nSisältyy:")[0].split("\n\nEi sisälly:")[0] or label
        colour = el.get("color")
        kinds[el.get("guid", "")] = code_id
        codes[code_id] = Code(id=code_id, kind="theme" if parent is None else "subcode", label_fi=label,
                              label_en=label, definition=definition, parent=parent,
                              colour=colour.lower() if colour and _COLOUR.match(colour) else None)
        for child in el.findall(q("Code")):
            walk(child, code_id)

    codes_el = root.find(q("Codes"))
    for el in (codes_el.findall(q("Code")) if codes_el is not None else []):
        walk(el, None)
    if not codes:
        raise InputError(path, "the codebook has no codes", hint="check the export")
    for set_el in root.iter(q("Set")):
        kind = (set_el.get("name") or "").removeprefix("codesign:")
        if kind in KINDS:
            for member in set_el.findall(q("MemberCode")):
                code_id = kinds.get(member.get("targetGUID") or member.get("guid") or "")
                if code_id:
                    codes[code_id] = replace(codes[code_id], kind=kind)
    return Codebook(path.stem, codes, path=path)


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-zÅÄÖåäö0-9]+", "_", name).strip("_")
    return slug or "code"
