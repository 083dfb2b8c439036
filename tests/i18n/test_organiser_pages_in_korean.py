"""An organiser who chose 한국어 reads the organiser pages in Korean (part A: dashboard, attendee list, an
application's review page, check-in, documents, the email log, the event form's messages); without a choice
the same pages stay English."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.i18n import compile_catalogs
from app.models import RegistrationMode, RegistrationStatus, utcnow
from tests.conftest import csrf_token
from tests.integration.applications_support import add_applications
from tests.integration.organiser_support import add_registrations, edit_form, event_form, post_form


@pytest.fixture(autouse=True, scope="module")
def catalogs():
    compile_catalogs()


@pytest.fixture
def organiser(make_user, auth):
    user = make_user(name="Ji-woo Park")
    auth.login()
    return user


@pytest.fixture
def in_korean(client, organiser):
    """The organiser picked 한국어 on the switcher: the choice lives in the `lang` cookie."""
    client.set_cookie("lang", "ko")
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def reads_korean(html: str, korean: list[str], english: list[str]) -> None:
    for text in korean:
        assert text in html, text
    for text in english:
        assert text not in html, text


def test_the_dashboard_speaks_korean_once_chosen_and_english_by_default(client, organiser, make_event):
    event = make_event(title="Daejeon Global Innovation Forum 2030")
    english = page(client, "/admin/")
    assert "Dashboard" in english and "Places taken" in english

    client.set_cookie("lang", "ko")
    korean = page(client, "/admin/")

    reads_korean(korean, ["<h1>대시보드</h1>", "새 행사", "배정된 자리", "내 역할", "공개 페이지"],
                 ["<h1>Dashboard</h1>", "New event", "Places taken", "Your role", "Public page"])
    assert event.title in korean  # what the organisers typed stays as they wrote it


def test_the_attendee_list_in_korean(in_korean, make_event):
    event = make_event()
    add_registrations(event, 2)

    html = page(in_korean, f"/admin/events/{event.id}/attendees")

    reads_korean(html, ["행사 편집", "등록 번호 접두어", "이름 및 이메일", "CSV 다운로드", "이 사람들에게 이메일 보내기",
                        "전체 2건 중 1–2", 'aria-label="이 행사"'],
                 ["Edit event", "Name and email", "Download CSV", "Email these people", "Showing 1–2 of 2",
                  "Reference prefix"])


def test_an_application_review_page_in_korean(in_korean, make_event):
    workshop = make_event(registration_mode=RegistrationMode.APPLICATION, capacity=2)
    [applicant] = add_applications(workshop, 1, given_name="Amina", family_name="Diallo")

    html = page(in_korean, f"/admin/events/{workshop.id}/applications/{applicant.id}")

    reads_korean(html, ["내 평가", "내 평가 저장", "아직 이 신청서를 평가한 사람이 없습니다.", "평균 점수", "전체 신청서",
                        "1(미흡) ~ 5(우수)", "정원 2명 중 <strong>0</strong>명 선정"],
                 ["Save my review", "Nobody has reviewed this application yet.", "Average score", "All applications",
                  "accepted of 2 places"])


def test_check_in_in_korean_from_the_page_to_the_scan_result(in_korean, make_event):
    now = utcnow()
    event = make_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=2),
                       registration_opens_at=now - timedelta(days=20), registration_closes_at=now - timedelta(hours=2))
    [person] = add_registrations(event, 1, given_name="Amina", family_name="Diallo")
    url = f"/admin/events/{event.id}/check-in"

    html = page(in_korean, url)
    reads_korean(html, ["카메라로 스캔", "명찰의 QR 코드를 스캔하거나", "오늘 출석 확인:", "일자별 출석 현황"],
                 ["Scan with camera", "Scan the QR on the badge", "Checked in today:", "Attendance per day"])

    scanned = in_korean.post(url, data={"code": person.reference, "csrf_token": csrf_token(in_korean.get(url))})
    result = scanned.get_data(as_text=True)
    assert "출석 확인" in result and "이 출석 확인 취소" in result
    assert "Undo this check-in" not in result

    again = in_korean.post(url, data={"code": person.reference, "csrf_token": csrf_token(in_korean.get(url))})
    assert "에 이미 출석 확인됨" in again.get_data(as_text=True)  # "Already checked in at 10:03"

    [waiting] = add_registrations(event, 1, status=RegistrationStatus.WAITLISTED, given_name="Budi", family_name="Santoso")
    refused = in_korean.post(url, data={"code": waiting.reference, "csrf_token": csrf_token(in_korean.get(url))})
    assert "출석 확인 불가: Budi Santoso 님은 대기자 명단에 있으며 확정되지 않았습니다." in refused.get_data(as_text=True)


def test_the_documents_page_in_korean(in_korean, make_event):
    event = make_event()

    html = page(in_korean, f"/admin/events/{event.id}/documents")

    reads_korean(html, ["비자 초청장", "아직 비자 초청장을 요청한 사람이 없습니다.", "명찰 인쇄(PDF)", "참가 확인서",
                        "문구, 서명 및 직인 편집"],
                 ["Visa invitation letters", "Name badges", "Print badges (PDF)", "Certificates of attendance",
                  "Edit the wording, signature and stamp"])


def test_the_email_log_in_korean(in_korean, make_event, register):
    event = make_event()
    in_korean.delete_cookie("lang")
    register(event)  # a participant registers (in English): their confirmation email is queued
    in_korean.set_cookie("lang", "ko")

    html = page(in_korean, f"/admin/events/{event.id}/emails")

    reads_korean(html, ["종류 및 제목", "발송 상태", "다시 보내기", "이 행사 등록자에게 보낸 모든 이메일"],
                 ["Kind and subject", "Send again", "Every email written to the people registered"])


def test_the_event_form_explains_impossible_dates_in_korean(in_korean):
    response = post_form(in_korean, "/admin/events/new", event_form(ends_at="2030-11-02T18:00", summary="Kept as typed"))

    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="ends_at-error">행사 종료가 시작보다 앞설 수 없습니다.' in body
    assert "The event cannot end before it starts." not in body
    assert "Kept as typed" in body
    reads_korean(body, ["새 행사", "초안 만들기", "(행사장 현지 시간)"], ["Create draft", "(on the clock at the venue)"])


def test_the_log_of_changes_in_korean(in_korean, make_event):
    event = make_event()
    edit = in_korean.get(f"/admin/events/{event.id}/edit")
    assert edit.status_code == 200
    post_form(in_korean, f"/admin/events/{event.id}/edit", edit_form(event, capacity="60"))

    html = page(in_korean, f"/admin/events/{event.id}/log")

    reads_korean(html, ["<h1>변경 기록</h1>", "변경한 사람", "<strong>변경</strong>", "행사 설정", "정원:"],
                 ["Log of changes", "<strong>changed</strong>", "Event settings", "Capacity:"])
