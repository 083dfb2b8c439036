"""Percentages that add up to 100 (largest-remainder rounding), so a report's column never reads 99 % or 101 %."""

from __future__ import annotations

from collections.abc import Sequence


def percentages(counts: Sequence[int], total: int = 100) -> list[int]:
    """Whole percentages of `counts` that add up to `total` exactly (Hamilton's largest-remainder method):
    each share rounded down, then the points left over go to the largest remainders, ties to the earlier
    entry. All zeros (nobody counted) give all zeros."""
    whole = sum(counts)
    if whole <= 0:
        return [0] * len(counts)
    floors = [count * total // whole for count in counts]
    remainders = [count * total % whole for count in counts]
    left = total - sum(floors)
    for index in sorted(range(len(counts)), key=lambda i: (-remainders[i], i))[:left]:
        floors[index] += 1
    return floors
