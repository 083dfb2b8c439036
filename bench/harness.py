"""Set-up for bench/registration_rush.py: a private database, its events, gunicorn servers."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from load import children

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))  # the app's own models create the events

SERVER = "postgresql://postgres@127.0.0.1:5432"
VENV_BIN = ROOT / ".venv" / "bin"


@contextlib.contextmanager
def private_database():
    name = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database: str) -> dict:
    return os.environ | {
        "APP_CONFIG": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}",
        "PYTHONDONTWRITEBYTECODE": "1",
        # The rush comes from one address faster than any person: the limits and the minimum fill time would
        # refuse it. Lifted so the benchmark measures the app itself (README "Limits").
        "RATELIMIT_ENABLED": "false",
    }


def create_events(database_url: str, seats: int, slugs: list[str]) -> dict[str, int]:
    """Open, published events, written through the app's own models."""
    from datetime import timedelta

    from app import create_app
    from app.database import begin_write
    from app.extensions import db
    from app.models import Event, EventKind, EventStatus, utcnow

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    now = utcnow()
    with app.app_context():
        begin_write(db.session)
        events = [
            Event(kind=EventKind.FORUM, title=f"Daejeon Global Innovation Forum ({slug})", slug=slug, code="DGIF26",
                  summary="Bench event.", venue="DCC", city="Daejeon", country="KR", timezone="Asia/Seoul",
                  starts_at=now + timedelta(days=60), ends_at=now + timedelta(days=62),
                  registration_opens_at=now - timedelta(days=1), registration_closes_at=now + timedelta(days=50),
                  capacity=seats, waiting_list_enabled=True, status=EventStatus.PUBLISHED,
                  contact_email="forum@wtanet.org")
            for slug in slugs
        ]
        db.session.add_all(events)
        db.session.commit()
        ids = {event.slug: event.id for event in events}
        db.engine.dispose()
    return ids


def extracted(revision: str) -> Path:
    """The code of a git revision in a temporary folder (the same .venv), to measure it in the same run."""
    import tarfile
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="bench_before_"))
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True, capture_output=True).stdout
    with tempfile.TemporaryFile() as tar_file:
        tar_file.write(archive)
        tar_file.seek(0)
        with tarfile.open(fileobj=tar_file) as tar:
            tar.extractall(root, filter="data")
    (root / ".venv").symlink_to((ROOT / ".venv").resolve())
    return root


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app_spec: str, env: dict, workers: int, log: Path, pythonpath: Path | None = None,
             cwd: Path = ROOT):
    port = free_port()
    command = [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", app_spec]
    if pythonpath:
        command[1:1] = ["--pythonpath", str(pythonpath)]
    with open(log, "ab") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while len(children(process.pid)) < workers or not _accepts(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn {app_spec} did not start; see {log}")
            time.sleep(0.1)
        yield process, port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _accepts(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
