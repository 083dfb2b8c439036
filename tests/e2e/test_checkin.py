"""In a real browser: at the door, a staff member types a badge code, or scans the printed badge, and sees "Checked in"."""

from __future__ import annotations

import base64
import io
import re
from datetime import timedelta

from PIL import Image
from playwright.sync_api import expect

from app.models import utcnow
from tests.e2e.conftest import CHROMIUM_ARGS, _chromium, sign_in
from tests.integration.documents_support import qr_images
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


def printed_badge_qr(client, auth, event, person) -> Image.Image:
    """The QR image of the person's badge, taken from the PDF the organiser downloads (A6 layout)."""
    auth.login()
    response = client.get(f"/admin/events/{event.id}/documents/badges.pdf?layout=a6&q={person.reference}")
    assert response.mimetype == "application/pdf"
    [[qr]] = qr_images(response.data)
    auth.logout()
    return qr


def png_data_uri(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


# Loads the reader the check-in page itself ships (its script tag names it), as checkin.js does when
# the browser has no BarcodeDetector, and reads the image the way checkin.js reads a camera frame.
READ_WITH_THE_PAGES_JSQR = """async (png) => {
  if (!window.jsQR) {
    const src = document.querySelector("script[data-jsqr]").getAttribute("data-jsqr");
    await new Promise((loaded, failed) => {
      const script = document.createElement("script");
      script.src = src; script.onload = loaded; script.onerror = failed;
      document.head.appendChild(script);
    });
  }
  const image = new Image();
  image.src = png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const found = window.jsQR(pixels, canvas.width, canvas.height, { inversionAttempts: "dontInvert" });
  return found ? found.data : null;
}"""


def test_the_check_in_pages_qr_reader_reads_the_qr_printed_on_the_badge(make_event, make_user, client, auth,
                                                                         live_server, new_page):
    """The QR is taken from the badge PDF itself, and decoded by the vendored jsQR the page loads."""
    now = utcnow()
    event = make_event(code="DGIF26", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
                       registration_opens_at=now - timedelta(days=20), registration_closes_at=now - timedelta(hours=2))
    [person] = add_registrations(event, 1, reference="DGIF26-7KQ3", given_name="Amina", family_name="Diallo")
    make_user()
    qr = printed_badge_qr(client, auth, event, person)

    page = new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server}/admin/events/{event.id}/check-in")
    decoded = page.evaluate(READ_WITH_THE_PAGES_JSQR, png_data_uri(qr))

    assert decoded == "DGIF26-7KQ3"
    page.get_by_label("Badge code or name").fill(decoded)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#checkin-result")).to_contain_text("Checked in")
    expect(page.locator("#checkin-result")).to_contain_text("Amina Diallo")


def _camera_video_of(qr: Image.Image, path) -> None:
    """A few frames of a camera looking at a printed badge QR, as a Y4M file Chromium plays as its fake camera."""
    width, height = 640, 480
    frame = Image.new("L", (width, height), 255)  # white paper around the badge's code
    frame.paste(qr.convert("L"), ((width - qr.width) // 2, (height - qr.height) // 2))
    luma = frame.point(lambda value: 16 + value * 219 // 255).tobytes()  # video range: 16 black, 235 white
    chroma = bytes([128]) * (width * height // 4)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            video.write(b"FRAME\n" + luma + chroma + chroma)


def test_the_camera_reads_the_badge_qr_and_checks_the_person_in(make_event, make_user, client, auth, live_server,
                                                                 tmp_path, browser):
    """Chromium's fake camera films the QR of the printed badge; no BarcodeDetector on Linux, so the
    vendored jsQR reads it."""

    now = utcnow()
    event = make_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
                       registration_opens_at=now - timedelta(days=20), registration_closes_at=now - timedelta(hours=2))
    [person] = add_registrations(event, 1, given_name="Nguyen", family_name="Thi Lan", email="lan@example.org")
    make_user()
    video = tmp_path / "badge.y4m"
    _camera_video_of(printed_badge_qr(client, auth, event, person), video)
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
