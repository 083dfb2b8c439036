"""Helpers for the statistics tests: a selection workshop whose figures are known in advance, and the
tables of a statistics page as a reader sees them."""

from __future__ import annotations

import re
from decimal import Decimal

from app.extensions import db
from app.models import (
    ApplicationStatus,
    Certificate,
    Gender,
    OrganisationType,
    RegistrationMode,
    TravelDecision,
)
from tests.conftest import start_writing
from tests.integration.applications_support import add_applications
from tests.integration.documents_support import attend


def known_workshop(make_event):
    """A selection workshop of 6 accepted participants, with everything the statistics count:

    accepted: 3 from Korea (universities; 2 women, 1 man), 2 from Nigeria (companies; another gender, no
    answer), 1 from France (government; prefer not to say); reserve list 2, declined 1, withdrawn 1,
    submitted 1. Check-ins: 4 people on day 1, 3 of them on day 2 too; 2 certificates. Travel support:
    the Nigerians granted USD 1,200.50 and USD 800 (flight), the French participant EUR 500 (per diem).
    """
    event = make_event(title="Workshop with known figures", capacity=10, registration_mode=RegistrationMode.APPLICATION,
                       asks_gender=True)
    korea = add_applications(event, 1, status=ApplicationStatus.ACCEPTED, country="KR", gender=Gender.WOMAN,
                             organisation_type=OrganisationType.UNIVERSITY, organisation="KAIST")
    korea += add_applications(event, 1, status=ApplicationStatus.ACCEPTED, country="KR", gender=Gender.WOMAN,
                              organisation_type=OrganisationType.UNIVERSITY, organisation="KAIST")
    korea += add_applications(event, 1, status=ApplicationStatus.ACCEPTED, country="KR", gender=Gender.MAN,
                              organisation_type=OrganisationType.UNIVERSITY, organisation="Chungnam National University")
    nigeria = add_applications(event, 1, status=ApplicationStatus.ACCEPTED, country="NG", gender=Gender.ANOTHER,
                               organisation_type=OrganisationType.COMPANY, organisation="Lagos Tech",
                               travel=dict(wants_flight=True, decision=TravelDecision.GRANTED,
                                           granted_amount=Decimal("1200.50"), granted_currency="USD"))
    nigeria += add_applications(event, 1, status=ApplicationStatus.ACCEPTED, country="NG",
                                organisation_type=OrganisationType.COMPANY, organisation="Abuja Hub",
                                travel=dict(wants_flight=True, decision=TravelDecision.PARTLY,
                                            granted_amount=Decimal("800"), granted_currency="USD"))
    france = add_applications(event, 1, status=ApplicationStatus.ACCEPTED, country="FR", gender=Gender.UNDISCLOSED,
                              organisation_type=OrganisationType.GOVERNMENT, organisation="Ministère",
                              travel=dict(wants_per_diem=True, decision=TravelDecision.GRANTED,
                                          granted_amount=Decimal("500"), granted_currency="EUR"))
    add_applications(event, 2, status=ApplicationStatus.WAITLISTED, country="KE")
    add_applications(event, 1, status=ApplicationStatus.DECLINED, country="KE",
                     travel=dict(wants_flight=True, decision=TravelDecision.DECLINED))
    add_applications(event, 1, status=ApplicationStatus.WITHDRAWN, country="KE")
    add_applications(event, 1, status=ApplicationStatus.SUBMITTED, country="KE")
    attend(event, korea[0], 2)
    attend(event, korea[1], 2)
    attend(event, nigeria[0], 2)
    attend(event, france[0], 1)
    start_writing()
    for n, registration in enumerate(korea[:2]):
        db.session.add(Certificate(registration_id=registration.id, verification_code=f"TEST-CERT-{n}",
                                   days_attended=2, days_total=6))
    db.session.commit()
    return event, {"korea": korea, "nigeria": nigeria, "france": france}


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def tables(html: str) -> dict[str, list[list[str]]]:
    """Each chart's data table by its caption: its rows (header cell first), as the reader sees them."""
    found = {}
    for caption, body in re.findall(r"<caption[^>]*>(.*?)</caption>.*?<tbody>(.*?)</tbody>", html, re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
        found[text_of(caption).removesuffix(": the figures")] = [
            [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]
    return found
