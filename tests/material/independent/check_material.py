"""Self-check of the independent test material (run: python3 check_material.py).

Checks the shape of the sources and that the gold file agrees with them. It does not use codesign.
Exit status 0 when everything passes.
"""
import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
GROUPS = {"yrittäjä", "yrityksen edustaja", "viranhaltija", "luottamushenkilö"}
CONCERN = "Paikallisen kulttuuriperinnön katoaminen"
problems = []


def fail(msg):
    problems.append(msg)


# ---------------------------------------------------------------- register
reg = list(csv.DictReader(open(HERE / "participants.csv", encoding="utf-8")))
codes = {r["code"]: r for r in reg}
if sorted(codes) != [f"P{n}" for n in range(51, 59)]:
    fail(f"participants.csv codes {sorted(codes)}")
for r in reg:
    if r["group"] not in GROUPS:
        fail(f"participants.csv group {r['group']}")

# ---------------------------------------------------------------- interviews
TURN = re.compile(r"^\[(\d\d):(\d\d):(\d\d)\] ([^:\n]+): (.+)$", re.S)
interviews = {}
words = {}
groups_used = set()
for path in sorted((HERE / "interviews").glob("U*.txt")):
    uid = path.stem
    text = path.read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    if not m:
        fail(f"{uid}: front matter")
        continue
    meta = dict(line.split(": ", 1) for line in m.group(1).splitlines())
    if list(meta) != ["interview", "participant", "group", "sector", "date", "language"]:
        fail(f"{uid}: front matter keys {list(meta)}")
    if meta["interview"] != uid or meta["language"] != "fi":
        fail(f"{uid}: interview/language")
    pcode = meta["participant"]
    if pcode not in codes or codes[pcode]["group"] != meta["group"] or codes[pcode]["sector"] != meta["sector"]:
        fail(f"{uid}: participant/group/sector do not match the register")
    groups_used.add(meta["group"])
    paras = m.group(2).rstrip("\n").split("\n\n")
    turns, last = [], -1
    for p in paras:
        t = TURN.match(p)
        if not t or "\n" in p:
            fail(f"{uid}: bad turn {p[:50]!r}")
            continue
        secs = int(t.group(1)) * 3600 + int(t.group(2)) * 60 + int(t.group(3))
        if secs <= last:
            fail(f"{uid}: timestamps not increasing at {p[:20]}")
        last = secs
        label = t.group(4)
        if label not in ("Haastattelija", pcode):
            fail(f"{uid}: label {label}")
        turns.append((label, t.group(5)))
    interviews[uid] = (pcode, turns)
    words[uid] = sum(len(tx.split()) for lab, tx in turns if lab != "Haastattelija")
    # nobody names a theme or goal id
    if re.search(r"\bT[1-5](\.(G|A)?\d)?\b", m.group(2)):
        fail(f"{uid}: theme/goal id in the text")
if groups_used != GROUPS:
    fail(f"groups used {groups_used}")

# ---------------------------------------------------------------- notes and answers
notes = list(csv.DictReader(open(HERE / "notes.csv", encoding="utf-8", newline="")))
if list(notes[0]) != ["Nro", "Frame", "Sticky note", "Author", "Created"]:
    fail("notes.csv header")
names = {r["name"] for r in reg}
for n in notes:
    if n["Author"] and n["Author"] not in names:
        fail(f"notes.csv author {n['Author']}")
    if not re.fullmatch(r"\d{1,2}\.\d{1,2}\.2024 \d{1,2}\.\d\d", n["Created"]):
        fail(f"notes.csv Created {n['Created']}")
note_by_nro = {int(n["Nro"]): n["Sticky note"] for n in notes}

raw = (HERE / "answers.csv").read_bytes()
if not raw.startswith(b"\xef\xbb\xbf"):
    fail("answers.csv has no BOM")
answers = list(csv.DictReader(open(HERE / "answers.csv", encoding="utf-8-sig", newline=""), delimiter=";"))
if list(answers[0]) != ["Nro", "Kysymys", "Vastaus", "Taustaryhmä"]:
    fail("answers.csv header")
for a in answers:
    if a["Taustaryhmä"] not in GROUPS | {"muu"}:
        fail(f"answers.csv group {a['Taustaryhmä']}")
answer_by_nro = {int(a["Nro"]): a["Vastaus"] for a in answers}

# ---------------------------------------------------------------- gold
gold = list(csv.DictReader(open(HERE / "gold" / "emergent.csv", encoding="utf-8", newline="")))
concern_turns = defaultdict(list)  # (uid, turn no) -> sentences
distractor_speakers = Counter()
kinds = Counter()
for g in gold:
    sid, sent, concern = g["segment_id"], g["sentence"], g["concern"]
    if concern not in (CONCERN, "distractor"):
        fail(f"gold concern {concern}")
    if sid.startswith("U"):
        uid, no = sid.split("-")
        pcode, turns = interviews[uid]
        label, text = turns[int(no) - 1]
        if sent not in text:
            fail(f"gold {sid}: sentence not in the turn: {sent[:50]}")
        if label == "Haastattelija":
            fail(f"gold {sid}: interviewer turn")
        if concern == CONCERN:
            concern_turns[(uid, int(no))].append(sent)
            kinds["interview"] += 1
        else:
            distractor_speakers[pcode] += 1
    elif sid.startswith("N-"):
        if sent not in note_by_nro[int(sid[2:])]:
            fail(f"gold {sid}: not in note")
        kinds["note"] += 1
    elif sid.startswith("K-"):
        if sent not in answer_by_nro[int(sid[2:])]:
            fail(f"gold {sid}: not in answer")
        kinds["answer"] += 1
    else:
        fail(f"gold segment id {sid}")

speakers = {interviews[u][0] for u, _ in concern_turns}
if len(concern_turns) != 10:
    fail(f"{len(concern_turns)} concern turns, want 10")
if len(speakers) < 7:
    fail(f"{len(speakers)} interviewees carry the concern, want >= 7")
for (uid, no), sents in concern_turns.items():
    text = interviews[uid][1][no - 1][1]
    n = len(text.split())
    if n < 120:
        fail(f"{uid}-{no:03d}: concern turn has {n} words")
    if len(sents) > 2:
        fail(f"{uid}-{no:03d}: more than two concern sentences")
if kinds["note"] != 3 or kinds["answer"] != 3:
    fail(f"concern in {kinds['note']} notes and {kinds['answer']} answers, want 3 + 3")
if len(distractor_speakers) != 1 or sum(distractor_speakers.values()) != 2:
    fail(f"distractor speakers {dict(distractor_speakers)}")

# the concern's own vocabulary must not turn up outside the gold segments
MARKERS = re.compile(r"perinn|perint|perinte|kulttuur|histori|museo|meänkie|murre|murret|muistitie|muistel|paikannim|"
                     r"vanhalla nimell|käsityö|käsitöi|kotiseutu|menneisyy", re.I)
gold_ids = {g["segment_id"] for g in gold}
for uid, (pcode, turns) in interviews.items():
    for i, (label, text) in enumerate(turns, 1):
        sid = f"{uid}-{i:03d}"
        if sid not in gold_ids and MARKERS.search(text):
            fail(f"concern vocabulary outside gold: {sid}: {MARKERS.search(text).group(0)}")
for nro, text in note_by_nro.items():
    if f"N-{nro:03d}" not in gold_ids and MARKERS.search(text):
        fail(f"concern vocabulary outside gold: N-{nro:03d}")
for nro, text in answer_by_nro.items():
    if f"K-{nro:03d}" not in gold_ids and MARKERS.search(text):
        fail(f"concern vocabulary outside gold: K-{nro:03d}")

# ---------------------------------------------------------------- report
print("participant words per interview:", ", ".join(f"{u} {w}" for u, w in words.items()),
      "| total", sum(words.values()))
print("turns per interview:", ", ".join(f"{u} {len(t)}" for u, (_, t) in interviews.items()))
print(f"notes {len(notes)} in {len({n['Frame'] for n in notes})} frames; answers {len(answers)}")
print(f"concern: {len(concern_turns)} turns by {len(speakers)} interviewees ({', '.join(sorted(speakers))}); "
      f"sentences: interview {kinds['interview']}, note {kinds['note']}, answer {kinds['answer']}")
print("concern turn lengths:", ", ".join(f"{u}-{n:03d} {len(interviews[u][1][n - 1][1].split())}"
                                          for u, n in sorted(concern_turns)))
print("distractor:", dict(distractor_speakers))
if problems:
    print("\nPROBLEMS:")
    for p in problems:
        print(" -", p)
    sys.exit(1)
print("all checks passed")
