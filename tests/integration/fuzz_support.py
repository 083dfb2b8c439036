"""What the hostile-input test sends: the routes of the URL map filled with demo ids and with hostile
values, the names of the fields and query parameters the pages offer, and the hostile values themselves.

Generic on purpose: every rule of `app.url_map` is a target, so a route added later is fuzzed from the
day it exists. Its ids come from the demo pages of tests/e2e/test_every_page.py (PAGES) when an endpoint
there takes the same arguments; otherwise from small ids that the demo fills in every table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, url_for
from itsdangerous import URLSafeSerializer, URLSafeTimedSerializer
from werkzeug.routing import Rule

from app.extensions import db

# Values no person types, each of a kind that once reached the database or int() and got a 500.
KINDS = {
    "NUL": ["\x00", "a\x00b", "1\x00"],  # PostgreSQL cannot store NUL in text
    "big numbers": [str(2**31), str(2**31 - 1), str(2**63), "9" * 40, "-1", "-" + str(2**63), "0", "1e9", "0x10",
                    " 7 "],
    "unicode digits": ["①", "²", "٣", "１２"],  # str.isdigit() says yes, int() says no (or reads another script's)
    "long": ["x" * 5000, "é" * 3000],  # longer than any column
    "scripts": ["\u202egnp.exe", "e\u0301\u0301\u0301", "עברית", "مرحبا", "\ufeff", "\u200b", "🎉" * 10],
    "injection": ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{7*7}}", "{% raw %}", "${7*7}",
                  '=HYPERLINK("http://x")', "+SUM(1,1)", "@cmd", "../../etc/passwd", "%s%n%x", "' OR 1=1 --",
                  "https://evil.example/", "//evil.example", "javascript:alert(1)"],
    "shapes": ["", " ", "null", "true", "[]", "{}", '{"source": ["x"], "q": 5, "country": 1, "status": ["y"]}',
               '{"source": "ticked", "ids": ["①", 99999999999999999999]}', '{"source": "session", "session_id": [1]}',
               "2026-02-30", "9999-12-31T23:59", "0000-00-00"],
}
# Values no person types, each of a kind that once reached the database or int() and got a 500.
HOSTILE = [value for values in KINDS.values() for value in values]


def signed_junk(app: Flask) -> list[str]:
    """Tokens signed with the app's own key whose payload is not the shape the app signs: the app must
    refuse them like a forged one (only a leaked key makes them, but a bad one must never be a 500)."""
    secret = app.config["SECRET_KEY"]
    payloads = ["abc", [1, 2], 2**40, 10**30, -1, 0, True, None, {"id": 1}, [1, "x", 3], [1, 2, 3, 4]]
    tokens = []
    for salt in ("participant-link", "kept-upload"):
        tokens += [URLSafeSerializer(secret, salt=salt).dumps(p) for p in payloads]
        tokens += [URLSafeTimedSerializer(secret, salt=salt).dumps(p) for p in payloads]
    return tokens + ["abc.def", ".", "..", "a" * 300, "eyJ.eyJ.x"]


def load_demo(app: Flask) -> dict[str, list[dict]]:
    """Load the demo as `make run` does (plus a draft edition and an email history, as the page checks do);
    returns each page's demo ids (tests/e2e/test_every_page.py PAGES). The caller empties the tables after."""
    from tests.e2e.test_every_page import PAGES, _load_demo, seed_demo_site

    with app.app_context():
        seed_demo_site()
        d = _load_demo()
        pages = {endpoint: ids(d) for endpoint, (_who, ids) in PAGES.items()}
        db.session.commit()
    return pages


@dataclass
class Target:
    rule: Rule
    valid: list[dict]  # url_for arguments that name real demo rows
    fields: list[str] = field(default_factory=list)  # form fields its page offers (its GET page)
    args: list[str] = field(default_factory=list)  # query parameters its page links or submits with
    plausible: dict[str, str] = field(default_factory=dict)  # a value for each field that passes its checks

    @property
    def methods(self) -> list[str]:
        return sorted(m for m in self.rule.methods or () if m in ("GET", "POST"))


# What a person would type into a field of each HTML type (text fields keep the value the page shows).
_TYPED = {"email": "fuzz.person@example.org", "date": "2027-03-15", "datetime-local": "2027-03-15T09:30",
          "time": "09:30", "number": "3", "tel": "+82 42 123 4567", "url": "https://example.org/",
          "checkbox": "y", "radio": "", "file": ""}


class _Names(HTMLParser):
    """The names of the form fields on a page (with a value each that a person could send), and the query
    parameters of its links and GET forms."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: set[str] = set()
        self.args: set[str] = set()
        self.plausible: dict[str, str] = {}
        self._get_form = False
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        name = a.get("name", "")
        if tag == "form":
            self._get_form = (a.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea", "button") and name:
            (self.args if self._get_form else self.fields).add(name)
            if tag == "select":
                self._select = name
            elif tag == "textarea":
                self.plausible.setdefault(name, "Some words a person wrote.")
            elif tag == "input":
                kind = a.get("type", "text")
                value = a.get("value") or _TYPED.get(kind, "Plain words")
                if kind == "file" or (kind in ("radio", "checkbox") and name in self.plausible):
                    return
                self.plausible[name] = value if kind != "radio" else a.get("value", "")
        elif tag == "option" and self._select and a.get("value"):
            self.plausible.setdefault(self._select, a["value"])
        elif tag == "a" and "?" in a.get("href", ""):
            self.args.update(key for key, _ in parse_qsl(urlsplit(a["href"]).query, keep_blank_values=True))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def names_on(html: str) -> tuple[list[str], list[str], dict[str, str]]:
    parser = _Names()
    parser.feed(html)
    plausible = {k: v for k, v in parser.plausible.items() if k in parser.fields and k != "csrf_token"}
    return sorted(parser.fields - {"csrf_token"}), sorted(parser.args), plausible


def targets(app: Flask, pages: dict[str, list[dict]]) -> list[Target]:
    """Every GET or POST rule of the URL map (bar static files), with the demo ids it can be called with."""
    known = [kwargs for ids in pages.values() for kwargs in ids]
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static" or not {"GET", "POST"} & set(rule.methods or ()):
            continue
        wanted = set(rule.arguments)
        valid = [{k: v for k, v in kw.items() if k in wanted} for kw in pages.get(rule.endpoint, [])]
        valid += [{k: v for k, v in kw.items() if k in wanted} for kw in known if wanted <= set(kw)]
        if not valid:  # arguments no demo page names (an upload, a visa request): small ids exist in every table
            valid = [{name: n for name in wanted} for n in (1, 2, 3)]
        valid = list({tuple(sorted(kw.items())): kw for kw in valid}.values())[:6]
        found.append(Target(rule, valid))
    return found


def url(app: Flask, target: Target, kwargs: dict) -> str:
    with app.test_request_context():
        return url_for(target.rule.endpoint, **{k: kwargs[k] for k in target.rule.arguments})


def hostile_path(rule: Rule, kwargs: dict, name: str, value: str) -> str:
    """The rule's address with one argument replaced by a raw hostile value (url_for would refuse a huge id)."""
    path = rule.rule
    for arg in rule.arguments:
        raw = value if arg == name else str(kwargs[arg])
        path = re.sub(r"<(?:[a-z]+:)?" + arg + ">", _quote(raw), path)
    return path


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")
