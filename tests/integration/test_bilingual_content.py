"""Organisers give their event's words in English and, when they can, in Korean: a visitor reading the site in
Korean reads the Korean, everyone else the English, and where no Korean was given the English shows."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, EmailText, EventKind, ProgrammeSession, Question
from tests.conftest import link_in, start_writing, text_of
from tests.integration.organiser_support import edit_form, post_form
from tests.integration.programme_support import FORUM_DATES, session_form

KOREAN = {"Accept-Language": "ko-KR,ko;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


@pytest.fixture
def forum(make_event):
    return make_event(title="Daejeon Global Innovation Forum 2030", slug="dgif-2030", code="DGIF30",
                      kind=EventKind.FORUM, summary="Two days of plenary and parallel sessions.",
                      venue="Daejeon Convention Center", registration_closes_at=FORUM_DATES["starts_at"],
                      **FORUM_DATES)


def page(client, url: str, headers: dict | None = None) -> str:
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def test_organiser_gives_korean_title_and_session_title_and_each_visitor_reads_their_language(
        organiser, forum, client):
    form = client.get(f"/admin/events/{forum.id}/edit").get_data(as_text=True)
    assert 'name="title_ko"' in form and "Title (Korean)" in form  # side by side with the English, labelled
    assert 'lang="ko"' in form
    response = post_form(client, f"/admin/events/{forum.id}/edit", edit_form(
        forum, title_ko="대전 글로벌 이노베이션 포럼 2030", summary_ko="전체 세션과 분과 세션이 이틀간 열립니다.",
        venue_ko="대전컨벤션센터"), follow_redirects=True)
    assert response.status_code == 200
    added = post_form(client, f"/admin/events/{forum.id}/programme/new",
                      session_form(title_ko="전체 세션 1: 과학도시와 녹색 전환", room_ko="그랜드 볼룸"),
                      follow_redirects=True)
    assert added.status_code == 200

    korean = page(client, "/events/dgif-2030", KOREAN)
    assert "대전 글로벌 이노베이션 포럼 2030" in korean
    assert "전체 세션과 분과 세션이 이틀간 열립니다." in korean
    assert "대전컨벤션센터" in korean
    assert "전체 세션 1: 과학도시와 녹색 전환" in korean and "그랜드 볼룸" in korean
    assert "Plenary 1: Science cities and the green transition" not in korean

    english = page(client, "/events/dgif-2030", ENGLISH)
    assert "Daejeon Global Innovation Forum 2030" in english
    assert "Plenary 1: Science cities and the green transition" in english
    assert "대전" not in english and "전체 세션" not in english

    # The switcher's cookie says Korean as well as the browser does; the list of events follows too.
    client.set_cookie("lang", "ko")
    assert "전체 세션 1: 과학도시와 녹색 전환" in page(client, "/events/dgif-2030")
    assert "대전 글로벌 이노베이션 포럼 2030" in page(client, "/")
    client.delete_cookie("lang")
    assert "Daejeon Global Innovation Forum 2030" in page(client, "/")

    # The organiser's own pages keep the English beside it.
    db.session.expire_all()
    stored = db.session.scalar(sa.select(ProgrammeSession))
    assert (stored.title, stored.title_ko) == ("Plenary 1: Science cities and the green transition",
                                               "전체 세션 1: 과학도시와 녹색 전환")
    edit_page = page(client, f"/admin/events/{forum.id}/programme/{stored.id}/edit")
    assert 'value="Plenary 1: Science cities and the green transition"' in edit_page
    assert 'value="전체 세션 1: 과학도시와 녹색 전환"' in edit_page


def test_where_no_korean_is_given_a_korean_visitor_reads_the_english(organiser, forum, client):
    post_form(client, f"/admin/events/{forum.id}/edit", edit_form(forum, title_ko="대전 글로벌 이노베이션 포럼 2030"))
    post_form(client, f"/admin/events/{forum.id}/programme/new", session_form())

    korean = page(client, "/events/dgif-2030", KOREAN)
    assert "대전 글로벌 이노베이션 포럼 2030" in korean
    assert "Two days of plenary and parallel sessions." in korean  # no Korean summary: the English
    assert "Daejeon Convention Center" in korean
    assert "Plenary 1: Science cities and the green transition" in korean


def unfolded(calendar: str) -> str:
    """An .ics file with its long lines joined again (RFC 5545 folds them at 75 octets)."""
    return calendar.replace("\r\n ", "")


def test_the_programme_calendar_speaks_the_visitors_language(organiser, forum, client):
    post_form(client, f"/admin/events/{forum.id}/programme/new", session_form(title_ko="전체 세션 1"))
    korean = unfolded(client.get("/events/dgif-2030/programme.ics", headers=KOREAN).get_data(as_text=True))
    english = unfolded(client.get("/events/dgif-2030/programme.ics", headers=ENGLISH).get_data(as_text=True))
    assert "전체 세션 1" in korean
    assert "Plenary 1: Science cities and the green transition" in english and "전체 세션 1" not in english


def test_a_question_and_its_choices_in_korean_keep_the_english_answer(
        organiser, forum, client, register, deliver_emails, mailbox):
    response = post_form(client, f"/admin/events/{forum.id}/questions/new", {
        "kind": "single_choice", "label": "How will you travel to Daejeon?", "label_ko": "대전까지 어떻게 오십니까?",
        "help_text": "", "options": "By train\nBy bus", "options_ko": "기차\n버스", "condition": "",
        "min_value": "", "max_value": "",
    }, follow_redirects=True)
    assert response.status_code == 200
    question = db.session.scalar(sa.select(Question))
    assert question.options == ["By train", "By bus"] and question.options_ko == ["기차", "버스"]

    korean = page(client, "/events/dgif-2030", KOREAN)
    assert "대전까지 어떻게 오십니까?" in korean
    assert 'value="By train"' in korean and "기차" in korean  # a Korean label for the same value
    english = page(client, "/events/dgif-2030", ENGLISH)
    assert "How will you travel to Daejeon?" in english and "기차" not in english

    client.set_cookie("lang", "ko")
    registered = register(forum, **{question.field_name: "By train", "email": "minjun.kim@example.kr",
                                    "given_name": "민준", "family_name": "김", "country": "KR"})
    assert registered.status_code == 200
    assert db.session.scalar(sa.select(Answer.value)) == "By train"  # the same answer whatever the language
    deliver_emails()
    personal = page(client, link_in(mailbox.to("minjun.kim@example.kr")[0]))
    assert "대전까지 어떻게 오십니까?" in personal and "기차" in personal  # her answer, in her language
    client.delete_cookie("lang")
    organiser_view = page(client, f"/admin/events/{forum.id}/attendees")
    assert organiser_view  # the English dashboard lists her as before


def test_korean_choices_must_match_the_english_ones(organiser, forum, client):
    response = post_form(client, f"/admin/events/{forum.id}/questions/new", {
        "kind": "single_choice", "label": "How will you travel?", "options": "By train\nBy bus\nBy car",
        "options_ko": "기차\n버스", "condition": "", "help_text": "", "min_value": "", "max_value": "",
    })
    assert response.status_code == 422
    text = html.unescape(response.get_data(as_text=True))
    assert "Give one Korean choice for each of the 3 English choices" in text
    assert 'id="options_ko-error"' in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0


KOREAN_SUBJECT = "{first_name}님, 등록이 확인되었습니다: {event_title}"
KOREAN_BODY = """{first_name}님께,

{event_title} 등록이 확인되었습니다. 등록 번호는 {reference}입니다.

등록 내용은 다음 링크에서 확인하실 수 있습니다: {personal_link}"""
ENGLISH_SUBJECT = "Welcome, {first_name}: {event_title}"
ENGLISH_BODY = """Dear {first_name},

Your place at {event_title} is confirmed. Your reference is {reference}.

Keep this link: {personal_link}"""


def test_a_korean_registration_receives_the_korean_email_text(
        organiser, forum, client, register, deliver_emails, mailbox):
    editor = f"/admin/events/{forum.id}/email-texts/registration_confirmed"
    shown = page(client, editor)
    assert "Subject (Korean)" in shown and "Text (Korean)" in shown
    post_form(client, f"/admin/events/{forum.id}/edit", edit_form(forum, title_ko="대전 글로벌 이노베이션 포럼 2030"))
    previewed = html.unescape(post_form(client, editor, {
        "subject": ENGLISH_SUBJECT, "body": ENGLISH_BODY, "subject_ko": KOREAN_SUBJECT, "body_ko": KOREAN_BODY,
        "action": "preview"}).get_data(as_text=True))
    assert 'id="preview-subject">Welcome, Nguyễn Thị: Daejeon Global Innovation Forum 2030<' in previewed
    assert 'lang="ko">Nguyễn Thị님, 등록이 확인되었습니다: 대전 글로벌 이노베이션 포럼 2030<' in previewed
    saved = post_form(client, editor, {"subject": ENGLISH_SUBJECT, "body": ENGLISH_BODY, "subject_ko": KOREAN_SUBJECT,
                                       "body_ko": KOREAN_BODY, "action": "save"}, follow_redirects=True)
    assert saved.status_code == 200

    client.set_cookie("lang", "ko")
    register(forum, email="minjun.kim@example.kr", given_name="민준", family_name="김", country="KR")
    client.delete_cookie("lang")
    register(forum, email="amina.diallo@example.org")
    deliver_emails()

    [korean] = mailbox.to("minjun.kim@example.kr")
    # (A Korean subject is folded onto the next line by the mailer's wire format; mail readers unfold it.)
    # {first_name} is the whole name for a name written family name first: 김민준님, not 민준님.
    assert korean["Subject"].strip() == "김민준님, 등록이 확인되었습니다: 대전 글로벌 이노베이션 포럼 2030"
    assert "등록 내용은 다음 링크에서 확인하실 수 있습니다: http://localhost/r/" in text_of(korean)
    [english] = mailbox.to("amina.diallo@example.org")
    assert english["Subject"] == "Welcome, Amina: Daejeon Global Innovation Forum 2030"
    assert "Keep this link: http://localhost/r/" in text_of(english)


@pytest.mark.parametrize(("subject_ko", "body_ko", "field", "message"), [
    (KOREAN_SUBJECT, KOREAN_BODY.replace("{personal_link}", "(링크)"), "body_ko",
     "The Korean leaves out {personal_link}, which the English uses"),
    (KOREAN_SUBJECT, KOREAN_BODY + "\n{dates}", "body_ko", "The Korean uses {dates}, which the English does not"),
    (KOREAN_SUBJECT, KOREAN_BODY.replace("{reference}", "{referance}"), "body_ko", "Unknown placeholder {referance}"),
    ("", KOREAN_BODY, "subject_ko", "Please write the Korean subject too"),
])
def test_a_korean_email_text_needs_the_same_placeholders_as_the_english(
        organiser, forum, client, subject_ko, body_ko, field, message):
    editor = f"/admin/events/{forum.id}/email-texts/registration_confirmed"
    response = post_form(client, editor, {"subject": ENGLISH_SUBJECT, "body": ENGLISH_BODY, "subject_ko": subject_ko,
                                          "body_ko": body_ko, "action": "save"})
    assert response.status_code == 422
    text = html.unescape(response.get_data(as_text=True))
    assert message in text
    assert f'id="{field}-error"' in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EmailText)) == 0


def test_an_edition_title_reads_in_korean_when_its_series_has_a_korean_name(make_event, client):
    from app.models import Series, YearParity

    start_writing()
    series = Series(name="Daejeon Global Innovation Forum", name_ko="대전 글로벌 이노베이션 포럼",
                    slug="dgif", code="DGIF", kind=EventKind.FORUM, first_year=2014, interval_years=2,
                    year_parity=YearParity.EVEN)
    db.session.add(series)
    db.session.commit()
    event = make_event(title="Carbon-neutral science cities", title_ko="탄소중립 과학도시", slug="dgif-2030",
                       kind=EventKind.FORUM, series_id=series.id, series_year=2030, **FORUM_DATES)

    korean = page(client, f"/events/{event.slug}", KOREAN)
    assert "제9회 대전 글로벌 이노베이션 포럼 2030" in korean
    assert "탄소중립 과학도시" in korean  # the theme under the title
    english = page(client, f"/events/{event.slug}", ENGLISH)
    assert "9th Daejeon Global Innovation Forum 2030" in english
    assert "Carbon-neutral science cities" in english


def test_document_wording_in_korean_is_checked_and_used_for_korean_documents(organiser, forum, client):
    from tests.integration.documents_support import pdf_text, save_wording

    refused = save_wording(client, forum, certificate_body_ko="{이름}님은 행사에 참가하였습니다.")
    assert refused.status_code == 422
    text = html.unescape(refused.get_data(as_text=True))
    assert 'id="certificate_body_ko-error"' in text and "Unknown placeholder {이름}" in text

    saved = save_wording(client, forum, badge_heading="Welcome to {event_title}",
                         badge_heading_ko="{event_title}에 오신 것을 환영합니다", signatory_name_ko="이하나 사무총장")
    assert saved.status_code == 200
    badge = f"/admin/events/{forum.id}/documents/preview/badge.pdf?layout=a4"
    assert "Welcome to Daejeon Global Innovation Forum 2030" in pdf_text(client.get(badge).data)
    client.set_cookie("lang", "ko")  # documents are made in the language being spoken
    assert "에 오신 것을 환영합니다" in pdf_text(client.get(badge).data)
    client.delete_cookie("lang")
