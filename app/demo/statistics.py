"""Demo data for the statistics: the gender question asked at the international workshop and the forums
(answered the way people do: mostly, not always), and people who come back to the forum edition after
edition, so the series page's "returning participants" has something to show."""

from __future__ import annotations

import random

from app.models import Event, Gender, Registration

# Shares of the answers; the rest leave the question unanswered.
GENDER_SHARES = {Gender.WOMAN: 0.44, Gender.MAN: 0.48, Gender.ANOTHER: 0.01, Gender.UNDISCLOSED: 0.03}
RETURNING_SHARE = 0.2  # of an older forum edition's people, who come again to a later one
IDENTITY = ("title", "given_name", "family_name", "single_name", "name_order", "passport_given_name",
            "passport_family_name", "email", "organisation", "position", "organisation_type", "country")


def add_statistics_data(events_asking_gender: list[Event], forums: list[Event], registrations: list[Registration],
                        *, rng: random.Random) -> None:
    asking = {event.id for event in events_asking_gender}
    for event in events_asking_gender:
        event.asks_gender = True
    genders, weights = zip(*GENDER_SHARES.items(), strict=True)
    for registration in registrations:
        if registration.event.id in asking and rng.random() < sum(weights):
            registration.gender = rng.choices(genders, weights)[0]
    _returning_people(sorted(forums, key=lambda e: e.starts_at), registrations, rng)


def _returning_people(forums: list[Event], registrations: list[Registration], rng: random.Random) -> None:
    """Some of each older edition's people are someone who also comes to a later one (same email): only
    the editions before the last finished one change, so the other demo pages keep their people."""
    by_event: dict[int, list[Registration]] = {}
    for registration in registrations:
        by_event.setdefault(registration.event.id, []).append(registration)
    for index, edition in enumerate(forums[:-2]):
        later = [r for e in forums[index + 1:] for r in by_event.get(e.id, [])]
        own = by_event.get(edition.id, [])
        taken = {r.email for r in own}
        for registration, model in zip(rng.sample(own, int(len(own) * RETURNING_SHARE)),
                                       rng.sample(later, len(later)), strict=False):
            if model.email in taken:
                continue
            taken.add(model.email)
            for name in IDENTITY:
                setattr(registration, name, getattr(model, name))
