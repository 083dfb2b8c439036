"""Reference codes, dates as people read them, and the production safety checks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app import create_app
from app.services.formatting import format_date_range, rounded_percentages
from app.services.registration.references import ALPHABET, event_code_from_title


def test_event_code_from_title():
    assert event_code_from_title("Daejeon Global Innovation Forum", 2026) == "DGIF26"
    assert event_code_from_title("International Training Workshop on Science City Governance", 2027) == "ITWSCG27"
    assert event_code_from_title("대전 포럼", 2026) == "EV26"


def test_reference_alphabet_has_no_lookalikes():
    assert not set("0O1IL5S2Z8B") & set(ALPHABET)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((2026, 11, 2, 0), (2026, 11, 6, 8), "2–6 Nov 2026"),
        ((2026, 10, 29, 0), (2026, 11, 2, 8), "29 Oct – 2 Nov 2026"),
        ((2026, 12, 30, 0), (2027, 1, 2, 8), "30 Dec 2026 – 2 Jan 2027"),
        ((2026, 11, 2, 0), (2026, 11, 2, 8), "2 Nov 2026"),
        # 23:30 UTC on 1 Nov is already 2 Nov in Daejeon: dates are the venue's.
        ((2026, 11, 1, 23, 30), (2026, 11, 3, 8), "2–3 Nov 2026"),
    ],
)
def test_date_ranges_read_in_the_venue_time_zone(start, end, expected):
    assert format_date_range(datetime(*start, tzinfo=UTC), datetime(*end, tzinfo=UTC), "Asia/Seoul") == expected


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    from config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app("production")
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "dev-only-not-secret")
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app("production")


def test_production_starts_with_a_real_secret_key(monkeypatch, tmp_path):
    from config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/p.db")
    app = create_app("production")
    assert not app.debug and app.config["SESSION_COOKIE_SECURE"]


@pytest.mark.parametrize(("counts", "whole", "expected"), [
    ([5] * 8, 40, [13, 13, 13, 13, 12, 12, 12, 12]),  # 12.5 % each: 100 %, not 96 %
    ([1, 1, 1], 3, [34, 33, 33]),
    ([3, 2, 1], 40, [8, 5, 2]),  # 15 % of the places in all, as 7.5 + 5 + 2.5
    ([0, 0], 40, [0, 0]),
    ([], 40, []),
])
def test_percentages_add_up_to_the_rounded_whole(counts, whole, expected):
    assert rounded_percentages(counts, whole) == expected
