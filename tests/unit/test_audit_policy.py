"""What the audit log hides and leaves out, decided from the models without being told table by table."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from app.models import AuditEntry, Event, OutboxEmail, Registration, RegistrationStatus, User, VisaRequest
from app.services.audit.policy import HIDDEN, is_audited, shown, treatment


def column(model, key: str) -> sa.Column:
    return sa.inspect(model).column_attrs[key].columns[0]


def test_every_model_is_logged_unless_it_opts_out():
    assert is_audited(Registration) and is_audited(Event) and is_audited(VisaRequest)
    assert not is_audited(AuditEntry)  # __audit__ = False
    assert not is_audited(OutboxEmail)  # policy.EXCLUDED_TABLES


def test_passport_numbers_keep_only_their_last_four_characters_and_secrets_nothing():
    assert treatment(column(VisaRequest, "passport_number")) == "last4"
    assert shown("A1234567", "last4") == "••••4567"
    assert shown("AB12", "last4") == "••••"
    assert treatment(column(User, "password_hash")) == "secret"
    assert shown("$argon2id$v=19$…", "secret") == HIDDEN
    assert treatment(column(Registration, "updated_at")) == "skip"
    assert treatment(column(Registration, "given_name")) == ""


def test_values_are_stored_as_json():
    assert shown(RegistrationStatus.CONFIRMED) == "confirmed"
    assert shown(date(2026, 11, 3)) == "2026-11-03"
    assert shown(datetime(2026, 11, 3, 9, 0, tzinfo=UTC)) == "2026-11-03T09:00:00+00:00"
    assert shown(Decimal("1200.00")) == "1200.00"
    assert shown(None) is None
