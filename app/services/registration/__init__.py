"""Registering and the waiting list: register, cancel, promote, references, the event lock, availability,
the attendee list and the personal-link tokens."""
