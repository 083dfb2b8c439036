"""People apply for a funded workshop; organisers score, select and decide travel support; applicants hear back."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Answer,
    Application,
    ApplicationStatus,
    OutboxEmail,
    Question,
    QuestionKind,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    Review,
    TravelDecision,
    TravelSupportRequest,
    utcnow,
)
from app.services.registration.locking import count_confirmed
from tests.conftest import csrf_token, html_of, link_in, start_writing, text_of
from tests.integration.applications_support import confirm, decide, registration_of


@pytest.fixture
def workshop(make_event):
    return make_event(registration_mode=RegistrationMode.APPLICATION, capacity=2)


@pytest.fixture
def organiser(make_user, auth):
    user = make_user(name="Ji-woo Park")
    auth.login()
    return user


def application_of(email: str) -> Application:
    return registration_of(email).application


def apply(register, event, email: str, **fields):
    return register(event, email=email, given_name=fields.pop("given_name", "Amina"), **fields)


# --- applying ----------------------------------------------------------------------------------

def test_the_event_page_invites_applications_with_a_deadline(workshop, client):
    page = client.get(f"/events/{workshop.slug}").data.decode()
    assert ">Apply</h2>" in page
    assert "Application deadline" in page and "Applications open" in page
    assert "Submit my application" in page
    assert "places left" not in page
    assert "Travel support (optional)" in page


def test_applying_creates_an_application_not_a_place(workshop, register, deliver_emails, mailbox):
    page = apply(register, workshop, "amina@dakar.sn", travel_flight="y", travel_per_diem="y",
                 travel_amount="1,250.50", travel_currency="EUR")

    assert page.status_code == 200
    assert "Your application is received" in page.data.decode()
    assert "What happens next" in page.data.decode()
    registration = registration_of("amina@dakar.sn")
    assert registration.status is RegistrationStatus.APPLIED
    assert registration.application.status is ApplicationStatus.SUBMITTED
    assert registration.confirmed_at is None
    assert count_confirmed(db.session, workshop.id) == 0
    travel = registration.travel_support
    assert travel.wanted == ["flight", "per diem"]
    assert str(travel.estimated_amount) == "1250.50" and travel.estimated_currency == "EUR"
    assert travel.decision is TravelDecision.PENDING

    deliver_emails()
    [email] = mailbox.to("amina@dakar.sn")
    assert email["Subject"] == f"We have received your application: {workshop.title}"
    assert "flight, per diem, about EUR 1,250.50" in text_of(email)
    assert not [p for p in email.iter_attachments() if p.get_content_type() == "text/calendar"]


def test_applications_are_not_limited_by_capacity(workshop, register):
    for n in range(4):
        assert "Your application is received" in apply(register, workshop, f"p{n}@example.org").data.decode()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 4


@pytest.mark.parametrize(("fields", "message"), [
    ({"travel_amount": "twelve hundred", "travel_flight": "y"}, "Enter an amount in figures"),
    ({"travel_amount": "-5", "travel_flight": "y"}, "cannot be negative"),
    ({"travel_amount": "1200"}, "Tick what the support is for"),
    ({"travel_flight": "y", "travel_currency": "XXX1"}, "choose a currency from the list"),
    ({"travel_flight": "y", "travel_currency": "XAU"}, "choose a currency from the list"),  # gold
    ({"travel_flight": "y", "travel_currency": "XTS"}, "choose a currency from the list"),  # for testing
])
def test_a_bad_travel_request_is_refused_next_to_the_field(workshop, register, fields, message):
    page = apply(register, workshop, "amina@dakar.sn", **fields)
    assert page.status_code == 422
    assert message in page.data.decode()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_the_currency_list_holds_only_money_in_circulation(workshop, client):
    page = client.get(f"/events/{workshop.slug}").get_data(as_text=True)
    select = page[page.index('name="travel_currency"'):]
    offered = set(re.findall(r'<option[^>]*value="([A-Z]{3})"', select[:select.index("</select>")]))

    assert {"USD", "EUR", "KRW", "VND", "KES", "XOF", "XAF", "XCD", "XPF"} <= offered  # CFA and CFP francs are money
    # Precious metals, units of account, the testing and "no currency" codes, funds codes.
    assert not offered & {"XAU", "XAG", "XPT", "XPD", "XTS", "XXX", "XDR", "XBA", "XBB", "XBC", "XBD", "XSU", "XUA",
                          "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW"}


def test_no_application_after_the_deadline(make_event, register):
    event = make_event(registration_mode=RegistrationMode.APPLICATION,
                       registration_closes_at=utcnow() - timedelta(minutes=1))
    page = register(event, email="late@example.org")
    assert "The application deadline has passed." in page.data.decode()
    assert "Submit my application" not in page.data.decode()
    assert registration_of("late@example.org") is None


def test_open_events_keep_their_form_without_travel_support(make_event, client):
    page = client.get(f"/events/{make_event().slug}").data.decode()
    assert "Travel support" not in page and ">Register</h2>" in page


# --- reviewing and deciding ------------------------------------------------------------------

def test_apply_score_bulk_accept_with_confirmation_and_email_with_travel_support(
    workshop, register, organiser, make_user, client, auth, deliver_emails, mailbox
):
    apply(register, workshop, "amina@dakar.sn", travel_flight="y", travel_accommodation="y", travel_amount="1500")
    apply(register, workshop, "kofi@accra.gh", given_name="Kofi", country="GH")
    apply(register, workshop, "lin@hanoi.vn", given_name="Lin", country="VN")
    deliver_emails()
    mailbox.messages.clear()
    amina = registration_of("amina@dakar.sn")

    # Two reviewers score; each sees the other's score.
    review_url = f"/admin/events/{workshop.id}/applications/{amina.id}"
    page = client.get(review_url)
    client.post(review_url, data={"score": "5", "notes": "Strong case on incubator funding.",
                                  "csrf_token": csrf_token(page)}, follow_redirects=True)
    auth.logout()
    make_user("second@wtanet.org", name="Second Reviewer")
    auth.login("second@wtanet.org")
    page = client.get(review_url)
    assert "Strong case on incubator funding." in page.data.decode()
    page = client.post(review_url, data={"score": "4", "notes": "", "csrf_token": csrf_token(page)},
                       follow_redirects=True)
    assert "Your review is saved." in page.data.decode()
    assert "<strong>4.5</strong>" in page.data.decode()
    assert application_of("amina@dakar.sn").status is ApplicationStatus.UNDER_REVIEW

    # Travel support: granted.
    page = client.get(review_url)
    page = client.post(f"{review_url}/travel", data={
        "decision": "granted", "granted_amount": "1200", "granted_currency": "USD",
        "note": "Economy flight booked by WTA.", "csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "travel-support decision is saved" in page.data.decode()

    # Bulk accept two: the confirmation step says how many emails will go out, and nothing has changed yet.
    confirmation = decide(client, workshop, ["amina@dakar.sn", "kofi@accra.gh"], "accept")
    body = confirmation.data.decode()
    assert "2 emails will go out" in body
    assert "After this, 2 of 2 places will be taken." in body
    assert application_of("amina@dakar.sn").status is ApplicationStatus.UNDER_REVIEW
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)
                             .where(OutboxEmail.kind == "application_accepted")) == 0

    done = confirm(client, workshop, confirmation)
    assert "2 applications accepted, and 2 emails are on the way" in done.data.decode()
    assert registration_of("amina@dakar.sn").status is RegistrationStatus.CONFIRMED
    assert registration_of("kofi@accra.gh").status is RegistrationStatus.CONFIRMED
    assert registration_of("lin@hanoi.vn").status is RegistrationStatus.APPLIED
    assert count_confirmed(db.session, workshop.id) == 2

    deliver_emails()
    [email] = mailbox.to("amina@dakar.sn")
    assert email["Subject"] == f"Your application is accepted: {workshop.title}"
    text = text_of(email)
    assert "Your request for travel support is granted: USD 1,200.00, for flight, accommodation." in text
    assert "Economy flight booked by WTA." in text
    assert "NEXT STEPS" in text
    assert "granted: USD 1,200.00" in html_of(email)
    assert [p for p in email.iter_attachments() if p.get_content_type() == "text/calendar"]
    [kofi_email] = mailbox.to("kofi@accra.gh")
    assert "travel support" not in text_of(kofi_email).lower()

    # The personal link shows the acceptance and the grant.
    personal = client.get(link_in(email)).data.decode()
    assert 'id="application-status">Accepted' in personal
    assert "Granted, USD 1,200.00" in personal


def test_someone_accepted_before_the_travel_decision_is_emailed_the_decision(
    workshop, register, organiser, client, deliver_emails, mailbox
):
    apply(register, workshop, "amina@dakar.sn", travel_flight="y", travel_amount="1500")
    confirm(client, workshop, decide(client, workshop, ["amina@dakar.sn"], "accept"))
    deliver_emails()
    [accepted] = mailbox.to("amina@dakar.sn")[-1:]
    assert "still being considered" in text_of(accepted)
    review_url = f"/admin/events/{workshop.id}/applications/{registration_of('amina@dakar.sn').id}"

    def decide_travel(**fields):
        page = client.get(review_url)
        client.post(f"{review_url}/travel", data={**fields, "csrf_token": csrf_token(page)}, follow_redirects=True)
        deliver_emails()

    decide_travel(decision="partly", granted_amount="800", granted_currency="USD", note="Flight only.")
    decision = mailbox.to("amina@dakar.sn")[-1]
    assert decision["Subject"] == f"Your travel support: {workshop.title}"
    assert "partly granted: USD 800.00" in text_of(decision) and "Flight only." in text_of(decision)

    before = len(mailbox.to("amina@dakar.sn"))
    decide_travel(decision="partly", granted_amount="800", granted_currency="USD", note="Flight only.")
    assert len(mailbox.to("amina@dakar.sn")) == before  # saving the same decision again tells nobody


def test_accepting_past_capacity_is_refused_with_the_numbers(workshop, register, organiser, client):
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        apply(register, workshop, email)
    page = decide(client, workshop, ["a@example.org", "b@example.org", "c@example.org"], "accept")
    page = client.get(page.headers["Location"])
    assert ("Accepting 3 would go past the capacity: 0 of 2 places are taken, so 2 are left. "
            "Select at most 2") in page.data.decode()
    assert count_confirmed(db.session, workshop.id) == 0

    # Two fit; a third, accepted later (e.g. from a stale confirmation page), is refused.
    confirm(client, workshop, decide(client, workshop, ["a@example.org", "b@example.org"], "accept"))
    stale = decide(client, workshop, ["c@example.org"], "accept")
    assert stale.status_code == 302
    assert count_confirmed(db.session, workshop.id) == 2
    assert registration_of("c@example.org").status is RegistrationStatus.APPLIED


def test_confirming_a_stale_page_past_capacity_changes_nothing(workshop, register, organiser, client):
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        apply(register, workshop, email)
    first = decide(client, workshop, ["a@example.org", "b@example.org"], "accept")
    second = decide(client, workshop, ["c@example.org"], "accept")  # shown while places were still free
    confirm(client, workshop, first)
    page = confirm(client, workshop, second)
    assert "The event is full: 2 of 2 places are taken." in page.data.decode()
    assert registration_of("c@example.org").status is RegistrationStatus.APPLIED


def test_waitlist_and_decline_send_polite_emails(workshop, register, organiser, client, deliver_emails, mailbox):
    apply(register, workshop, "w@example.org")
    apply(register, workshop, "d@example.org")
    confirm(client, workshop, decide(client, workshop, ["w@example.org"], "waitlist"))
    confirm(client, workshop, decide(client, workshop, ["d@example.org"], "decline"))
    assert application_of("w@example.org").status is ApplicationStatus.WAITLISTED
    assert registration_of("w@example.org").status is RegistrationStatus.APPLIED  # not on the automatic waiting list
    assert application_of("d@example.org").status is ApplicationStatus.DECLINED
    assert registration_of("d@example.org").status is RegistrationStatus.CANCELLED
    deliver_emails()
    assert "reserve list" in text_of(mailbox.to("w@example.org")[-1])
    declined = text_of(mailbox.to("d@example.org")[-1])
    assert "we are sorry that we cannot offer you a place" in declined
    assert "apply again" in declined


def test_a_declined_applicant_cannot_reset_the_decision_by_applying_again(workshop, register, organiser, client):
    apply(register, workshop, "d@example.org")
    confirm(client, workshop, decide(client, workshop, ["d@example.org"], "decline"))
    page = apply(register, workshop, "d@example.org")
    assert "the organisers have already decided on your application" in page.data.decode()
    assert application_of("d@example.org").status is ApplicationStatus.DECLINED


def test_a_bad_score_is_refused_next_to_the_field(workshop, register, organiser, client):
    apply(register, workshop, "amina@dakar.sn")
    url = f"/admin/events/{workshop.id}/applications/{registration_of('amina@dakar.sn').id}"
    page = client.get(url)
    page = client.post(url, data={"score": "9", "notes": "", "csrf_token": csrf_token(page)})
    assert page.status_code == 422
    assert "Choose a score from 1 (weak) to 5 (excellent)." in page.data.decode()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 0


def test_granting_travel_support_needs_an_amount(workshop, register, organiser, client):
    apply(register, workshop, "amina@dakar.sn", travel_flight="y")
    url = f"/admin/events/{workshop.id}/applications/{registration_of('amina@dakar.sn').id}"
    page = client.get(url)
    page = client.post(f"{url}/travel", data={"decision": "partly", "granted_amount": "", "granted_currency": "USD",
                                              "note": "", "csrf_token": csrf_token(page)})
    assert page.status_code == 422
    assert "Enter the amount granted." in page.data.decode()
    assert db.session.scalar(sa.select(TravelSupportRequest.decision)) is TravelDecision.PENDING


# --- withdrawing ---------------------------------------------------------------------------------

def test_the_applicant_withdraws_from_the_personal_link(workshop, register, organiser, client, deliver_emails, mailbox):
    apply(register, workshop, "amina@dakar.sn")
    confirm(client, workshop, decide(client, workshop, ["amina@dakar.sn"], "accept"))
    deliver_emails()
    link = link_in(mailbox.to("amina@dakar.sn")[-1])

    personal = client.get(link).data.decode()
    assert "Withdraw my application" in personal and "Cancel my registration" not in personal
    page = client.get(f"{link}/withdraw")
    assert "your place goes to someone else" in page.data.decode()
    done = client.post(f"{link}/withdraw", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Your application is withdrawn." in done.data.decode()
    assert application_of("amina@dakar.sn").status is ApplicationStatus.WITHDRAWN
    assert registration_of("amina@dakar.sn").status is RegistrationStatus.CANCELLED
    assert count_confirmed(db.session, workshop.id) == 0

    deliver_emails()
    assert mailbox.to("amina@dakar.sn")[-1]["Subject"] == f"Your application is withdrawn: {workshop.title}"
    # The old cancel page leads to withdrawing, and an organiser cannot decide on a withdrawn application.
    assert client.get(f"{link}/cancel").headers["Location"].endswith("/withdraw")
    refused = client.get(decide(client, workshop, ["amina@dakar.sn"], "accept").headers["Location"])
    assert "withdrew their application" in refused.data.decode()


def test_no_withdrawing_once_the_event_has_started(make_event, register, client, deliver_emails, mailbox):
    event = make_event(registration_mode=RegistrationMode.APPLICATION)
    apply(register, event, "amina@dakar.sn")
    deliver_emails()
    link = link_in(mailbox.to("amina@dakar.sn")[-1])
    start_writing()
    stored = db.session.get(type(event), event.id)
    stored.starts_at = utcnow() - timedelta(hours=1)
    stored.registration_closes_at = utcnow() - timedelta(hours=2)
    stored.registration_opens_at = utcnow() - timedelta(days=3)
    db.session.commit()
    assert "Withdraw my application" not in client.get(link).data.decode()
    page = client.get("/login")  # a tab left open from before the start
    done = client.post(f"{link}/withdraw", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "The event has started" in done.data.decode()
    assert application_of("amina@dakar.sn").status is ApplicationStatus.SUBMITTED


# --- the list, the overview, permissions -------------------------------------------------------------

def test_organisers_of_other_events_see_nothing(workshop, register, make_user, auth, client):
    apply(register, workshop, "amina@dakar.sn")
    registration_id = registration_of("amina@dakar.sn").id
    make_user("other@wtanet.org", admin=False)
    auth.login("other@wtanet.org")
    for url in (f"/admin/events/{workshop.id}/applications", f"/admin/events/{workshop.id}/selection",
                f"/admin/events/{workshop.id}/applications/{registration_id}",
                f"/admin/events/{workshop.id}/applications/accepted.csv",
                f"/admin/events/{workshop.id}/applications/accepted.xlsx"):
        assert client.get(url).status_code == 404, url
    page = client.get("/admin/")
    for url in (f"/admin/events/{workshop.id}/applications/decide",
                f"/admin/events/{workshop.id}/applications/{registration_id}/travel"):
        response = client.post(url, data={"registration": [str(registration_id)], "decision": "accept",
                                          "confirmed": "y", "csrf_token": csrf_token(page)})
        assert response.status_code == 404, url
    assert application_of("amina@dakar.sn").status is ApplicationStatus.SUBMITTED


def test_a_decision_without_csrf_is_refused(workshop, register, organiser, client):
    apply(register, workshop, "amina@dakar.sn")
    response = client.post(f"/admin/events/{workshop.id}/applications/decide",
                           data={"registration": [str(registration_of("amina@dakar.sn").id)], "decision": "accept",
                                 "confirmed": "y"})
    assert response.status_code == 400
    assert application_of("amina@dakar.sn").status is ApplicationStatus.SUBMITTED


def test_organiser_pages_of_an_open_event_have_no_applications(make_event, organiser, client):
    event = make_event()
    assert client.get(f"/admin/events/{event.id}/applications").status_code == 404
    assert b"Applications</a>" not in client.get(f"/admin/events/{event.id}/attendees").data


def test_the_review_page_shows_the_answers_to_the_events_own_questions(workshop, register, organiser, client):
    apply(register, workshop, "amina@dakar.sn")
    registration = registration_of("amina@dakar.sn")
    start_writing()
    question = Question(event_id=workshop.id, position=1, kind=QuestionKind.LONG_TEXT,
                        label="Describe the case you would present")
    db.session.add(question)
    db.session.flush()
    db.session.add(Answer(registration_id=registration.id, question_id=question.id, value="Our incubator's seed fund.",
                          question_label=question.label))
    db.session.commit()
    page = client.get(f"/admin/events/{workshop.id}/applications/{registration.id}").data.decode()
    assert "Describe the case you would present" in page
    assert "Our incubator&#39;s seed fund." in page


def test_an_applicant_edits_answers_until_the_deadline_but_not_after_withdrawing(
    workshop, register, client, deliver_emails, mailbox
):
    from tests.integration.questions_support import add_question

    question = add_question(workshop, "long_text", "Describe the case you would present", required=True)
    field = question.field_name
    apply(register, workshop, "amina@dakar.sn", **{field: "An incubator in Dakar."})
    deliver_emails()
    link = link_in(mailbox.to("amina@dakar.sn")[0])

    form = client.get(f"{link}/answers")
    done = client.post(f"{link}/answers", data={field: "A university incubator in Dakar, 40 start-ups.",
                                                "csrf_token": csrf_token(form)}, follow_redirects=True)
    assert "Your answers are saved." in done.data.decode()
    assert "40 start-ups" in client.get(link).data.decode()

    page = client.get(f"{link}/withdraw")
    client.post(f"{link}/withdraw", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Change my answers" not in client.get(link).data.decode()


# --- refusals on the review page ---------------------------------------------------------------

def _review_url(workshop, email: str) -> str:
    return f"/admin/events/{workshop.id}/applications/{registration_of(email).id}"


@pytest.mark.parametrize(("fields", "field", "message"), [
    (dict(score="", notes="   "), "score", "Give a score or write a note."),
    (dict(score="4", notes="x" * 5001), "notes", "Field cannot be longer than 5000 characters."),
])
def test_a_review_without_content_or_with_overlong_notes_is_refused(workshop, register, organiser, client,
                                                                     fields, field, message):
    apply(register, workshop, "amina@dakar.sn")
    url = _review_url(workshop, "amina@dakar.sn")

    page = client.post(url, data={**fields, "csrf_token": csrf_token(client.get(url))})

    assert page.status_code == 422
    assert f'id="{field}-error">{message}' in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 0
    assert application_of("amina@dakar.sn").status is ApplicationStatus.SUBMITTED  # not "under review"


def test_there_is_no_review_page_for_someone_who_registered_for_an_open_event(make_event, register, organiser,
                                                                               client):
    event = make_event()
    register(event, email="kim@example.org")
    url = f"/admin/events/{event.id}/applications/{registration_of('kim@example.org').id}"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/travel", data={"csrf_token": csrf_token(client.get("/admin/"))}).status_code == 404


@pytest.mark.parametrize(("fields", "field", "message"), [
    (dict(decision=""), "decision", "Choose a decision."),
    (dict(decision="granted", granted_amount="twelve hundred"), "granted_amount",
     "Enter an amount in figures, e.g. 1200 or 1200.50."),
    (dict(decision="granted", granted_amount="-5"), "granted_amount", "The amount cannot be negative."),
    (dict(decision="granted", granted_amount="2000000"), "granted_amount",
     "That amount is too large. Please check it."),
    (dict(decision="granted", granted_amount="10.505"), "granted_amount", "Use at most two decimal places."),
    (dict(decision="granted", granted_amount="0"), "granted_amount", "Enter the amount granted."),
    (dict(decision="granted", granted_amount="800", granted_currency="XXX"), "granted_currency",
     "Please choose a currency from the list."),
    (dict(decision="declined", granted_amount="800"), "granted_amount",
     "Leave the amount empty when the decision is “Not granted”."),
    (dict(decision="declined", note="x" * 1001), "note", "Field cannot be longer than 1000 characters."),
])
def test_a_bad_travel_support_decision_is_refused_next_to_the_field(workshop, register, organiser, client,
                                                                    fields, field, message):
    apply(register, workshop, "amina@dakar.sn", travel_flight="y", travel_amount="1500")
    url = _review_url(workshop, "amina@dakar.sn")
    data = {"decision": "granted", "granted_amount": "", "granted_currency": "USD", "note": "", **fields}

    page = client.post(f"{url}/travel", data={**data, "csrf_token": csrf_token(client.get(url))})

    assert page.status_code == 422
    assert f'id="{field}-error">{message}' in page.get_data(as_text=True)
    db.session.expire_all()
    request = db.session.scalar(sa.select(TravelSupportRequest))
    assert (request.decision, request.granted_amount, request.note) == (TravelDecision.PENDING, None, "")


def test_a_travel_decision_for_someone_who_asked_for_none_is_refused(workshop, register, organiser, client):
    apply(register, workshop, "amina@dakar.sn")
    url = _review_url(workshop, "amina@dakar.sn")

    page = client.post(f"{url}/travel", data={"decision": "granted", "granted_amount": "800",
                                              "granted_currency": "USD", "csrf_token": csrf_token(client.get(url))})

    assert page.status_code == 422
    assert "This applicant did not ask for travel support." in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TravelSupportRequest)) == 0


def test_a_travel_decision_is_reset_to_not_decided_and_the_accepted_applicant_is_not_emailed_about_it(
    workshop, register, organiser, client, deliver_emails, mailbox
):
    apply(register, workshop, "amina@dakar.sn", travel_flight="y", travel_amount="1500")
    confirm(client, workshop, decide(client, workshop, ["amina@dakar.sn"], "accept"))
    url = _review_url(workshop, "amina@dakar.sn")
    client.post(f"{url}/travel", data={"decision": "granted", "granted_amount": "1200", "granted_currency": "USD",
                                       "note": "", "csrf_token": csrf_token(client.get(url))})
    deliver_emails()
    told = len(mailbox.to("amina@dakar.sn"))

    done = client.post(f"{url}/travel", data={"decision": "pending", "granted_amount": "", "granted_currency": "USD",
                                              "note": "", "csrf_token": csrf_token(client.get(url))},
                       follow_redirects=True)

    html = done.get_data(as_text=True)
    assert "The travel-support decision is saved." in html
    assert 'id="travel-decision">Not decided yet</strong>' in html
    db.session.expire_all()
    request = db.session.scalar(sa.select(TravelSupportRequest))
    assert (request.decision, request.granted_amount, request.decided_at, request.decided_by_id) == (
        TravelDecision.PENDING, None, None, None)
    deliver_emails()
    assert len(mailbox.to("amina@dakar.sn")) == told  # "not decided yet" is nothing to announce
