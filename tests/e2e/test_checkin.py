"""In a real browser: at the door, a staff member types a badge code and sees "Checked in"."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from app.models import utcnow
from tests.e2e.conftest import CHROMIUM_ARGS, _chromium, sign_in
from tests.integration.organiser_support import add_registrations


def test_staff_type_a_badge_code_and_see_checked_in_without_leaving_the_page(make_event, make_user, live_server,
                                                                              new_page):
    now = utcnow()
    event = make_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
                       registration_opens_at=now - timedelta(days=20), registration_closes_at=now - timedelta(hours=2))
    [person] = add_registrations(event, 1, given_name="Wanjiru", family_name="Kamau",
                                 organisation="Nairobi Innovation Hub", email="wanjiru@example.org")
    add_registrations(event, 3)
    make_user()

    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})  # a phone at the door
    sign_in(page, live_server)

    page.goto(f"{live_server}/admin/events/{event.id}/check-in")
    code = page.get_by_label("Badge code or name")
    expect(code).to_be_focused()
    expect(page.locator('[data-count="checked_in"]')).to_have_text("0")
    url_before = page.url

    code.fill(person.reference.lower())
    page.get_by_role("button", name="Check in", exact=True).click()

    result = page.locator("#checkin-result")
    expect(result).to_contain_text("Checked in")
    expect(result).to_contain_text("Wanjiru Kamau")
    expect(result).to_contain_text("Nairobi Innovation Hub")
    expect(page.locator('[data-count="checked_in"]')).to_have_text("1")
    expect(code).to_have_value("")  # ready for the next badge
    assert page.url == url_before  # no page load: the fetch answered

    code.fill(person.reference)
    code.press("Enter")
    expect(result).to_contain_text(re.compile(r"Already checked in at \d\d:\d\d"))
    expect(page.locator('[data-count="checked_in"]')).to_have_text("1")


def _camera_video_of(text: str, path) -> None:
    """A few frames of a camera looking at a badge QR, as a Y4M file Chromium plays as its fake camera."""
    import segno

    matrix = segno.make_qr(text, error="m").matrix
    scale, quiet, width, height = 8, 4, 640, 480
    side = (len(matrix) + 2 * quiet) * scale
    left, top = (width - side) // 2, (height - side) // 2
    luma = bytearray([235]) * (width * height)  # white paper
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (top + (y + quiet) * scale + dy) * width + left + (x + quiet) * scale
                    luma[start:start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (width * height // 4)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            video.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def test_the_camera_reads_the_badge_qr_and_checks_the_person_in(make_event, make_user, live_server, tmp_path, browser):
    """Chromium's fake camera films the badge; no BarcodeDetector on Linux, so the vendored jsQR reads it."""

    now = utcnow()
    event = make_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
                       registration_opens_at=now - timedelta(days=20), registration_closes_at=now - timedelta(hours=2))
    [person] = add_registrations(event, 1, given_name="Nguyen", family_name="Thi Lan", email="lan@example.org")
    make_user()
    video = tmp_path / "badge.y4m"
    _camera_video_of(person.reference, video)
    # A browser of its own: the camera is chosen at launch.
    camera_browser = browser.browser_type.launch(executable_path=_chromium(), headless=True, args=[
        *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ])
    try:
        page = camera_browser.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, live_server)
        page.goto(f"{live_server}/admin/events/{event.id}/check-in")

        page.get_by_role("button", name="Scan with camera").click()

        result = page.locator("#checkin-result")
        expect(result).to_contain_text("Checked in")
        expect(result).to_contain_text("Nguyen Thi Lan")
        page.get_by_role("button", name="Stop camera").click()
    finally:
        camera_browser.close()
