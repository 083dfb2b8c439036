"""The demo events: what WTA and UNESCO run in a typical year, dated relative to `now`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.models import Event, EventKind, EventStatus

SEOUL = "Asia/Seoul"
FIRST_FORUM_YEAR = 2014  # the forum is held every even year since


def _at(day: date, hour: int, tz: str) -> datetime:
    return datetime.combine(day, time(hour), ZoneInfo(tz)).astimezone(UTC)


def _local_day(moment: datetime, tz: str, plus_days: int = 0) -> date:
    return (moment + timedelta(days=plus_days)).astimezone(ZoneInfo(tz)).date()


def _next_monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


WORKSHOP_DESCRIPTION = """\
Organised by the UNESCO-WTA Technopolis Development Center (UWTDC) with UNESCO, the Korea International \
Cooperation Agency (KOICA) and Daejeon Metropolitan City, this workshop continues the capacity-building \
programme that WTA and UNESCO began in Daejeon in November 2005.

Who it is for: managers and officers of science and technology parks (STPs), technology business incubators \
(TBIs), universities and government agencies in developing countries who plan, run or fund innovation clusters.

Programme
• Science city governance: the Daedeok Innopolis experience and lessons from WTA member cities
• Planning and financing a science park; attracting research institutes and tenant companies
• Technology business incubation: selecting, coaching and funding start-ups
• University-industry partnerships (UNESCO UNISPAR programme)
• Country case presentations by participants (10 minutes each; please bring slides)
• Site visits to government research institutes, an incubator and technology start-ups in Daejeon

Places are limited and given in the order registrations arrive; when the workshop is full you can join the \
waiting list. Participants who need a visa receive an invitation letter, and everyone who completes the \
programme receives a certificate of attendance.
Working language: English."""

REGIONAL_DESCRIPTION = """\
A regional training workshop by WTA and UNESCO for incubator managers and their partners in Ethiopia, Kenya, \
Rwanda, Tanzania and Uganda, hosted with Kenyan partner institutions.

Programme
• Business models for technology business incubators: services, fees, sponsors
• Financing start-ups: grants, angel networks and early-stage funds in East Africa
• Working with universities and science parks; protecting and licensing technology
• Measuring an incubator's results
• Case presentations by participants and a visit to incubators in Nairobi

Places are limited and given in the order registrations arrive. Participants from outside Kenya who need \
a visa receive an invitation letter. Working language: English."""

NATIONAL_DESCRIPTION = """\
A national training workshop by WTA and UNESCO, with Vietnamese partners, for the managers of Viet Nam's \
hi-tech parks, incubators and provincial departments of science and technology.

Programme
• Governance of a hi-tech park: the Daedeok Innopolis model and what transfers to Viet Nam
• Attracting research-based companies and keeping them growing
• Incubators and university spin-offs
• Group work on the participants' own parks, and a site visit

Working languages: English and Vietnamese, with interpretation."""

FORUM_DESCRIPTION = """\
The Daejeon Global Innovation Forum was started in 2014 by the World Technopolis Association, UNESCO and \
Daejeon Metropolitan City, and is held every even year. Around 1,000 innovation leaders - mayors, science park \
and incubator managers, researchers, entrepreneurs and international organisations - meet for two days in Daejeon.

Programme
• Opening ceremony and keynote speeches
• Plenary sessions on science cities and sustainable development
• Parallel sessions: science and technology parks, technology business incubation, university-industry \
partnerships, start-up ecosystems
• Training programme for innovation leaders from developing countries
• Networking reception hosted by Daejeon Metropolitan City

Working languages: English and Korean, with simultaneous interpretation in the plenary sessions."""

FORUM_DESCRIPTION_KO = """\
대전 글로벌 이노베이션 포럼은 세계과학도시연합(WTA), 유네스코, 대전광역시가 2014년에 시작하여 짝수 해마다 \
열리는 국제 포럼입니다. 시장, 과학단지와 창업보육센터 관계자, 연구자, 기업가, 국제기구 등 혁신 리더 \
약 1,000명이 이틀 동안 대전에 모입니다.

프로그램
• 개회식 및 기조연설
• 과학도시와 지속가능발전에 관한 전체 세션
• 분과 세션: 과학기술단지, 기술창업보육, 산학협력, 스타트업 생태계
• 개발도상국 혁신 리더를 위한 연수 프로그램
• 대전광역시 주최 네트워킹 리셉션

공식 언어: 영어와 한국어(전체 세션은 동시통역 제공)"""


def workshops(now: datetime) -> list[Event]:
    """An international workshop with few places left, a full national one, a regional one not yet open."""
    itw_start = _next_monday(_local_day(now, SEOUL, 70))
    nat_tz, nat_start = "Asia/Ho_Chi_Minh", _next_monday(_local_day(now, "Asia/Ho_Chi_Minh", 40))
    reg_tz, reg_start = "Africa/Nairobi", _next_monday(_local_day(now, "Africa/Nairobi", 150))
    return [
        Event(
            kind=EventKind.INTERNATIONAL_WORKSHOP,
            title=f"International Training Workshop on Science City Governance {itw_start.year}",
            slug=f"itw-science-city-governance-{itw_start.year}",
            code=f"ITW{itw_start.year % 100:02d}",
            summary="Five days in Daejeon for managers of science parks and technology business incubators "
                    "from developing countries: lectures, country case presentations and site visits.",
            description=WORKSHOP_DESCRIPTION,
            venue="WTA Secretariat and Daedeok Innopolis", city="Daejeon", country="KR", timezone=SEOUL,
            starts_at=_at(itw_start, 9, SEOUL), ends_at=_at(itw_start + timedelta(days=4), 18, SEOUL),
            registration_opens_at=_at(_local_day(now, SEOUL, -24), 10, SEOUL),
            registration_closes_at=_at(itw_start - timedelta(days=28), 18, SEOUL),
            capacity=50, contact_email="training@wtanet.org",
        ),
        Event(
            kind=EventKind.NATIONAL_WORKSHOP,
            title=f"National Training Workshop on Hi-Tech Park Development — Viet Nam {nat_start.year}",
            slug=f"national-workshop-viet-nam-{nat_start.year}",
            code=f"NTWVN{nat_start.year % 100:02d}",
            summary="Three days in Hanoi for the managers of Viet Nam's hi-tech parks, incubators and "
                    "provincial departments of science and technology.",
            description=NATIONAL_DESCRIPTION,
            venue="Hoa Lac Hi-Tech Park", city="Hanoi", country="VN", timezone=nat_tz,
            starts_at=_at(nat_start, 9, nat_tz), ends_at=_at(nat_start + timedelta(days=2), 17, nat_tz),
            registration_opens_at=_at(_local_day(now, nat_tz, -30), 9, nat_tz),
            registration_closes_at=_at(nat_start - timedelta(days=10), 18, nat_tz),
            capacity=30, contact_email="training@wtanet.org",
        ),
        Event(
            kind=EventKind.REGIONAL_WORKSHOP,
            title=f"Regional Workshop on Technology Business Incubation — East Africa {reg_start.year}",
            slug=f"regional-workshop-east-africa-{reg_start.year}",
            code=f"RWEA{reg_start.year % 100:02d}",
            summary="Four days in Nairobi for incubator managers from Ethiopia, Kenya, Rwanda, Tanzania and "
                    "Uganda: business models, financing and links with universities and science parks.",
            description=REGIONAL_DESCRIPTION,
            venue="UNESCO Regional Office for Eastern Africa", city="Nairobi", country="KE", timezone=reg_tz,
            starts_at=_at(reg_start, 9, reg_tz), ends_at=_at(reg_start + timedelta(days=3), 17, reg_tz),
            registration_opens_at=_at(_local_day(now, reg_tz, 30), 9, reg_tz),
            registration_closes_at=_at(reg_start - timedelta(days=45), 18, reg_tz),
            capacity=40, contact_email="training@wtanet.org",
        ),
    ]


def _forum(year: int, *, opens_at: datetime | None = None) -> Event:
    """The edition of `year`: Tuesday and Wednesday of the third week of October, in Daejeon."""
    first = date(year, 10, 1)
    tuesday = first + timedelta(days=(1 - first.weekday()) % 7 + 14)
    starts = _at(tuesday, 9, SEOUL)
    return Event(
        kind=EventKind.FORUM,
        title=f"Daejeon Global Innovation Forum {year}",
        slug=f"daejeon-global-innovation-forum-{year}",
        code=f"DGIF{year % 100:02d}",
        # {edition} is filled in for each edition (Event.fill_in), so the copy made for the next one stays right.
        summary="The {edition} edition of the forum of WTA, UNESCO and Daejeon Metropolitan City: two "
                "days of plenary and parallel sessions and a training programme for innovation leaders.",
        description=FORUM_DESCRIPTION,
        venue="Daejeon Convention Center (DCC)", city="Daejeon", country="KR", timezone=SEOUL,
        title_ko=f"대전 글로벌 이노베이션 포럼 {year}",  # shown until the forum joins its series (demo/series.py)
        summary_ko="WTA, 유네스코, 대전광역시가 함께하는 {edition} 포럼으로, 이틀 동안 전체 세션과 분과 세션, "
                   "혁신 리더를 위한 연수 프로그램이 열립니다.",
        description_ko=FORUM_DESCRIPTION_KO,
        venue_ko="대전컨벤션센터(DCC)", city_ko="대전",
        starts_at=starts, ends_at=_at(tuesday + timedelta(days=1), 18, SEOUL),
        registration_opens_at=opens_at or starts - timedelta(days=180),
        registration_closes_at=_at(tuesday - timedelta(days=7), 18, SEOUL),
        capacity=1000, contact_email="forum@wtanet.org",
    )


def forums(now: datetime) -> tuple[Event, Event]:
    """The edition people can register for now, and the last one that took place."""
    year = now.year + now.year % 2
    opens_at = _at(_local_day(now, SEOUL, -30), 10, SEOUL)
    while _forum(year).registration_closes_at <= now:
        year += 2
    upcoming = _forum(year, opens_at=opens_at)
    past_year = year - 2
    while _forum(past_year).ends_at >= now:  # registration closed but not yet held: take the one before
        past_year -= 2
    return upcoming, _forum(past_year)


def published(events: list[Event], now: datetime) -> list[Event]:
    for event in events:
        event.status = EventStatus.PUBLISHED
        event.waiting_list_enabled = True
        event.created_at = min(event.registration_opens_at, now) - timedelta(days=14)
        event.updated_at = event.created_at
    return events
