"""Headers on every route of the URL map, as a stranger and as an organiser: a Content-Security-Policy that
lets no inline script run, nothing personal kept in a cache, the camera only on the check-in page; HSTS in
production. (CSRF tokens: test_csrf_tokens.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import create_app, demo
from app.extensions import db
from app.security_headers import PUBLIC_CACHEABLE
from config import ProductionConfig
from tests.conftest import BrowserLikeClient, _empty_all_tables, csrf_token
from tests.integration.fuzz_support import load_demo, targets, url

# Pages that preview an email in an <iframe srcdoc>, which inherits the page's policy: the email's inline
# styles must apply there (scripts stay 'self').
INLINE_STYLES = {"organiser.message_new", "organiser.reminder_new", "organiser.message_edit",
                 "organiser.event_email_text", "organiser.series_email_text"}


class _Seen:
    def __init__(self, status_code: int, headers) -> None:
        self.status_code, self.headers = status_code, headers


def _directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.fixture(scope="module")
def responses(_migrated_app) -> Iterator[list[tuple[str, str, _Seen]]]:
    """One response of every GET or POST route (its demo ids), for each of the two people."""
    app = _migrated_app
    found = targets(app, load_demo(app))
    got = []
    try:
        with app.app_context():
            app.test_client_class = BrowserLikeClient
            stranger, organiser = app.test_client(), app.test_client()
            organiser.post("/login", data={"email": demo.DEMO_EMAIL, "password": demo.DEMO_PASSWORD,
                                           "csrf_token": csrf_token(organiser.get("/login"))})
            for target in found:
                path = url(app, target, target.valid[0])
                for who, client in (("stranger", stranger), ("organiser", organiser)):
                    # POST-only routes are sent without a CSRF token: refused, and the refusal has the headers too.
                    response = client.get(path) if "GET" in target.methods else client.post(path)
                    response.close()  # a file streams its body; only the headers are checked
                    got.append((target.rule.endpoint, f"{who} {path}", _Seen(response.status_code, response.headers)))
            missing = stranger.get("/no-such-page")
            got.append(("(not found)", "stranger /no-such-page", _Seen(missing.status_code, missing.headers)))
        yield got
    finally:
        with app.app_context():
            db.session.remove()
            _empty_all_tables()


def test_every_route_has_a_policy_that_runs_no_inline_script(responses):
    for endpoint, where, response in responses:
        policy = _directives(response.headers.get("Content-Security-Policy", ""))
        assert policy, f"{where}: no Content-Security-Policy"
        scripts = policy.get("script-src", policy.get("default-src", []))
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, where
        if endpoint == "organiser.email_html" and response.status_code == 200:  # an email as sent: no script at all, its own inline styles
            assert policy["default-src"] == ["'none'"] and "script-src" not in policy, where
        elif endpoint not in INLINE_STYLES:
            assert "'unsafe-inline'" not in policy["style-src"], where
        assert response.headers["X-Content-Type-Options"] == "nosniff", where
        assert response.headers["Referrer-Policy"] == "same-origin", where


def test_no_page_or_file_with_personal_data_is_kept_in_a_cache(responses):
    for endpoint, where, response in responses:
        if endpoint in PUBLIC_CACHEABLE:
            continue
        assert "no-store" in response.headers.get("Cache-Control", ""), f"{where}: {response.headers!r}"


def test_only_the_check_in_page_may_use_the_camera(responses):
    seen_check_in = False
    for endpoint, where, response in responses:
        camera = re.search(r"camera=\(([^)]*)\)", response.headers.get("Permissions-Policy", ""))
        assert camera, f"{where}: no camera rule in Permissions-Policy"
        if endpoint == "organiser.checkin_page" and where.startswith("organiser") and response.status_code == 200:
            seen_check_in = True
            assert camera.group(1) == "self", where
        elif endpoint != "organiser.checkin_page":
            assert camera.group(1) == "", where
    assert seen_check_in


def test_inline_handlers_and_scripts_are_gone_from_the_templates():
    root = Path(__file__).resolve().parents[2] / "templates"
    for template in root.rglob("*.html"):
        if template.parts[-2] in ("email", "documents"):  # emails and PDFs style themselves inline, run no script
            continue
        text = template.read_text()
        assert not re.search(r"\son[a-z]+\s*=", text), f"{template}: inline event handler"
        assert not re.search(r"<script(?![^>]*\ssrc=)", text), f"{template}: inline <script>"
        assert not re.search(r"\sstyle\s*=", text), f"{template}: inline style attribute"


def test_production_sends_hsts_and_development_does_not():
    secure = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "HSTS_SECONDS": 31536000})
    response = secure.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    plain = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert "Strict-Transport-Security" not in plain.test_client().get("/login").headers
    assert ProductionConfig.HSTS_SECONDS >= 180 * 24 * 3600
