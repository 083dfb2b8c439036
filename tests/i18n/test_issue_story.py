"""Issue 14's "done means", as the people in it live it: 김민준 switches the page to 한국어, registers, reads a
Korean email, gets a Korean badge with her name written family name first, and an organiser who reads English
finds her, written the same way, in the English dashboard; Sukarno, who has one name, registers and is listed
under it."""

from __future__ import annotations

import re

from tests.conftest import link_in, text_of
from tests.integration.documents_support import pdf_text, qr_codes, registration_by_email


def _switcher_link(html: str, language: str) -> str:
    match = re.search(rf'<a href="([^"]+)"[^>]*lang="{language}"', html)
    assert match, f"no switcher link to {language}"
    return match.group(1).replace("&amp;", "&")


def test_minjun_registers_in_korean_and_the_organiser_reads_english(client, make_event, make_user, auth, register,
                                                                    deliver_emails, mailbox):
    event = make_event(title="9th Daejeon Global Innovation Forum 2026")

    # She opens the event page in English and follows the switcher to 한국어; the page comes back in Korean.
    english = client.get(f"/events/{event.slug}").get_data(as_text=True)
    korean = client.get(_switcher_link(english, "ko"), follow_redirects=True).get_data(as_text=True)
    assert '<html lang="ko">' in korean and "등록" in korean
    assert "We will write your name as" not in korean

    page = register(event, title="", given_name="민준", family_name="김", email="minjun.kim@example.kr",
                    organisation="대덕연구개발특구", country="KR")
    assert page.status_code == 200 and '<html lang="ko">' in page.get_data(as_text=True)
    minjun = registration_by_email("minjun.kim@example.kr")
    assert minjun.language == "ko" and minjun.full_name == "김민준"  # Hangul: family name first, no space

    # Her email is Korean, greets her by her name as she writes it, and its link opens her page in Korean.
    deliver_emails()
    [email] = mailbox.to("minjun.kim@example.kr")
    body = text_of(email)
    assert "김민준" in body and "민준 김" not in body and "Dear" not in body
    assert re.search(r"[가-힣]", str(email["Subject"]))
    client.delete_cookie("lang")
    assert '<html lang="ko">' in client.get(link_in(email)).get_data(as_text=True)

    # The organiser reads English: the dashboard is English, and she is listed as 김민준.
    client.get("/language/en?next=/")
    make_user()
    auth.login()
    attendees = client.get(f"/admin/events/{event.id}/attendees").get_data(as_text=True)
    assert '<html lang="en">' in attendees and "Attendees" in attendees and "김민준" in attendees
    found = client.get(f"/admin/events/{event.id}/attendees?q=김").get_data(as_text=True)
    assert "김민준" in found  # "김" finds her

    # Her badge, printed from the English dashboard, is in Korean with her name family name first; its QR code
    # holds her check-in reference.
    badge_pdf = client.get(f"/admin/events/{event.id}/documents/badges.pdf?layout=a6").data
    badge = pdf_text(badge_pdf)
    assert "김민준" in badge.replace(" ", "")
    assert badge.index("김") < badge.index("민준")
    assert any(minjun.reference in code for codes in qr_codes(badge_pdf) for code in codes)


def test_sukarno_registers_with_his_one_name_and_is_listed_under_it(client, make_event, make_user, auth, register,
                                                                     deliver_emails, mailbox):
    event = make_event()
    page = register(event, title="", given_name="Sukarno", family_name="", single_name="y",
                    email="sukarno@example.id", country="ID")
    assert b"You are registered" in page.data

    deliver_emails()
    [email] = mailbox.to("sukarno@example.id")
    assert "Dear Sukarno," in text_of(email)

    make_user()
    auth.login()
    listed = client.get(f"/admin/events/{event.id}/attendees").get_data(as_text=True)
    assert re.search(r">\s*Sukarno\s*<", listed)
