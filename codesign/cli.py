"""The ``codesign`` command line."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from codesign._version import __version__
from codesign.core.errors import CodesignError, InputError, LeakError, SetupError


def _cmd_ingest(args) -> int:
    from codesign.sources.ingest import ingest

    result = ingest(args.project)
    frame = result.segments
    out = sys.stdout
    if not args.quiet:
        print(f"ingested {len(result.documents)} sources into {len(frame)} segments "
              f"→ {result.project.build_dir}", file=out)
        for stage, count in frame["stage"].value_counts().sort_index().items():
            print(f"  {stage:<10} {count:>5} segments", file=out)
        print("  leak check: passed", file=out)
    _print_pseudonymisation_notes(result)
    for failure in result.failures:
        print(f"error: {failure}", file=sys.stderr)
    if result.failures:
        print(f"{len(result.failures)} source(s) failed; the others were ingested "
              f"(see {result.project.build_dir / 'ingest_report.json'})", file=sys.stderr)
        return 1
    return 0


def _print_pseudonymisation_notes(result, limit: int = 20) -> None:
    """The keep list's disagreements with the NER (file and line) and key-table notes, on stderr."""
    for warning in result.warnings[:limit]:
        print(f"warning: {warning}", file=sys.stderr)
    if len(result.warnings) > limit:
        print(f"warning: … and {len(result.warnings) - limit} more (private/pseudonymisation_report.csv, "
              "rows with why = keep)", file=sys.stderr)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)


def _cmd_leak_check(args) -> int:
    from codesign.core.project import load_project
    from codesign.privacy.leakcheck import guard

    project = load_project(args.project)
    paths = [Path(p) for p in args.paths] or [project.build_dir]
    guard(project, paths, delete=False)      # the user's files: report, never delete
    if not args.quiet:
        print(f"leak check passed: {', '.join(str(p) for p in paths)}")
    return 0


def _cmd_code(args) -> int:
    from codesign.coding.step import code

    result = code(args.project)
    if not args.quiet:
        final = result.codings[result.codings["final"]]
        print(f"{result.summary()} → build/codings.parquet")
        for code, count in final["code"].value_counts().sort_index().items():
            print(f"  {code:<9} {count:>5}")
    return 0


def _read_classify_input(handle, name: str) -> list[tuple[str, str]]:
    items, seen = [], {}
    for number, line in enumerate(handle, start=1):
        line = line.rstrip("\r\n")
        if number == 1 and line.lstrip("\ufeff") == "id\ttext":
            continue
        if not line.strip():
            continue
        if "\t" not in line:
            raise InputError(name, "expected `id<TAB>text`, found no tab", line=number,
                             hint="separate the id and the text with one tab character")
        identifier, text = line.split("\t", 1)
        identifier = identifier.strip().lstrip("\ufeff")
        if not identifier:
            raise InputError(name, "empty id", line=number, hint="every line starts with its id")
        if identifier in seen:
            raise InputError(name, f"id {identifier!r} repeats line {seen[identifier]}", line=number,
                             hint="give every text its own id")
        seen[identifier] = number
        items.append((identifier, text.replace("\t", " ")))
    return items


def _cmd_classify(args) -> int:
    import io

    from codesign.coding.step import classify

    if args.file and args.file != "-":
        path = Path(args.file)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise InputError(path, "file not found") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(path, "not UTF-8 text", line=raw[: exc.start].count(b"\n") + 1,
                             hint="save the file as UTF-8") from None
        items = _read_classify_input(io.StringIO(text), str(path))
    else:
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="strict")
        try:
            items = _read_classify_input(stdin, "<stdin>")
        except UnicodeDecodeError:
            raise InputError("<stdin>", "input is not UTF-8 text", hint="send UTF-8 text") from None
    results = classify(args.project, items)
    out = sys.stdout
    for identifier, codes in results:
        out.write(f"{identifier}\t{','.join(codes)}\n")
    out.flush()
    return 0


def _cmd_agreement(args) -> int:
    from codesign.coding.agreement import agreement_table, read_coding

    paths = [Path(args.a), Path(args.b)]
    first, second = (read_coding(p, project=args.project) for p in paths)
    codes = args.codes.split(",") if args.codes else sorted(
        {c for frame in (first, second) for cs in frame["codes"] for c in cs.split(";") if c})
    table = agreement_table(first, second, codes)
    print(f"agreement of {paths[1]} with {paths[0]} on {int(table['n'].iloc[0])} shared segments")
    print(table.round(3).to_string())
    if args.disagreements is not None:
        _write_disagreements(args, first, second, codes)
    return 0


def _write_disagreements(args, first, second, codes) -> None:
    """The units where the two codings differ: to standard output, or to a .csv or .xlsx (leak-checked)."""
    from codesign.coding.agreement import disagreements
    from codesign.core.project import load_project

    project = load_project(args.project)
    texts = None
    if (project.build_dir / "segments.parquet").is_file():
        segments = project.segments()
        texts = dict(zip(segments["segment_id"].astype(str), segments["text"].astype(str)))
    table = disagreements(first, second, codes, texts)
    target = args.disagreements
    if target == "-":
        print(f"\n{len(table)} disagreements on {table['segment_id'].nunique()} segments")
        if len(table):
            print(table.drop(columns=["text"]).to_string(index=False))
        return
    out = Path(target)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError(out, "the disagreements go to a .csv or .xlsx file", hint="name a file ending in .csv or "
                                                                                 ".xlsx (or give none to print)")
    from codesign.privacy.leakcheck import guard

    tmp = out.with_name(f".{out.stem}.tmp{out.suffix}")
    if out.suffix.lower() == ".csv":
        table.to_csv(tmp, index=False, encoding="utf-8")
    else:
        table.to_excel(tmp, index=False, sheet_name="disagreements")
    guard(project, [tmp])
    tmp.replace(out)
    if not args.quiet:
        print(f"\n{len(table)} disagreements on {table['segment_id'].nunique()} segments → {out}")


def _cmd_review(args) -> int:
    from codesign.coding.review import apply_review, write_review

    if args.apply:
        result = apply_review(args.project, args.apply)
        if not args.quiet:
            print(f"read {args.apply}: {len(result.added)} segment(s) added to the reference coding"
                  + (f" → {result.path}" if result.path else "")
                  + f"; {result.unchanged} already coded the same; {result.not_reviewed} row(s) not reviewed")
            if result.backup:
                print(f"  the previous reference coding is kept in {result.backup}")
            if result.config_updated:
                print(f"  project.yml had no reference_coding: added `reference_coding: {result.path.name}`")
            if len(result.added):
                print("  the next `codesign build` (or `codesign code`) retrains the coder on them")
        if len(result.conflicts):
            print(f"{len(result.conflicts)} conflict(s): these segments already have a different human code, "
                  "which was kept (decide them in the reference coding by hand):", file=sys.stderr)
            print(result.conflicts.to_string(index=False), file=sys.stderr)
        return 0
    path = write_review(args.project, args.output, n=args.n, language=args.language)
    if not args.quiet:
        named = f"{args.project} " if args.project else ""
        print(f"review workbook with up to {args.n} segments → {path}\n  leak check: passed\n"
              f"  fill it in, then: codesign review {named}--apply {path}")
    return 0


def _cmd_evaluate(args) -> int:
    from codesign.coding.evaluate import evaluate_codings

    result = evaluate_codings(args.project, against=args.against,
                              codes=args.codes.split(",") if args.codes else None)
    columns = ["n", "first_n", "second_n", "kappa", "precision", "recall", "f1"]
    if result.final is not None:
        print(f"final machine codes on {result.n_machine} segments without a human code, against the evaluation "
              "coding:")
        print(result.final[columns].round(3).to_string())
    else:
        print("every segment the evaluation coding covers has a human code: no final machine codes to evaluate")
    if result.cross_fitted is not None:
        print(f"\ncross-fitted machine codes on the {result.n_human} human-coded segments, against the human codes:")
        print(result.cross_fitted[columns].round(3).to_string())
    return 0


def _cmd_sample(args) -> int:
    from codesign.coding.agreement import read_coding
    from codesign.coding.sample import sample_coding
    from codesign.core.project import load_project

    project = load_project(args.project)
    full = read_coding(args.coding)
    sample = sample_coding(full, project.segments(), interviews=args.interviews, share=args.share, seed=args.seed)
    out = Path(args.output)
    tmp = out.with_name(f".{out.name}.tmp")
    sample.to_csv(tmp, index=False, encoding="utf-8")
    tmp.replace(out)
    if not args.quiet:
        print(f"sample of {len(sample)} of {len(full)} coded segments ({args.interviews} interviews, "
              f"{args.share:.0%} of the other sources, seed {args.seed}) → {out}")
    return 0


def _cmd_export_qdpx(args) -> int:
    from codesign.outputs.qdpx import export_qdpx

    # One positional means OUT (the default project); two mean PROJECT OUT.
    project, out = (None, args.first) if args.second is None else (args.first, args.second)
    path = export_qdpx(project, out)
    if not args.quiet:
        print(f"exported the coded project → {path}\n  leak check: passed")
    return 0


def _cmd_import_qdpx(args) -> int:
    from codesign.outputs.qdpx import import_qdpx

    imported = import_qdpx(args.file, args.project)
    table = imported.coding_table()
    if args.output:
        table.to_csv(args.output, index=False, encoding="utf-8")
    else:
        table.to_csv(sys.stdout, index=False)
    if not args.quiet:
        print(f"imported {len(imported.codings)} codings on {imported.codings['segment_id'].nunique()} segments "
              f"({len(table)} segments seen) from {args.file}" + (f" → {args.output}" if args.output else ""),
              file=sys.stderr)
    return 0


def _cmd_templates(args) -> int:
    from codesign.outputs.templates import make_templates

    result = make_templates(args.project, args.output)
    if not args.quiet:
        print(f"monitoring workbook → {result.monitoring}")
        print(f"communication plan  → {result.communication}")
        if not result.verdicts_included:
            print("  note: no theme_validation.csv/goal_validation.csv in build/; run `codesign analyse` "
                  "to include the verdicts")
        print("  leak check: passed")
    return 0


def _cmd_summary(args) -> int:
    from codesign.outputs.summary import write_summary

    path = write_summary(args.project, args.output, language=args.language)
    if not args.quiet:
        print(f"committee summary → {path}\n  leak check: passed")
    return 0


def _cmd_analyse(args) -> int:

    from codesign.analysis import REPORT, analyse
    from codesign.core.project import load_project

    project = load_project(args.project)
    result = analyse(project, dict(args.param or []))
    tables, report = result.tables, result.report
    if not args.quiet:
        print(f"analysed {report['counts']['segments']} participant segments → {project.build_dir} "
              f"({len(tables)} tables + {REPORT}, {report['durations']['total_seconds']:.0f} s)")
        topics = tables["topics"]
        print(f"  topics: {int((topics['topic_id'] >= 0).sum())}, emergent: "
              f"{', '.join(f'{r.topic_id} ({r.label})' for r in tables['emergent_topics'].itertuples()) or 'none'}")
        for r in tables["theme_validation"].itertuples():
            print(f"  {r.theme:<4} {r.verdict:<17} coverage {r.coverage:.0%}  {r.scope_flags}")
        for r in tables["goal_validation"].itertuples():
            if r.verdict != "confirmed":
                print(f"  {r.goal_id:<6} {r.verdict:<17} {r.reasons}")
    return 0


def _cmd_build(args) -> int:
    from codesign.pipeline.build import EXIT_BUSY, build
    from codesign.pipeline.lock import BuildBusy
    from codesign.pipeline.params import parse_cli_params

    quiet = args.quiet or args.build_quiet
    if quiet:
        logging.getLogger().setLevel(logging.WARNING)
    try:
        result = build(args.project, reports_dir=args.reports, notebooks_dir=args.notebooks, force=args.force,
                       params_file=args.params, params=parse_cli_params(args.param), only=args.only,
                       quiet=quiet, lock_wait_s=args.wait)
    except BuildBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    return result.exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="codesign", description=__doc__)
    parser.add_argument("--version", action="version", version=f"codesign {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors (for cron)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read every source of a project into build/segments.parquet")
    p.add_argument("project", nargs="?", help="project folder (default: the bundled demo data/kolari)")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("code", help="code every participant segment into build/codings.parquet")
    p.add_argument("project", nargs="?", help="project folder (default: the bundled demo)")
    p.set_defaults(func=_cmd_code)

    p = sub.add_parser("classify", help="read TSV id<TAB>text, write TSV id<TAB>codes (themes T1–T5)")
    p.add_argument("file", nargs="?", help="UTF-8 TSV file (default: standard input)")
    p.add_argument("--project", help="project whose codebook and human codes (if any) train the coder "
                                     "(default: the bundled demo)")
    p.set_defaults(func=_cmd_classify)

    p = sub.add_parser("agreement", help="agreement between two codings (CSV segment_id,codes)")
    p.add_argument("a", help="the first coding (the reference)")
    p.add_argument("b", help="the second coding")
    p.add_argument("--codes", help="comma-separated codes to compare (default: every code used)")
    p.add_argument("--project", help="project whose segments a .qdpx coding is mapped onto and whose texts the "
                                     "disagreements show (default: the demo)")
    p.add_argument("--disagreements", nargs="?", const="-", metavar="FILE",
                   help="also list the units where the codings differ (text, both codings, the code in dispute): "
                        "printed, or written to FILE (.csv or .xlsx)")
    p.set_defaults(func=_cmd_agreement)

    p = sub.add_parser("review", help="a review workbook of the segments whose human coding would help most; "
                                      "--apply reads it back into the reference coding")
    p.add_argument("project", nargs="?", help="project folder (default: the bundled demo)")
    p.add_argument("-n", type=int, default=50, help="segments to review (default 50)")
    p.add_argument("--language", choices=["fi", "en"], default="fi", help="language of the workbook (default fi)")
    p.add_argument("-o", "--output", help="the .xlsx to write (default: PROJECT/build/review/…)")
    p.add_argument("--apply", metavar="FILE", help="read a filled review workbook back into the reference coding")
    p.set_defaults(func=_cmd_review)

    p = sub.add_parser("evaluate", help="the machine codes against the project's evaluation coding")
    p.add_argument("project", nargs="?", help="project folder (default: the bundled demo); run `codesign code` "
                                              "first")
    p.add_argument("--against", metavar="FILE", help="a coding CSV to compare with (default: evaluation_coding: "
                                                     "of project.yml)")
    p.add_argument("--codes", help="comma-separated codes to compare (default: themes and statement types)")
    p.set_defaults(func=_cmd_evaluate)

    p = sub.add_parser("sample", help="draw a hand-coded sample from a full coding (whole interviews and a share "
                                      "of every other source), reproducibly")
    p.add_argument("project", help="project folder (ingested)")
    p.add_argument("coding", help="the full coding (CSV segment_id,codes)")
    p.add_argument("-o", "--output", required=True, help="the sample CSV to write")
    p.add_argument("--interviews", type=int, default=2, help="whole interviews in the sample (default 2)")
    p.add_argument("--share", type=float, default=0.15, help="share of every other source (default 0.15)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.set_defaults(func=_cmd_sample)

    p = sub.add_parser("export-qdpx", help="the coded project as a REFI-QDA project file (.qdpx)")
    p.add_argument("first", metavar="[PROJECT]", help="project folder (default: the bundled demo)")
    p.add_argument("second", metavar="OUT.qdpx", nargs="?", help="the file to write")
    p.set_defaults(func=_cmd_export_qdpx)

    p = sub.add_parser("import-qdpx", help="read a coding made in another QDA program back (CSV segment_id,codes)")
    p.add_argument("file", help="the .qdpx file")
    p.add_argument("project", nargs="?", help="project folder (default: the bundled demo)")
    p.add_argument("-o", "--output", help="write the coding CSV here (default: standard output)")
    p.set_defaults(func=_cmd_import_qdpx)

    p = sub.add_parser("templates", help="monitoring and communication-plan workbooks (XLSX) from the programme")
    p.add_argument("project", nargs="?", help="project folder (default: the bundled demo)")
    p.add_argument("-o", "--output", help="folder to write to (default: PROJECT/build/templates)")
    p.set_defaults(func=_cmd_templates)

    p = sub.add_parser("summary", help="the committee summary (.docx) of the validation results")
    p.add_argument("project", nargs="?", help="project folder (default: the bundled demo)")
    p.add_argument("-o", "--output", help="the .docx to write (default: PROJECT/build/committee_summary.docx)")
    p.add_argument("--language", choices=["fi", "en"], default="fi", help="language of the summary (default fi)")
    p.set_defaults(func=_cmd_summary)

    p = sub.add_parser("analyse", help="emergent topics, survey priorities, triangulation and the validation "
                                       "of themes and goals → build/*.csv")
    p.add_argument("project", nargs="?", help="project folder (default: the bundled demo)")
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="override an analysis parameter (see docs/schema.md), e.g. -p min_coverage 0.3")
    p.set_defaults(func=_cmd_analyse)

    p = sub.add_parser("build", help="ingest, code and analyse as needed, then regenerate the HTML reports")
    p.add_argument("project", nargs="?", help="project folder (default: the bundled demo)")
    p.add_argument("--force", action="store_true", help="re-run every step and notebook")
    p.add_argument("--quiet", dest="build_quiet", action="store_true", help="print only errors (for cron)")
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="a report parameter (YAML value), e.g. -p language en; wins over --params and "
                        "project.yml report:")
    p.add_argument("--params", metavar="FILE", help="YAML file of report parameters")
    p.add_argument("--only", action="append", metavar="NAME",
                   help="run only this notebook (01_workshop1, 01 or workshop1; repeatable); the others "
                        "are kept from the previous build")
    p.add_argument("--reports", metavar="DIR", help="reports folder (default: $CODESIGN_REPORTS or ./reports)")
    p.add_argument("--notebooks", metavar="DIR", help="notebooks folder (default: the bundled notebooks/)")
    p.add_argument("--wait", type=float, default=10.0, metavar="SECONDS",
                   help="how long to wait for another running build of the project (default 10)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("leak-check", help="scan outputs for names and identifiers that must not be there")
    p.add_argument("project", nargs="?", help="project folder (default: the bundled demo)")
    p.add_argument("paths", nargs="*", help="files or folders to scan (default: the project's build/)")
    p.set_defaults(func=_cmd_leak_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(message)s")
    try:
        return args.func(args)
    except LeakError as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except (InputError, SetupError, CodesignError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
