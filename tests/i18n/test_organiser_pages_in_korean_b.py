"""A Korean organiser of the Daejeon forum switches the organiser pages to 한국어 (part B: programme, form
questions, a registration, the team, statistics, messages, series) and reads them in Korean, with no English
left in the interface; the people's own data and the event's content stay as they were typed."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ChoiceStatus, ProgrammeSession, Registration, Series
from tests.integration.organiser_support import add_registrations, post_form
from tests.integration.programme_support import FORUM_DATES, add_session, choose, session_form


@pytest.fixture
def organiser(make_user, auth):
    user = make_user(name="김지은")
    auth.login()
    return user


@pytest.fixture
def forum(make_event):
    return make_event(title="Daejeon Global Innovation Forum 2030", slug="dgif-2030", code="DGIF30", kind="forum",
                      venue="Daejeon Convention Center", **FORUM_DATES)


@pytest.fixture
def korean(client):
    """The organiser chose 한국어 in the language switcher (kept in the lang cookie)."""
    client.set_cookie("lang", "ko")
    return client


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def visible_text(html: str) -> str:
    """What a person reads: the page without its tags, scripts and attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def reads_in_korean(html: str, korean: list[str], english: list[str]) -> None:
    text = visible_text(html)
    for phrase in korean:
        assert phrase in html, f"missing Korean: {phrase}"
    for phrase in english:
        assert phrase not in text, f"English left on the page: {phrase}"


def test_the_programme_and_a_session_read_in_korean_and_the_session_titles_stay_as_typed(organiser, forum, korean):
    plenary = add_session(forum, title="Plenary 1: Science cities", seat_limit=2)
    people = add_registrations(forum, 3)
    choose(people[:2], plenary)
    choose(people[2:], plenary, status=ChoiceStatus.WAITLISTED)

    programme = page_text(korean.get(f"/admin/events/{forum.id}/programme"))
    reads_in_korean(programme, ["<title>프로그램 ·", "세션 추가", "배정 좌석", "마감", "시각은 행사장 현지 기준입니다"],
                    ["Add a session", "Seats taken", "Times are on the clock", "Remove"])
    assert "Plenary 1: Science cities" in programme  # the organisers' own words are not translated

    session_page = page_text(korean.get(f"/admin/events/{forum.id}/programme/{plenary.id}"))
    reads_in_korean(session_page, ["좌석 배정(2)", "대기자 명단(1)", "순번", "이름 및 이메일", "2석 중 2석 배정"],
                    ["Waiting list (", "Seats (", "Name and email", "Email the waiting list", "Download CSV"])


def test_a_korean_message_sits_next_to_the_session_field_it_is_about(organiser, forum, korean):
    no_title = post_form(korean, f"/admin/events/{forum.id}/programme/new", session_form(title=""))
    html = no_title.get_data(as_text=True)
    assert no_title.status_code == 422
    title_error = re.search(r'<p class="error" id="title-error">([^<]*)</p>', html)
    assert title_error and title_error.group(1) == "세션 제목을 입력해 주십시오."
    reads_in_korean(html, ["새 세션", "일시 및 장소", "프로그램에 추가"],
                    ["Please give the session a title.", "New session", "When and where", "Add to the programme"])

    # The programme's own rule (the service, not the form) answers in Korean too, next to its field.
    backwards = post_form(korean, f"/admin/events/{forum.id}/programme/new", session_form(ends="09:00"))
    ends_error = re.search(r'<p class="error" id="ends-error">([^<]*)</p>', backwards.get_data(as_text=True))
    assert ends_error and ends_error.group(1) == "세션 종료 시각은 시작 시각보다 늦어야 합니다(같은 날)."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeSession)) == 0


def test_form_questions_read_in_korean(organiser, forum, korean):
    empty = page_text(korean.get(f"/admin/events/{forum.id}/questions"))
    reads_in_korean(empty, ["신청서 질문", "질문 추가", "이 신청서에는 기본 항목만 있습니다."],
                    ["Add a question", "This form has only the standard fields"])
    new = page_text(korean.get(f"/admin/events/{forum.id}/questions/new"))
    reads_in_korean(new, ["답변 유형", "필수 응답", "한 줄에 선택지 하나씩 입력합니다.", "질문 추가"],
                    ["Type of answer", "An answer is required", "One choice per line.", "Add the question"])


def test_a_registration_reads_in_korean_with_the_persons_details_as_typed(organiser, forum, korean, register, client):
    client.delete_cookie("lang")
    register(forum, given_name="민준", family_name="김", email="minjun.kim@example.kr", organisation="대덕연구개발특구")
    registration = db.session.scalar(sa.select(Registration))
    korean.set_cookie("lang", "ko")
    html = page_text(korean.get(f"/admin/events/{forum.id}/attendees/{registration.id}"))
    reads_in_korean(html, ["기관 유형", "식이 요청 사항", "출석 및 문서", "명찰 표시 역할", "이 등록자에게 보낸 이메일"],
                    ["Type of organisation", "Dietary needs", "Attendance and documents", "Role on the badge",
                     "Emails to this registration", "None given", "Not requested"])
    assert "대덕연구개발특구" in html and "minjun.kim@example.kr" in html


def test_the_team_page_reads_in_korean(organiser, forum, korean):
    html = page_text(korean.get(f"/admin/events/{forum.id}/team"))
    reads_in_korean(html, ["<title>팀 ·", "팀원 추가", "팀에 추가", "역할 안내",
                           "계정이 없는 사람에게는 계정을 만들도록 초대 메일이 발송됩니다."],
                    ["Add someone", "Add to the team", "The roles", "Nobody is on this team yet"])
    refused = post_form(korean, f"/admin/events/{forum.id}/team", {"email": "", "role": ""})
    assert "이메일 주소를 입력해 주십시오." in refused.get_data(as_text=True)


def test_the_statistics_page_reads_in_korean_chart_titles_included(organiser, forum, korean):
    add_registrations(forum, 4)
    html = page_text(korean.get(f"/admin/events/{forum.id}/statistics"))
    reads_in_korean(html, ["<title>통계 ·", "등록 기간", "국가별 참가자", "지역별 참가자(UN M49)", "참가 보고서(PDF)",
                           "상태별 등록"],
                    ["Registration window", "Participants by country", "Participation report",
                     "Registrations by status", "The figures", "Nothing to count yet"])


def test_messages_read_in_korean(organiser, forum, korean):
    add_registrations(forum, 2)
    listing = page_text(korean.get(f"/admin/events/{forum.id}/messages"))
    reads_in_korean(listing, ["확정된 모든 참가자에게 이메일 보내기", "새 알림 메일", "아직 메시지가 없습니다."],
                    ["Email everyone confirmed", "New reminder", "No messages yet."])
    compose = page_text(korean.get(f"/admin/events/{forum.id}/messages/new?status=confirmed"))
    reads_in_korean(compose, ["새 메시지", "현재 <strong>2</strong>명", "참가자 목록: 상태", "임시 저장", "지금 발송…"],
                    ["A new message", "people now", "Attendee list", "Save as draft", "Send now"])
    refused = post_form(korean, f"/admin/events/{forum.id}/messages/new?status=confirmed",
                        {"subject": "", "body": "", "audience": '{"source": "attendees", "status": "confirmed"}',
                         "do": "draft"})
    assert "제목을 입력해 주십시오." in refused.get_data(as_text=True)
    reminder = page_text(korean.get(f"/admin/events/{forum.id}/reminders/new"))
    reads_in_korean(reminder, ["새 알림 메일", "참가 확정자 전원", "저장 후 사용"],
                    ["Everyone with a place", "Save and switch on", "Before or after"])


def test_series_pages_read_in_korean(organiser, korean):
    listing = page_text(korean.get("/admin/series"))
    reads_in_korean(listing, ["<title>시리즈", "새 시리즈", "아직 시리즈가 없습니다."], ["New series", "No series yet"])
    form = {"name": "Daejeon Global Innovation Forum", "code": "DGIF", "slug": "", "kind": "forum",
            "first_year": "2014", "interval_years": "2", "year_parity": "even", "usual_month": "10",
            "description": "Held every even year in Daejeon since 2014."}
    refused = post_form(korean, "/admin/series/new", {**form, "first_year": "1900"})
    assert refused.status_code == 422
    assert "1950년부터 2100년 사이로 입력해 주십시오." in refused.get_data(as_text=True)
    created = post_form(korean, "/admin/series/new", form, follow_redirects=True)
    html = page_text(created)
    reads_in_korean(html, ["시리즈를 만들었습니다", "개최 규칙", "기존 행사를 회차로 추가", "회차로 추가"],
                    ["is created", "Add as edition", "Edition titles", "Next due"])
    series = db.session.scalar(sa.select(Series))
    assert series is not None and series.name in html


def test_without_a_language_choice_the_pages_stay_english(organiser, forum, client):
    programme = page_text(client.get(f"/admin/events/{forum.id}/programme"))
    assert "Add a session" in programme and "세션 추가" not in programme
