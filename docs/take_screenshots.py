"""Retake the README's screenshots (docs/screenshots/*.png) from a running server with the demo data.

    export DATABASE_URL=sqlite:////tmp/shots.db
    .venv/bin/flask --app wsgi db upgrade && .venv/bin/flask --app wsgi seed-demo
    .venv/bin/flask --app wsgi run --port 5055 &
    .venv/bin/python docs/take_screenshots.py --base-url http://127.0.0.1:5055

Needs Playwright (requirements-dev.txt) and a Chromium: the system one at /usr/bin/chromium by default.
It registers one participant, so run it against a throwaway database.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).resolve().parent / "screenshots"
WIDTH = 1280
WORKSHOP = "International Training Workshop on Science City Governance"
FORUM = "Daejeon Global Innovation Forum"


def shoot(page: Page, name: str, *, max_height: int = 1400) -> None:
    """The top of the page, up to max_height pixels: enough to show it, small enough to keep the PNG light."""
    height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
    page.screenshot(path=str(OUT / f"{name}.png"), clip={"x": 0, "y": 0, "width": WIDTH, "height": height},
                    full_page=True)
    print(f"{name}.png  {WIDTH}x{height}  {(OUT / f'{name}.png').stat().st_size // 1024} KB")


def shoot_from(page: Page, selector: str, name: str, *, height: int) -> None:
    """`height` pixels of the page from the element `selector` down (a section further down a page)."""
    top = page.evaluate(f"document.querySelector('{selector}').getBoundingClientRect().top + window.scrollY")
    page.screenshot(path=str(OUT / f"{name}.png"), clip={"x": 0, "y": top - 10, "width": WIDTH, "height": height},
                    full_page=True)
    print(f"{name}.png  {WIDTH}x{height}  {(OUT / f'{name}.png').stat().st_size // 1024} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:5055")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--email", default="demo@wtanet.org")
    parser.add_argument("--password", default="demo-organiser-2026")
    parser.add_argument("--korean-only", action="store_true", help="retake only the Korean pages (ko_*.png)")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        korean(browser.new_page(viewport={"width": WIDTH, "height": 900}, base_url=args.base_url), args)
        if args.korean_only:
            browser.close()
            return
        page = browser.new_page(viewport={"width": WIDTH, "height": 900}, base_url=args.base_url)

        page.goto("/")
        shoot(page, "home", max_height=1500)

        # The forum edition open now: its programme, and the registration form with its sessions.
        page.get_by_role("link", name=FORUM).first.click()
        page.locator("#register").scroll_into_view_if_needed()
        shoot(page, "event", max_height=3700)

        page.select_option("#title", "Dr")
        page.fill("#given_name", "Amina")
        page.fill("#family_name", "Diallo")
        page.fill("#email", "amina.diallo@example.org")
        page.fill("#phone", "+221 33 123 4567")
        page.fill("#organisation", "Dakar Technology Park")
        page.fill("#position", "Director")
        page.select_option("#organisation_type", "science_park")
        page.fill("input.searchable-filter", "Senegal")
        page.select_option("#country", "SN")
        page.get_by_label("Plenary: science cities and AI").check()
        page.get_by_label("Parallel C: technology transfer offices").check()  # full: the waiting list
        page.check("#consent")
        page.get_by_role("button", name="Register").click()
        page.wait_for_url("**/registered")
        shoot(page, "registered", max_height=1000)

        page.goto("/series/daejeon-global-innovation-forum")
        shoot(page, "series_public", max_height=1400)

        page.goto("/login")
        page.fill("#email", args.email)
        page.fill("#password", args.password)
        page.locator("form button[type=submit]").click()
        page.wait_for_url("**/admin/")
        shoot(page, "dashboard", max_height=1000)

        page.get_by_role("link", name="Series", exact=True).click()
        page.get_by_role("link", name=FORUM).first.click()
        shoot(page, "series", max_height=1200)
        shoot_from(page, "#trends", "series_trends", height=1000)

        page.locator("#editions a").first.click()
        page.wait_for_url("**/attendees")
        shoot(page, "attendees", max_height=1500)
        page.get_by_role("link", name="Programme", exact=True).click()
        shoot(page, "programme", max_height=1200)

        page.goto("/admin/")
        page.get_by_role("link", name=WORKSHOP).first.click()
        page.get_by_role("link", name="Applications", exact=True).click()
        shoot(page, "applications", max_height=1200)
        page.get_by_role("link", name="Statistics", exact=True).click()
        shoot(page, "statistics", max_height=2600)

        # The check-in page as door staff see it on a phone.
        page.get_by_role("link", name="Check-in", exact=True).click()
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        page.screenshot(path=str(OUT / "checkin_phone.png"))
        print("checkin_phone.png  390x844")
        browser.close()


def korean(page: Page, args: argparse.Namespace) -> None:
    """The same app in Korean: a participant who switched to 한국어 registers as 김민준 (family name first, shown
    by the live preview), then her personal page; and an organiser page read in Korean."""
    page.goto("/language/ko?next=/")
    shoot(page, "ko_home", max_height=1100)
    page.locator("main a[href*='innovation-forum']").first.click()
    page.fill("#given_name", "민준")
    page.fill("#family_name", "김")
    page.locator("#register").scroll_into_view_if_needed()
    shoot_from(page, "#register", "ko_registration_form", height=1300)
    page.fill("#email", "minjun.kim@example.kr")
    page.fill("#organisation", "대덕연구개발특구")
    page.select_option("#organisation_type", "science_park")
    page.select_option("#country", "KR")
    page.check("#consent")
    page.wait_for_timeout(3000)  # the form refuses what is sent faster than a person fills it
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/registered")
    shoot(page, "ko_registered", max_height=1000)

    page.goto("/login")
    page.fill("#email", args.email)
    page.fill("#password", args.password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.locator("main a[href$='/attendees']").first.click()
    page.wait_for_url("**/attendees")
    shoot(page, "ko_attendees", max_height=1100)
    page.close()


if __name__ == "__main__":
    main()
