"""Browsing the coded corpus: segments by theme, group and stage, phrase search by base form, why a code.

Plain DataFrames in and out, so the explore notebook (and a designer at a prompt) only calls and shows.
Every text here is already pseudonymised (``segments.parquet``); quotes always carry their segment id.
"""
from __future__ import annotations

import json
import random

import pandas as pd

from codesign.coding.codebook import Codebook, load_codebook
from codesign.core.errors import InputError
from codesign.core.project import Project, load_project
from codesign.core.text import excerpt

CORPUS_COLUMNS = ["segment_id", "source_id", "stage", "participant", "group", "prompt", "text",
                  "themes", "subcodes", "statements"]


def read_codings(project: Project) -> pd.DataFrame:
    path = project.build_dir / "codings.parquet"
    if not path.is_file():
        raise InputError(path, "the codings table is missing",
                         hint=f"run `codesign code {project.root}` (or `codesign build`) first")
    return pd.read_parquet(path)


def project_codebook(project: Project) -> Codebook | None:
    return load_codebook(project.codebook_path) if project.codebook_path else None


def corpus(project: Project | str | None = None, codings: pd.DataFrame | None = None,
           codebook: Codebook | None = None) -> pd.DataFrame:
    """Participant segments with their final codes: ``themes``, ``subcodes``, ``statements`` as tuples."""
    from codesign.sources.ingest import read_segments

    project = load_project(project)
    codebook = codebook if codebook is not None else project_codebook(project)
    codings = codings if codings is not None else read_codings(project)
    segments = read_segments(project)
    segments = segments[segments["speaker_role"] == "participant"]
    # plain Python values (None for missing) so tuples and labels can be put in and compared
    segments = segments.astype(object).where(segments.notna(), None)
    final = codings[codings["final"]]
    kind = {c.id: c.kind for c in codebook} if codebook is not None else {}

    def kind_of(code: str) -> str:
        if code in kind:
            return kind[code]
        return "subcode" if "." in code else ("theme" if code[:1] == "T" and code[1:].isdigit() else "statement")

    by_kind = {k: final[final["code"].map(kind_of) == k].groupby("segment_id")["code"]
               .apply(lambda c: tuple(sorted(c))) for k in ("theme", "subcode", "statement")}
    for k, column in (("theme", "themes"), ("subcode", "subcodes"), ("statement", "statements")):
        segments[column] = segments["segment_id"].map(by_kind[k]).apply(
            lambda v: v if isinstance(v, tuple) else ())
    return segments[CORPUS_COLUMNS].reset_index(drop=True)


def select(frame: pd.DataFrame, themes=None, groups=None, stages=None) -> pd.DataFrame:
    """Rows with any of ``themes`` (codes), in ``groups`` and ``stages``; None (or empty) means all.

    The group ``"unknown"`` selects segments whose author's group is not known (anonymous notes).
    """
    keep = pd.Series(True, index=frame.index)
    if themes:
        wanted = set(themes)
        keep &= frame["themes"].apply(lambda codes: bool(wanted & set(codes)))
    if groups:
        wanted = set(groups)
        keep &= frame["group"].apply(lambda g: (g if isinstance(g, str) and g else "unknown") in wanted)
    if stages:
        keep &= frame["stage"].isin(list(stages))
    return frame[keep]


def theme_counts(frame: pd.DataFrame, by: str, themes: list[str] | None = None) -> pd.DataFrame:
    """Segments per theme × ``by`` (one row per pair, tidy); a segment with two themes counts for both."""
    exploded = frame[[by, "themes"]].explode("themes").dropna(subset=["themes"])
    if themes:
        exploded = exploded[exploded["themes"].isin(themes)]
    exploded[by] = exploded[by].fillna("unknown")
    counts = exploded.groupby(["themes", by]).size().reset_index(name="n_segments")
    return counts.rename(columns={"themes": "theme"})


def quotes(frame: pd.DataFrame, n: int = 5, seed: int = 0, max_chars: int = 280) -> pd.DataFrame:
    """Up to ``n`` quotes drawn reproducibly (``seed``), each ``“text” (segment id)`` with who said it."""
    rows = frame.to_dict("records")
    if len(rows) > n:
        rows = random.Random(seed).sample(rows, n)
        rows.sort(key=lambda r: r["segment_id"])
    out = []
    for row in rows:
        text = excerpt(row["text"], max_chars)
        out.append({"segment_id": row["segment_id"], "participant": row.get("participant"),
                    "group": row.get("group"), "stage": row.get("stage"),
                    "quote": f"“{text}” ({row['segment_id']})"})
    return pd.DataFrame(out, columns=["segment_id", "participant", "group", "stage", "quote"])


class PhraseFinder:
    """Finds a phrase by base form: ``asunto`` finds *asuntoja*, *vuokra-asunnot*, *työsuhdeasuntoa*.

    Each query word matches a segment word that shares a lemma (spaCy or Voikko, through the written
    form of spoken Finnish) or has it as a compound part; a multiword query matches consecutive words.
    """

    def __init__(self, cache) -> None:
        self.cache = cache

    @classmethod
    def for_project(cls, project: Project) -> "PhraseFinder":
        from codesign.coding.step import doc_cache

        return cls(doc_cache(project))

    def query_words(self, phrase: str):
        from codesign.nlp.finnish import words

        doc = self.cache.process([phrase], remember=False)[0]
        found = words(doc)
        if not found:
            raise ValueError(f"the phrase {phrase!r} has no words to search for")
        return found

    def find(self, frame: pd.DataFrame, phrase: str) -> pd.DataFrame:
        """The rows of ``frame`` that contain ``phrase``, with the matched words in ``matched``."""
        from codesign.nlp.finnish import words

        query = [q.lemmas | {q.text.casefold()} for q in self.query_words(phrase)]
        docs = self.cache.process(frame["text"].tolist())
        matched = []
        for doc in docs:
            tokens = words(doc)
            hits = []
            for i in range(len(tokens) - len(query) + 1):
                window = tokens[i:i + len(query)]
                if all(q & (w.lemmas | w.parts | {w.text.casefold()}) for q, w in zip(query, window)):
                    hits.append(" ".join(w.text for w in window))
            matched.append(tuple(dict.fromkeys(hits)))
        out = frame.assign(matched=matched)
        return out[out["matched"].apply(bool)]


def why_coded(codings: pd.DataFrame, segment_id: str, codebook: Codebook | None = None,
              language: str = "fi") -> pd.DataFrame:
    """One row per code given to ``segment_id``: who gave it, whether it decides, and the evidence."""
    from codesign.core.i18n import code_label

    rows = []
    for row in codings[codings["segment_id"] == segment_id].itertuples(index=False):
        evidence = json.loads(row.evidence) if isinstance(row.evidence, str) and row.evidence else {}
        nearest = evidence.get("nearest") or []
        rows.append({
            "code": row.code, "label": code_label(codebook, row.code, language, with_id=False),
            "source": row.source, "final": bool(row.final), "confidence": round(float(row.confidence), 3),
            "score": evidence.get("score"), "threshold": evidence.get("threshold"),
            "matched": ", ".join(map(str, evidence.get("matched") or [])),
            "context_matched": ", ".join(map(str, evidence.get("context_matched") or [])),
            "similarity": evidence.get("similarity"),
            "nearest": ", ".join(str(n.get("segment_id", n)) if isinstance(n, dict) else str(n) for n in nearest),
            "rule": evidence.get("rule") or evidence.get("coder"),
        })
    if not rows:
        raise KeyError(f"segment {segment_id!r} has no codes (is it an interviewer turn or not in this project?)")
    columns = list(rows[0])
    return pd.DataFrame(rows, columns=columns).sort_values(["final", "source", "code"],
                                                           ascending=[False, True, True]).reset_index(drop=True)


def split_prompt(prompt: str | None) -> tuple[str, str]:
    """A workshop canvas prompt ``"Theme label / Section"`` → (theme label, section); no section → ""."""
    text = "" if prompt is None or prompt != prompt else str(prompt)
    theme, _, section = text.partition(" / ")
    return theme.strip(), section.strip()


def canvas_theme(codebook: Codebook | None, label: str) -> str | None:
    """The theme id whose Finnish or English label is the canvas heading ``label`` (None if none is)."""
    if codebook is None:
        return None
    wanted = label.casefold().strip()
    for code in codebook.of_kind("theme"):
        if wanted in (code.label_fi.casefold(), (code.label_en or "").casefold()):
            return code.id
    return None


def counts(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Segments per combination of ``by`` columns (tidy, ``n_segments``); an empty value is ``unknown``."""
    data = frame[by].astype(object).where(frame[by].notna() & (frame[by].astype(str) != ""), "unknown")
    return data.groupby(by).size().reset_index(name="n_segments")


def with_canvas(frame: pd.DataFrame, codebook: Codebook | None) -> pd.DataFrame:
    """Workshop canvas notes with ``canvas_label``, ``canvas_theme`` (theme id or None) and ``section``."""
    parts = frame["prompt"].apply(split_prompt)
    out = frame.assign(canvas_label=parts.str[0], section=parts.str[1])
    return out.assign(canvas_theme=out["canvas_label"].apply(lambda label: canvas_theme(codebook, label)))


def quote_lines(quoted: pd.DataFrame, language: str = "fi") -> str:
    """Markdown bullet list of quotes: the quote, then the participant code and group when known. Every part
    is escaped (``markup.md``): a note reading ``<img onerror=…>`` shows as that text, never as markup."""
    from codesign.core.i18n import group_label
    from codesign.outputs.markup import md

    lines = []
    for row in quoted.itertuples(index=False):
        who = [str(row.participant)] if isinstance(row.participant, str) and row.participant else []
        who.append(group_label(row.group, language))
        lines.append(f"- {md(row.quote)} — {md(', '.join(who))}")
    return "\n".join(lines)


def emergent_topics(topics: pd.DataFrame, sentences: pd.DataFrame, corpus: pd.DataFrame | None = None,
                    n: int = 3, stages: list[str] | None = None, groups: list[str] | None = None
                    ) -> list[dict]:
    """The emergent topics as a report shows them: per topic its readable label, its most typical sentence and
    up to ``n`` quoted sentences (one per segment, most typical first), each with its segment id, its offsets in
    ``build/sources/<source>.txt`` and who said it (from ``corpus``: the segments with participant, group and
    stage). ``stages``/``groups`` keep only the sentences of those stages or groups (a topic with none left is
    dropped).

    Returns
    -------
    list of dict
        ``topic_id``, ``label``, ``typical`` (sentence), ``typical_segment_id``, ``n_participants``,
        ``n_sentences``, ``persistence``, ``nearest_theme``, ``quotes`` (a DataFrame: ``segment_id``,
        ``sentence``, ``source_id``, ``start``, ``end``, ``participant``, ``group``, ``stage``).
    """
    emergent = topics[topics["emergent"].astype(str) == "True"]
    if "emergent_rank" in emergent.columns:          # most novel first, as emergent_topics.csv lists them
        emergent = emergent.sort_values(["emergent_rank", "topic_id"], kind="stable")
    who = corpus.set_index("segment_id")[["participant", "group", "stage"]] if corpus is not None else None
    out = []
    for row in emergent.itertuples():
        part = sentences[sentences["topic_id"] == row.topic_id].copy()
        if who is not None:
            part = part.join(who, on="segment_id")
            if stages:
                part = part[part["stage"].isin(stages)]
            if groups:
                part = part[part["group"].isin(groups)]
        if part.empty:
            continue
        typical = str(getattr(row, "typical_sentence", "") or "")
        part["typical"] = part["sentence"].eq(typical)
        part = part.sort_values(["typical", "probability", "sentence_id"], ascending=[False, False, True])
        quotes = part.drop_duplicates("segment_id").head(n)
        out.append({"topic_id": int(row.topic_id), "label": row.label, "typical": typical,
                    "typical_segment_id": getattr(row, "typical_segment_id", ""),
                    "n_participants": int(row.n_participants), "n_sentences": int(getattr(row, "n_sentences", 0)),
                    "persistence": getattr(row, "persistence", None), "nearest_theme": getattr(row, "nearest_theme",
                                                                                               None),
                    "quotes": quotes.reset_index(drop=True)})
    return out


def emergent_markdown(shown: list[dict], language: str = "fi", theme_name=None) -> str:
    """Markdown of :func:`emergent_topics`: a heading with the label, the most typical sentence, counts and the
    quoted sentences — ``“sentence” (segment id, characters start–end) — participant, group``."""
    from codesign.core.i18n import group_label, t

    blocks = []
    for topic in shown:
        facts = [f"{t('col.participants', language)}: {topic['n_participants']}",
                 f"{t('col.sentences', language)}: {topic['n_sentences']}"]
        if topic["persistence"] is not None and topic["persistence"] == topic["persistence"]:
            facts.append(f"{t('col.persistence', language)}: {float(topic['persistence']):.0%}".replace("%", " %"))
        if theme_name is not None and isinstance(topic["nearest_theme"], str):
            facts.append(f"{t('col.nearest', language)}: {theme_name(topic['nearest_theme'])}")
        lines = [f"### {topic['label']}", f"{t('topic.typical', language)}: *“{topic['typical']}”* "
                 f"({topic['typical_segment_id']})", " · ".join(facts), ""]
        for q in topic["quotes"].itertuples():
            who = [str(q.participant)] if isinstance(getattr(q, "participant", None), str) else []
            if isinstance(getattr(q, "group", None), str):
                who.append(group_label(q.group, language))
            lines.append(f"- “{' '.join(str(q.sentence).split())}” ({q.segment_id}, {t('topic.chars', language)} "
                         f"{q.start}–{q.end}) — {', '.join(who) or '–'}")
        blocks.append("\n".join(lines[:3]) + "\n\n" + "\n".join(lines[4:]))
    return "\n\n".join(blocks)


def machine_code_note(project: Project | str | None = None, language: str = "fi") -> str:
    """A short Markdown paragraph saying what rests on machine codes: their share of the final codes, their
    measured agreement with the human codes, and whether the theme and goal verdicts stay the same from the
    human codes alone (from ``analysis_report.json`` when the analysis has run, else from the codings)."""
    from codesign.analysis import REPORT
    from codesign.core.i18n import _decimal, _percent, check_language, t

    language = check_language(language)
    project = load_project(project)
    report_path = project.build_dir / REPORT
    summary = None
    if report_path.is_file():
        summary = json.loads(report_path.read_text(encoding="utf-8")).get("machine_codes")
    if summary is None:
        from codesign.coding.reliability import machine_code_summary, measured_reliability
        from codesign.coding.step import coding_codes, human_coding

        codebook = project_codebook(project)
        codings = read_codings(project)
        human = set(codings.loc[codings["source"] == "human", "segment_id"])
        reference = human_coding(project)
        if reference is not None:
            human |= set(reference["segment_id"]) & set(codings["segment_id"])
        n_segments = int((project.segments()["speaker_role"] == "participant").sum())
        summary = machine_code_summary(codings, human, coding_codes(codebook), codebook.themes, n_segments)
        summary["measured_without_human_codes"] = measured_reliability() if not human else None
    lines = [f"**{t('machine.title', language)}.**"]
    share = summary.get("machine_share")
    if not summary.get("human_segments"):
        lines.append(t("machine.none", language))
        measured = summary.get("measured_without_human_codes") or {}
        if measured.get("independent_mean_theme_kappa") is not None:
            lines.append(t("machine.measured", language).format(
                kappa=_decimal(measured["independent_mean_theme_kappa"], 2, language)))
    elif share == 0:
        lines.append(t("machine.all", language))
    else:
        lines.append(t("machine.share", language).format(
            share=_percent(share, language), human=summary["human_segments"],
            total=summary["segments"]))
    agreement = summary.get("agreement")
    if agreement and agreement.get("mean_theme_kappa") is not None:
        codebook = project_codebook(project) if project.codebook_path and project.codebook_path.is_file() else None
        themes = codebook.themes if codebook else sorted(agreement["kappa"])
        per_theme = ", ".join(f"{c} {_decimal(agreement['kappa'][c], 2, language)}" for c in themes
                              if agreement["kappa"].get(c) is not None)
        lines.append(t("machine.agreement", language).format(
            n=agreement["n"], kappa=_decimal(agreement["mean_theme_kappa"], 2, language), per_theme=per_theme))
    stability = summary.get("verdict_stability") or {}
    if stability.get("compared"):
        themes, goals = stability["themes"], stability["goals"]
        lines.append(t("machine.stable", language).format(
            themes_same=themes["same"], themes=themes["compared"], goals_same=goals["same"],
            goals=goals["compared"]))
        differ = themes["differ"] + goals["differ"]
        if differ:
            lines.append(t("machine.differ", language).format(subjects=", ".join(differ)))
    return " ".join(lines)


def goal_evidence_note(project: Project | str | None = None, language: str = "fi") -> str:
    """One sentence on how the goal links and stances the goal verdicts count were made and how reliable they
    are (``goal_links`` of ``analysis_report.json``: the shipped model's measured figures on independent
    material, the project's own coding, or the unmeasured word rules); empty before the analysis has run."""
    from codesign.analysis import REPORT
    from codesign.core.i18n import _percent, check_language, t

    language = check_language(language)
    project = load_project(project)
    path = project.build_dir / REPORT
    if not path.is_file():
        return ""
    info = json.loads(path.read_text(encoding="utf-8")).get("goal_links") or {}
    if info.get("model") == "project":
        return t("goal.reliability_project", language).format(coded=info.get("coded_units", 0),
                                                              review=info.get("review", 0))
    figures = (info.get("figures") or {}).get("independent_demo_model") or {}
    if info.get("model") == "default" and figures:
        f1 = figures.get("stance_macro_f1") or 0.0
        return t("goal.reliability_model", language).format(
            precision=_percent(figures["link_precision"], language), recall=_percent(figures["link_recall"], language),
            stance_f1=f"{f1:.2f}".replace(".", ",") if language == "fi" else f"{f1:.2f}", review=info.get("review", 0))
    return t("goal.reliability_rules", language)


def why_coded_readable(codings: pd.DataFrame, segment_id: str, codebook: Codebook | None = None,
                       language: str = "fi") -> pd.DataFrame:
    """``why_coded`` as a reader reads it: the code's name, who gave it (a person or the coder), whether it
    decides, the coder's confidence as a percentage, the words that signalled it, the nearest human-coded
    segments."""
    from codesign.core.i18n import percent, t

    why = why_coded(codings, segment_id, codebook, language)
    who = {"human": t("word.human", language), "machine": t("word.machine", language)}
    return pd.DataFrame({
        t("col.code", language): why["code"] + " " + why["label"].fillna(""),
        t("col.coder", language): why["source"].map(lambda s: who.get(s, s)),
        t("col.decides", language): why["final"].map(lambda v: t("word.yes" if v else "word.no", language)),
        t("col.confidence", language): why["confidence"].map(lambda v: percent(v, language)),
        t("col.words", language): [", ".join(x for x in (m, c) if x) for m, c in zip(why["matched"],
                                                                                   why["context_matched"])],
        t("col.nearest_segments", language): why["nearest"]})


def known_groups_last(counts: pd.DataFrame, unknown_label: str, column: str = "group") -> pd.DataFrame:
    """A tidy count table with the unknown group's rows last, so a legend lists the real groups first."""
    return counts.assign(_u=counts[column].eq(unknown_label)).sort_values("_u", kind="stable").drop(columns="_u")


def canvas_agreement(notes: pd.DataFrame, theme_name, none_label: str) -> pd.DataFrame:
    """Workshop canvas notes: the canvas theme against the coded themes (tidy counts; ``none_label`` for a
    note that got no theme)."""
    pairs = notes[["canvas_theme", "themes"]].explode("themes")
    pairs["themes"] = pairs["themes"].fillna("—")
    pairs = pairs[pairs["canvas_theme"].notna()]
    out = counts(pairs.rename(columns={"themes": "coded"}), ["canvas_theme", "coded"])
    out["canvas_theme"] = out["canvas_theme"].map(theme_name)
    out["coded"] = out["coded"].map(lambda c: none_label if c == "—" else theme_name(c))
    return out


def review_table(project: Project | str | None = None, n: int = 5, language: str = "fi") -> pd.DataFrame:
    """The review loop's next segments for a person to code (``codesign.review_queue``) as a reader reads
    them: id, stage, text, the machine's codes and why each is proposed, with headings in ``language``."""
    from codesign.coding.review import HEADERS, review_queue

    queue = review_queue(load_project(project), n=n, language=language)
    return queue[["segment_id", "stage", "text", "machine_codes", "reason"]].rename(columns=HEADERS[language])
