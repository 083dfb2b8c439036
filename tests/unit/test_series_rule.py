"""The series rule: which years have an edition, and what each edition is called."""

from __future__ import annotations

import pytest

from app.models import EventKind, Series, YearParity
from app.services.series import describe_rule, edition_number, edition_title, next_rule_year, ordinal, rule_years


def series(first_year=2014, interval=2, parity=YearParity.ANY, month=None, name="Daejeon Global Innovation Forum"):
    return Series(name=name, code="DGIF", slug="dgif", kind=EventKind.FORUM, first_year=first_year,
                  interval_years=interval, year_parity=parity, usual_month=month)


def test_the_forum_is_every_even_year_from_2014():
    forum = series(parity=YearParity.EVEN, month=10)
    assert rule_years(forum, 2026) == [2014, 2016, 2018, 2020, 2022, 2024, 2026]
    assert edition_number(forum, 2014) == 1 and edition_number(forum, 2024) == 6
    assert edition_number(forum, 2025) is None
    assert edition_title(forum, 2024, 2024) == "6th Daejeon Global Innovation Forum 2024"
    assert describe_rule(forum) == "Every 2 years (even years) since 2014, usually in October"


def test_even_years_only_with_a_yearly_interval_is_every_other_year():
    assert rule_years(series(interval=1, parity=YearParity.EVEN), 2020) == [2014, 2016, 2018, 2020]


def test_a_workshop_every_year_since_2005():
    workshop = series(first_year=2005, interval=1, name="International Training Workshop on Science City Governance")
    assert edition_number(workshop, 2026) == 22
    assert edition_title(workshop, 2026, 2026).startswith("22nd International Training Workshop")
    assert next_rule_year(workshop, 2026) == 2027


def test_every_three_years():
    triennial = series(first_year=2010, interval=3)
    assert rule_years(triennial, 2025) == [2010, 2013, 2016, 2019, 2022, 2025]
    assert edition_number(triennial, 2024) is None
    assert next_rule_year(triennial, 2022) == 2025 and next_rule_year(triennial, 2000) == 2010


def test_odd_years_only():
    assert rule_years(series(first_year=2015, interval=1, parity=YearParity.ODD), 2021) == [2015, 2017, 2019, 2021]


def test_no_edition_before_the_first_year():
    assert rule_years(series(), 2013) == [] and edition_number(series(), 2012) is None


@pytest.mark.parametrize(("number", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                              (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (101, "101st"),
                                              (111, "111th")])
def test_ordinals(number, text):
    assert ordinal(number) == text
