"""How many registrations each event has in each status from each country, kept as changes to add up.

The attendee list shows these counts on every page (its status tabs, its country filter). Counting the
registrations themselves read every one of them: 2 ms at 20,000, more than the rest of the page's queries
together. The database's own triggers (migration 0030) write a change for every registration inserted,
deleted, or moved to another event, status or country, in the transaction that makes it: the sum of an
event's changes is exactly what counting its registrations would give, in any transaction, whoever wrote
them (the app, a migration, SQL by hand).

Only INSERTs, never an UPDATE of a running total: registrations made at the same moment take no lock here
and wait for nothing. Reading folds an event's changes into one row per status and country once they have
grown (app/services/registration/registration_counts.py), so reading stays a handful of rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, string_enum
from app.models.registration import RegistrationStatus


class RegistrationCountChange(Base):
    """+1 or -1 (or, once folded, a total) to the number of an event's registrations in `status` from `country`.
    Written by the database only: no model code adds or changes one. No foreign key: the changes that a deleted
    event's registrations leave sum to zero, and take no lock on the event when written."""

    __tablename__ = "registration_count_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int]
    status: Mapped[RegistrationStatus] = mapped_column(string_enum(RegistrationStatus, 20))
    country: Mapped[str] = mapped_column(sa.String(2))
    change: Mapped[int]

    __table_args__ = (sa.Index("ix_registration_count_changes_event", "event_id", "status", "country"),)
