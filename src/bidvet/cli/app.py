"""Command group, global options and the translation of errors into exit codes.

Exit codes: 0 ok, 1 error (bad input, store problem, nothing found), 2 usage error.
Each command lives in its own module and is imported only when it runs.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import Any

import click

from bidvet import settings
from bidvet.errors import BidvetError

#: command name -> "module:function"; tests/cli check this table against DESIGN's contract.
COMMANDS: dict[str, str] = {
    "load": "bidvet.cli.load_cmd:load",
    "screen": "bidvet.cli.screen_cmd:screen",
    "compare": "bidvet.cli.compare_cmd:compare",
    "owners": "bidvet.cli.owners_cmd:owners",
    "assess": "bidvet.cli.assess_cmd:assess",
    "questionnaire": "bidvet.cli.questionnaire_cmd:questionnaire",
    "framework": "bidvet.cli.framework_cmd:framework",
    "profile": "bidvet.cli.profile_cmd:profile",
    "exposure": "bidvet.cli.exposure_cmd:exposure",
    "status": "bidvet.cli.status_cmd:status",
    "knowledge": "bidvet.cli.knowledge_cmd:knowledge",
    "backup": "bidvet.cli.backup_cmd:backup",
    "restore": "bidvet.cli.restore_cmd:restore",
    "answers": "bidvet.cli.answers_cmd:answers",
    "xref": "bidvet.cli.xref_cmd:xref",
    "resolve": "bidvet.cli.resolve_cmd:resolve",
    "serve": "bidvet.cli.serve_cmd:serve",
    "users": "bidvet.cli.users_cmd:users",
    "audit": "bidvet.cli.audit_cmd:audit",
    "update": "bidvet.cli.update_cmd:update",
    "diff": "bidvet.cli.diff_cmd:diff",
    "watch": "bidvet.cli.watch_cmd:watch",
    "alerts": "bidvet.cli.alerts_cmd:alerts",
    "monitor": "bidvet.cli.monitor_cmd:monitor",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None  # command not built yet
            raise
        command = getattr(module, attr)
        assert isinstance(command, click.Command)
        return command


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: the package metadata is read only when asked for (about 0.02 s)."""
    if not value or ctx.resilient_parsing:
        return
    import bidvet

    click.echo(f"bidvet, version {bidvet.__version__}")
    ctx.exit()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="BIDVET_DB",
    default=None,
    help="Knowledge store URL (sqlite:///file.db or postgresql://…). Env: BIDVET_DB. "
    "Default: sqlite:///bidvet.db in the current directory.",
)
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-v info, -vv debug).")
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, verbose: int) -> None:
    """bidvet — vet bidders and technology for sensitive government procurement.

    Offline: only `update` (and `monitor`) use the network. Results go to stdout (JSON with
    --json); logs and progress go to stderr. Exit codes: 0 ok, 1 error, 2 usage.
    """
    level = settings.get("BIDVET_LOG_LEVEL").upper()
    if verbose == 1:
        level = "INFO"
    elif verbose >= 2:
        level = "DEBUG"
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    ctx.ensure_object(dict)
    ctx.obj["db"] = settings.db_url(db)


def main(argv: list[str] | None = None) -> Any:
    try:
        return cli.main(args=argv, prog_name="bidvet", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("bidvet: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BidvetError as exc:
        click.echo(f"bidvet: error: {exc.render()}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # `bidvet … | head`: the reader went away; that is not an error.
        sys.stderr.close()
        sys.exit(0)
