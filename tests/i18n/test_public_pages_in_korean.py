"""A visitor whose browser asks for Korean reads the public, participant, sign-in and error pages in Korean:
every word of the app's own, while people's data and the organisers' event content stay as they were typed.
(English stays the default: every other test sends no Accept-Language.)"""

from __future__ import annotations

import re
from html import unescape

import pytest

from app.models import RegistrationMode
from tests.conftest import csrf_token, link_in, registration_form
from tests.integration.test_limits import limited  # noqa: F401 (a fixture: a client with the limits on)

KOREAN = {"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}


def text_of(response) -> str:
    """What a person reads: the page without its tags (and without the long lists of a <select>)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"(?s)<(script|select)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def assert_korean(response, korean: list[str], english: list[str]) -> None:
    page = text_of(response)
    for phrase in korean:
        assert phrase in page, phrase
    for phrase in english:
        assert phrase not in page, phrase


# The frame of every page: the skip link, the footer.
FRAME_KO = ["본문 바로가기", "개인정보 처리방침", "이미 등록하셨나요? 개인 링크를 잃어버리셨나요?"]
FRAME_EN = ["Skip to content", "Privacy notice", "Lost your personal link?"]


@pytest.mark.parametrize("path, korean, english", [
    ("/", ["예정된 행사", "연수 워크숍", "이노베이션 포럼", "지난 행사 보기"],
     ["Upcoming events", "Training workshops", "Innovation forum", "See past events"]),
    ("/past", ["지난 행사"], ["Past events", "No past events yet."]),
    ("/lost-link", ["개인 링크를 잃어버리셨나요?", "이메일 주소", "링크를 이메일로 받기"],
     ["Your email address", "Email me my link", "It works after registration has closed too."]),
    ("/verify", ["초청장·참가 확인서 진위 확인", "확인 코드"], ["Verify a letter or certificate", "Verification code", "Check"]),
    ("/login", ["주최자 로그인", "비밀번호", "이 기기에서 로그인 상태 유지", "비밀번호를 잊으셨나요?"],
     ["Organiser sign-in", "Password", "Keep me signed in", "Forgot your password?"]),
    ("/forgot-password", ["비밀번호를 잊으셨나요?", "링크를 이메일로 받기", "로그인으로 돌아가기"],
     ["Forgot your password?", "Email me a link", "Back to sign-in"]),
    ("/no-such-page", ["페이지를 찾을 수 없습니다", "요청하신 페이지가 없습니다", "행사 목록으로 가기"],
     ["Page not found", "does not exist", "Go to the list of events"]),
])
def test_a_korean_visitor_reads_the_public_pages_in_korean(client, path, korean, english):
    response = client.get(path, headers=KOREAN)

    assert_korean(response, korean + FRAME_KO, english + FRAME_EN)


def test_the_event_page_and_its_form_speak_korean_around_the_organisers_content(client, make_event):
    event = make_event(title="International Training Workshop on Science City Governance")

    page = client.get(f"/events/{event.slug}", headers=KOREAN)

    assert page.status_code == 200
    assert_korean(page, [
        "일시", "장소", "문의", "내 캘린더에 추가(.ics)", "본인 정보", "호칭", "이름", "성", "여권에 적힌 대로 입력해 주십시오.",
        "소속 기관", "기관 유형", "소속 기관 국가", "전화번호(선택)", "요청 사항", "비자 초청장이 필요합니다",
        "행사 운영을 위해 주최 측이 제 개인정보를 처리하는 데 동의합니다.", "등록하기",
    ], [
        "About you", "Given name(s)", "Family name", "Your organisation", "Type of organisation", "Your needs",
        "I need a visa invitation letter", "Add to my calendar", "Register",
    ])
    assert "International Training Workshop on Science City Governance" in text_of(page)  # the organisers' words
    html = page.get_data(as_text=True)
    assert ">국가를 선택해 주십시오…</option>" in html and ">선택해 주십시오…</option>" in html

    english = client.get(f"/events/{event.slug}")  # the same page, kept rendered, still English for others
    assert "About you" in text_of(english) and "본인 정보" not in text_of(english)
    assert ">Choose a country…</option>" in english.get_data(as_text=True)


def test_a_korean_registration_shows_korean_messages_next_to_the_fields(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.slug}", headers=KOREAN)

    sent = client.post(f"/events/{event.slug}", headers=KOREAN, data={
        **registration_form(given_name="", phone="call me", consent=None), "csrf_token": csrf_token(page)})

    assert sent.status_code == 422
    html = sent.get_data(as_text=True)
    assert '<p class="error" id="given_name-error">이름을 입력해 주십시오.</p>' in html
    assert "숫자와 공백으로 입력하시고" in html  # the phone number's rule
    assert '<p class="error" id="consent-error">개인정보 처리에 동의하셔야 등록하실 수 있습니다.</p>' in html
    assert "아래 표시된 3개 항목을 수정해 주십시오." in text_of(sent)
    assert_korean(sent, [], ["Please enter your given name.", "We can only register you with your consent.",
                             "Please correct the"])


def test_registering_in_korean_then_the_personal_link_in_korean(client, make_event, deliver_emails, mailbox):
    event = make_event()
    page = client.get(f"/events/{event.slug}", headers=KOREAN)

    done = client.post(f"/events/{event.slug}", headers=KOREAN, follow_redirects=True,
                       data={**registration_form(), "csrf_token": csrf_token(page)})

    assert_korean(done, ["등록이 완료되었습니다", "참가가 확정되었습니다.", "등록 번호:", "행사 페이지로 돌아가기"],
                  ["You are registered", "Your reference", "Back to the event"])
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[0])

    personal = client.get(link, headers=KOREAN)
    assert_korean(personal, [
        "나의 등록", "상태", "등록 번호", "이름", "Dr Amina Diallo", "내 정보 수정", "주최 측에 정정 요청하기",
        "캘린더에 추가", "등록 취소", "나의 개인정보", "보관 중인 나의 정보 전체 보기",
        "이 링크는 다른 사람과 공유하지 마십시오. 링크를 가진 사람은 누구나 이 등록 내용을 보고 취소할 수 있습니다.",
    ], ["Your registration", "Correct my details", "Cancel my registration", "Keep this link private"])

    my_data = client.get(link + "/my-data", headers=KOREAN)
    assert_korean(my_data, ["보관 중인 나의 정보 전체", "이름", "이메일 주소", "비자 초청장 필요", "아니요"],
                  ["Everything we hold about you", "Given name", "Needs a visa letter", "False"])

    details = client.get(link + "/details", headers=KOREAN)
    assert_korean(details, ["정보 수정", "본인 정보", "소속 기관", "정보 저장", "저장하지 않고 돌아가기"],
                  ["Correct your details", "About you", "Save my details"])

    confirm = client.get(link + "/cancel", headers=KOREAN)
    assert_korean(confirm, ["등록을 취소하시겠습니까?", "네, 등록을 취소합니다", "아니요, 유지합니다"],
                  ["Cancel your registration?", "Yes, cancel my registration"])
    cancelled = client.post(link + "/cancel", headers=KOREAN, follow_redirects=True,
                            data={"csrf_token": csrf_token(confirm)})
    assert_korean(cancelled, ["등록이 취소되었습니다. 확인 이메일을 보내 드렸습니다.", "이 등록은 취소되었습니다."],
                  ["Your registration is cancelled", "This registration is cancelled"])


def test_a_full_event_tells_a_korean_visitor_about_the_waiting_list(client, make_event, register):
    event = make_event(capacity=1)
    register(event)

    page = client.get(f"/events/{event.slug}", headers=KOREAN)

    assert_korean(page, ["정원 마감 · 대기자 접수 중", "정원이 모두 찼습니다.", "대기자 명단에 등록"],
                  ["Full · waiting list open", "All places are taken.", "Join the waiting list"])


def test_asking_for_a_lost_link_in_korean(client, make_event):
    event = make_event()
    page = client.get(f"/lost-link?event={event.slug}", headers=KOREAN)

    wrong = client.post(f"/lost-link?event={event.slug}", headers=KOREAN,
                        data={"email": "", "csrf_token": csrf_token(page)})
    assert wrong.status_code == 422
    assert_korean(wrong, ["등록하실 때 쓰신 이메일 주소를 입력해 주십시오."], ["Please give the email address"])

    sent = client.post(f"/lost-link?event={event.slug}", headers=KOREAN,
                       data={"email": "amina.diallo@example.org", "csrf_token": csrf_token(page)})
    assert_korean(sent, ["이메일을 확인해 주십시오", "링크는 10분에 한 번까지만 보내 드립니다.", "행사 페이지로 돌아가기"],
                  ["Check your email", "at most once every 10 minutes", "Back to the event"])


def test_a_wrong_password_is_refused_in_korean(client, make_user):
    make_user()
    page = client.get("/login", headers=KOREAN)

    refused = client.post("/login", headers=KOREAN, data={
        "email": "organiser@wtanet.org", "password": "wrong", "csrf_token": csrf_token(page)})

    assert_korean(refused, ["이메일 또는 비밀번호가 올바르지 않습니다."], ["The email or password is not right."])


def test_too_many_attempts_is_explained_in_korean(make_event, limited):  # noqa: F811
    client = limited(LOST_LINK_RATE_LIMIT="1 per minute")
    page = client.get("/lost-link", headers=KOREAN)
    token = csrf_token(page)
    client.post("/lost-link", headers=KOREAN, data={"email": "kim@example.org", "csrf_token": token})

    refused = client.post("/lost-link", headers=KOREAN, data={"email": "lee@example.org", "csrf_token": token})

    assert refused.status_code == 429
    assert_korean(refused, ["시도 횟수 초과", "아무것도 저장되지 않았습니다", "후에 다시 시도해 주십시오."],
                  ["Too many attempts", "nothing was saved", "Please wait", "seconds", "minute"])


def test_the_currencies_of_travel_support_are_named_in_the_pages_language(client, make_event):
    workshop = make_event(registration_mode=RegistrationMode.APPLICATION)

    korean = client.get(f"/events/{workshop.slug}", headers=KOREAN).get_data(as_text=True)
    english = client.get(f"/events/{workshop.slug}").get_data(as_text=True)

    assert '<option selected value="USD">USD – 미국 달러</option>' in korean
    assert '<option value="KRW">KRW – 대한민국 원</option>' in korean and "US Dollar" not in korean
    assert '<option selected value="USD">USD – US Dollar</option>' in english and "미국 달러" not in english
