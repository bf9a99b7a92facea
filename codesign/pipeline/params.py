"""Report parameters: project.yml ``report:``, then a ``--params`` YAML file, then ``-p name value`` (later wins)."""
from __future__ import annotations

from pathlib import Path

from codesign.core.errors import InputError
from codesign.core.project import Project


def read_params_file(path: Path | str) -> dict:
    import yaml

    path = Path(path)
    if not path.is_file():
        raise InputError(path, "parameters file not found", hint="give a YAML file of `name: value` lines")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(path, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                         line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise InputError(path, "the parameters file must be a mapping of `name: value`", line=1)
    return {str(k): v for k, v in data.items()}


def parse_cli_params(pairs: list[tuple[str, str]] | None) -> dict:
    """``-p name value`` pairs; values are read as YAML scalars/lists (``0.5``, ``true``, ``[T1, T2]``)."""
    import yaml

    out = {}
    for name, value in pairs or []:
        if not name.isidentifier():
            raise InputError("-p", f"parameter name {name!r} is not a valid name",
                             hint="use letters, digits and _ (e.g. -p language en)")
        try:
            out[name] = yaml.safe_load(value) if value != "" else ""
        except yaml.YAMLError:
            out[name] = value
    return out


def merged_params(project: Project, params_file: Path | str | None = None, cli: dict | None = None) -> dict:
    """project.yml ``report:``, then the ``--params`` file, then ``-p`` (later wins)."""
    params = dict(project.report)
    if params_file:
        params.update(read_params_file(params_file))
    params.update(cli or {})
    return params
