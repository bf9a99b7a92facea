"""The leak gate: scan everything codesign wrote for names and identifiers that must not be there."""
from __future__ import annotations

import html
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from codesign.core.errors import LeakError
from codesign.core.register import Register
from codesign.core.safety import check_zip, open_zip, read_member
from codesign.privacy.pseudonymise import EMAIL, HETU, PHONE, KeyTable, valid_hetu

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


def forbidden_terms(register: Register, keys: KeyTable, keep: list[str]) -> dict[str, str]:
    """Term → why it is forbidden. Names that are also kept place names count only as full names."""
    keep_words = {w.casefold() for k in keep for w in k.split()}
    terms: dict[str, str] = {}
    for p in register:
        for name in p.names:
            terms[name] = f"register name of {p.code}"
            for word in name.replace(".", " ").split():
                if len(word) > 2 and word[0].isupper() and word.casefold() not in keep_words:
                    terms.setdefault(word, f"register name part of {p.code}")
    for row in keys.rows:
        if row["kind"] in ("person", "organisation") and len(row["original"]) > 2:
            terms.setdefault(row["original"], f"replaced {row['kind']}")
    return terms


def scan_text(text: str, terms_re: re.Pattern, terms: dict[str, str], path: str, where: str) -> list[Finding]:
    out = [Finding(path, where, terms[m.group()], m.group()) for m in terms_re.finditer(text)]
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
                  raise_on_leak: bool = True) -> list[Finding]:
    """Scan files (or folders, recursively) for personal data; raise LeakError if any is found."""
    terms = forbidden_terms(register, keys, keep)
    if terms:
        alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        terms_re = re.compile(rf"(?<![\w]){'(?:' + alternatives + ')'}(?![\w])")
    else:
        terms_re = re.compile(r"(?!x)x")
    findings: list[Finding] = []
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for file in files:
            findings += _scan_file(file, terms_re, terms)
    if findings and raise_on_leak:
        raise LeakError(findings)
    return findings


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
                         raise_on_leak=False)


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


def _scan_file(file: Path, terms_re, terms) -> list[Finding]:
    suffix = file.suffix.lower()
    if suffix == ".parquet":
        import pandas as pd
        frame = pd.read_parquet(file)
        out = []
        for col in frame.columns:
            if frame[col].dtype == object or str(frame[col].dtype).startswith("string"):
                for idx, value in frame[col].dropna().items():
                    out += scan_text(str(value), terms_re, terms, str(file), f"row {idx}, column {col!r}")
        return out
    if suffix in TEXT_SUFFIXES:
        text = file.read_text(encoding="utf-8", errors="replace")
        out = []
        for number, line in enumerate(text.split("\n"), start=1):
            out += scan_text(line, terms_re, terms, str(file), f"line {number}")
        return out
    if suffix == ".qdpx":
        return _scan_archive(file, terms_re, terms)
    if suffix in OFFICE_SUFFIXES:
        return _scan_office(file, terms_re, terms)
    if suffix in (".png", ".jpg", ".jpeg", ".pdf", ".gif", ".lock"):
        return []   # images carry no text we could scan; figures are drawn from scanned tables
    data = file.read_bytes()
    text = data.decode("utf-8", errors="ignore")
    return scan_text(text, terms_re, terms, str(file), "bytes")


def _scan_archive(file: Path, terms_re, terms) -> list[Finding]:
    """A zip (a REFI-QDA .qdpx): every member's text, line by line; compressed bytes would hide names."""
    out = []
    with open_zip(file) as archive:        # sizes and ratios checked before anything is inflated
        for name in archive.namelist():
            text = read_member(archive, name, file).decode("utf-8", errors="replace")
            for number, line in enumerate(text.split("\n"), start=1):
                out += scan_text(line, terms_re, terms, f"{file}:{name}", f"line {number}")
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


def _scan_office(file: Path, terms_re, terms) -> list[Finding]:
    try:
        parts = office_text(file)
    except zipfile.BadZipFile:
        return scan_text(file.read_bytes().decode("utf-8", errors="ignore"), terms_re, terms, str(file), "bytes")
    out = []
    for name, text in parts:
        for number, line in enumerate(text.split("\n"), start=1):
            out += scan_text(line, terms_re, terms, str(file), f"{name} line {number}")
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
