"""In a real browser: the passport fields appear only once the participant asks for a visa letter."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import VisaRequest


def test_passport_fields_show_when_a_visa_letter_is_asked_for(make_event, live_server, new_page):
    event = make_event()
    page = new_page()
    page.goto(f"{live_server}/events/{event.slug}")
    passport_number = page.get_by_label("Passport number")
    expect(passport_number).to_be_hidden()

    page.get_by_label("I need a visa invitation letter").check()
    expect(passport_number).to_be_visible()
    expect(page.get_by_label("Full name as in your passport")).to_be_focused()

    page.get_by_label("Given name(s)").fill("Lan")
    page.get_by_label("Family name").fill("Nguyễn Thị")
    page.get_by_label("Email").fill("lan@example.org")
    page.get_by_label("Organisation", exact=True).fill("Hoa Lac Hi-Tech Park")
    page.get_by_label("Type of organisation").select_option(label="Science / technology park")
    page.get_by_label("Country of your organisation", exact=True).select_option("VN")
    page.get_by_label("I agree that the organisers process my data").check()
    page.get_by_role("button", name="Register").click()
    # Ticked but left empty: the form says so, with the fields still shown.
    expect(page.get_by_text("Please enter your passport number.")).to_be_visible()

    page.get_by_label("Full name as in your passport").fill("NGUYEN THI LAN")
    page.get_by_label("Nationality", exact=True).select_option("VN")
    page.get_by_label("Date of birth").fill("1984-05-17")
    page.get_by_label("Passport valid until").fill((date.today() + timedelta(days=1000)).isoformat())
    passport_number.fill("C1234567")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="You are registered")).to_be_visible()

    db.session.commit()
    request = db.session.scalar(sa.select(VisaRequest))
    assert (request.passport_name, request.passport_number) == ("NGUYEN THI LAN", "C1234567")
    db.session.commit()
