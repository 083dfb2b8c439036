"""In a real browser: a visitor in New York reads the Daejeon forum's page and sees, next to each time at the
venue, the same moment on their own clock; a visitor in Seoul sees no second time (theirs is the venue's);
without JavaScript the page shows the venue's times alone."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import ProgrammeSession
from tests.conftest import start_writing

OPENS = datetime(2030, 10, 17, 0, 30, tzinfo=UTC)  # 09:30 KST; 20:30 EDT on the 16th in New York
# The venue's time as the server writes it (its format is the formatting module's): 9:30 and the zone.
VENUE_START = re.compile(r"0?9:30.*(KST|GMT\+9|Korean? Standard Time)")


@pytest.fixture
def forum(make_event):
    event = make_event(title="Daejeon Global Innovation Forum 2030", slug="dgif-2030", code="DGIF30", kind="forum",
                       capacity=None, timezone="Asia/Seoul", starts_at=OPENS,
                       ends_at=datetime(2030, 10, 19, 9, 0, tzinfo=UTC),
                       registration_closes_at=datetime(2030, 10, 1, 14, 59, tzinfo=UTC))
    start_writing()
    db.session.add(ProgrammeSession(event_id=event.id, title="Plenary: science cities and AI", room="Grand Hall",
                                    starts_at=OPENS, ends_at=datetime(2030, 10, 17, 2, 0, tzinfo=UTC)))
    db.session.commit()
    return event


@pytest.fixture
def visitor(browser):
    """A page in a browser set to a time zone (and JavaScript on or off), closed after the test."""
    contexts = []

    def open_page(timezone_id: str, *, javascript: bool = True):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US",
                                      timezone_id=timezone_id, java_script_enabled=javascript)
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_a_visitor_in_new_york_sees_their_own_time_next_to_the_venue_time(forum, live_server, visitor):
    page = visitor("America/New_York")
    page.goto(f"{live_server}/events/{forum.slug}")

    start = page.locator("#event-start")
    expect(start.locator("time")).to_have_text(VENUE_START)
    yours = start.locator(".your-time")
    expect(yours).to_have_text("Your time: Wed, Oct 16, 8:30 PM EDT")

    plenary = page.locator(".programme-list li", has_text="Plenary: science cities and AI")
    expect(plenary.locator("time")).to_have_text("09:30–11:00 KST")
    expect(plenary.locator(".your-time")).to_contain_text("Your time: Wed, Oct 16")
    expect(plenary.locator(".your-time")).to_contain_text("8:30")
    expect(plenary.locator(".your-time")).to_contain_text("10:00 PM EDT")


def test_a_visitor_in_seoul_sees_the_venue_time_once(forum, live_server, visitor):
    page = visitor("Asia/Seoul")
    page.goto(f"{live_server}/events/{forum.slug}")
    expect(page.locator("#event-start time")).to_have_text(VENUE_START)
    page.wait_for_load_state("load")  # the deferred script has run
    expect(page.locator(".your-time")).to_have_count(0)


def test_without_javascript_the_page_shows_the_venue_time(forum, live_server, visitor):
    page = visitor("America/New_York", javascript=False)
    page.goto(f"{live_server}/events/{forum.slug}")
    expect(page.locator("#event-start")).to_have_text(VENUE_START)
    expect(page.locator(".programme-list li", has_text="Plenary")).to_contain_text("09:30–11:00 KST")
    expect(page.locator(".your-time")).to_have_count(0)


def test_the_added_times_fit_a_phone_and_keep_the_page_accessible(forum, live_server, browser):
    from tests.e2e.test_every_page import AXE, AXE_JS, PHONE

    if not AXE.exists():
        pytest.skip("axe-core missing: run `npm ci --ignore-scripts`")
    context = browser.new_context(viewport=PHONE, locale="en-US", timezone_id="America/New_York",
                                  bypass_csp=True)  # axe is injected as an inline script
    try:
        page = context.new_page()
        page.goto(f"{live_server}/events/{forum.slug}")
        expect(page.locator(".your-time")).to_have_count(2)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.add_script_tag(path=str(AXE))
        assert page.evaluate(AXE_JS) == []
    finally:
        context.close()
