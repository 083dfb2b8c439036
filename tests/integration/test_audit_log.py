"""Who changed what: every change an organiser, a participant or the system makes is in the event's log and the
registration's history, with each field before → after; passport numbers never in clear; nothing can be erased."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    AuditEntry,
    OrganisationType,
    Registration,
    RegistrationStatus,
    TeamMember,
    User,
    VisaRequest,
    utcnow,
)
from app.services.audit.actors import SYSTEM, acting_as
from tests.conftest import csrf_token, link_in, start_writing, statements_sent
from tests.integration.documents_support import visa_fields
from tests.integration.organiser_support import add_registrations, edit_form, post_action, post_form

ORGANISER = "Ana Lee <organiser@wtanet.org>"


@pytest.fixture
def organiser(make_user, auth):
    user = make_user(name="Ana Lee")
    auth.login()
    return user


def text_of_page(response) -> str:
    """The page as a person reads it: tags gone, white space collapsed."""
    body = response.get_data(as_text=True)
    body = body[body.index("<main"):] if "<main" in body else body
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def log_of(client, event, **args) -> str:
    page = client.get(f"/admin/events/{event.id}/log", query_string=args)
    assert page.status_code == 200
    return text_of_page(page)


def entries() -> list[AuditEntry]:
    db.session.commit()
    return list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))


def test_an_organisers_status_change_and_event_edit_show_in_the_log_with_before_and_after(
    organiser, make_event, client
):
    event = make_event(capacity=50)
    [amina] = add_registrations(event, 1, given_name="Amina", family_name="Diallo")
    list_url = f"/admin/events/{event.id}/attendees"
    post_action(client, list_url, f"{list_url}/{amina.id}/cancel")
    post_form(client, f"/admin/events/{event.id}/edit", edit_form(event, capacity="60"))

    log = log_of(client, event)
    assert f"{ORGANISER} Registration" in log
    assert "Status: Confirmed → Cancelled" in log
    assert "Capacity: 50 → 60" in log
    assert "Event settings" in log
    # The newest first: the edit came after the cancellation.
    assert log.index("Capacity: 50 → 60") < log.index("Status: Confirmed → Cancelled")

    history = text_of_page(client.get(f"{list_url}/{amina.id}/history"))
    assert "registered" in history and "Status: Confirmed → Cancelled" in history and ORGANISER in history
    assert "History of changes" in client.get(f"{list_url}/{amina.id}").get_data(as_text=True)


def test_a_refused_change_leaves_no_line_in_the_log(organiser, make_event, client):
    event = make_event()
    [amina] = add_registrations(event, 1, status=RegistrationStatus.CANCELLED)
    before = len(entries())
    list_url = f"/admin/events/{event.id}/attendees"
    page = post_action(client, list_url, f"{list_url}/{amina.id}/cancel")
    assert b"already" in page.data.lower() or b"cancelled" in page.data.lower()
    assert len(entries()) == before


def test_a_participant_cancelling_from_the_personal_link_is_logged_as_such(
    organiser, make_event, register, client, deliver_emails, mailbox
):
    event = make_event()
    register(event)
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[0])
    page = client.get(f"{link}/cancel")
    client.post(f"{link}/cancel", data={"csrf_token": csrf_token(page)}, follow_redirects=True)

    log = log_of(client, event)
    assert "Participant via personal link Registration" in log
    assert "Status: Confirmed → Cancelled" in log
    reg = db.session.scalar(sa.select(Registration))
    history = text_of_page(client.get(f"/admin/events/{event.id}/attendees/{reg.id}/history"))
    assert "Participant via personal link" in history


def test_the_public_registration_form_adds_no_line_to_the_log(make_event, register):
    event = make_event()
    before = len(entries())  # the event's own creation (by the system, in this test)
    with statements_sent() as statements:
        assert b"You are registered" in register(event, **visa_fields()).data
    assert not [s for s in statements if "audit_entries" in s]
    assert len(entries()) == before


def test_changes_made_by_the_cli_or_without_a_request_are_the_systems(organiser, make_event, client, runner):
    event = make_event(ends_at=utcnow() - timedelta(days=1), starts_at=utcnow() - timedelta(days=3),
                       registration_opens_at=utcnow() - timedelta(days=30),
                       registration_closes_at=utcnow() - timedelta(days=5))
    [amina] = add_registrations(event, 1)
    start_writing()
    db.session.get(Registration, amina.id).organisation = "Dakar Science Park"
    db.session.commit()
    _visa_request_for(amina, "A1234567")
    result = runner.invoke(args=["documents", "purge-passport-data", "--ended-before",
                                 utcnow().date().isoformat()])
    assert result.exit_code == 0, result.output

    log = log_of(client, event)
    assert "System Registration" in log and "Organisation: Test Science Park → Dakar Science Park" in log
    assert "System Visa letter request" in log and "passport data deleted Requests: 1" in log


def _visa_request_for(registration: Registration, number: str) -> VisaRequest:
    start_writing()
    request = VisaRequest(registration_id=registration.id, passport_name="DIALLO AMINA", nationality="SN",
                          date_of_birth=utcnow().date() - timedelta(days=40 * 365), passport_number=number,
                          passport_expiry=utcnow().date() + timedelta(days=3 * 365))
    db.session.add(request)
    db.session.commit()
    return request


def test_passport_numbers_never_appear_in_clear_and_each_view_and_export_is_logged(
    organiser, make_event, register, client
):
    event = make_event()
    register(event, **visa_fields())
    request = db.session.scalar(sa.select(VisaRequest))
    documents = f"/admin/events/{event.id}/documents"
    assert b"A1234567" in client.get(documents).data  # managers see it
    assert client.get(f"{documents}/visa.csv").status_code == 200
    assert client.get(f"{documents}/visa.xlsx").status_code == 200
    assert client.get(f"{documents}/visa/{request.id}/letter.pdf").status_code == 200
    post_action(client, documents, f"{documents}/visa/{request.id}/approve")
    with acting_as(SYSTEM):  # a correction made on the server
        start_writing()
        db.session.get(VisaRequest, request.id).passport_number = "B7654321"
        db.session.commit()

    stored = " ".join(str(e.changes) + e.object_label for e in entries())
    assert "A1234567" not in stored and "B7654321" not in stored and "1234567" not in stored
    log = log_of(client, event)
    assert "Passport number: ••••4567 → ••••4321" in log
    assert f"{ORGANISER} Visa letter request" in log
    assert "passport data viewed People:" in log
    assert log.count("passport data exported") == 2 and "Format: CSV" in log and "Format: Excel" in log
    assert "visa letter viewed" in log
    assert "Status: Waiting for approval → Letter ready" in log
    page = client.get(f"/admin/events/{event.id}/log").get_data(as_text=True)
    assert "A1234567" not in page and "B7654321" not in page


def test_the_log_is_append_only_even_for_the_database(organiser, make_event, client):
    event = make_event()
    add_registrations(event, 1)
    post_form(client, f"/admin/events/{event.id}/edit", edit_form(event, capacity="60"))
    [entry] = [e for e in entries() if e.object_type == "events" and e.action == "changed"]
    for statement in ("UPDATE audit_entries SET action = 'nothing'", "DELETE FROM audit_entries"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    start_writing()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).action == "changed"


def test_the_log_filters_by_person_kind_and_date(organiser, make_event, make_user, auth, client):
    event = make_event(capacity=50)
    [amina] = add_registrations(event, 1)
    list_url = f"/admin/events/{event.id}/attendees"
    post_action(client, list_url, f"{list_url}/{amina.id}/cancel")
    auth.logout()
    make_user("second@wtanet.org", name="Bo Kim")
    auth.login("second@wtanet.org")
    post_form(client, f"/admin/events/{event.id}/edit", edit_form(event, capacity="70"))

    by_bo = log_of(client, event, actor="Bo Kim <second@wtanet.org>")
    assert "Capacity: 50 → 70" in by_bo and "Status: Confirmed → Cancelled" not in by_bo
    registrations_only = log_of(client, event, object_type="registrations")
    assert "Status: Confirmed → Cancelled" in registrations_only and "Capacity" not in registrations_only
    today = utcnow().astimezone().date()
    assert "Capacity: 50 → 70" in log_of(client, event, since=(today - timedelta(days=1)).isoformat())
    assert "Nothing in the log matches" in log_of(client, event, until=(today - timedelta(days=2)).isoformat())
    assert "is not a date" in log_of(client, event, since="yesterday")


def test_the_log_page_costs_the_same_queries_for_3_entries_as_for_80(organiser, make_event, client, count_queries):
    small, big = make_event(), make_event()
    add_registrations(small, 3)
    add_registrations(big, 80)
    assert count_queries(f"/admin/events/{big.id}/log?page=2") == count_queries(f"/admin/events/{small.id}/log")


def test_another_events_manager_cannot_read_the_log(make_event, make_user, auth, client):
    event = make_event()
    [amina] = add_registrations(event, 1)
    make_user("other@wtanet.org", admin=False)
    auth.login("other@wtanet.org")
    assert client.get(f"/admin/events/{event.id}/log").status_code == 404
    assert client.get(f"/admin/events/{event.id}/attendees/{amina.id}/history").status_code == 404


def test_check_in_score_travel_decision_and_certificate_each_show_who_and_what(
    organiser, make_event, register, client
):
    from app.models import RegistrationMode
    from tests.integration.documents_support import attend

    now = utcnow()
    # Applications: a score and a travel-support decision.
    workshop = make_event(registration_mode=RegistrationMode.APPLICATION, capacity=2)
    register(workshop, travel_flight="y", travel_amount="1500")
    amina = db.session.scalar(sa.select(Registration).where(Registration.event_id == workshop.id))
    review_url = f"/admin/events/{workshop.id}/applications/{amina.id}"
    post_form(client, review_url, {"score": "5", "notes": "Strong case."}, follow_redirects=True)
    post_form(client, f"{review_url}/travel", {"decision": "granted", "granted_amount": "1200",
                                                "granted_currency": "USD", "note": ""}, follow_redirects=True)
    log = log_of(client, workshop)
    assert f"{ORGANISER} Review and score" in log and "Score: 5" in log and "Notes: Strong case." in log
    assert f"{ORGANISER} Travel support" in log
    assert "Decision: Pending → Granted" in log or "Decision: Not decided yet → Granted" in log
    assert "Granted amount: — → 1200.00" in log

    # At the door: a check-in.
    running = make_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=2),
                         registration_opens_at=now - timedelta(days=20), registration_closes_at=now - timedelta(hours=2))
    [kofi] = add_registrations(running, 1, given_name="Kofi", family_name="Mensah")
    post_form(client, f"/admin/events/{running.id}/check-in", {"code": kofi.reference})
    log = log_of(client, running)
    assert f"{ORGANISER} Check-in" in log and "Kofi Mensah" in log and " created " in log

    # After the event: a certificate issued from the person's page.
    past = make_event(registration_opens_at=now - timedelta(days=60), registration_closes_at=now - timedelta(days=30),
                      starts_at=now - timedelta(days=5, hours=12), ends_at=now - timedelta(days=1, hours=12))
    [lan] = add_registrations(past, 1, given_name="Lan", family_name="Nguyen")
    attend(past, lan, 5)
    person = f"/admin/events/{past.id}/attendees/{lan.id}"
    post_action(client, person, f"{person}/certificate")
    history = text_of_page(client.get(f"{person}/history"))
    assert f"{ORGANISER} Certificate" in history and "Days attended: 5" in history


def test_every_file_an_organiser_downloads_is_in_the_log(organiser, make_event, client):
    event = make_event()
    add_registrations(event, 2)
    assert client.get(f"/admin/events/{event.id}/attendees.csv").status_code == 200
    assert client.get(f"/admin/events/{event.id}/attendees.xlsx").status_code == 200
    log = log_of(client, event)
    assert log.count("file downloaded") == 2
    assert re.search(r"file downloaded File: \S+\.csv", log) and re.search(r"File: \S+\.xlsx", log)


def test_a_bulk_insert_of_many_rows_is_logged_with_its_count(make_event):
    event = make_event()
    start_writing()
    now = utcnow()
    db.session.execute(sa.insert(Registration), [
        {"event_id": event.id, "reference": f"BULK-{n}", "status": RegistrationStatus.CONFIRMED,
         "given_name": f"Bulk{n}", "family_name": "Person", "email": f"bulk{n}@example.org", "organisation": "Park",
         "organisation_type": OrganisationType.SCIENCE_PARK, "country": "KE", "consent_at": now}
        for n in range(3)
    ])
    db.session.commit()
    [entry] = [e for e in entries() if e.object_type == "registrations" and e.action == "created"]
    assert entry.changes == {"rows": 3}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                             .where(Registration.event_id == event.id)) == 3
def test_team_changes_name_the_person_and_their_role_before_and_after(organiser, make_event, make_user, client):
    event = make_event()
    make_user("rita@wtanet.org", admin=False, name="Rita Review")
    team = f"/admin/events/{event.id}/team"
    post_form(client, team, {"email": "rita@wtanet.org", "role": "reviewer"}, follow_redirects=True)
    post_form(client, team, {"email": "newcomer@example.org", "role": "viewer"}, follow_redirects=True)
    rita = db.session.scalar(sa.select(TeamMember).join(User).where(User.email == "rita@wtanet.org"))
    post_action(client, team, f"{team}/{rita.id}/role", role="check_in")
    post_action(client, f"{team}/{rita.id}/remove", f"{team}/{rita.id}/remove")

    log = log_of(client, event, object_type="team_members")
    # Newest first: who was taken off, whose role changed, who was added; never a bare "User id: 3".
    assert f"{ORGANISER} Team member Rita Review <rita@wtanet.org> deleted Role: Check-in staff" in log
    assert f"{ORGANISER} Team member Rita Review <rita@wtanet.org> changed Role: Reviewer → Check-in staff" in log
    assert f"{ORGANISER} Team member newcomer@example.org created Role: Viewer" in log
    assert f"{ORGANISER} Team member Rita Review <rita@wtanet.org> created Role: Reviewer" in log
    assert "User id" not in log
