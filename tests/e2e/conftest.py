"""Browser fixtures: the app served for real on a free port, and Debian's Chromium driven by Playwright.

The server runs in a thread of the test process on the `app` fixture, so it uses the same
database (SQLite or PostgreSQL) as the factories; each request gets its own app context and
so its own database session, as under gunicorn.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from app.extensions import db

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp"))


def _chromium() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # one line per request and asset is noise in a test log
        pass


@contextmanager
def serving(app):
    """Serve `app` on http://127.0.0.1:<free port> while the block runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture
def live_server(app):
    """The app on http://127.0.0.1:<free port>; stopped before the tables are emptied."""
    db.session.commit()  # what the test set up so far must be visible to the server's sessions
    with serving(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if executable is None:
        pytest.skip("Chromium not found: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, request):
    """Open a page in a fresh browser context (its own cookies: another person at another
    computer). Every page still open when the test fails is saved as a screenshot."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        for n, context in enumerate(contexts):
            for m, page in enumerate(context.pages):
                path = SCREENSHOTS / f"e2e-{name}-{n}{m}.png"
                page.screenshot(path=str(path), full_page=True)
                print(f"screenshot of {page.url}: {path}")
    for context in contexts:
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets new_page see at teardown whether the test itself failed.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def sign_in(page, live_server: str, email: str = "organiser@wtanet.org", password: str = "correct horse battery"):
    """An organiser signs in through the login form, as a person does (in English or Korean: the fields by
    their ids, the labels depend on the page's language)."""
    from playwright.sync_api import expect

    page.goto(live_server + "/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form.sign-in-form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    return page
