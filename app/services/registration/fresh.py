"""Registrations this transaction has just inserted: nothing hangs from them yet (no answers, uploads or
session choices), so what saves a form's parts need not read what they had before.

register() marks the registrations it creates; the parts' services ask. Forgotten when the transaction
ends (transaction_facts).
"""

from __future__ import annotations

from app.database import Session, transaction_facts

_FRESH = "registration.fresh"  # transaction_facts key: the ids of the registrations inserted by this transaction


def mark(session: Session, registration_id: int) -> None:
    transaction_facts(session).setdefault(_FRESH, set()).add(registration_id)


def is_fresh(session: Session, registration_id: int) -> bool:
    return registration_id in transaction_facts(session).get(_FRESH, ())
