"""`flask --app wsgi privacy purge [--dry-run]`: the daily retention purge (README, "Privacy and retention")."""

from __future__ import annotations

import click
from flask import current_app

from app.cli import bp
from app.database import begin_write
from app.extensions import db
from app.models import Registration, utcnow
from app.services.privacy.anonymise import PurgePlan, plan_purge, purge


@bp.cli.group("privacy")
def privacy_group() -> None:
    """Retention of participants' personal data."""


@privacy_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Anonymise registrations past their event's retention period and those whose person asked for it;
    empty the bodies of old emails."""
    config = current_app.config
    options = dict(default_months=config["RETENTION_MONTHS"], outbox_body_days=config["OUTBOX_BODY_DAYS"],
                   now=utcnow())
    if dry_run:
        plan = plan_purge(db.session, **options)
        _report(plan, "would anonymise", "would empty")
        db.session.rollback()
        return
    begin_write(db.session)
    plan = purge(db.session, upload_folder=config["UPLOAD_FOLDER"], **options)
    _report(plan, "anonymised", "emptied")
    db.session.commit()


def _report(plan: PurgePlan, anonymised: str, emptied: str) -> None:
    for why, registrations in (("past retention", plan.past_retention), ("asked for deletion", plan.requested)):
        for registration in registrations:
            click.echo(f"{anonymised} {_label(registration)} ({why})")
    count = len(plan.registrations)
    click.echo(f"{count} registration{'s' if count != 1 else ''} {anonymised.split()[-1]}; "
               f"{plan.old_email_bodies} old email bod{'ies' if plan.old_email_bodies != 1 else 'y'} {emptied}.")


def _label(registration: Registration) -> str:
    # The reference and event, not the name: the command's output may end up in a log kept longer than the data.
    return f"{registration.reference} of {registration.event.title}"
