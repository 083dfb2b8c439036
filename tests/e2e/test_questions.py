"""In a real browser: a participant fills a workshop's own questions, a follow-up appears only
after "Yes", a PDF is attached, and the organiser downloads it from the registration page."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import Registration, Upload
from tests.e2e.conftest import sign_in
from tests.integration.questions_support import (
    PDF,
    add_question,
    answers_by_label,
    upload_folder,  # noqa: F401
)


def test_a_participant_fills_the_custom_form_with_an_upload(make_event, make_user, upload_folder,  # noqa: F811
                                                            live_server, new_page):
    event = make_event(title="International Training Workshop on Technology Business Incubation")
    add_question(event, "long_text", "Describe your incubator", required=True)
    travel = add_question(event, "yes_no", "Do you need travel support?", required=True)
    add_question(event, "multiple_choice", "What do you need support for?", required=True,
                 options=["Flight", "Accommodation"], condition_question_id=travel.id, condition_value="yes")
    add_question(event, "file", "Case presentation", help_text="Your slides as PDF.")
    make_user()
    db.session.commit()

    page = new_page()
    page.goto(f"{live_server}/events/{event.slug}")
    follow_up = page.get_by_role("group", name="What do you need support for?")
    expect(follow_up).to_be_hidden()  # shown only after "Yes"

    page.get_by_label("Given name(s)").fill("Thandiwe")
    page.get_by_label("Family name").fill("Mokoena")
    page.get_by_label("Email").fill("thandiwe@example.org")
    page.get_by_label("Organisation", exact=True).fill("Gauteng Innovation Hub")
    page.get_by_label("Type of organisation").select_option(label="Business incubator")
    page.get_by_label("Country of your organisation", exact=True).select_option("ZA")
    page.get_by_label("Describe your incubator").fill("We incubate 30 hardware start-ups in Johannesburg.")
    page.get_by_role("group", name="Do you need travel support?").get_by_label("Yes").check()
    expect(follow_up).to_be_visible()
    page.get_by_label("I agree that the organisers process my data").check()

    # First try: a "PDF" that is really a program. The page says why and keeps the answers.
    page.get_by_label("Case presentation (optional)").set_input_files(
        files=[{"name": "slides.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\x00" * 100}])
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("This file is not a PDF document.")).to_be_visible()
    expect(page.get_by_text("Please choose at least one answer.")).to_be_visible()
    expect(page.get_by_label("Describe your incubator")).to_have_value("We incubate 30 hardware start-ups in Johannesburg.")

    follow_up.get_by_label("Flight").check()
    page.get_by_label("Case presentation (optional)").set_input_files(
        files=[{"name": "Gauteng case.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="You are registered")).to_be_visible()

    db.session.commit()  # see what the server wrote
    saved = answers_by_label("thandiwe@example.org")
    assert saved["Do you need travel support?"] is True
    assert saved["What do you need support for?"] == ["Flight"]
    upload = db.session.scalar(sa.select(Upload))
    assert (upload_folder / upload.stored_name).read_bytes() == PDF
    registration_id = db.session.scalar(sa.select(Registration.id))
    db.session.commit()

    organiser = new_page()
    sign_in(organiser, live_server)
    organiser.goto(f"{live_server}/admin/events/{event.id}/attendees/{registration_id}")
    expect(organiser.get_by_text("We incubate 30 hardware start-ups in Johannesburg.")).to_be_visible()
    with organiser.expect_download() as download:
        organiser.get_by_role("link", name=re.compile("Gauteng case.pdf")).click()
    assert download.value.suggested_filename == "Gauteng case.pdf"
    with open(download.value.path(), "rb") as file:
        assert file.read() == PDF
