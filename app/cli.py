"""Command-line tasks: `flask --app wsgi user create`, `seed-demo`, `mail send`, `mail digest`."""

from __future__ import annotations

import logging
import time

import click
from flask import Blueprint

from app.database import begin_write
from app.extensions import db
from app.models import utcnow
from app.services.errors import DomainError
from app.services.urls import external_url

bp = Blueprint("cli", __name__, cli_group=None)
log = logging.getLogger(__name__)


@bp.cli.group("user")
def user_group() -> None:
    """Organiser accounts."""


@user_group.command("create")
@click.argument("email")
@click.option("--admin", is_flag=True, help="May manage every event and other organisers.")
@click.option("--name", default="", help="Name shown on the dashboard.")
@click.password_option(help="Prompted for (twice) when not given.")
def user_create(email: str, admin: bool, name: str, password: str) -> None:
    """Create an organiser account."""
    from app.services.people.users import create_user

    begin_write(db.session)
    try:
        user = create_user(db.session, email, password, name=name, is_admin=admin)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {'admin' if user.is_admin else 'organiser'} {user.email}.")


@bp.cli.group("mail")
def mail_group() -> None:
    """The email outbox."""


@mail_group.command("send")
@click.option("--loop", is_flag=True, help="Keep polling for new emails (a worker process).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls with --loop.")
@click.option("--limit", default=500, show_default=True, help="Most emails sent per round.")
def mail_send(loop: bool, interval: float, limit: int) -> None:
    """Deliver pending emails from the outbox, then exit (or keep going with --loop)."""
    from app.services.mail.mailer import send_pending
    from app.services.mail.organiser_alerts import send_due_digests
    from app.services.mail.schedules import run_due

    while True:
        if loop:  # the worker also turns due scheduled messages and reminders into emails
            try:
                _echo_scheduled(run_due(db.session, now=utcnow()))
            except Exception:  # a broken schedule must not stop the emails already queued
                db.session.rollback()
                log.exception("the scheduled messages could not be queued")
        report = send_pending(db.session, now=utcnow(), limit=limit)
        if loop:  # a worker sends the organisers' daily digests too, once a day per event
            try:
                send_due_digests(db.session, now=utcnow())
            except Exception:  # a broken digest must not stop the participants' emails
                db.session.rollback()
                log.exception("the organisers' daily digests could not be queued")
        db.session.remove()
        if report.sent or report.retried or report.failed or not loop:
            click.echo(f"sent {report.sent}, will retry {report.retried}, gave up {report.failed}")
        if not loop:
            return
        if report.sent < limit:  # caught up: wait before the next poll
            time.sleep(interval)


@mail_group.command("schedule")
def mail_schedule() -> None:
    """Queue the scheduled messages and reminders that are due (exactly once, however many run at once)."""
    from app.services.mail.schedules import run_due

    done = run_due(db.session, now=utcnow())
    db.session.remove()
    _echo_scheduled(done)
    if not done:
        click.echo("no scheduled messages due")


def _echo_scheduled(done: list[tuple[int, int]]) -> None:
    for message_id, count in done:
        click.echo(f"message {message_id}: {count} emails queued")


@mail_group.command("digest")
def mail_digest() -> None:
    """Queue the organisers' daily digests that are due (each event's once a day); `mail send` delivers them."""
    from app.services.mail.organiser_alerts import send_due_digests

    count = send_due_digests(db.session, now=utcnow())
    db.session.remove()
    click.echo(f"digests due for {count} {'event' if count == 1 else 'events'}")


@bp.cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (but print the demo login) when data exists.")
def seed_demo(if_empty: bool) -> None:
    """Load demo events, registrations and an organiser (only into an empty database)."""
    from app import demo

    begin_write(db.session)
    try:
        summary = demo.seed(db.session, now=utcnow(), login_url=external_url("auth.login"), if_empty=if_empty)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(summary)


# Command groups of other features, registered on the same blueprint.
from app import (  # noqa: E402,F401
    documents_cli,  # flask documents purge-passport-data
    privacy_cli,  # flask privacy purge
    uploads_cli,  # flask uploads clean
)
