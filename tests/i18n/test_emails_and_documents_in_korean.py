"""김민준 registers in Korean: every email and every document she receives speaks Korean, with her details
filled in; the English ones stay as they were.

The registration's language column arrives on another branch: here the Korean is asked for the way the mail
worker and the views do it, with flask_babel.force_locale around the rendering."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import load_workbook
from pypdf import PdfReader

from app.extensions import db
from app.models import Registration
from app.services.mail import notifications
from app.services.mail.email_kinds import KINDS
from app.services.mail.email_texts import default_text, render, values_for
from app.services.placeholders import used_placeholders
from tests.conftest import text_of
from tests.integration.documents_support import pdf_text
from tests.integration.statistics_support import known_workshop

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# What the change that sends each kind knows (see the callers of notifications.queue).
EXTRAS = {
    "registration_cancelled": {"cancelled_by_organiser": True},
    "application_withdrawn": {"was_accepted": False},
    "event_cancelled": {"reason": "태풍 때문입니다."},
    "event_changed": {"dates_changed": True, "place_changed": True, "new_dates": "2026년 11월 4일~8일",
                      "previous_dates": "2026년 11월 3일~7일", "new_place": "대전컨벤션센터", "previous_place": ""},
}


def _registered_minjun(make_event, register) -> Registration:
    event = make_event()
    register(event, given_name="민준", family_name="김", email="minjun.kim@example.kr", country="KR", title="")
    return db.session.scalar(sa.select(Registration).where(Registration.email == "minjun.kim@example.kr"))


def _email(registration: Registration, kind: str, language: str):
    with force_locale(language):
        values = values_for(registration, kind, link="https://events.example.org/r/PERSONAL",
                            event_link="https://events.example.org/e", extra=EXTRAS.get(kind, {}))
        return render(registration.event, default_text(kind), values), default_text(kind)


def test_every_automatic_email_has_a_korean_subject_and_body_with_her_details(app, make_event, register):
    minjun = _registered_minjun(make_event, register)

    for kind, email_kind in KINDS.items():
        korean, korean_text = _email(minjun, kind, "ko")
        english, english_text = _email(minjun, kind, "en")

        assert korean.subject != english.subject and HANGUL.search(korean.subject), kind
        assert korean.text != english.text and HANGUL.search(korean.text), kind
        assert minjun.event.title in korean.subject, kind
        # Every placeholder the Korean uses is one the kind knows, and none is left unfilled.
        allowed = {*email_kind.own, *values_for(minjun, kind, link="", event_link="")}
        assert set(used_placeholders(korean_text.subject + korean_text.body)) <= allowed, kind
        assert "{" not in korean.subject + korean.text, kind
        # What the kind's own placeholders say, and what must stay, stays in the Korean too.
        english_own = set(used_placeholders(english_text.body)) & {*email_kind.own, *email_kind.required}
        assert english_own <= set(used_placeholders(korean_text.body)), kind
        assert "김민준님께" in korean.text or "민준 김님께" in korean.text, kind
        if "{personal_link}" in english_text.body:
            assert "https://events.example.org/r/PERSONAL" in korean.text, kind
            assert minjun.reference in korean.text, kind
        assert "세계과학도시연합(WTA) 사무국 드림" in korean.text, kind
        assert 'lang="ko"' in korean.html and 'lang="en"' in english.html, kind

    with force_locale("en"):
        assert KINDS["registration_confirmed"].subject == "Your place is confirmed: {event_title}"
        assert KINDS["registration_confirmed"].body.startswith("Dear {name},\n\nYour place at {the_event} is confirmed.")
    with force_locale("ko"):
        assert KINDS["registration_confirmed"].subject == "참가 확정 안내: {event_title}"


def test_the_sentences_an_email_is_built_from_are_korean_too(app, make_event, register):
    minjun = _registered_minjun(make_event, register)

    changed, _ = _email(minjun, "event_changed", "ko")
    cancelled, _ = _email(minjun, "registration_cancelled", "ko")

    assert "일정과 장소에 변경 사항이 있어 알려 드립니다." in changed.text
    assert "일시:   2026년 11월 4일~8일" in changed.text and "(변경 전: 미정)" in changed.text
    assert "등록을 취소해 주십시오." in changed.text
    assert f"주최 측에서 {minjun.event.title} 등록을 취소했습니다." in cancelled.text
    assert "the " + minjun.event.title not in cancelled.text


def test_the_mail_worker_delivers_a_korean_email_queued_in_korean(app, make_event, register, mailbox,
                                                                  deliver_emails):
    minjun = _registered_minjun(make_event, register)
    mailbox.messages.clear()

    with force_locale("ko"):  # as the core engineer's queue does with registration.language
        notifications.queue(db.session, minjun, "registration_confirmed")
    db.session.commit()
    deliver_emails()

    [message] = [m for m in mailbox.to("minjun.kim@example.kr") if "참가 확정 안내" in m["Subject"]]
    assert message["Subject"].strip() == f"참가 확정 안내: {minjun.event.title}"
    body = text_of(message)
    assert body.startswith(("김민준님께", "민준 김님께"))
    assert f"{minjun.event.title} 참가가 확정되었습니다." in body
    assert f"등록 번호:  {minjun.reference}" in body and "세계과학도시연합(WTA) 사무국 드림" in body


# --- documents ---------------------------------------------------------------------------------

def _preview(client, event, kind: str, language: str) -> str:
    url = f"/admin/events/{event.id}/documents/preview/{kind}.pdf" + ("?layout=a6" if kind == "badge" else "")
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    if language == "ko":  # Hangul drawn with a font that has it, not boxes
        assert any("Noto-Sans-CJK" in name for name in fonts_of(response.data)), fonts_of(response.data)
    return pdf_text(response.data)


def fonts_of(content: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        names |= {str(font.get_object()["/BaseFont"]) for font in fonts.get_object().values()}
    return names


def test_the_visa_letter_badge_and_certificate_come_out_in_korean(make_event, make_user, auth, client):
    event = make_event(title="9th Daejeon Global Innovation Forum 2026")
    make_user()
    auth.login()

    letter = _preview(client, event, "letter", "ko")
    certificate = _preview(client, event, "certificate", "ko")
    badge = _preview(client, event, "badge", "ko")

    assert "초청장: 9th Daejeon Global Innovation Forum 2026" in letter
    assert "대한민국 대사관 또는 영사관 귀중" in letter and "여권 번호" in letter and "생년월일" in letter
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일, 대전", letter)
    assert "참가 확인서" in certificate and "출석하였음을 증명합니다" in certificate and "사무총장" in certificate
    assert "확인 코드:" in certificate
    assert "9th Daejeon Global Innovation Forum 2026" in badge
    for text in (letter, certificate):
        assert "Letter of invitation" not in text and "Certificate of Attendance" not in text


def test_the_documents_stay_english_for_everyone_else(make_event, make_user, auth, client):
    event = make_event(title="9th Daejeon Global Innovation Forum 2026")
    make_user()
    auth.login()

    letter = _preview(client, event, "letter", "en")
    certificate = _preview(client, event, "certificate", "en")

    assert "Letter of invitation: 9th Daejeon Global Innovation Forum 2026" in letter
    assert "To the Embassy or Consulate of the Republic of Korea" in letter
    assert re.search(r"Daejeon, \d{1,2} [A-Z][a-z]+ \d{4}", letter)
    assert "Certificate of Attendance" in certificate and "This is to certify that" in certificate
    assert not HANGUL.search(letter + certificate)


# --- the participation report (issue 15: in English and in Korean) ---------------------------------

def test_the_organiser_downloads_the_participation_report_in_korean(make_event, make_user, auth, client):
    event, _ = known_workshop(make_event)
    make_user()
    auth.login()
    page = client.get(f"/admin/events/{event.id}/statistics").get_data(as_text=True)
    assert f"/admin/events/{event.id}/statistics/participation-report.pdf?lang=ko" in page

    korean = pdf_text(client.get(f"/admin/events/{event.id}/statistics/participation-report.pdf?lang=ko").data)
    english = pdf_text(client.get(f"/admin/events/{event.id}/statistics/participation-report.pdf?lang=en").data)

    assert "참가 보고서" in korean and event.title in korean
    assert "지역별 참가자(UN M49)" in korean and "아시아 3 50 %" in korean
    assert "고소득 4 67 %" in korean and "국가·기관별 참가자 명단" in korean
    assert "Lagos Tech" in korean  # people's data stays as written
    assert "Participation report" in english and "Asia 3 50 %" in english and not HANGUL.search(
        english.replace(event.title, ""))

    book = load_workbook(io.BytesIO(
        client.get(f"/admin/events/{event.id}/statistics/participation-report.xlsx?lang=ko").data))
    summary = {row[0]: row[1] for row in book["요약"].iter_rows(min_row=2, values_only=True)}
    assert summary["참가자 (자리 확정)"] == 6 and summary["국가 수"] == 3
    participants = list(book["참가자"].iter_rows(values_only=True))
    assert participants[0][:3] == ("국가", "대륙 (UN M49)", "소득 수준 (세계은행)")
    assert participants[1][1:3] == ("유럽", "고소득")


def test_an_organiser_reading_korean_pages_edits_the_english_default_texts(make_event, make_user, auth, client):
    """What the editor saves is the text sent in English: its default is shown in English whatever the page's
    language, so saving it unchanged never sends Korean to English-speaking participants."""
    event = make_event()
    make_user()
    auth.login()

    page = client.get(f"/admin/events/{event.id}/email-texts/registration_confirmed",
                      headers={"Accept-Language": "ko"}).get_data(as_text=True)

    assert "Your place is confirmed: {event_title}" in page
    assert "Dear {name}," in page and "참가 확정 안내: {event_title}" not in page


def test_the_document_wording_form_shows_the_english_defaults_on_korean_pages(make_event, make_user, auth, client):
    event = make_event()
    make_user()
    auth.login()

    page = client.get(f"/admin/events/{event.id}/documents/wording",
                      headers={"Accept-Language": "ko"}).get_data(as_text=True)

    assert "To the Embassy or Consulate of the Republic of Korea" in page
    assert "대한민국 대사관 또는 영사관 귀중" not in page
