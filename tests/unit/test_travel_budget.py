"""The travel budget's arithmetic: what is left, going over, grants in other currencies, a decision's effect."""

from __future__ import annotations

from decimal import Decimal

from app.services.applications.travel_budget import TravelBudget


def test_what_is_left_and_going_over_count_only_the_budget_currency():
    budget = TravelBudget(Decimal("1000"), "USD", {"USD": Decimal("800"), "EUR": Decimal("500")})
    assert budget.left == Decimal("200") and not budget.exceeded
    assert budget.other_currencies == ["EUR 500.00"]

    after = budget.after({"USD": Decimal("400"), "EUR": Decimal("-500")})
    assert after.exceeded and after.left == Decimal("-200")
    assert after.granted == {"USD": Decimal("1200")}  # nothing left in euros: not listed


def test_without_a_budget_nothing_is_ever_exceeded():
    budget = TravelBudget(None, "USD", {"USD": Decimal("99999")})
    assert budget.left is None and not budget.exceeded
    assert budget.granted_texts == ["USD 99,999.00"]
