"""The finance export (XLSX): travel support against days actually attended, what WTA's finance team
settles. One row per accepted participant whose support was decided, read in batches (`yield_per`) and
written through openpyxl's write-only mode, so memory stays flat; a second sheet totals each currency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from app.database import Session
from app.models import (
    Answer,
    Application,
    ApplicationStatus,
    CheckIn,
    Event,
    Question,
    QuestionKind,
    Registration,
    TravelDecision,
    TravelSupportRequest,
)
from app.models.applications import support_words
from app.services.attendance.attendance import event_days
from app.services.countries import country_name
from app.services.spreadsheets import Table, Value

BATCH_SIZE = 500
# Arrival and departure are the event's own date questions (the form has none built in): found by their words.
ARRIVAL_WORDS = ("arriv",)
DEPARTURE_WORDS = ("depart", "leav")


def _date_question(session: Session, event: Event, words: tuple[str, ...]) -> Question | None:
    for question in session.scalars(
        sa.select(Question).where(Question.event_id == event.id, Question.kind == QuestionKind.DATE)
        .order_by(Question.position, Question.id)
    ):
        if any(word in question.label.lower() for word in words):
            return question
    return None


def finance_tables(session: Session, event: Event, *, batch_size: int = BATCH_SIZE) -> Iterator[Table]:
    """The two sheets. A generator: the totals sheet is made after the rows sheet was written, from the
    sums kept while writing it (one pass over the rows)."""
    arrival = _date_question(session, event, ARRIVAL_WORDS)
    departure = _date_question(session, event, DEPARTURE_WORDS)
    dates = [q for q in (arrival, departure) if q is not None]
    totals: dict[str, list] = defaultdict(lambda: [0, Decimal(0), 0])  # people, granted, days attended
    header = ["Reference", "Given name", "Family name", "Email", "Organisation", "Country", "Decision",
              "Covers", "Amount granted", "Currency", "Days attended", "Event days",
              *(("Arrival",) if arrival else ()), *(("Departure",) if departure else ())]
    days_total = len(event_days(event))

    def rows() -> Iterator[list[Value]]:
        # Columns, not whole rows: a registration loads its event with it, ten times the work at 20,000 people.
        statement = (
            sa.select(Registration.id, Registration.reference, Registration.given_name, Registration.family_name,
                      Registration.email, Registration.organisation, Registration.country,
                      TravelSupportRequest.decision, TravelSupportRequest.wants_flight,
                      TravelSupportRequest.wants_accommodation, TravelSupportRequest.wants_per_diem,
                      TravelSupportRequest.granted_amount, TravelSupportRequest.granted_currency)
            .join(Application, Application.registration_id == Registration.id)
            .join(TravelSupportRequest, TravelSupportRequest.registration_id == Registration.id)
            .where(Registration.event_id == event.id, Registration.has_place,
                   Application.status == ApplicationStatus.ACCEPTED,
                   TravelSupportRequest.decision != TravelDecision.PENDING)
            .order_by(Registration.sort_name, Registration.id)
            .execution_options(yield_per=batch_size)
        )
        for partition in session.execute(statement).tuples().partitions():
            ids = [row[0] for row in partition]
            attended = dict(session.execute(
                sa.select(CheckIn.registration_id, sa.func.count(sa.distinct(CheckIn.day)))
                .where(CheckIn.registration_id.in_(ids)).group_by(CheckIn.registration_id)
            ).tuples().all())
            answers: dict[tuple[int, int], date | None] = {}
            if dates:
                for registration_id, question_id, value in session.execute(
                    sa.select(Answer.registration_id, Answer.question_id, Answer.value)
                    .where(Answer.registration_id.in_(ids), Answer.question_id.in_([q.id for q in dates]))
                ).tuples():
                    answers[(registration_id, question_id)] = _as_date(value)
            for (registration_id, reference, given, family, email, organisation, country, decision, flight,
                 accommodation, per_diem, amount, currency) in partition:
                granted = decision in (TravelDecision.GRANTED, TravelDecision.PARTLY)
                days = attended.get(registration_id, 0)
                if granted:
                    total = totals[currency]
                    total[0] += 1
                    total[1] += amount or Decimal(0)
                    total[2] += days
                yield [
                    reference, given, family, email, organisation, country_name(country), decision.label,
                    ", ".join(support_words(flight, accommodation, per_diem)), amount if granted else None, currency if granted else None, days, days_total,
                    *((answers.get((registration_id, arrival.id)),) if arrival else ()),
                    *((answers.get((registration_id, departure.id)),) if departure else ()),
                ]

    yield Table("Travel support", header, rows(), event.tz)
    yield Table("Totals per currency", ["Currency", "People supported", "Amount granted", "Days attended"],
                ([currency, people, amount, days] for currency, (people, amount, days) in sorted(totals.items())),
                event.tz)


def _as_date(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
