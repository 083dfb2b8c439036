"""The outbox worker: delivers each email once, retries with backoff, gives up cleanly."""

from __future__ import annotations

import threading
from datetime import timedelta
from email.utils import make_msgid

import sqlalchemy as sa

from app.database import begin_write
from app.extensions import db
from app.models import OutboxEmail, OutboxStatus, utcnow
from app.services.mail import mailer
from tests.conftest import text_of


def queue_emails(count: int) -> None:
    begin_write(db.session)
    for n in range(count):
        mailer.enqueue(
            db.session, kind="registration_link", to=f"person{n}@example.org", subject=f"Email {n}",
            body_text=f"Dear Person {n},\n\nReference: TEST-{n:04d}\n", body_html=f"<p>Dear Person {n},</p>",
        )
    db.session.commit()


def outbox() -> list[OutboxEmail]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)))


def test_worker_sends_each_email_once_with_a_stable_message_id(app, mailbox, runner):
    queue_emails(3)

    with app.app_context():
        first = runner.invoke(args=["mail", "send"])
        second = runner.invoke(args=["mail", "send"])

    assert "sent 3" in first.output and "sent 0" in second.output
    assert len(mailbox.messages) == 3
    emails = outbox()
    assert all(e.status is OutboxStatus.SENT and e.sent_at for e in emails)
    assert sorted(m["Message-ID"] for m in mailbox.messages) == sorted(e.message_id for e in emails)
    assert mailbox.messages[0]["From"] == "WTA Events <events@example.org>"


def test_two_workers_at_once_never_send_the_same_email_twice(app, mailbox):
    queue_emails(40)
    db.session.remove()

    def worker():
        with app.app_context():
            mailer.send_pending(db.session, now=utcnow())
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    message_ids = [m["Message-ID"] for m in mailbox.messages]
    assert len(message_ids) == 40
    assert len(set(message_ids)) == 40
    assert all(e.status is OutboxStatus.SENT for e in outbox())


def test_failed_delivery_is_retried_with_growing_waits_then_given_up(app, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    queue_emails(1)
    mailbox.refuse = True
    try:
        now = utcnow()
        report = mailer.send_pending(db.session, now=now)
        assert (report.sent, report.retried, report.failed) == (0, 1, 0)
        [email] = outbox()
        assert email.attempts == 1 and "451" in email.last_error
        assert email.next_attempt_at == now + timedelta(minutes=1)

        # Not due yet: nothing happens.
        assert mailer.send_pending(db.session, now=now + timedelta(seconds=30)).retried == 0

        later = now + timedelta(minutes=1)
        mailer.send_pending(db.session, now=later)
        [email] = outbox()
        assert email.attempts == 2 and email.next_attempt_at == later + timedelta(minutes=2)

        report = mailer.send_pending(db.session, now=later + timedelta(minutes=2))
        assert report.failed == 1
        [email] = outbox()
        assert email.status is OutboxStatus.FAILED
    finally:
        mailbox.refuse = False
    assert mailbox.messages == []


def test_an_email_recovers_when_the_server_is_back(app, mailbox):
    queue_emails(1)
    mailbox.refuse = True
    now = utcnow()
    mailer.send_pending(db.session, now=now)
    mailbox.refuse = False

    report = mailer.send_pending(db.session, now=now + timedelta(minutes=1))

    assert report.sent == 1
    [email] = outbox()
    assert email.status is OutboxStatus.SENT and email.last_error is None and email.attempts == 2
    assert len(mailbox.messages) == 1


def test_backoff_is_capped():
    assert mailer.backoff(1, 3600) == timedelta(minutes=1)
    assert mailer.backoff(4, 3600) == timedelta(minutes=8)
    assert mailer.backoff(30, 3600) == timedelta(hours=1)


def test_the_worker_process_keeps_delivering_new_emails(app, mailbox, database_url):
    """`flask mail send --loop` as production runs it: a separate, long-running process."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT, wait_until

    env = {**os.environ, "APP_CONFIG": "development", "DATABASE_URL": database_url,
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mailbox.port)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "mail", "send", "--loop", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        queue_emails(1)
        assert wait_until(lambda: len(mailbox.messages) == 1, timeout=20)
        queue_emails(2)  # written while the worker is already waiting
        assert wait_until(lambda: len(mailbox.messages) == 3, timeout=20)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    assert sorted(m["Subject"] for m in mailbox.messages) == ["Email 0", "Email 0", "Email 1"]


def queue_legacy_email(to: str, subject: str, **columns) -> None:
    """A row as older versions of the app wrote it, before addresses and subjects were checked."""
    values = dict(kind="registration_confirmed", to_address=to, subject=subject, body_text="Hello",
                  body_html="<p>Hello</p>", attachments=[], message_id=make_msgid(domain="example.org"),
                  status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow(), created_at=utcnow())
    begin_write(db.session)
    db.session.execute(sa.insert(OutboxEmail).values({**values, **columns}))
    db.session.commit()


def test_one_bad_email_never_stops_the_others(app, mailbox, runner, monkeypatch):
    def broken_certificate(session, certificate_id):
        raise RuntimeError("the certificate layout failed")

    monkeypatch.setitem(mailer.GENERATED_ATTACHMENTS, "broken", broken_certificate)
    mailbox.unknown_recipients.add("left.the.company@example.org")
    queue_emails(1)                                                    # person0@example.org
    queue_legacy_email("jöhn@example.org", "Your place is confirmed: Workshop")
    queue_legacy_email("kim@example.org", "Your place is confirmed: Daejeon Forum\r\nBcc: everyone@example.org")
    queue_legacy_email("user@bücher.example", "Your place is confirmed: Workshop")
    queue_legacy_email("amina@example.org", "Your certificate", attachments=[
        {"filename": "certificate.pdf", "content_type": "application/pdf", "generated": "broken", "id": 1}])
    queue_legacy_email("left.the.company@example.org", "Your place is confirmed: Workshop")
    queue_legacy_email("eve@example.org\nBcc: everyone@example.org", "Your place is confirmed: Workshop")
    queue_emails(1)                                                    # person0 again, behind them all

    result = runner.invoke(args=["mail", "send"])  # one run of the worker

    assert result.exit_code == 0, result.output
    assert "sent 4, will retry 2, gave up 2" in result.output
    assert sorted(address for m in mailbox.messages for address in [m["To"]]) == [
        "kim@example.org", "person0@example.org", "person0@example.org", "user@xn--bcher-kva.example"]
    # The subject whose title had a line break went out on one line, with no Bcc smuggled in.
    [kim] = mailbox.to("kim@example.org")
    assert kim["Subject"] == "Your place is confirmed: Daejeon Forum Bcc: everyone@example.org"
    assert kim["Bcc"] is None

    emails = {e.to_address: e for e in outbox()}
    john = emails["jöhn@example.org"]
    assert john.status is OutboxStatus.FAILED and john.attempts == 1  # it can never go: not retried
    assert "jöhn@example.org cannot be delivered to" in john.last_error
    assert "letters outside a–z before the @" in john.last_error
    injected = emails["eve@example.org\nBcc: everyone@example.org"]
    assert injected.status is OutboxStatus.FAILED and injected.attempts == 1
    assert "line break" in injected.last_error
    certificate = emails["amina@example.org"]
    assert certificate.status is OutboxStatus.PENDING and certificate.attempts == 1  # a fix may mend it: retried
    assert certificate.last_error == "RuntimeError: the certificate layout failed"
    refused = emails["left.the.company@example.org"]
    assert refused.status is OutboxStatus.PENDING and refused.attempts == 1
    assert "550" in refused.last_error and "No such user" in refused.last_error
    assert all(e.status is OutboxStatus.SENT and e.attempts == 1 and e.last_error is None for e in (
        emails["kim@example.org"], emails["user@bücher.example"]))


def test_a_broken_email_is_given_up_after_the_last_attempt_like_any_other(app, mailbox, monkeypatch):
    def broken_certificate(session, certificate_id):
        raise RuntimeError("the certificate layout failed")

    monkeypatch.setitem(mailer.GENERATED_ATTACHMENTS, "broken", broken_certificate)
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    queue_legacy_email("amina@example.org", "Your certificate", attachments=[
        {"filename": "certificate.pdf", "content_type": "application/pdf", "generated": "broken", "id": 1}])
    now = utcnow()

    assert mailer.send_pending(db.session, now=now).retried == 1
    assert mailer.send_pending(db.session, now=now + timedelta(minutes=1)).failed == 1

    [email] = outbox()
    assert email.status is OutboxStatus.FAILED and email.attempts == 2
    assert email.last_error == "RuntimeError: the certificate layout failed"


def test_replies_go_to_the_event_contact_else_to_the_configured_address_else_to_the_sender(app, mailbox, monkeypatch):
    queue_legacy_email("a@example.org", "From an event", reply_to="forum@wtanet.org")
    queue_legacy_email("b@example.org", "Queued before emails had a reply address")
    mailer.send_pending(db.session, now=utcnow())
    assert mailbox.to("a@example.org")[0]["Reply-To"] == "forum@wtanet.org"
    assert mailbox.to("b@example.org")[0]["Reply-To"] == "WTA Events <events@example.org>"

    monkeypatch.setitem(app.config, "MAIL_REPLY_TO", "secretariat@wtanet.org")
    queue_legacy_email("c@example.org", "Queued before emails had a reply address")
    mailer.send_pending(db.session, now=utcnow())
    assert mailbox.to("c@example.org")[0]["Reply-To"] == "secretariat@wtanet.org"
    assert all(m["Auto-Submitted"] == "auto-generated" for m in mailbox.messages)


# --- throughput: one SMTP connection per run, many emails queued in one INSERT -------------------

def test_one_run_of_the_worker_delivers_every_email_over_one_connection(app, mailbox, deliver_emails):
    queue_emails(45)  # more than one claimed batch

    assert "sent 45, will retry 0, gave up 0" in deliver_emails()

    assert len(mailbox.messages) == 45
    assert mailbox.connections == 1
    assert all(e.status is OutboxStatus.SENT and e.attempts == 1 for e in outbox())


def test_a_refused_recipient_is_that_emails_error_and_the_others_go_on_over_the_same_connection(
        app, mailbox, deliver_emails):
    mailbox.unknown_recipients.add("person2@example.org")
    queue_emails(5)

    assert "sent 4, will retry 1, gave up 0" in deliver_emails()

    assert sorted(m["To"] for m in mailbox.messages) == [f"person{n}@example.org" for n in (0, 1, 3, 4)]
    assert mailbox.connections == 1
    refused = {e.to_address: e for e in outbox()}["person2@example.org"]
    assert refused.status is OutboxStatus.PENDING and "550" in refused.last_error


def test_a_server_that_drops_the_connection_mid_run_still_gets_every_email_once(app, mailbox, deliver_emails):
    mailbox.drop_every = 4  # closes the connection after the 4th and the 8th message
    queue_emails(10)

    assert "sent 10, will retry 0, gave up 0" in deliver_emails()

    message_ids = sorted(m["Message-ID"] for m in mailbox.messages)
    assert message_ids == sorted(e.message_id for e in outbox())  # each email exactly once
    assert mailbox.connections == 3  # reconnected twice
    assert all(e.status is OutboxStatus.SENT and e.attempts == 1 and e.last_error is None for e in outbox())


def test_enqueue_many_queues_personalised_emails_that_the_worker_delivers(app, mailbox, deliver_emails):
    invitation = {"filename": "event.ics", "content_type": "text/calendar", "content": "BEGIN:VCALENDAR\r\n"}
    begin_write(db.session)
    ids = mailer.enqueue_many(db.session, [
        mailer.RenderedEmail(kind="group_message", to="amina@example.org", subject="Practical details\nfor Amina",
                             body_text="Dear Amina,\n\nThe bus leaves at 8.", body_html="<p>Dear Amina,</p>",
                             reply_to="training@wtanet.org", attachments=[invitation]),
        {"kind": "group_message", "to": "kim@example.org", "subject": "Practical details for Kim",
         "body_text": "Dear Kim,\n\nThe bus leaves at 8.", "body_html": "<p>Dear Kim,</p>",
         "reply_to": "training@wtanet.org"},
    ])
    db.session.commit()
    assert mailer.enqueue_many(db.session, []) == []

    assert [e.id for e in outbox()] == ids
    deliver_emails()

    [amina] = mailbox.to("amina@example.org")
    assert amina["Subject"] == "Practical details for Amina"  # kept on one line
    assert "Dear Amina," in text_of(amina) and amina["Reply-To"] == "training@wtanet.org"
    assert [part.get_filename() for part in amina.iter_attachments()] == ["event.ics"]
    [kim] = mailbox.to("kim@example.org")
    assert "Dear Kim," in text_of(kim) and "Amina" not in text_of(kim)
    assert all(e.status is OutboxStatus.SENT and e.kind == "group_message" for e in outbox())


def test_enqueue_many_writes_a_thousand_emails_with_one_insert(app):
    inserts = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT"):
            inserts.append(statement)

    rows = [mailer.RenderedEmail(kind="group_message", to=f"person{n}@example.org", subject=f"Hello {n}",
                                 body_text=f"Dear person {n}", body_html=f"<p>Dear person {n}</p>")
            for n in range(1000)]
    begin_write(db.session)
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        ids = mailer.enqueue_many(db.session, rows)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    db.session.commit()

    assert len(inserts) == 1
    emails = outbox()
    assert [e.id for e in emails] == ids and len(ids) == 1000
    assert [e.to_address for e in emails[:2]] == ["person0@example.org", "person1@example.org"]
    assert len({e.message_id for e in emails}) == 1000
    assert all(e.status is OutboxStatus.PENDING and e.attempts == 0 for e in emails)


def test_a_server_closing_with_421_is_connected_to_again_and_the_email_sent(app, mailbox, deliver_emails, monkeypatch):
    mail_commands = []

    async def handle_MAIL(server, session, envelope, address, mail_options):
        mail_commands.append(address)
        if len(mail_commands) == 3:  # "service not available, closing transmission channel"
            return "421 4.3.2 Shutting down, try again"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    monkeypatch.setattr(mailbox, "handle_MAIL", handle_MAIL, raising=False)  # read by each new connection
    queue_emails(5)

    assert "sent 5, will retry 0, gave up 0" in deliver_emails()

    assert len(mailbox.messages) == 5 and mailbox.connections == 2
    assert len(mail_commands) == 6  # the third email was offered twice
