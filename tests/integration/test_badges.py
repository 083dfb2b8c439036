"""Name badges: the organiser prints everyone or a filtered selection; each QR decodes to the reference."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
import zxingcpp
from pypdf import PdfReader

from app.models import RegistrationStatus
from tests.conftest import csrf_token
from tests.integration.documents_support import pdf_pages, pdf_text, qr_codes, qr_images
from tests.integration.organiser_support import add_manager, add_registrations


def _badges(event) -> str:
    return f"/admin/events/{event.id}/documents/badges.pdf"


def test_a6_badges_show_the_person_and_a_qr_code_that_scans_to_the_reference(make_event, make_user, auth, client):
    event = make_event(title="Daejeon Global Innovation Forum 2026", code="DGIF26")
    [lan] = add_registrations(event, 1, given_name="Nguyễn Thị", family_name="Lan", organisation="Hoa Lac Hi-Tech Park",
                              country="VN")
    [kim] = add_registrations(event, 1, given_name="Min-jun", family_name="Kim", organisation="Daejeon TP",
                              country="KR", email="organiser@wtanet.org")
    add_manager(event, make_user())  # an organiser of the event, registered too: an "Organiser" badge
    auth.login()

    response = client.get(_badges(event) + "?layout=a6")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = pdf_pages(response.data)
    assert len(pages) == 2  # one badge per A6 page, in name order: Kim, then Lan
    assert "Min-jun" in pages[0] and "ORGANISER" in pages[0].upper() and "South Korea" in pages[0]
    assert "Nguyễn Thị" in pages[1] and "Lan" in pages[1] and "Hoa Lac Hi-Tech Park" in pages[1]
    assert "Vietnam" in pages[1]
    assert "PARTICIPANT" in pages[1].upper() and "Daejeon Global Innovation Forum 2026" in pages[1]
    assert qr_codes(response.data) == [[kim.reference], [lan.reference]]
    # Standard QR codes: the check-in page's reader (jsQR) cannot read a Micro QR (tests/e2e/test_checkin.py).
    formats = {found.format for page in qr_images(response.data) for image in page
               for found in zxingcpp.read_barcodes(image)}
    assert formats == {zxingcpp.BarcodeFormat.QRCode}


def test_an_a4_sheet_holds_eight_badges_and_filters_choose_who_is_printed(make_event, make_user, auth, client):
    event = make_event()
    kenyans = add_registrations(event, 9, country="KE")
    ghanaians = add_registrations(event, 2, country="GH")
    add_registrations(event, 1, country="GH", status=RegistrationStatus.CANCELLED, given_name="Cancelled")
    add_registrations(event, 1, country="GH", status=RegistrationStatus.WAITLISTED, given_name="Waiting")
    make_user()
    auth.login()

    everyone = client.get(_badges(event) + "?layout=a4")
    assert len(pdf_pages(everyone.data)) == 2  # 11 badges, 8 to a sheet; no place (cancelled, waiting), no badge
    codes = [code for page in qr_codes(everyone.data) for code in page]
    assert sorted(codes) == sorted(r.reference for r in kenyans + ghanaians)
    assert "Cancelled" not in pdf_text(everyone.data) and "Waiting" not in pdf_text(everyone.data)

    ghana = client.get(_badges(event) + "?layout=a4&country=GH")
    assert [len(page) for page in qr_codes(ghana.data)] == [2]
    assert sorted(qr_codes(ghana.data)[0]) == sorted(r.reference for r in ghanaians)

    nobody = client.get(_badges(event) + "?q=nobody-has-this-name", follow_redirects=True)
    assert b"No registration matches these filters" in nobody.data


def test_another_organiser_cannot_print_the_badges(make_event, make_user, auth, client):
    event = make_event()
    add_registrations(event, 1)
    make_user()
    make_user("other@wtanet.org", admin=False)
    auth.login("other@wtanet.org")
    assert client.get(_badges(event)).status_code == 404
    assert client.get(f"/admin/events/{event.id}/documents/preview/badge.pdf").status_code == 404


def test_too_many_badges_at_once_are_refused_with_a_way_forward(make_event, make_user, auth, client, monkeypatch):
    from app.services.documents import badges

    monkeypatch.setattr(badges, "MAX_BADGES", 3)
    event = make_event()
    add_registrations(event, 4)
    make_user()
    auth.login()
    refused = client.get(_badges(event), follow_redirects=True)
    assert b"That is more than 3 badges. Please print them in batches" in refused.data


def test_korean_and_vietnamese_names_are_drawn_with_fonts_that_have_their_letters(make_event, make_user, auth, client):
    if not shutil.which("fc-list") or "Noto Sans CJK" not in subprocess.run(
            ["fc-list"], capture_output=True, text=True).stdout:
        pytest.skip("fonts-noto-cjk is not installed: run `make system-libs`")
    event = make_event()
    add_registrations(event, 1, given_name="민준", family_name="김", country="KR")
    add_registrations(event, 1, given_name="Nguyễn Thị", family_name="Lan", country="VN")
    make_user()
    auth.login()
    pdf = client.get(_badges(event)).data
    text = pdf_text(pdf)
    assert "민준" in text and "Nguyễn Thị" in text
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1]
             for page in PdfReader(io.BytesIO(pdf)).pages for font in page["/Resources"]["/Font"].values()}
    assert any(name.startswith("Noto-Sans-CJK") for name in fonts), fonts
    assert any(name.startswith("DejaVu-Sans") for name in fonts), fonts


def test_the_filtered_attendee_list_prints_its_own_badges(make_event, make_user, auth, client):
    event = make_event()
    add_registrations(event, 3, country="KE")
    [ghanaian] = add_registrations(event, 1, country="GH")
    make_user()
    auth.login()
    listed = client.get(f"/admin/events/{event.id}/attendees?country=GH").data.decode()
    link = re.search(r'href="([^"]*badges\.pdf[^"]*)">Print badges', listed).group(1).replace("&amp;", "&")
    assert qr_codes(client.get(link).data) == [[ghanaian.reference]]


def test_an_organiser_makes_someone_a_speaker_and_their_badge_says_so(make_event, make_user, auth, client):
    event = make_event()
    [lecturer] = add_registrations(event, 1, given_name="Deok-soo", family_name="Park")
    make_user()
    auth.login()
    page_url = f"/admin/events/{event.id}/attendees/{lecturer.id}"

    page = client.get(page_url)
    done = client.post(f"{page_url}/role", data={"role": "speaker", "csrf_token": csrf_token(page)},
                       follow_redirects=True)
    assert "Deok-soo Park is now “Speaker”" in done.data.decode()
    refused = client.post(f"{page_url}/role", data={"role": "king", "csrf_token": csrf_token(page)},
                          follow_redirects=True)
    assert "Please choose a role from the list." in refused.data.decode()

    [badge] = pdf_pages(client.get(_badges(event) + "?layout=a6").data)
    assert "SPEAKER" in badge.upper() and "PARTICIPANT" not in badge.upper()
