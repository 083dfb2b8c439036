"""In an American Chromium (en-US), a date is typed and shown the way the help next to it says: YYYY-MM-DD.

A native date input would show mm/dd/yyyy there, whatever the page's help says.
"""

from __future__ import annotations

from playwright.sync_api import expect


def test_an_american_browser_types_the_date_of_birth_as_the_help_says(make_event, live_server, browser):
    event = make_event()
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/events/{event.slug}")
        page.get_by_label("I need a visa invitation letter").check()
        birth = page.get_by_label("Date of birth")

        expect(birth).to_have_attribute("type", "text")
        expect(birth).to_have_attribute("placeholder", "YYYY-MM-DD")
        expect(page.locator(f"#{birth.get_attribute('id')}-hint")).to_contain_text("YYYY-MM-DD")

        birth.press_sequentially("1984-05-17")  # typed key by key, as a person does
        expect(birth).to_have_value("1984-05-17")
    finally:
        context.close()
