"""Checking the Korean versions organisers give of their own texts (app/models/bilingual.py): each is
optional, trimmed, and as long as its column allows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from app.services.errors import Problems


def checked_korean(details: Any, limits: Mapping[str, int | None], problems: Problems) -> dict[str, str]:
    """The Korean fields of `details` (named in `limits`, with their longest length), trimmed; too long ones
    are added to `problems` next to their field."""
    values = {}
    for name, limit in limits.items():
        value = (getattr(details, name, "") or "").strip()
        if limit is not None and len(value) > limit:
            problems.add(_("Please keep the Korean under %(limit)d characters.", limit=limit), name)
        values[name] = value
    return values
