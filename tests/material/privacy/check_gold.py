"""Self-check of the privacy test material (run: python3 check_gold.py).

Checks that every gold span occurs, as a whole word sequence, on its stated line, with the rows of one
line placeable left to right without overlap (so a span given twice occurs twice), that no identifier
overlaps a keep span, that identity codes carry a valid check character, that participant rows name a
register code, that the transcripts keep the canonical format, and counts participant words.
"""
import csv, re, sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
errors = []

register = {r["code"]: r for r in csv.DictReader(open(HERE / "participants.csv", encoding="utf-8"))}
assert list(csv.reader(open(HERE / "participants.csv", encoding="utf-8")))[0] == \
    "code,name,aliases,group,sector,village,role".split(",")
GROUPS = {"yrittäjä", "yrityksen edustaja", "viranhaltija", "luottamushenkilö"}

texts, words = {}, {}
for path in sorted((HERE / "interviews").glob("X0*.txt")):
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    texts[path.name] = lines
    head = lines[:8]
    if head[0] != "---" or head[7] != "---":
        errors.append(f"{path.name}: header fences")
    meta = dict(l.split(": ", 1) for l in head[1:7])
    if list(meta) != ["interview", "participant", "group", "sector", "date", "language"]:
        errors.append(f"{path.name}: header keys {list(meta)}")
    if meta["group"] not in GROUPS or meta["participant"] not in register:
        errors.append(f"{path.name}: group/participant")
    n = 0
    for i, l in enumerate(lines[8:], 9):
        if (i - 9) % 2 == 1:
            if l != "":
                errors.append(f"{path.name}:{i}: expected blank line between turns")
            continue
        m = re.match(r"(?:\[\d\d:\d\d:\d\d\] )?(Haastattelija|P\d\d): (.+)$", l)
        if not m:
            errors.append(f"{path.name}:{i}: not a turn: {l[:40]}")
            continue
        if m.group(1) not in ("Haastattelija", meta["participant"]):
            errors.append(f"{path.name}:{i}: label {m.group(1)}")
        if m.group(1) == meta["participant"]:
            n += sum(1 for t in m.group(2).split() if re.search(r"\w", t))
    words[path.name] = n


def place(rows, kind):
    """Place the rows of each line left to right; return {(src,line): [(start,end)]}."""
    taken = defaultdict(list)
    by_line = defaultdict(list)
    for r in rows:
        by_line[(r["source"], int(r["line"]))].append(r)
    for (src, ln), rs in by_line.items():
        if src not in texts or not 1 <= ln <= len(texts[src]):
            errors.append(f"{kind}: no such line {src}:{ln}")
            continue
        text = texts[src][ln - 1]
        pos = 0
        for r in rs:
            pat = r"(?<![\w@.+-])" + re.escape(r["span"]) + r"(?![\w@])"
            m = re.compile(pat).search(text, pos)
            if not m:
                errors.append(f"{kind}: span {r['span']!r} not found (in order) on {src}:{ln}")
                continue
            taken[(src, ln)].append((m.start(), m.end()))
            pos = m.end()
    return taken


ids = list(csv.DictReader(open(HERE / "gold/identifiers.csv", encoding="utf-8")))
keeps = list(csv.DictReader(open(HERE / "gold/keep.csv", encoding="utf-8")))
ID_CLASSES = {"participant", "person", "firm", "email", "phone", "hetu", "url"}
KEEP_CLASSES = {"place", "country", "river", "agency", "public_body", "brand", "common_word", "pronoun"}
for r in ids:
    if r["class"] not in ID_CLASSES:
        errors.append(f"identifier class {r}")
    if (r["class"] == "participant") != bool(r["participant"]):
        errors.append(f"participant column {r}")
    if r["participant"] and r["participant"] not in register:
        errors.append(f"unknown code {r}")
    if r["class"] == "hetu":
        m = re.fullmatch(r"(\d{6})[-+A-FU-Y](\d{3})([0-9A-Y])", r["span"])
        if not m or CHECK[int(m.group(1) + m.group(2)) % 31] != m.group(3):
            errors.append(f"bad identity code {r['span']}")
for r in keeps:
    if r["class"] not in KEEP_CLASSES:
        errors.append(f"keep class {r}")
a, b = place(ids, "identifiers"), place(keeps, "keep")
for key, spans in a.items():
    for s in spans:
        if any(s[0] < e and t < s[1] for t, e in b.get(key, [])):
            errors.append(f"identifier overlaps a keep span at {key} {s}")
for kind, rows in (("identifiers", ids), ("keep", keeps)):
    c = Counter(tuple(r.values()) for r in rows)
    for row, k in c.items():
        if k > 1:
            src, ln, span = row[0], int(row[1]), row[2]
            occ = len(re.findall(r"(?<![\w@.+-])" + re.escape(span) + r"(?![\w@])", texts[src][ln - 1]))
            if occ < k:
                errors.append(f"{kind}: duplicate row {row} x{k}, span occurs {occ}x")

print("participant words:", words, "total", sum(words.values()))
print("identifiers:", dict(Counter(r["class"] for r in ids)), "total", len(ids))
print("keep:", dict(Counter(r["class"] for r in keeps)), "total", len(keeps))
if errors:
    print("\n".join(errors))
    sys.exit(1)
print("OK")
