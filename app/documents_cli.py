"""`flask --app wsgi documents purge-passport-data --ended-before DATE`: wipe old passport data in one go."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from app.cli import bp
from app.database import begin_write
from app.extensions import db
from app.models import utcnow
from app.services.documents import visa_letters


@bp.cli.group("documents")
def documents_group() -> None:
    """Visa letters, badges and certificates."""


@documents_group.command("purge-passport-data")
@click.option("--ended-before", "ended_before", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Delete the passport data of every event that ended before this day (YYYY-MM-DD, UTC).")
def purge_passport_data(ended_before: datetime) -> None:
    """Delete the passport data of visa requests of events that have ended (letters stay verifiable)."""
    begin_write(db.session)
    done = visa_letters.purge_events_ended_before(db.session, ended_before.replace(tzinfo=UTC), now=utcnow())
    db.session.commit()
    if not done:
        click.echo("No passport data to delete.")
    for title, count in done.items():
        click.echo(f"{title}: deleted the passport data of {count} request{'s' if count != 1 else ''}.")
