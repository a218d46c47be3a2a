"""``docs/cli.md``: the ``--help`` text of ``bidvet`` and of every command and subcommand.

The text is rendered for a fixed terminal width (:data:`COLUMNS`), so it does not depend on the
terminal the generator runs in. Click wraps help at the terminal width capped by the context's
``max_content_width`` (80 unless a command sets it), less 2, so the page is exactly what
``bidvet … --help`` prints on any terminal at least 80 columns wide.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

from bidvet.docs_build.markdown import header

PATH = "docs/cli.md"
#: the terminal width (``COLUMNS``) the help is rendered for
COLUMNS = 100


def _context(cmd: click.Command, name: str, parent: click.Context | None) -> click.Context:
    ctx = click.Context(cmd, info_name=name, parent=parent, **cmd.context_settings)
    if "terminal_width" not in cmd.context_settings:
        # what click's HelpFormatter computes from the terminal size when none is given
        ctx.terminal_width = max(min(COLUMNS, ctx.max_content_width or 80) - 2, 50)
    return ctx


def walk(
    cmd: click.Command, name: str, parent: click.Context | None = None
) -> Iterator[tuple[click.Context, click.Command]]:
    """``cmd`` and every command below it, depth first, subcommands in the group's order."""
    ctx = _context(cmd, name, parent)
    yield ctx, cmd
    if isinstance(cmd, click.Group):
        for sub_name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                yield from walk(sub, sub_name, ctx)


def help_texts(root: click.Command | None = None) -> dict[str, str]:
    """The ``--help`` text of every command by its full name (``bidvet framework show``)."""
    if root is None:
        from bidvet.cli.app import cli

        root = cli
    return {ctx.command_path: cmd.get_help(ctx) for ctx, cmd in walk(root, "bidvet")}


def page() -> str:
    """The whole ``docs/cli.md``."""
    out = [
        header("the click commands in `src/bidvet/cli/`"),
        "",
        "# Command-line reference",
        "",
        "The `--help` text of `bidvet` and of every command, as the installed version prints it. "
        "Exit codes: 0 ok, 1 error (one line on stderr naming the file, the record and the fix), "
        "2 usage error.",
        "",
    ]
    texts = help_texts()
    out += [f"- [`{name}`](#{name.replace(' ', '-')})" for name in texts]
    for name, text in texts.items():
        out += ["", f"## {name}", "", "```text", *text.rstrip("\n").splitlines(), "```"]
    return "\n".join(out) + "\n"


def pages() -> dict[str, str]:
    """``docs/cli.md`` by its path relative to the repository root."""
    return {PATH: page()}
