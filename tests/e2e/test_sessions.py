"""In a real browser: a participant picks two sessions, one of them full, and sees both confirmed or waiting."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from app.extensions import db
from app.models import ProgrammeSession
from tests.conftest import start_writing


def test_participant_picks_two_sessions_one_full_and_sees_both_in_the_confirmation(
    make_event, register, live_server, new_page
):
    forum = make_event(title="Daejeon Global Innovation Forum 2026", slug="dgif-2026", code="DGIF26", capacity=500)
    start_writing()
    plenary = ProgrammeSession(event_id=forum.id, title="Plenary: science cities and AI", room="Grand Hall",
                               starts_at=forum.starts_at, ends_at=forum.starts_at + timedelta(hours=2))
    visit = ProgrammeSession(event_id=forum.id, title="Site visit: Daedeok Innopolis", room="Gate 2",
                             starts_at=forum.starts_at + timedelta(hours=4), ends_at=forum.starts_at + timedelta(hours=7),
                             seat_limit=1)
    db.session.add_all([plenary, visit])
    db.session.commit()
    register(forum, email="first@example.org", sessions=[visit.id])  # takes the only seat of the visit

    page = new_page()
    page.goto(f"{live_server}/events/{forum.slug}")
    expect(page.locator("#sessions")).to_contain_text("Full · waiting list")
    page.get_by_label("Title").select_option("Mr")
    page.get_by_label("Given name(s)").fill("Tuan")
    page.get_by_label("Family name").fill("Nguyen")
    page.get_by_label("Email").fill("tuan.nguyen@example.org")
    page.get_by_label("Organisation", exact=True).fill("Hoa Lac Hi-Tech Park")
    page.get_by_label("Type of organisation").select_option(label="Science / technology park")
    page.get_by_label("Country of your organisation: Type to filter the list").fill("Viet")
    page.get_by_label("Plenary: science cities and AI").check()
    page.get_by_label("Site visit: Daedeok Innopolis").check()
    page.get_by_label("I agree that the organisers process my data").check()
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading", name="You are registered")).to_be_visible()
    chosen = page.locator("#chosen-sessions li")
    expect(chosen).to_have_count(2)
    expect(chosen.filter(has_text="Plenary: science cities and AI")).to_contain_text("Seat confirmed")
    expect(chosen.filter(has_text="Site visit: Daedeok Innopolis")).to_contain_text("On the waiting list")
