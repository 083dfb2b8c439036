"""Privacy rules that need no database: tokens kept out of logs, when data is purged, when a link expires."""

from __future__ import annotations

import importlib.util
import io
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask

from app.log_redaction import RedactPersonalLinks, redact
from app.models import Event, Registration
from app.services.privacy.anonymise import retention_ends
from app.services.privacy.links import link_works
from app.services.registration.tokens import participant_token, read_token

TOKEN = "MTIz.Q5bD-nV_kj2cOU0XzEl2-FKv4tY"


@pytest.mark.parametrize(("line", "shown"), [
    (f'GET /r/{TOKEN} HTTP/1.1', "GET /r/[token] HTTP/1.1"),
    (f"GET /r/{TOKEN}/my-data.json HTTP/1.1", "GET /r/[token]/my-data.json HTTP/1.1"),
    (f"GET /r/{TOKEN}?x=1 HTTP/1.1", "GET /r/[token]?x=1 HTTP/1.1"),
    (f"https://events.wtanet.org/r/{TOKEN}/cancel", "https://events.wtanet.org/r/[token]/cancel"),
    (f"/login?next=%2Fr%2F{TOKEN}", "/login?next=%2Fr%2F[token]"),
    ("GET /events/dgif-2026 HTTP/1.1", "GET /events/dgif-2026 HTTP/1.1"),
])
def test_tokens_are_blanked_and_nothing_else(line, shown):
    assert redact(line) == shown


def _logged(logger_name: str, message: str, *args) -> str:
    stream = io.StringIO()
    logger = logging.getLogger(logger_name)
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    logger.addFilter(RedactPersonalLinks())
    try:
        logger.warning(message, *args)
    finally:
        logger.removeHandler(handler)
        logger.filters.clear()
    return stream.getvalue()


def test_the_filter_redacts_werkzeug_and_gunicorn_access_lines():
    werkzeug = _logged("test.werkzeug", '%s - - [%s] "%s" %s %s', "127.0.0.1", "now", f"GET /r/{TOKEN} HTTP/1.1",
                       "200", "-")
    gunicorn = _logged("test.gunicorn", '%(h)s "%(r)s" %(s)s "%(f)s"',
                       {"h": "10.0.0.1", "r": f"GET /r/{TOKEN}/cancel HTTP/1.1", "s": "200",
                        "f": f"https://events.wtanet.org/r/{TOKEN}"})
    flask_error = _logged("test.flask", f"Exception on /r/{TOKEN} [GET]")
    for line in (werkzeug, gunicorn, flask_error):
        assert TOKEN not in line and "/r/[token]" in line
    assert '10.0.0.1 "GET /r/[token]/cancel HTTP/1.1" 200 "https://events.wtanet.org/r/[token]"' in gunicorn


def test_the_app_puts_the_filter_on_the_request_loggers(app):
    for name in ("werkzeug", "gunicorn.access"):
        assert any(isinstance(f, RedactPersonalLinks) for f in logging.getLogger(name).filters)
    assert any(isinstance(f, RedactPersonalLinks) for f in app.logger.filters)


def test_gunicorn_with_our_config_writes_no_token_to_its_access_log(capsys, monkeypatch):
    from gunicorn.config import Config

    spec = importlib.util.spec_from_file_location("gunicorn_conf", Path(__file__).parents[2] / "gunicorn.conf.py")
    assert spec and spec.loader
    settings = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(settings)
    config = Config()
    for name in ("accesslog", "access_log_format", "logger_class"):
        config.set(name, getattr(settings, name))
    logger = config.logger_class(config)
    # The suite's migrations run Alembic's fileConfig, which disables loggers that exist by then.
    monkeypatch.setattr(logger.access_log, "disabled", False)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/r/{TOKEN}/my-data.json", "PATH_INFO": f"/r/{TOKEN}/my-data.json",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1", "QUERY_STRING": "",
               "HTTP_REFERER": f"https://events.wtanet.org/r/{TOKEN}", "HTTP_USER_AGENT": "Firefox"}
    response = SimpleNamespace(status="200 OK", headers=[], sent=512)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])

    logger.access(response, request, environ, timedelta(milliseconds=12))

    captured = capsys.readouterr()
    line = captured.out + captured.err
    assert '"GET /r/[token]/my-data.json HTTP/1.1" 200 512 "https://events.wtanet.org/r/[token]" "Firefox"' in line
    assert TOKEN not in line


def _event(ends_at: datetime, retention_months: int | None = None) -> Event:
    return Event(starts_at=ends_at - timedelta(days=4), ends_at=ends_at, retention_months=retention_months)


@pytest.mark.parametrize(("ends", "months", "purged_on"), [
    (datetime(2026, 11, 6, 9, tzinfo=UTC), 24, datetime(2028, 11, 6, 9, tzinfo=UTC)),
    (datetime(2026, 8, 31, tzinfo=UTC), 6, datetime(2027, 2, 28, tzinfo=UTC)),  # no 31 February
    (datetime(2027, 12, 15, tzinfo=UTC), 1, datetime(2028, 1, 15, tzinfo=UTC)),
    (datetime(2027, 12, 15, tzinfo=UTC), 0, datetime(2027, 12, 15, tzinfo=UTC)),
])
def test_retention_counts_months_after_the_end(ends, months, purged_on):
    assert retention_ends(_event(ends, months), 99) == purged_on
    assert retention_ends(_event(ends), months) == purged_on  # the default when the event has none


def test_a_link_works_until_days_after_the_event_or_after_it_was_issued():
    ends = datetime(2026, 11, 6, tzinfo=UTC)
    registration = Registration(event=_event(ends))
    after = ends + timedelta(days=91)
    assert link_works(registration, None, days_after_event=90, now=ends + timedelta(days=89))
    assert not link_works(registration, None, days_after_event=90, now=after)
    assert link_works(registration, after - timedelta(days=1), days_after_event=90, now=after)  # issued again later
    registration.anonymised_at = ends
    assert not link_works(registration, None, days_after_event=90, now=ends)


def test_tokens_carry_the_id_and_maybe_the_issue_time_and_refuse_any_other_shape():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "unit"
    issued = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
    with app.app_context():
        from itsdangerous import URLSafeSerializer

        forge = URLSafeSerializer("unit", salt="participant-link").dumps
        assert read_token(participant_token(12)) == (12, None)
        assert read_token(participant_token(12, issued_at=issued)) == (12, issued)
        for payload in ("12", [12], [12, "x"], [12, 2**62], [12, -1], [2**40, 5], 2**31, 0, -3, True, [True, 5],
                        {"id": 12}, None):
            assert read_token(forge(payload)) is None
        assert read_token("garbage") is None and read_token(participant_token(12) + "x") is None
