"""`flask --app wsgi uploads clean`: remove uploaded files that no upload refers to any more."""

from __future__ import annotations

import click
from flask import current_app

from app.cli import bp
from app.extensions import db
from app.models import utcnow
from app.services.questions import uploads


@bp.cli.group("uploads")
def uploads_group() -> None:
    """Files uploaded with registration forms."""


@uploads_group.command("clean")
@click.option("--dry-run", is_flag=True, help="Only list the files that would be removed.")
def clean(dry_run: bool) -> None:
    """Remove files left behind by an interrupted upload (older than an hour, unknown to the database)."""
    folder = current_app.config["UPLOAD_FOLDER"]
    find = uploads.orphaned_files if dry_run else uploads.delete_orphaned_files
    orphans = find(db.session, folder, now=utcnow())
    db.session.rollback()
    for path in orphans:
        click.echo(f"{'would remove' if dry_run else 'removed'} {path.name}")
    click.echo(f"{len(orphans)} file{'s' if len(orphans) != 1 else ''} {'to remove' if dry_run else 'removed'} "
               f"in {folder}.")
