"""``bidvet framework check|show``: validate and document assessment frameworks."""

from __future__ import annotations

import click

from bidvet.cli.common import emit_json


@click.group()
def framework() -> None:
    """Validate and document assessment frameworks."""


@framework.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check(file: str, as_json: bool) -> None:
    """Validate a framework FILE: shape, evaluators, parameters and cross-references."""
    from bidvet.framework.loader import load_framework

    lf = load_framework(file)
    if as_json:
        emit_json({**lf.to_json(), "ok": True, "criteria": len(lf.framework.criteria)})
        return
    click.echo(
        f"ok: {lf.framework.id} version {lf.framework.version}, "
        f"{len(lf.framework.criteria)} criteria, {len(lf.framework.outcome.rules)} "
        f"outcome rules (sha256 {lf.sha256[:12]})"
    )


@framework.command("show")
@click.argument("name", required=False, default=None)
@click.option("--json", "as_json", is_flag=True, help="Print the documentation as JSON.")
def show(name: str | None, as_json: bool) -> None:
    """Document every criterion of a framework (bundled id or YAML file; default the bundled
    sensitive-procurement-v3)."""
    from bidvet.framework.docs import describe, describe_markdown
    from bidvet.framework.loader import DEFAULT_FRAMEWORK, framework_path, load_framework

    lf = load_framework(framework_path(name or DEFAULT_FRAMEWORK))
    if as_json:
        emit_json(describe(lf))
    else:
        click.echo(describe_markdown(lf), nl=False)
