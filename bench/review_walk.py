"""Next / previous on an application's page for a big list: the windowed query against reading every id.

Run: `.venv/bin/python bench/review_walk.py [--applications 5000] [--sort score] [--backend sqlite]`. SQLite in a
temporary file, or PostgreSQL on 127.0.0.1:5432 in a private database (migrated as in production); prints the time per page for review_navigation.neighbours() (one ROW_NUMBER query) and, as the
baseline in the same run, for reading the whole filtered list's ids in order into Python and finding the
neighbours there. Both must agree on every application tried.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--tries", type=int, default=40)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--sort", choices=["score", "name", "submitted", "country"], default="score")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from app import create_app
    from app.database import begin_write
    from app.extensions import db
    from app.models import (
        Application,
        Event,
        EventKind,
        EventStatus,
        OrganisationType,
        Registration,
        RegistrationMode,
        RegistrationStatus,
        Review,
        User,
        utcnow,
    )
    from app.services.applications.application_list import ApplicationQuery, matching_ids, order_keys
    from app.services.applications.review_navigation import neighbours

    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        if args.backend == "postgresql":
            from harness import private_database

            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{stack.enter_context(private_database())}"
        else:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            rng = random.Random(13)
            now = utcnow()
            begin_write(db.session)
            reviewer = User(email="bench@wtanet.org", name="Bench", password_hash="x", is_admin=True)
            event = Event(kind=EventKind.INTERNATIONAL_WORKSHOP, title="Bench workshop", slug="bench", code="BW26",
                          country="KR", starts_at=now + timedelta(days=60), ends_at=now + timedelta(days=62),
                          registration_opens_at=now - timedelta(days=1), registration_closes_at=now + timedelta(days=50),
                          status=EventStatus.PUBLISHED, registration_mode=RegistrationMode.APPLICATION,
                          contact_email="bench@wtanet.org")
            db.session.add_all([reviewer, event])
            db.session.flush()
            for i in range(args.applications):
                registration = Registration(
                    event_id=event.id, reference=f"BW26-{i:05d}", status=RegistrationStatus.APPLIED,
                    given_name=f"Given{i}", family_name=f"Family{rng.randrange(10**6):06d}", email=f"p{i}@example.org",
                    organisation="Park", organisation_type=OrganisationType.SCIENCE_PARK,
                    country=rng.choice(["KE", "GH", "VN", "KR", "PE"]), consent_at=now, created_at=now)
                application = Application(registration=registration, submitted_at=now + timedelta(seconds=i))
                db.session.add(application)
                if rng.random() < 0.5:
                    db.session.add(Review(application=application, reviewer_id=reviewer.id, score=rng.randint(1, 5)))
            db.session.commit()

            query = ApplicationQuery(country="KE", sort=args.sort)
            listed = list(db.session.scalars(matching_ids(event.id, query).order_by(*order_keys(query))))
            tries = rng.sample(listed, min(args.tries, len(listed)))

            def read_every_id(registration_id: int) -> tuple[int | None, int | None]:
                ids = list(db.session.scalars(matching_ids(event.id, query).order_by(*order_keys(query))))
                at = ids.index(registration_id)
                return ids[at - 1] if at else None, ids[at + 1] if at + 1 < len(ids) else None

            neighbours(db.session, event.id, query, tries[0])  # warm both up: compiled statements, caches
            read_every_id(tries[0])

            started = time.perf_counter()
            windowed = [neighbours(db.session, event.id, query, registration_id) for registration_id in tries]
            window_seconds = (time.perf_counter() - started) / len(tries)

            started = time.perf_counter()
            naive = [read_every_id(registration_id) for registration_id in tries]
            naive_seconds = (time.perf_counter() - started) / len(tries)

            assert [(n.previous_id, n.next_id) for n in windowed] == naive, "the two ways disagree"
            print(f"{args.backend}: {args.applications} applications, {len(listed)} in the filtered list (country KE, by {args.sort})")
            print(f"neighbours(), one windowed query: {window_seconds * 1000:.1f} ms per page")
            print(f"baseline, every id read into Python: {naive_seconds * 1000:.1f} ms per page")
            print(f"ratio: {window_seconds / naive_seconds:.2f} (below 1: faster than the baseline)")
            db.engine.dispose()


if __name__ == "__main__":
    main()
