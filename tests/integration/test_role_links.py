"""Every link a team member is shown opens: a reviewer, check-in staff or a viewer clicks through every organiser
page they can reach from their dashboard, and none answers "You do not have access to this page" (403) or
"Page not found". A link to a page the role may not open is a button that only says no."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

import pytest

from app.models import ApplicationStatus, RegistrationMode, TeamRole
from tests.integration.applications_support import add_applications
from tests.integration.organiser_support import add_registrations, add_to_team

_HREF = re.compile(r'href="(/admin/[^"]*)"')
# Downloads are links too, but answer files: they are opened (status only), not read for more links.
_FILES = re.compile(r"\.(csv|xlsx|pdf|zip|ics)(\?|$)|/download|/files/")


def reachable(client, start: str = "/admin/", limit: int = 400) -> dict[str, tuple[int, str]]:
    """Every /admin/ page linked from `start`, followed breadth-first: url → (status, the page it was on)."""
    seen: dict[str, tuple[int, str]] = {}
    queue = [(start, "")]
    while queue and len(seen) < limit:
        url, source = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        body = response.get_data(as_text=True)  # read to the end: a streamed download closes its context then
        response.close()
        seen[url] = (response.status_code, source)
        if response.status_code != 200 or _FILES.search(url) or "html" not in response.content_type:
            continue
        for href in _HREF.findall(body):
            target = urldefrag(href.replace("&amp;", "&"))[0]
            if target not in seen and urlsplit(target).path != "/admin/logout":
                queue.append((target, url))
    return seen


# Managers too, once by hand (257 pages, none refused): too slow to run each time.
@pytest.mark.parametrize("role", [TeamRole.REVIEWER, TeamRole.CHECK_IN, TeamRole.VIEWER])
def test_every_link_a_team_member_sees_opens(role, make_event, make_user, auth, client):
    workshop = make_event(title="Selection workshop", registration_mode=RegistrationMode.APPLICATION)
    add_applications(workshop, 2)
    add_applications(workshop, 1, status=ApplicationStatus.ACCEPTED)
    forum = make_event(title="Open forum")
    add_registrations(forum, 2)
    member = make_user("member@wtanet.org", admin=False, name="Team Member")
    for event in (workshop, forum):
        add_to_team(event, member, role)
    auth.login("member@wtanet.org")

    pages = reachable(client)

    refused = {url: found for url, found in pages.items() if found[0] not in (200, 302)}
    assert refused == {}
    assert len(pages) > 3  # it did get somewhere


def test_a_reviewer_on_an_event_without_applications_is_told_there_is_nothing_to_review(
    make_event, make_user, auth, client
):
    forum = make_event(title="Open forum")
    add_to_team(forum, make_user("rita@wtanet.org", admin=False, name="Rita Review"), TeamRole.REVIEWER)
    auth.login("rita@wtanet.org")

    dashboard = client.get("/admin/").get_data(as_text=True)

    row = dashboard[dashboard.index("Open forum") - 200:]
    assert "it takes no applications:" in row
    assert f"/admin/events/{forum.id}/" not in dashboard  # the title led to the attendance page: a 403
