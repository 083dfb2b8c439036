"""Templates compare states with enum members (app/web.py registers the enums as Jinja globals). Jinja
reads a misspelt member as undefined, which silently equals nothing: every member a template names
must exist."""

from __future__ import annotations

import re
from pathlib import Path

from app.web import TEMPLATE_ENUMS

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ENUMS = {enum.__name__: enum for enum in TEMPLATE_ENUMS}
MEMBER = re.compile(r"\b(" + "|".join(ENUMS) + r")\.([A-Za-z_]+)\b")


def test_every_enum_member_named_in_a_template_exists():
    named = [(path.relative_to(TEMPLATES), found.group(0)) for path in sorted(TEMPLATES.rglob("*.*"))
             for found in MEMBER.finditer(path.read_text(encoding="utf-8"))]
    assert named, "no template names an enum member: is the pattern still right?"
    assert [(path, name) for path, name in named
            if name.split(".")[1] not in ENUMS[name.split(".")[0]].__members__] == []


def test_no_template_compares_an_enum_by_its_value():
    compared = re.compile(r"\.value\s*(==|!=|in\b|not in\b)")
    assert [str(path.relative_to(TEMPLATES)) for path in sorted(TEMPLATES.rglob("*.*"))
            if compared.search(path.read_text(encoding="utf-8"))] == []
