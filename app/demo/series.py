"""Demo series: the forum every even year since 2014 with all its editions, the international training
workshop every year since 2005 (one numbering, a theme per edition), and a programme of sessions for the
forum open now."""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.database import Session
from app.demo import events as demo_events
from app.demo.events import FIRST_FORUM_YEAR, SEOUL, _at
from app.models import (
    ChoiceStatus,
    Event,
    EventKind,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
    Series,
    SessionChoice,
    SessionKind,
    YearParity,
)

THEMES = {
    2014: "Science parks as engines of regional growth",
    2016: "Global innovation networks for science cities",
    2018: "The fourth industrial revolution and science cities",
    2020: "Resilient innovation ecosystems",
    2022: "Science cities after the pandemic",
    2024: "Science cities in the age of AI",
    2026: "Carbon-neutral science cities",
    2028: "Science, technology and the next generation of cities",
}
# The same themes in Korean: the forum's working languages are English and Korean.
THEMES_KO = {
    2014: "지역 성장의 엔진, 과학단지",
    2016: "과학도시를 위한 글로벌 혁신 네트워크",
    2018: "4차 산업혁명과 과학도시",
    2020: "회복력 있는 혁신 생태계",
    2022: "팬데믹 이후의 과학도시",
    2024: "AI 시대의 과학도시",
    2026: "탄소중립 과학도시",
    2028: "과학기술과 차세대 도시",
}


def older_forum_editions(past_forum: Event) -> list[Event]:
    """The forum's editions before the last one, from the first (2014)."""
    return [demo_events._forum(year) for year in range(FIRST_FORUM_YEAR, past_forum.starts_at.year, 2)]


def add_series(session: Session, *, forums: list[Event], itw: Event, registrations: list[Registration]) -> None:
    forum_series = Series(
        name="Daejeon Global Innovation Forum", slug="daejeon-global-innovation-forum", code="DGIF",
        kind=EventKind.FORUM, first_year=FIRST_FORUM_YEAR, interval_years=2, year_parity=YearParity.EVEN,
        usual_month=10,
        description="WTA, UNESCO and Daejeon Metropolitan City bring together about 1,000 leaders of science "
                    "cities, science parks and innovation agencies every even year since 2014.",
        name_ko="대전 글로벌 이노베이션 포럼",
        description_ko="세계과학도시연합(WTA), 유네스코, 대전광역시가 2014년부터 짝수 해마다 과학도시, 과학단지, "
                       "혁신 기관의 리더 약 1,000명을 한자리에 모읍니다.",
    )
    # One numbering for every international workshop, whose theme changes from year to year.
    workshop_series = Series(
        name="International Training Workshop", slug="international-training-workshop",
        code="ITW", kind=EventKind.INTERNATIONAL_WORKSHOP, first_year=2005, interval_years=1,
        title_pattern="{ordinal} International Training Workshop on {theme}",
        description="A week in Daejeon for managers of science parks and business incubators from developing "
                    "countries, run by WTA with UNESCO since 2005, on a new theme each year.",
    )
    session.add_all([forum_series, workshop_series])
    for event in forums:
        year = event.local(event.starts_at).year
        event.series, event.series_year, event.own_title = forum_series, year, THEMES.get(year, "")
        event.title_ko = THEMES_KO.get(year, "")
    itw_year = itw.local(itw.starts_at).year
    itw.series, itw.series_year, itw.own_title = workshop_series, itw_year, "Science City Governance"
    upcoming = max(forums, key=lambda e: e.starts_at)
    _programme(session, upcoming, [r for r in registrations if r.event is upcoming], random.Random(4))
    session.flush()


def _programme(session: Session, forum: Event, registrations: list[Registration], rng: random.Random) -> None:
    """Two days: ceremony and plenary for everyone, three parallel sessions (one full, one nearly),
    the training programme and a site visit with few seats."""
    day1 = forum.local(forum.starts_at).date()
    day2 = day1 + timedelta(days=1)

    def session_at(day: date, start: tuple[int, int], end: tuple[int, int], **fields) -> ProgrammeSession:
        return ProgrammeSession(
            starts_at=_at(day, start[0], SEOUL) + timedelta(minutes=start[1]),
            ends_at=_at(day, end[0], SEOUL) + timedelta(minutes=end[1]), **fields)

    sessions = [
        session_at(day1, (9, 30), (10, 30), kind=SessionKind.CEREMONY, title="Opening ceremony", room="Grand Hall",
                   title_ko="개회식", room_ko="그랜드홀"),
        session_at(day1, (10, 45), (12, 30), kind=SessionKind.PLENARY, title="Plenary: science cities and AI",
                   room="Grand Hall", title_ko="전체 세션: 과학도시와 AI", room_ko="그랜드홀"),
        session_at(day1, (14, 0), (16, 0), kind=SessionKind.PARALLEL, seat_limit=120, room="Room 101",
                   title="Parallel A: governance of science parks",
                   title_ko="분과 세션 A: 과학단지 거버넌스", room_ko="101호"),
        session_at(day1, (14, 0), (16, 0), kind=SessionKind.PARALLEL, seat_limit=60, room="Room 102",
                   title="Parallel B: financing start-ups and spin-offs",
                   title_ko="분과 세션 B: 스타트업·스핀오프 투자", room_ko="102호"),
        session_at(day1, (14, 0), (16, 0), kind=SessionKind.PARALLEL, seat_limit=30, room="Room 103",
                   title="Parallel C: technology transfer offices",
                   title_ko="분과 세션 C: 기술이전 전담 조직", room_ko="103호"),
        session_at(day2, (9, 30), (12, 30), kind=SessionKind.TRAINING, seat_limit=50, room="Room 201",
                   title="Training programme: running a business incubator",
                   title_ko="연수 프로그램: 창업보육센터 운영", room_ko="201호"),
        session_at(day2, (14, 0), (17, 30), kind=SessionKind.SITE_VISIT, seat_limit=35, room="Bus from DCC gate 2",
                   title="Site visit: Daedeok Innopolis and KAIST",
                   title_ko="현장 방문: 대덕연구개발특구와 KAIST", room_ko="DCC 2번 게이트 앞 버스 승차"),
        session_at(day2, (18, 0), (20, 0), kind=SessionKind.SOCIAL, title="Closing dinner", room="Grand Hall",
                   title_ko="폐회 만찬", room_ko="그랜드홀"),
    ]
    forum.programme.extend(sessions)
    session.flush()
    taken = {s.id: 0 for s in sessions}
    ordered = sorted((r for r in registrations if r.status is not RegistrationStatus.CANCELLED),
                     key=lambda r: r.created_at)
    parallels = sessions[2:5]
    for registration in ordered:
        holds_place = registration.status is RegistrationStatus.CONFIRMED
        wanted = [sessions[0], sessions[1], rng.choices(parallels, weights=(2, 3, 4))[0]]
        if rng.random() < 0.3:
            wanted.append(sessions[5])
        if rng.random() < 0.25:
            wanted.append(sessions[6])
        if rng.random() < 0.6:
            wanted.append(sessions[7])
        for chosen in wanted:
            seat = holds_place and (chosen.seat_limit is None or taken[chosen.id] < chosen.seat_limit)
            taken[chosen.id] += seat
            session.add(SessionChoice(
                registration=registration, session=chosen, chosen_at=registration.created_at,
                status=ChoiceStatus.CONFIRMED if seat else ChoiceStatus.WAITLISTED,
                confirmed_at=registration.confirmed_at if seat else None,
            ))
