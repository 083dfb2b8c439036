"""Application factory."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from config import CONFIGS, DEV_SECRET_KEY, Config

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: str | type[Config] | dict | None = None) -> Flask:
    """Build the app. `config` is a name from config.CONFIGS, a config class, or a dict of
    overrides on top of TestingConfig (handy in tests); by default APP_CONFIG or development."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    _load_config(app, config)
    Path(app.instance_path).mkdir(exist_ok=True)
    app.session_interface = _KeptSigningSessions()

    from app import extensions
    from app.database import configure_engine

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(ROOT / "migrations"))
    extensions.mail.init_app(app)
    extensions.csrf.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.limiter.init_app(app)
    from app import i18n

    i18n.init_app(app)
    from app import limits

    limits.init_app(app)  # the client address behind trusted proxies; a warning when limits are per process
    with app.app_context():
        configure_engine(extensions.db.engine)

    from app import auth, cli, errors, fixed_parts, input_guard, organiser, participant, public, security_headers, web

    input_guard.init_app(app)  # first: its id converter must be in place before the blueprints add their rules
    web.init_app(app)
    security_headers.init_app(app)
    fixed_parts.init_app(app)
    errors.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(participant.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(organiser.bp)
    app.register_blueprint(cli.bp)

    from app import log_redaction

    log_redaction.install(app.logger)  # personal-link tokens never reach a log (docs/security.md)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return app


class _KeptSigningSessions(SecureCookieSessionInterface):
    """Flask's signed session cookie, its signing serializer made once per set of keys. Flask makes one to read
    the cookie and another to write it on every request, and itsdangerous tests each new one's JSON serializer
    by dumping {}. The same cookies, signed with the same keys: a change of SECRET_KEY (or its fallbacks) makes
    a new one."""

    def __init__(self) -> None:
        self._kept: tuple[tuple[Any, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = self._kept
        if kept is None or kept[0] != keys:
            kept = self._kept = (keys, super().get_signing_serializer(app))
        return kept[1]


def _load_config(app: Flask, config: str | type[Config] | dict | None) -> None:
    if isinstance(config, dict):
        app.config.from_object(CONFIGS["testing"])
        app.config.update(config)
    else:
        if config is None:
            config = os.environ.get("APP_CONFIG", "development")
        app.config.from_object(CONFIGS[config] if isinstance(config, str) else config)
    if app.config.get("ENV_NAME") == "production":
        _refuse_weak_secret(app)


def _refuse_weak_secret(app: Flask) -> None:
    secret = app.config.get("SECRET_KEY")
    if not secret or secret == DEV_SECRET_KEY or len(secret) < 16:
        raise RuntimeError(
            "SECRET_KEY must be set to a long random value in production "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
