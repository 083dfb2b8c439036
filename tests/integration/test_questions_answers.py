"""Participants answer an event's own questions: typed, checked like the built-in fields, conditional,
editable from the personal link until registration closes, shown to organisers and exported."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Event, Registration, Upload, utcnow
from app.services.questions import uploads
from tests.conftest import csrf_token, link_in, start_writing
from tests.integration.questions_support import (  # noqa: F401
    PDF,
    a_file,
    add_question,
    answers_by_label,
    count,
    upload_folder,
)

EMAIL = "amina.diallo@example.org"


@pytest.fixture
def organiser(make_user, auth):
    user = make_user("organiser@wtanet.org", admin=True)
    auth.login("organiser@wtanet.org")
    return user


@pytest.fixture
def workshop(make_event):
    """A workshop whose form has one question of every kind, and a follow-up."""
    event = make_event()
    q = {}
    q["case"] = add_question(event, "long_text", "Describe your case", required=True)
    q["role"] = add_question(event, "short_text", "Your role")
    q["size"] = add_question(event, "single_choice", "Size of your park", options=["Small", "Medium", "Large"])
    q["sectors"] = add_question(event, "multiple_choice", "Your sectors", options=["ICT", "Agro-processing", "Energy"])
    q["travel"] = add_question(event, "yes_no", "Do you need travel support?", required=True)
    q["what_for"] = add_question(event, "long_text", "What do you need support for?", required=True,
                                 condition_question_id=q["travel"].id, condition_value="yes")
    q["tenants"] = add_question(event, "number", "Number of tenant companies", min_value=0, max_value=5000)
    q["opened"] = add_question(event, "date", "Date your park opened")
    q["passport"] = add_question(event, "country", "Country of your passport")
    q["slides"] = add_question(event, "file", "Case presentation")
    event.q = q
    return event


def answers(event: Event, **values) -> dict:
    """Form fields for the answers, by the short names of the workshop fixture."""
    return {event.q[name].field_name: value for name, value in values.items()}


GOOD = dict(case="Our park hosts 40 ICT firms.", role="Director", size="Medium", sectors=["ICT", "Energy"],
            travel="yes", what_for="Flight from Dakar", tenants="40", opened="2015-03-01", passport="SN")


def test_a_participant_answers_every_kind_and_the_organiser_reads_them(workshop, register, organiser, client,
                                                                       upload_folder):  # noqa: F811
    page = register(workshop, **answers(workshop, **GOOD, slides=a_file(PDF, "Dakar case.pdf")))

    assert b"You are registered" in page.data
    saved = answers_by_label(EMAIL)
    upload = db.session.scalar(sa.select(Upload))
    assert saved == {
        "Describe your case": "Our park hosts 40 ICT firms.", "Your role": "Director", "Size of your park": "Medium",
        "Your sectors": ["ICT", "Energy"], "Do you need travel support?": True,
        "What do you need support for?": "Flight from Dakar", "Number of tenant companies": 40,
        "Date your park opened": "2015-03-01", "Country of your passport": "SN",
        "Case presentation": {"upload_id": upload.id, "filename": "Dakar case.pdf", "size": len(PDF)},
    }
    assert upload.original_filename == "Dakar case.pdf" and upload.size == len(PDF)
    assert [p.name for p in upload_folder.iterdir()] == [upload.stored_name]  # a random name, no extension
    assert "Dakar" not in upload.stored_name

    reg = db.session.scalar(sa.select(Registration.id))
    detail = client.get(f"/admin/events/{workshop.id}/attendees/{reg}").get_data(as_text=True)
    for shown in ("Describe your case", "Our park hosts 40 ICT firms.", "ICT; Energy", "Yes", "1 March 2015",
                  "Senegal", "Dakar case.pdf"):
        assert shown in detail
    download = client.get(f"/admin/events/{workshop.id}/uploads/{upload.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == 'attachment; filename="Dakar case.pdf"'


def test_the_csv_and_the_attendee_list_show_the_answers(workshop, register, organiser, client):
    register(workshop, **answers(workshop, **GOOD))
    register(workshop, email="kim@example.org", **answers(workshop, case="=HYPERLINK(\"x\")", travel="no"))

    exported = client.get(f"/admin/events/{workshop.id}/attendees.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = {row["Email"]: row for row in csv.DictReader(io.StringIO(exported))}
    assert rows[EMAIL]["Describe your case"] == "Our park hosts 40 ICT firms."
    assert rows[EMAIL]["Your sectors"] == "ICT; Energy"
    assert rows[EMAIL]["Do you need travel support?"] == "Yes"
    assert rows[EMAIL]["Country of your passport"] == "Senegal"
    assert rows["kim@example.org"]["What do you need support for?"] == ""
    assert rows["kim@example.org"]["Describe your case"] == "'=HYPERLINK(\"x\")"  # no formula in a spreadsheet

    url = f"/admin/events/{workshop.id}/attendees"
    plain = client.get(url).get_data(as_text=True)
    assert "Answer columns" in plain and "<th scope=\"col\">Your sectors</th>" not in plain
    chosen = client.get(url, query_string={"col": [workshop.q["sectors"].id, workshop.q["travel"].id],
                                           "sort": "country"}).get_data(as_text=True)
    assert "<th scope=\"col\">Your sectors</th>" in chosen and "<th scope=\"col\">Do you need travel support?</th>" in chosen
    assert "ICT; Energy" in chosen
    assert f"col={workshop.q['sectors'].id}" in chosen  # sort and page links keep the chosen columns


def test_answer_columns_cost_the_same_queries_for_few_or_many_attendees(organiser, make_event, client, count_queries):
    from tests.integration.organiser_support import add_registrations

    urls = []
    for size in (3, 50):
        event = make_event(capacity=None)
        role = add_question(event, "short_text", "Your role")
        travel = add_question(event, "yes_no", "Travel support?")
        registrations = add_registrations(event, size)
        start_writing()
        for registration in registrations:
            db.session.add_all([
                Answer(registration_id=registration.id, question_id=role.id, value="Director", question_label="Your role"),
                Answer(registration_id=registration.id, question_id=travel.id, value=True, question_label="Travel support?"),
            ])
        db.session.commit()
        urls.append(f"/admin/events/{event.id}/attendees?col={role.id}&col={travel.id}")
    client.get("/admin/")

    assert count_queries(urls[0]) == count_queries(urls[1])
    assert client.get(urls[1]).get_data(as_text=True).count("<td class=\"answer\">Director</td>") == 50


@pytest.mark.parametrize(("values", "field", "message"), [
    (dict(case=""), "case", "Please answer this question."),
    (dict(travel=""), "travel", "Please answer yes or no."),
    (dict(travel="maybe"), "travel", "Please answer yes or no."),
    (dict(size="Huge"), "size", "Please choose one of the answers listed."),
    (dict(sectors=["ICT", "Mining"]), "sectors", "Please choose among the answers listed."),
    (dict(tenants="forty"), "tenants", "Enter a number using digits only, e.g. 1500 or 2.5."),
    (dict(tenants="9000"), "tenants", "Enter a number between 0 and 5000."),
    (dict(opened="2015-02-30"), "opened", "Write the date as YYYY-MM-DD (year-month-day), e.g. 2026-11-03."),
    (dict(passport="XX"), "passport", "Please choose a country from the list."),
    (dict(role="x" * 301), "role", "Please keep this answer under 300 characters."),
    (dict(what_for=""), "what_for", "Please answer this question."),  # required once travel is "yes"
])
def test_bad_answers_are_refused_next_to_their_field_and_nothing_is_saved(workshop, register, values, field,
                                                                         message, upload_folder):  # noqa: F811
    page = register(workshop, **answers(workshop, **(GOOD | values), slides=a_file(PDF)))

    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert f'id="{workshop.q[field].field_name}-error">{message}</p>' in html
    assert "Please correct the 1 field marked below." in html
    assert count(Registration) == count(Answer) == count(Upload) == 0
    # Only the PDF, kept for the next try so that it need not be chosen again, is on disk.
    assert [p.name for p in upload_folder.iterdir()] == [uploads.KEPT_FOLDER]
    assert "is kept — you do not need to choose it again" in html


def test_a_hidden_follow_up_is_neither_required_nor_saved(workshop, register):
    page = register(workshop, **answers(workshop, **(GOOD | dict(travel="no", what_for="Sent anyway"))))

    assert b"You are registered" in page.data
    saved = answers_by_label(EMAIL)
    assert saved["Do you need travel support?"] is False
    assert "What do you need support for?" not in saved


def test_the_participant_changes_answers_and_replaces_the_file_from_the_personal_link(
        workshop, register, deliver_emails, mailbox, client, upload_folder):  # noqa: F811
    register(workshop, **answers(workshop, **GOOD, slides=a_file(PDF, "first.pdf")))
    deliver_emails()
    link = link_in(mailbox.to(EMAIL)[0])
    first = db.session.scalar(sa.select(Upload.id))

    shown = client.get(link).get_data(as_text=True)
    assert "Your answers" in shown and "Flight from Dakar" in shown and "Change my answers" in shown
    own = client.get(f"{link}/uploads/{first}")
    assert own.status_code == 200 and own.data == PDF

    form = client.get(f"{link}/answers")
    assert "Flight from Dakar" in form.get_data(as_text=True)  # the form starts from the saved answers
    assert "Sent: first.pdf" in form.get_data(as_text=True)
    second_pdf = PDF.replace(b"/Count 0", b"/Count 0 /Note (v2)")
    data = answers(workshop, **(GOOD | dict(travel="no", role="Deputy director")), slides=a_file(second_pdf, "v2.pdf"))
    done = client.post(f"{link}/answers", data={**data, "csrf_token": csrf_token(form)}, follow_redirects=True)

    assert "Your answers are saved." in done.get_data(as_text=True)
    saved = answers_by_label(EMAIL)
    assert saved["Your role"] == "Deputy director" and saved["Do you need travel support?"] is False
    assert "What do you need support for?" not in saved  # hidden now: the old answer goes
    [second] = db.session.scalars(sa.select(Upload)).all()
    assert second.original_filename == "v2.pdf"
    assert [p.name for p in upload_folder.iterdir()] == [second.stored_name]  # the replaced file is deleted
    assert client.get(f"{link}/uploads/{first}").status_code == 404

    # Saving again without choosing a file keeps the file.
    form = client.get(f"{link}/answers")
    client.post(f"{link}/answers", data={**answers(workshop, **(GOOD | dict(travel="no"))),
                                         "csrf_token": csrf_token(form)})
    assert answers_by_label(EMAIL)["Case presentation"]["filename"] == "v2.pdf"


def test_a_bad_change_is_refused_and_the_saved_answers_stay(workshop, register, deliver_emails, mailbox, client):
    register(workshop, **answers(workshop, **GOOD))
    deliver_emails()
    link = link_in(mailbox.to(EMAIL)[0])
    form = client.get(f"{link}/answers")
    bad = client.post(f"{link}/answers", data={**answers(workshop, **(GOOD | dict(tenants="-3", role="Changed"))),
                                               "csrf_token": csrf_token(form)})
    assert bad.status_code == 422
    assert "Enter a number between 0 and 5000." in bad.get_data(as_text=True)
    assert answers_by_label(EMAIL)["Your role"] == "Director"


def test_a_new_pdf_on_the_answers_page_is_kept_through_another_answers_error(
        workshop, register, deliver_emails, mailbox, client, upload_folder):  # noqa: F811
    register(workshop, **answers(workshop, **GOOD, slides=a_file(PDF, "first.pdf")))
    deliver_emails()
    link = link_in(mailbox.to(EMAIL)[0])
    form = client.get(f"{link}/answers")
    second_pdf = PDF.replace(b"/Count 0", b"/Count 0 /Note (v2)")

    bad = client.post(f"{link}/answers", data={
        **answers(workshop, **(GOOD | dict(tenants="-3")), slides=a_file(second_pdf, "v2.pdf")),
        "csrf_token": csrf_token(form)})

    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "<strong>v2.pdf</strong> is kept" in html
    kept = re.search(rf'name="{workshop.q["slides"].field_name}_kept" type="hidden" value="([^"]+)"', html).group(1)
    client.post(f"{link}/answers", data={**answers(workshop, **GOOD), f"{workshop.q['slides'].field_name}_kept": kept,
                                         "csrf_token": csrf_token(bad)})
    [upload] = db.session.scalars(sa.select(Upload)).all()
    assert upload.original_filename == "v2.pdf" and (upload_folder / upload.stored_name).read_bytes() == second_pdf


def test_answers_cannot_change_after_registration_closes(workshop, register, deliver_emails, mailbox, client):
    register(workshop, **answers(workshop, **GOOD))
    deliver_emails()
    link = link_in(mailbox.to(EMAIL)[0])
    form = client.get(f"{link}/answers")
    start_writing()
    db.session.get(Event, workshop.id).registration_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    assert "Change my answers" not in client.get(link).get_data(as_text=True)
    late = client.post(f"{link}/answers", data={**answers(workshop, **(GOOD | dict(role="Too late"))),
                                                "csrf_token": csrf_token(form)}, follow_redirects=True)
    assert "Registration has closed, so your answers can no longer be changed." in late.get_data(as_text=True)
    assert answers_by_label(EMAIL)["Your role"] == "Director"


def test_uploads_are_only_served_to_their_own_personal_link(workshop, register, deliver_emails, mailbox, client,
                                                             upload_folder):  # noqa: F811
    register(workshop, **answers(workshop, **GOOD, slides=a_file(PDF)))
    register(workshop, email="kim@example.org", **answers(workshop, **GOOD))
    deliver_emails()
    amina, kim = link_in(mailbox.to(EMAIL)[0]), link_in(mailbox.to("kim@example.org")[0])
    upload = db.session.scalar(sa.select(Upload))

    assert client.get(f"{amina}/uploads/{upload.id}").status_code == 200
    assert client.get(f"{kim}/uploads/{upload.id}").status_code == 404
    assert client.get(f"{amina[:-2]}xx/uploads/{upload.id}").status_code == 404
    assert client.get(f"/static/../instance/uploads/{upload.stored_name}").status_code == 404
    assert client.get(f"/admin/events/{workshop.id}/uploads/{upload.id}").status_code == 302  # sign in first


def _people_with_answers(make_event, *sizes: int) -> list:
    """One registration per size, each at its own event with that many questions answered."""
    from tests.integration.organiser_support import add_registrations

    people = []
    for size in sizes:
        event = make_event()
        questions = [add_question(event, "short_text", f"Question {i}") for i in range(size)]
        registration = add_registrations(event, 1)[0]
        start_writing()
        db.session.add_all(Answer(registration_id=registration.id, question_id=q.id, value="An answer",
                                  question_label=q.label) for q in questions)
        db.session.commit()
        people.append(registration)
    return people


def test_the_personal_page_costs_the_same_queries_for_few_or_many_answers(make_event, client, count_queries):
    """Its answers, documents and application are read by the view, a fixed number of queries."""
    from app.services.registration.tokens import participant_token

    urls = [f"/r/{participant_token(r.id)}" for r in _people_with_answers(make_event, 1, 6)]
    client.get(urls[0])  # the first request warms caches that later ones do not need

    assert count_queries(urls[0]) == count_queries(urls[1])
    assert client.get(urls[1]).get_data(as_text=True).count("An answer") == 6


def test_the_organisers_registration_page_costs_the_same_queries_for_few_or_many_answers(organiser, make_event,
                                                                                          client, count_queries):
    urls = [f"/admin/events/{r.event_id}/attendees/{r.id}" for r in _people_with_answers(make_event, 1, 6)]
    client.get("/admin/")  # the first request warms caches that later ones do not need

    assert count_queries(urls[0]) == count_queries(urls[1])
    assert client.get(urls[1]).get_data(as_text=True).count("An answer") == 6
