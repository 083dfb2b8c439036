"""Certificates of attendance: only for those checked in on enough days, emailed with the PDF,
downloadable from the personal link, and verifiable by their code (a forged one is refused)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.database import begin_write
from app.extensions import db
from app.models import Certificate, User, utcnow
from app.services.documents import certificates
from app.services.errors import DomainError
from tests.conftest import csrf_token, link_in
from tests.integration.documents_support import attend, pdf_pages, pdf_text, save_wording, verification_code_in
from tests.integration.organiser_support import add_registrations


@pytest.fixture
def past_workshop(make_event):
    """A five-day workshop that ended yesterday."""
    now = utcnow()
    return make_event(
        registration_opens_at=now - timedelta(days=60), registration_closes_at=now - timedelta(days=30),
        starts_at=now - timedelta(days=5, hours=12), ends_at=now - timedelta(days=1, hours=12),
    )


def _certificates(event) -> str:
    return f"/admin/events/{event.id}/documents/certificates"


def test_those_who_attended_enough_get_a_certificate_by_email(
    past_workshop, make_user, auth, client, deliver_emails, mailbox
):
    event = past_workshop
    [every_day] = add_registrations(event, 1, given_name="Nguyễn Thị", family_name="Lan", email="lan@example.org")
    [four_of_five] = add_registrations(event, 1, given_name="Kwame", family_name="Mensah", email="kwame@example.org")
    [three_of_five] = add_registrations(event, 1, given_name="Ana", family_name="Lima", email="ana@example.org")
    attend(event, every_day, 5)
    attend(event, four_of_five, 4)  # exactly 80 %
    attend(event, three_of_five, 3)
    make_user()
    auth.login()

    confirm = client.get(_certificates(event))
    assert b"<strong>2</strong> participants will get a certificate" in confirm.data
    assert b"1 did not attend enough" in confirm.data and b"Ana Lima (3 of 5 days)" in confirm.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0  # the GET changes nothing
    done = client.post(_certificates(event), data={"csrf_token": csrf_token(confirm)}, follow_redirects=True)
    assert b"2 certificates issued" in done.data
    deliver_emails()

    [email] = mailbox.to("lan@example.org")
    assert email["Subject"] == f"Your certificate of attendance: {event.title}"
    [attachment] = [part for part in email.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert attachment.get_filename() == f"certificate-{every_day.reference}.pdf"
    assert len(pdf_pages(attachment.get_content())) == 1
    text = pdf_text(attachment.get_content())
    assert "Certificate of Attendance" in text and "Nguyễn Thị Lan" in text
    assert "attended 5 of its 5 days" in text and event.title in text
    code = verification_code_in(text)
    assert code in email.get_body(preferencelist=("plain",)).get_content()
    assert "attended 4 of its 5 days" in pdf_text(
        next(mailbox.to("kwame@example.org")[0].iter_attachments()).get_content())
    assert mailbox.to("ana@example.org") == []

    page = client.get(link_in(email))
    assert b"Download the certificate (PDF)" in page.data
    download = client.get(link_in(email) + "/certificate.pdf")
    assert download.mimetype == "application/pdf" and code in pdf_text(download.data)

    genuine = client.get(f"/verify/{code.lower().replace('-', ' ')}")
    assert genuine.status_code == 200
    assert b"Genuine" in genuine.data and "Nguyễn Thị Lan".encode() in genuine.data and event.title.encode() in genuine.data
    assert b"lan@example.org" not in genuine.data and every_day.reference.encode() not in genuine.data

    # Issuing again sends nothing new.
    again = client.get(_certificates(event))
    assert b"Nobody is waiting for a certificate." in again.data
    client.post(_certificates(event), data={"csrf_token": csrf_token(again)})
    deliver_emails()
    assert len(mailbox.to("lan@example.org")) == 1


def test_a_certificate_is_refused_to_someone_who_did_not_attend_enough(past_workshop, make_user, client):
    event = past_workshop
    [registration] = add_registrations(event, 1, given_name="Ana", family_name="Lima")
    attend(event, registration, 3)
    organiser = make_user()

    db.session.commit()
    begin_write(db.session)
    with pytest.raises(DomainError, match="Ana Lima attended 3 of 5 days; a certificate needs at least 80 %"):
        certificates.issue_one(db.session, registration.id, actor=db.session.get(User, organiser.id), now=utcnow())
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0

    attend(event, registration, 4)
    begin_write(db.session)
    issued = certificates.issue_one(db.session, registration.id, actor=db.session.get(User, organiser.id), now=utcnow())
    db.session.commit()
    assert issued.days_attended == 4


def test_the_threshold_is_set_per_event(past_workshop, make_user, auth, client):
    event = past_workshop
    [registration] = add_registrations(event, 1)
    attend(event, registration, 3)
    make_user()
    auth.login()
    assert b"Nobody is waiting for a certificate." in client.get(_certificates(event)).data


    save_wording(client, event, certificate_threshold="60")
    assert b"<strong>1</strong> participant will get a certificate" in client.get(_certificates(event)).data


def test_a_forged_or_mistyped_code_is_not_valid(client, app):
    forged = client.get("/verify/ABCD-EFGH-JKMN")
    assert forged.status_code == 404
    assert b"Not valid." in forged.data and b"the document is not genuine" in forged.data
    form = client.get("/verify")
    assert b"Verification code" in form.data and b"Not valid" not in form.data
    typed = client.get("/verify?code=abcd efgh jkmn", follow_redirects=True)
    assert typed.request.path == "/verify/ABCD-EFGH-JKMN" and b"Not valid." in typed.data
    empty = client.get("/verify?code=")
    assert empty.status_code == 422 and b"Please type the code printed on the document." in empty.data


def test_certificates_wait_for_the_event_and_other_organisers_cannot_issue_them(make_event, make_user, auth, client):
    upcoming = make_event()
    make_user()
    make_user("other@wtanet.org", admin=False)
    auth.login("other@wtanet.org")
    assert client.get(_certificates(upcoming)).status_code == 404
    auth.logout()
    auth.login()
    page = client.get(_certificates(upcoming))
    assert b"The event has not started yet" in page.data
    refused = client.post(_certificates(upcoming), data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert b"only be issued once the event has started" in refused.data


def test_an_organiser_issues_one_certificate_from_the_registration_page(
    past_workshop, make_user, auth, client, deliver_emails, mailbox
):
    event = past_workshop
    [registration] = add_registrations(event, 1, given_name="Ana", family_name="Lima", email="ana@example.org")
    attend(event, registration, 3)
    make_user()
    auth.login()
    page_url = f"/admin/events/{event.id}/attendees/{registration.id}"

    page = client.get(page_url)
    assert b"Checked in</dt>" in page.data and b"3 of 5 days" in page.data
    refused = client.post(f"{page_url}/certificate", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Ana Lima attended 3 of 5 days; a certificate needs at least 80 %" in refused.data.decode()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0

    attend(event, registration, 4)  # a check-in recorded late
    done = client.post(f"{page_url}/certificate", data={"csrf_token": csrf_token(client.get(page_url))},
                       follow_redirects=True)
    assert "The certificate of Ana Lima is issued" in done.data.decode()
    assert b"Issued" in done.data and b"certificate.pdf" in done.data
    deliver_emails()
    [email] = mailbox.to("ana@example.org")
    assert "attended 4 of its 5 days" in pdf_text(next(email.iter_attachments()).get_content())
