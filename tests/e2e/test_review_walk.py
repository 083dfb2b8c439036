"""In a real browser: a reviewer filters the applications to those they have not scored yet, opens the first
and scores three in a row with "Save and next", without going back to the list."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import Application, Registration, RegistrationMode, Review
from tests.e2e.conftest import sign_in
from tests.integration.applications_support import add_applications


def test_a_reviewer_scores_three_applications_in_a_row_with_save_and_next(
    make_event, make_user, live_server, new_page
):
    event = make_event(title="International Training Workshop on Technology Business Incubation",
                       registration_mode=RegistrationMode.APPLICATION, capacity=25)
    make_user(name="Ji-woo Park")
    for family_name in ("Achieng", "Banda", "Chukwu"):
        add_applications(event, 1, given_name="Applicant", family_name=family_name)
    db.session.commit()

    reviewer = new_page()
    sign_in(reviewer, live_server)
    reviewer.goto(f"{live_server}/admin/events/{event.id}/applications")
    reviewer.get_by_label("Not yet scored by me").check()
    reviewer.get_by_role("button", name="Search").click()
    # None scored yet: in score order, the unscored come by name.
    reviewer.get_by_role("link", name="Applicant Achieng").click()

    for name, score, following in (("Achieng", "4", "Banda"), ("Banda", "2", "Chukwu")):
        expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"Applicant {name}")
        reviewer.get_by_label(score, exact=True).check()
        reviewer.get_by_role("button", name="Save and next").click()
        expect(reviewer.get_by_text(f"Your review of Applicant {name} is saved.")).to_be_visible()
        expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"Applicant {following}")

    # The last one: the list of what is left to score is empty.
    reviewer.get_by_label("5 – excellent").check()
    reviewer.get_by_label("Your notes").fill("Strongest case of the three.")
    reviewer.get_by_role("button", name="Save my review").click()
    expect(reviewer.get_by_text("Your review is saved.")).to_be_visible()
    expect(reviewer.locator("#walk-position")).to_contain_text("No longer in the list")
    reviewer.get_by_role("link", name="Back to the list").click()
    expect(reviewer.get_by_text("No application matches your search.")).to_be_visible()

    db.session.commit()
    scores = dict(db.session.execute(
        sa.select(Registration.family_name, Review.score)
        .join(Application, Application.registration_id == Registration.id).join(Review, Review.application_id == Application.id)
    ).tuples().all())
    assert scores == {"Achieng": 4, "Banda": 2, "Chukwu": 5}
