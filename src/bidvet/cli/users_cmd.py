"""``bidvet users``: workspace accounts."""

from __future__ import annotations

import sys

import click

from bidvet.cli.common import emit_json, open_store


@click.group()
def users() -> None:
    """Workspace accounts (roles: assessor, reviewer, admin, auditor)."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["assessor", "reviewer", "admin", "auditor"]),
    help="The role.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from stdin (first line) instead of generating one.",
)
@click.pass_context
def add(ctx: click.Context, name: str, role: str, password_stdin: bool) -> None:
    """Add an account. Prints a generated one-time password unless --password-stdin."""
    from bidvet.web.accounts import create_user

    given = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    password = create_user(open_store(ctx), name, role, actor="cli", password=given)
    if given is None:
        click.echo(password)
    click.echo(f"added {name} ({role})", err=True)


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_users(ctx: click.Context, as_json: bool) -> None:
    """List the accounts."""
    from bidvet.store import workspace

    with open_store(ctx).read() as conn:
        rows = workspace.users(conn)
    if as_json:
        emit_json(
            [
                {"name": u.name, "role": u.role, "active": u.active, "created_at": u.created_at}
                for u in rows
            ]
        )
        return
    for u in rows:
        click.echo(f"{u.name}\t{u.role}\t{'active' if u.active else 'disabled'}")


@users.command("token")
@click.argument("name")
@click.option("--name", "token_name", required=True, help="What the token is for.")
@click.option(
    "--role",
    type=click.Choice(["assessor", "reviewer", "admin", "auditor", "reader"]),
    default=None,
    help="The token's scope: the user's role (default) or reader (read-only).",
)
@click.pass_context
def token(ctx: click.Context, name: str, token_name: str, role: str | None) -> None:
    """Make an API token for user NAME. Prints it once: it is stored only as a hash."""
    from bidvet.web.api_auth import create_token

    secret = create_token(open_store(ctx), name, token_name, role=role, actor="cli")
    click.echo(secret)
    click.echo(f"token {token_name!r} made for {name}", err=True)
