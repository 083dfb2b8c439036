"""A message's audience read from a list page's address or a posted (editable) hidden field."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from app.services.mail import audiences


def test_the_attendee_lists_filter_is_kept_and_unknown_values_dropped():
    args = MultiDict({"status": "confirmed", "country": "ke", "organisation_type": "spaceship", "q": " Nairobi ",
                      "checked_in": "no", "sort": "name", "page": "3"})
    assert audiences.from_args(args) == {"source": "attendees", "q": "Nairobi", "country": "KE",
                                         "organisation_type": "", "status": "confirmed", "checked_in": "no"}
    assert audiences.from_args(MultiDict({"checked_in": "maybe"}))["checked_in"] == ""


def test_ticked_rows_keep_their_ids_once_and_only_numbers():
    args = MultiDict([("source", "ticked"), ("ids", "4"), ("ids", "x"), ("ids", "4"), ("ids", "9")])
    assert audiences.from_args(args) == {"source": "ticked", "ids": [4, 9]}


def test_a_tampered_stored_audience_is_read_back_safely():
    assert audiences.clean({"source": "applications", "status": "hired", "travel_granted": True}) == {
        "source": "applications", "q": "", "country": "", "organisation_type": "", "status": "",
        "travel": "", "travel_granted": "y"}
    assert audiences.clean("DROP TABLE") == {"source": "attendees", "q": "", "country": "",
                                             "organisation_type": "", "status": "", "checked_in": ""}
    assert audiences.clean({"source": "session", "session_id": "7; --", "place": "confirmed"}) == {
        "source": "session", "session_id": 0, "place": "confirmed"}
