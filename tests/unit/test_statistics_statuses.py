"""Every status a registration or an application can have is named on the statistics page: a status added
later (lapsed and duplicate came with the selection tools) must not break the page."""

from app.models import ApplicationStatus, RegistrationStatus
from app.services.statistics import event_statistics


def test_every_application_status_has_a_place_in_the_breakdown():
    for status in ApplicationStatus:
        assert event_statistics._APPLICATION_STATUSES[status] in event_statistics.STATUS_ORDER, status


def test_every_registration_status_has_a_place_in_the_breakdown():
    for status in RegistrationStatus:
        assert event_statistics._OPEN_EVENT_STATUSES[status] in event_statistics.STATUS_ORDER, status
