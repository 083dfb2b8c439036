"""In a real browser: someone applies for a funded workshop with a travel-support request; an organiser
scores the application, grants travel support and accepts it; the acceptance email says so."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import ApplicationStatus, Registration, RegistrationMode, RegistrationStatus
from tests.conftest import text_of
from tests.e2e.conftest import sign_in


def test_apply_score_accept_in_the_browser_and_the_email_states_travel_support(
    make_event, make_user, live_server, new_page, deliver_emails, mailbox
):
    event = make_event(title="International Training Workshop on Technology Business Incubation",
                       registration_mode=RegistrationMode.APPLICATION, capacity=25)
    make_user(name="Ji-woo Park")

    applicant = new_page()
    applicant.goto(f"{live_server}/events/{event.slug}")
    expect(applicant.get_by_role("heading", name="Apply")).to_be_visible()
    applicant.get_by_label("Given name(s)").fill("Wanjiru")
    applicant.get_by_label("Family name").fill("Kamau")
    applicant.get_by_label("Email").fill("wanjiru.kamau@example.org")
    applicant.get_by_label("Organisation", exact=True).fill("Nairobi Innovation Hub")
    applicant.get_by_label("Type of organisation").select_option(label="Business incubator")
    applicant.get_by_label("Country of your organisation: Type to filter the list").fill("Kenya")
    applicant.get_by_label("Flight").check()
    applicant.get_by_label("Accommodation").check()
    applicant.get_by_label("Estimated amount (optional)").fill("1400")
    applicant.get_by_label("I agree that the organisers process my data").check()
    applicant.get_by_role("button", name="Submit my application").click()
    expect(applicant.get_by_role("heading", name="Your application is received")).to_be_visible()
    expect(applicant.get_by_text("What happens next")).to_be_visible()

    organiser = new_page()
    sign_in(organiser, live_server)
    organiser.goto(f"{live_server}/admin/events/{event.id}/applications")
    organiser.get_by_role("link", name="Wanjiru Kamau").click()

    organiser.get_by_label("4", exact=True).check()
    organiser.get_by_label("Your notes").fill("Runs a university-linked incubator; good case.")
    organiser.get_by_role("button", name="Save my review").click()
    expect(organiser.get_by_text("Your review is saved.")).to_be_visible()
    expect(organiser.locator("#average-score")).to_contain_text("4.0")

    organiser.get_by_label("Decision on travel support").select_option(label="Granted")
    organiser.get_by_label("Amount granted").fill("1200")
    organiser.get_by_role("button", name="Save the travel-support decision").click()
    expect(organiser.locator("#travel-decision")).to_have_text("Granted, USD 1,200.00")

    organiser.get_by_role("button", name="Accept…").click()
    expect(organiser.locator("#email-count")).to_contain_text("1 email will go out")
    organiser.get_by_role("button", name="Yes, accept and send 1 email").click()
    expect(organiser.get_by_text("1 application accepted, and 1 email is on the way")).to_be_visible()

    db.session.commit()
    registration = db.session.scalar(sa.select(Registration).where(Registration.email == "wanjiru.kamau@example.org"))
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.application.status is ApplicationStatus.ACCEPTED
    db.session.commit()

    deliver_emails()
    accepted = [m for m in mailbox.to("wanjiru.kamau@example.org") if "accepted" in m["Subject"]]
    assert len(accepted) == 1
    assert "Your request for travel support is granted: USD 1,200.00, for flight, accommodation." in text_of(accepted[0])
