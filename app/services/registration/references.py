"""Short reference codes people can read out on the phone: DGIF26-7KQ3."""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa

from app.database import Session
from app.models import Registration

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: they are misread on paper and over the phone.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
SUFFIX_LENGTH = 4


def draw_reference(event_code: str) -> str:
    """A reference that may be taken already: register() checks it in the statement that locks the event."""
    return f"{event_code}-{''.join(secrets.choice(ALPHABET) for _ in range(SUFFIX_LENGTH))}"


def new_reference(session: Session, event_code: str) -> str:
    """A free reference, checked with a query per draw."""
    for _ in range(20):
        candidate = draw_reference(event_code)
        exists = session.scalar(sa.select(sa.literal(1)).where(Registration.reference == candidate))
        if not exists:
            return candidate
    # 25**4 = 390,625 codes per event; twenty misses in a row means the event is nearly exhausted.
    return f"{event_code}-{''.join(secrets.choice(ALPHABET) for _ in range(SUFFIX_LENGTH + 2))}"


def event_code_from_title(title: str, year: int) -> str:
    """'Daejeon Global Innovation Forum' in 2026 -> 'DGIF26'."""
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z]+", title) if word[0].isupper())
    return f"{(initials or 'EV')[:6].upper()}{year % 100:02d}"
