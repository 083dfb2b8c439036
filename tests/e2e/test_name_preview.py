"""In a real browser: the form previews the name as it will be written while the person types it."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import NameOrder, Registration


def test_minjun_sees_her_name_written_family_name_first_and_registers(make_event, live_server, new_page):
    event = make_event()
    page = new_page()
    page.goto(f"{live_server}/events/{event.slug}")
    preview = page.locator("[data-name-preview]")
    expect(preview).to_be_hidden()  # nothing typed yet

    page.get_by_label("Given name(s)").fill("민준")
    page.get_by_label("Family name").fill("김")
    expect(preview).to_have_text("We will write your name as: 김민준")

    page.get_by_label("Surname last").check()  # her choice wins over the script's usual order
    expect(preview).to_have_text("We will write your name as: 민준 김")
    page.get_by_label("Surname first").check()
    expect(preview).to_have_text("We will write your name as: 김민준")

    page.get_by_label("Email").fill("minjun.kim@example.kr")
    page.get_by_label("Organisation", exact=True).fill("Daedeok Innopolis")
    page.get_by_label("Type of organisation").select_option(label="Science / technology park")
    page.get_by_label("Country of your organisation", exact=True).select_option("KR")
    page.get_by_label("I agree that the organisers process my data").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="You are registered")).to_be_visible()

    db.session.commit()
    minjun = db.session.scalar(sa.select(Registration).where(Registration.email == "minjun.kim@example.kr"))
    assert minjun.name_order is NameOrder.FAMILY_FIRST and minjun.full_name == "김민준"


def test_someone_with_one_name_sees_it_alone(make_event, live_server, new_page):
    event = make_event()
    page = new_page()
    page.goto(f"{live_server}/events/{event.slug}")
    page.get_by_label("Given name(s)").fill("Sukarno")
    page.get_by_label("I have only one name").check()
    expect(page.locator("[data-name-preview]")).to_have_text("We will write your name as: Sukarno")
