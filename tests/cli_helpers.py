"""Running the ``bidvet`` command in-process.

:func:`run_cli` calls :func:`bidvet.cli.main`, which the installed ``bidvet`` script runs
(through :func:`bidvet.program.entry`, which only tunes the garbage collector), so errors become
exit codes and ``bidvet: error: …`` lines exactly as in a real process.
Click's :class:`~click.testing.CliRunner` isolation captures stdout and stderr separately and
applies environment overrides (``env=``) only for the duration of the call. Exceptions that
``main`` does not translate propagate, so a crash fails the test with its own traceback instead
of turning into exit code 1.

tests/cli/test_process.py holds the few tests that need a real process.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner, Result

from bidvet.cli import main


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def run_cli(
    *args: str | Path,
    db: Path | str | None = None,
    input: str | None = None,
    env: Mapping[str, str | None] | None = None,
) -> Result:
    """Run ``bidvet ARGS…``; ``db`` (a SQLite file or a URL) is passed as ``BIDVET_DB``."""
    overrides: dict[str, str | None] = dict(env or {})
    if db is not None:
        overrides["BIDVET_DB"] = db if isinstance(db, str) else sqlite_url(db)
    runner = CliRunner()
    with runner.isolation(input=input, env=overrides) as (stdout, stderr, output):
        exit_code = 0
        exception: SystemExit | None = None
        return_value: object = None
        try:
            return_value = main([str(a) for a in args])
        except SystemExit as exc:
            exception = exc if exc.code else None
            if exc.code is None:
                exit_code = 0
            elif isinstance(exc.code, int):
                exit_code = exc.code
            else:
                sys.stderr.write(f"{exc.code}\n")
                exit_code = 1
        else:
            # the console script does ``sys.exit(main())``
            if isinstance(return_value, int):
                exit_code = return_value
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        return Result(
            runner=runner,
            stdout_bytes=stdout.getvalue(),
            stderr_bytes=stderr.getvalue(),
            output_bytes=output.getvalue(),
            return_value=return_value,
            exit_code=exit_code,
            exception=exception,
        )
