"""The ``codesign`` command line."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __version__
from .errors import CodesignError, InputError, LeakError, SetupError


def _cmd_ingest(args) -> int:
    from .ingest import ingest

    result = ingest(args.project)
    frame = result.segments
    out = sys.stdout
    if not args.quiet:
        print(f"ingested {len(result.documents)} sources into {len(frame)} segments "
              f"→ {result.project.build_dir}", file=out)
        for stage, count in frame["stage"].value_counts().sort_index().items():
            print(f"  {stage:<10} {count:>5} segments", file=out)
        print("  leak check: passed", file=out)
    for failure in result.failures:
        print(f"error: {failure}", file=sys.stderr)
    if result.failures:
        print(f"{len(result.failures)} source(s) failed; the others were ingested "
              f"(see {result.project.build_dir / 'ingest_report.json'})", file=sys.stderr)
        return 1
    return 0


def _cmd_leak_check(args) -> int:
    from .ingest import KEYS_FILE
    from .leakcheck import check_outputs
    from .project import load_project
    from .pseudonymise import KeyTable
    from .register import load_register

    project = load_project(args.project)
    register = load_register(project.register_path, project.groups)
    keys = KeyTable.load(project.private_dir / KEYS_FILE)
    paths = [Path(p) for p in args.paths] or [project.build_dir]
    check_outputs(paths, register, keys, project.keep_terms)
    if not args.quiet:
        print(f"leak check passed: {', '.join(str(p) for p in paths)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="codesign", description=__doc__)
    parser.add_argument("--version", action="version", version=f"codesign {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors (for cron)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read every source of a project into build/segments.parquet")
    p.add_argument("project", nargs="?", help="project folder (default: the bundled demo data/kolari)")
    p.set_defaults(func=_cmd_ingest)

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
