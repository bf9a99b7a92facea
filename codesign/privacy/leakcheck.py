"""The leak gate: scan everything codesign wrote for names and identifiers that must not be there."""
from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from codesign.core.errors import LeakError
from codesign.core.register import Register
from codesign.core.safety import check_zip, open_zip, read_member
from codesign.privacy.names import KeepList, NameMatcher
from codesign.privacy.pseudonymise import EMAIL, HETU, PHONE, KeyTable, forbidden_terms, valid_hetu

#: The key table's file name in the project's private folder.
KEYS_FILE = "pseudonym_keys.csv"

#: Office Open XML files are zip archives of XML parts: their text is read part by part.
OFFICE_SUFFIXES = {".xlsx", ".docx", ".pptx"}
TEXT_SUFFIXES = {".txt", ".csv", ".tsv", ".json", ".md", ".html", ".htm", ".ipynb", ".xml", ".qde", ".yml",
                 ".yaml", ".svg"}


_GUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")


@dataclass(frozen=True)
class Finding:
    path: str
    where: str
    what: str
    value: str

    def __str__(self) -> str:
        return f"{self.path} ({self.where}): {self.what} {self.value!r}"


def scan_text(text: str, matcher: NameMatcher, path: str, where: str) -> list[Finding]:
    """Findings in one piece of text: forbidden names (any case, inflected, with ``_ . -`` and camel case
    as word boundaries, inside addresses and handles), e-mail addresses, identity codes, phone numbers."""
    out = [Finding(path, where, term.what if term else "name", text[s:e]) for s, e, term in matcher.find(text)]
    out += [Finding(path, where, "e-mail address", m.group()) for m in EMAIL.finditer(text)]
    out += [Finding(path, where, "personal identity code", m.group())
            for m in HETU.finditer(text) if valid_hetu(m.group())]
    # A GUID's last group (``…-055960195343``) looks like a phone number; GUIDs are never personal data.
    for m in PHONE.finditer(_GUID.sub(lambda g: "x" * len(g.group()), text)):
        digits = re.sub(r"\D", "", m.group())
        if 9 <= len(digits) <= 13 and (digits.startswith("0") or digits.startswith("358")):
            out.append(Finding(path, where, "phone number", m.group()))
    return out


def check_outputs(paths: list[Path], register: Register, keys: KeyTable, keep: list[str],
                  raise_on_leak: bool = True, memory: Path | None = None) -> list[Finding]:
    """Scan files (or folders, recursively) for personal data, their names included; raise LeakError if any
    is found.

    ``memory``: a file where the gate remembers the contents that passed it (see :class:`PassedFiles`); a
    content it remembers is not read again while the gate is the same. File names are always checked."""
    kept = KeepList(keep)
    terms = forbidden_terms(register, keys, kept)
    matcher = _Matchers(NameMatcher(terms, kept), NameMatcher(terms, kept, strict=True))
    passed = PassedFiles(memory, gate_digest(terms, keep)) if memory is not None else None
    findings: list[Finding] = []
    for root in paths:
        root = Path(root)
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for file in files:
            name = str(file.relative_to(root)) if root.is_dir() else file.name
            findings += scan_text(name, matcher.text, str(file), "file name")
            content = passed.content_key(file) if passed is not None else None
            if content is not None and content in passed:
                continue
            found = _scan_file(file, matcher)
            findings += found
            if content is not None and not found:
                passed.add(content)
    if passed is not None:
        passed.save()
    if findings and raise_on_leak:
        raise LeakError(findings)
    return findings


@functools.lru_cache(maxsize=1)
def _gate_source_digest() -> str:
    """The gate's own code (``codesign/privacy/``, the zip checks): a changed gate forgets what passed."""
    from codesign._version import __version__

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for path in sorted([*(package / "privacy").glob("*.py"), package / "core" / "safety.py"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def gate_digest(terms: list, keep: list[str]) -> str:
    """What the gate looks for, as a digest: its names (register and key table), the kept words, its code."""
    digest = hashlib.sha256(_gate_source_digest().encode())
    for term in sorted(repr(t) for t in terms):
        digest.update(term.encode() + b"\n")
    digest.update(json.dumps(sorted(keep), ensure_ascii=False).encode())
    return digest.hexdigest()


class PassedFiles:
    """The contents (SHA-256 of the bytes and the file's kind) that passed one gate, kept in a JSON file of
    the project's ``.cache/``: digests only, never text. A report carried over from the previous build is
    then not read again; when the gate changes (a new name in the register or the key table, a new kept
    word, new gate code) the memory is forgotten and every file is read again. The memory keeps the most
    recent ``limit`` contents."""

    def __init__(self, path: Path, gate: str, limit: int = 20_000) -> None:
        self.path, self.gate, self.limit = Path(path), gate, limit
        self._passed: dict[str, None] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("gate") == gate:
                self._passed = dict.fromkeys(data.get("passed", []))
        except (OSError, ValueError, AttributeError):
            pass                        # no memory, or an unreadable one: read everything
        self._changed = False

    @staticmethod
    def content_key(file: Path) -> str | None:
        try:
            digest = hashlib.sha256(file.suffix.lower().encode() + b"\0")
            with file.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            return digest.hexdigest()
        except OSError:
            return None                 # the scan itself reports an unreadable file

    def __contains__(self, content: str) -> bool:
        return content in self._passed

    def add(self, content: str) -> None:
        self._passed.pop(content, None)
        self._passed[content] = None
        self._changed = True

    def save(self) -> None:
        if not self._changed:
            return
        kept = list(self._passed)[-self.limit:]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"gate": self.gate, "passed": kept}), encoding="utf-8")
        tmp.replace(self.path)


#: The gate's memory of the contents that passed it, in the project's ``.cache/`` (see :class:`PassedFiles`).
PASSED_FILE = "leak_gate_passed.json"


def keys_path(project) -> Path:
    """Where a project's key table lives: its private folder, never anything shared."""
    return project.private_dir / KEYS_FILE


def scan(project, paths: list[Path]) -> list[Finding]:
    """What the gate finds in ``paths`` (files or folders) with the project's register and key table; a
    project without a register has no names to find (patterns are still checked)."""
    from codesign.core.register import Register, load_register

    register = load_register(project.register_path, project.groups) if project.register_path.is_file() \
        else Register([])
    return check_outputs(paths, register, KeyTable.load(keys_path(project)), project.keep_terms,
                         raise_on_leak=False, memory=project.cache_dir / PASSED_FILE)


def redactor(project):
    """A function that replaces every name the gate would find in a text with its placeholder: for text that
    never went through the pseudonymiser (programme.yml, file names)."""
    from codesign.core.register import Register, load_register

    register = load_register(project.register_path, project.groups) if project.register_path.is_file() \
        else Register([])
    keep = KeepList(project.keep_terms)
    return NameMatcher(forbidden_terms(register, KeyTable.load(keys_path(project)), keep), keep).redact


def guard(project, paths: list[Path], delete: bool = True) -> None:
    """The one leak gate every written output passes: scan ``paths``; on a finding delete them (unless
    ``delete`` is False: the user's own files given to ``codesign leak-check``) and raise LeakError."""
    findings = scan(project, paths)
    if findings:
        if delete:
            for path in paths:
                if Path(path).is_file():
                    Path(path).unlink(missing_ok=True)
        raise LeakError(findings)


@dataclass(frozen=True)
class _Matchers:
    """The gate's two readings: ``text`` for what a reader reads (any case, inflected, ``_ . -`` and camel
    case as boundaries, addresses), ``markup`` for tags, scripts and data a reader does not see as text
    (names as written, capitalised)."""
    text: NameMatcher
    markup: NameMatcher


_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")


def html_layers(html_text: str) -> tuple[str, str]:
    """(what a reader sees, the markup) of an HTML text, line for line: the visible text with tags, scripts
    and styles blanked, entities unescaped; the markup with the text and embedded images blanked."""
    hidden = [(m.start(), m.end()) for m in _SCRIPT.finditer(html_text)]
    hidden += [(m.start(), m.end()) for m in _TAG.finditer(html_text)
               if not any(s <= m.start() < e for s, e in hidden)]
    hidden.sort()

    def blank(chunk: str) -> str:
        return re.sub(r"[^\n]", " ", chunk)

    visible, markup, last = [], [], 0
    for start, end in hidden:
        if start < last:
            continue
        visible += [html_text[last:start], blank(html_text[start:end])]
        markup += [blank(html_text[last:start]), html_text[start:end]]
        last = end
    visible.append(html_text[last:])
    markup.append(blank(html_text[last:]))
    seen = "\n".join(html.unescape(line) for line in "".join(visible).split("\n"))
    return seen, _DATA_URI.sub(lambda m: blank(m.group()), "".join(markup))


def _scan_lines(text: str, matcher: NameMatcher, path: str, where: str = "line") -> list[Finding]:
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            out += scan_text(line, matcher, path, f"{where} {number}")
    return out


def _scan_html(text: str, matcher: _Matchers, path: str, where: str = "line") -> list[Finding]:
    seen, markup = html_layers(text)
    return _scan_lines(seen, matcher.text, path, where) + _scan_lines(markup, matcher.markup, path, where)


def _scan_notebook(file: Path, matcher: _Matchers) -> list[Finding]:
    """A notebook cell by cell: sources and text outputs as text, HTML outputs as HTML, data outputs (plots'
    JSON) as markup; embedded images are not text."""
    raw = file.read_text(encoding="utf-8", errors="replace")
    try:
        notebook = json.loads(raw)
        cells = notebook["cells"]
    except (ValueError, KeyError, TypeError):
        return _scan_lines(raw, matcher.markup, str(file))
    out = []
    for n, cell in enumerate(cells, start=1):
        # markdown is text a reader reads; code is the report's own (names as written still count)
        reader = matcher.text if cell.get("cell_type") == "markdown" else matcher.markup
        out += _scan_lines(_joined(cell.get("source", "")), reader, str(file), f"cell {n} line")
        for k, output in enumerate(cell.get("outputs", []), start=1):
            where = f"cell {n} output {k} line"
            if "text" in output:
                out += _scan_lines(_joined(output["text"]), matcher.text, str(file), where)
            for mime, data in (output.get("data") or {}).items():
                if mime.startswith("image/") and not mime.endswith("svg+xml"):
                    continue
                body = _joined(data) if isinstance(data, (str, list)) else json.dumps(data, ensure_ascii=False)
                if mime == "text/plain" or mime == "text/markdown":
                    out += _scan_lines(body, matcher.text, str(file), where)
                elif "html" in mime or mime.endswith("svg+xml"):
                    out += _scan_html(body, matcher, str(file), where)
                else:
                    out += _scan_lines(body, matcher.markup, str(file), where)
    return out


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _scan_file(file: Path, matcher: _Matchers) -> list[Finding]:
    suffix = file.suffix.lower()
    if suffix in (".html", ".htm", ".svg"):
        return _scan_html(file.read_text(encoding="utf-8", errors="replace"), matcher, str(file))
    if suffix == ".ipynb":
        return _scan_notebook(file, matcher)
    if suffix == ".parquet":
        import pandas as pd
        frame = pd.read_parquet(file)
        out = []
        for col in frame.columns:
            if frame[col].dtype == object or str(frame[col].dtype).startswith("string"):
                for idx, value in frame[col].dropna().items():
                    out += scan_text(str(value), matcher.text, str(file), f"row {idx}, column {col!r}")
        return out
    if suffix in TEXT_SUFFIXES:
        text = file.read_text(encoding="utf-8", errors="replace")
        out = []
        for number, line in enumerate(text.split("\n"), start=1):
            out += scan_text(line, matcher.text, str(file), f"line {number}")
        return out
    if suffix == ".qdpx":
        return _scan_archive(file, matcher)
    if suffix in OFFICE_SUFFIXES:
        return _scan_office(file, matcher)
    if suffix in (".png", ".jpg", ".jpeg", ".pdf", ".gif", ".lock"):
        return []   # images carry no text we could scan; figures are drawn from scanned tables
    data = file.read_bytes()
    text = data.decode("utf-8", errors="ignore")
    return scan_text(text, matcher.markup, str(file), "bytes")


def _scan_archive(file: Path, matcher: _Matchers) -> list[Finding]:
    """A zip (a REFI-QDA .qdpx): every member's text, line by line; compressed bytes would hide names."""
    out = []
    with open_zip(file) as archive:        # sizes and ratios checked before anything is inflated
        for name in archive.namelist():
            text = read_member(archive, name, file).decode("utf-8", errors="replace")
            for number, line in enumerate(text.split("\n"), start=1):
                out += scan_text(line, matcher.text, f"{file}:{name}", f"line {number}")
    return out


# The end of a paragraph (w:p, a:p), a cell (c, w:tc), a shared string (si) or a row ends a line of text;
# other tags are dropped without a space so that a name split over formatting runs is read whole.
_OFFICE_BREAK = re.compile(r"</(?:\w+:)?(?:p|tc|tr|c|si|row|is|comment|text)>|<(?:\w+:)?(?:br|tab)\b[^>]*/>")
_OFFICE_TAG = re.compile(r"<[^>]+>")
_OFFICE_ATTRIBUTE = re.compile(r'\s[\w:.-]+="([^"]*)"')


def office_text(file: Path) -> list[tuple[str, str]]:
    """(part name, text) of every XML part of an .xlsx/.docx: element text, then attribute values
    (sheet names, document properties, alt texts), so everything a reader of the file can see is scanned."""
    parts = []
    with zipfile.ZipFile(file) as archive:
        check_zip(archive, file)           # sizes and ratios checked before anything is inflated
        for name in archive.namelist():
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            xml = read_member(archive, name, file).decode("utf-8", errors="replace")
            text = _OFFICE_TAG.sub("", _OFFICE_BREAK.sub("\n", xml))
            attributes = "\n".join(_OFFICE_ATTRIBUTE.findall(xml))
            parts.append((name, html.unescape(text) + "\n" + html.unescape(attributes)))
    return parts


def _scan_office(file: Path, matcher: _Matchers) -> list[Finding]:
    try:
        parts = office_text(file)
    except zipfile.BadZipFile:
        return scan_text(file.read_bytes().decode("utf-8", errors="ignore"), matcher.markup, str(file), "bytes")
    out = []
    for name, text in parts:
        for number, line in enumerate(text.split("\n"), start=1):
            out += scan_text(line, matcher.text, str(file), f"{name} line {number}")
    return out


def findings_json(findings: list[Finding]) -> str:
    return json.dumps([f.__dict__ for f in findings], ensure_ascii=False, indent=1)


def planted_recall(build_dir: Path, planted: list[dict]):
    """Which planted identifiers (``source``, ``kind``, ``value``) are gone from the written sources.

    A value counts as caught when its exact string no longer appears in ``build/sources/<source>.txt``.
    Returns a DataFrame with a boolean ``caught`` column, one row per planted value.
    """
    import pandas as pd

    texts: dict[str, str] = {}
    rows = []
    for item in planted:
        source = str(item["source"])
        if source not in texts:
            path = build_dir / "sources" / f"{source}.txt"
            texts[source] = path.read_text(encoding="utf-8") if path.is_file() else None
        text = texts[source]
        rows.append({"source": source, "kind": item["kind"], "value": str(item["value"]),
                     "present_in_build": text is not None,
                     "caught": text is not None and str(item["value"]) not in text})
    return pd.DataFrame(rows)
