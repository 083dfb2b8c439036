"""Demo data for custom questions: the international workshop asks its own questions, and its
participants have answered them (no demo files: the demo database stays self-contained)."""

from __future__ import annotations

import random
from datetime import datetime

from app.database import Session
from app.models import Answer, Event, EventKind, Question, QuestionKind, Registration

CASES = [
    "Our park hosts {n} young companies in ICT and agro-processing. We want to learn how Daejeon links "
    "universities and firms, and present how we started a pre-incubation programme with two universities.",
    "We run a public incubator with {n} start-ups. Our case: a seed fund set up with the regional government "
    "in 2023, and what we learned from its first two calls.",
    "A new science city is planned near the capital; I lead the team writing its governance model ({n} staff). "
    "I would present our draft and the questions we still have about land and investment rules.",
    "Our technology park is ten years old and {n} firms are tenants. We want to move from real estate to "
    "services: the case is our new technology transfer office.",
]
# Travel support has its own section on application forms (app/public/parts/travel.py): not asked twice here.
PAST_WORKSHOPS = ["International workshop, Daejeon", "Regional workshop, Nairobi", "National workshop, Hanoi"]


def add_questions(session: Session, events: list[Event], registrations: list[Registration], *, now: datetime) -> None:
    workshop = next(e for e in events if e.kind is EventKind.INTERNATIONAL_WORKSHOP)
    # The first two are optional so that a quick try of the demo form needs only the standard fields;
    # the follow-up shows a required answer that applies only after "yes".
    case = Question(event=workshop, position=1, kind=QuestionKind.LONG_TEXT,
                    label="Describe your organisation and the case you would present",
                    help_text="About 150 words: what your park or incubator does, and the experience you would share.")
    before = Question(event=workshop, position=2, kind=QuestionKind.YES_NO,
                      label="Have you attended a WTA training workshop before?")
    which = Question(event=workshop, position=3, kind=QuestionKind.MULTIPLE_CHOICE, required=True,
                     label="Which ones?", options=PAST_WORKSHOPS,
                     condition_question=before, condition_value="yes")
    slides = Question(event=workshop, position=4, kind=QuestionKind.FILE,
                      label="Case presentation", help_text="Your slides as a PDF, if they are ready.")
    session.add_all([case, before, which, slides])
    session.flush()

    rng = random.Random(5)
    for registration in (r for r in registrations if r.event_id == workshop.id):
        at = registration.created_at or now
        returning = rng.random() < 0.3
        answers = [(case, rng.choice(CASES).format(n=rng.randint(8, 120))), (before, returning)]
        if returning:
            answers.append((which, [w for w in PAST_WORKSHOPS if rng.random() < 0.5] or PAST_WORKSHOPS[:1]))
        session.add_all(Answer(registration_id=registration.id, question_id=q.id, value=value,
                               question_label=q.label, answered_at=at) for q, value in answers)
    session.flush()
