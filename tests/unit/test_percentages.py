"""Largest-remainder rounding: the shares of a report's table add up to 100, and no share moves by more
than the rounding needs."""

from __future__ import annotations

import random

import pytest

from app.services.statistics.rounding import percentages


@pytest.mark.parametrize(("counts", "expected"), [
    ([1, 1, 1], [34, 33, 33]),  # a third each: the point left over goes to the earlier
    ([2, 1], [67, 33]),
    ([6, 1, 2, 1, 1], [55, 9, 18, 9, 9]),
    ([2, 1, 1, 1, 1], [33, 17, 17, 17, 16]),
    ([5], [100]),
    ([0, 3, 0], [0, 100, 0]),
    ([0, 0], [0, 0]),  # nobody counted: no share is invented
    ([], []),
])
def test_shares_add_up_to_100(counts, expected):
    assert percentages(counts) == expected


def test_random_counts_always_add_up_and_stay_within_a_point_of_the_exact_share():
    rng = random.Random(15)
    for _ in range(500):
        counts = [rng.randint(0, 50) for _ in range(rng.randint(1, 12))]
        shares = percentages(counts)
        if sum(counts):
            assert sum(shares) == 100
            assert all(abs(share - 100 * count / sum(counts)) < 1 for share, count in zip(shares, counts, strict=True))
