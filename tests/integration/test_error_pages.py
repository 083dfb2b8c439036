"""An unexpected failure shows the friendly 500 page: no traceback, and nothing of the failed action saved."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import csrf, db
from app.models import User
from app.services.people.users import create_user
from tests.conftest import BrowserLikeClient, make_app


@pytest.fixture
def failing_app(database_url, smtp_server):
    """An app of its own with two test-only routes that fail: routes cannot be added to the session's app once
    it has served a request. PROPAGATE_EXCEPTIONS is off, as in production, so the error reaches the handler."""
    app = make_app(database_url, smtp_server.port, PROPAGATE_EXCEPTIONS=False)

    @app.get("/test-only/fails")
    def fails():
        raise RuntimeError("secret detail of the failure")

    @app.post("/test-only/fails-after-writing")
    @csrf.exempt
    def fails_after_writing():
        create_user(db.session, "half-saved@wtanet.org", "a long passphrase", name="Half saved", is_admin=False)
        db.session.flush()
        raise RuntimeError("secret detail of the failure")

    app.test_client_class = BrowserLikeClient
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_failing_page_shows_the_friendly_500_page_without_a_traceback(app, failing_app):
    response = failing_app.test_client().get("/test-only/fails")

    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "<h1>Something went wrong on our side</h1>" in html
    assert "Nothing was saved. Please try again in a moment; if it keeps happening, write to the organisers." in html
    assert 'href="/">Go to the list of events</a>' in html
    assert "Traceback" not in html and "secret detail" not in html and "RuntimeError" not in html


def test_what_a_failing_action_wrote_is_rolled_back(app, failing_app):
    response = failing_app.test_client().post("/test-only/fails-after-writing")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
