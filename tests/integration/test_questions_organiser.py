"""Organisers build an event's own questions: add each kind, check, reorder, edit, remove, preview."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Question, QuestionKind, Registration
from tests.conftest import csrf_token
from tests.integration.organiser_support import add_manager, post_action, post_form
from tests.integration.questions_support import add_question, answers_by_label, count, upload_folder  # noqa: F401


@pytest.fixture
def organiser(make_user, auth):
    user = make_user("organiser@wtanet.org", admin=True)
    auth.login("organiser@wtanet.org")
    return user


def question_form(**overrides) -> dict:
    data = {"kind": "short_text", "label": "Your role in the park", "help_text": "", "options": "",
            "min_value": "", "max_value": "", "condition": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def questions_of(event) -> list[Question]:
    return list(db.session.scalars(
        sa.select(Question).where(Question.event_id == event.id, Question.archived_at.is_(None))
        .order_by(Question.position)))


def test_an_organiser_builds_a_form_with_every_kind_of_question(organiser, make_event, client):
    event = make_event()
    new = f"/admin/events/{event.id}/questions/new"
    kinds = {
        "short_text": dict(label="Your role in the park"),
        "long_text": dict(label="Describe your case", help_text="About 150 words.", required="y"),
        "single_choice": dict(label="Size of your park", options="Small\nMedium\nLarge"),
        "multiple_choice": dict(label="Your sectors", options="ICT\nAgro-processing\nEnergy\n"),
        "yes_no": dict(label="Do you need travel support?", required="y"),
        "number": dict(label="Number of tenant companies", min_value="0", max_value="5000"),
        "date": dict(label="Date your park opened"),
        "country": dict(label="Country of your passport"),
        "file": dict(label="Case presentation"),
    }
    for kind, fields in kinds.items():
        done = post_form(client, new, question_form(kind=kind, **fields), follow_redirects=True)
        assert f"The question “{fields['label']}” is added".encode() in done.data

    page = client.get(f"/admin/events/{event.id}/questions")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for kind, fields in kinds.items():
        assert fields["label"] in text and QuestionKind(kind).label in text
    assert [q.kind.value for q in questions_of(event)] == list(kinds)
    assert questions_of(event)[2].options == ["Small", "Medium", "Large"]
    assert (questions_of(event)[5].min_value, questions_of(event)[5].max_value) == (0, 5000)

    preview = client.get(f"/admin/events/{event.id}/questions/preview").get_data(as_text=True)
    public = client.get(f"/events/{event.slug}").get_data(as_text=True)
    for html in (preview, public):
        assert "Describe your case" in html and "Date your park opened (optional)" in html
        assert 'placeholder="YYYY-MM-DD"' in html and 'type="file"' in html and 'accept="application/pdf,.pdf"' in html
        assert 'type="radio"' in html and 'type="checkbox"' in html
    assert 'enctype="multipart/form-data"' in public


def test_a_follow_up_question_only_shows_for_one_answer(organiser, make_event, client):
    event = make_event()
    travel = add_question(event, "yes_no", "Do you need travel support?")
    page = client.get(f"/admin/events/{event.id}/questions/new")
    assert f'value="{travel.id}:yes"'.encode() in page.data  # offered as a condition

    post_form(client, f"/admin/events/{event.id}/questions/new",
              question_form(kind="long_text", label="What for?", condition=f"{travel.id}:yes"))

    follow_up = questions_of(event)[1]
    assert (follow_up.condition_question_id, follow_up.condition_value) == (travel.id, "yes")
    public = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f'data-condition-field="q_{travel.id}" data-condition-value="yes"' in public
    assert "Only if “Do you need travel support?” is Yes" in public  # read without JavaScript


@pytest.mark.parametrize(("fields", "field", "message"), [
    (dict(label=""), "label", "Please write the question."),
    (dict(kind="single_choice", options="Only one"), "options", "Give at least two choices, one per line."),
    (dict(kind="multiple_choice", options="ICT\nict"), "options", "The choice “ict” is listed twice."),
    (dict(kind="number", min_value="10", max_value="1"), "min_value", "The smallest allowed number is larger"),
    (dict(kind="number", min_value="ten"), "min_value", "Enter a number, e.g. 0 or 1500"),
    (dict(kind="essay"), "kind", "Please choose one of the types listed."),
    (dict(condition="99999:yes"), "condition", "A question can only depend on an earlier yes/no"),
])
def test_bad_questions_are_refused_next_to_the_field(organiser, make_event, client, fields, field, message):
    event = make_event()
    response = post_form(client, f"/admin/events/{event.id}/questions/new", question_form(**fields))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error">{message}' in html.replace("&#34;", '"')
    assert count(Question) == 0


def test_questions_move_up_and_down_but_a_follow_up_stays_below_its_condition(organiser, make_event, client):
    event = make_event()
    first = add_question(event, "short_text", "First")
    travel = add_question(event, "yes_no", "Travel?")
    follow = add_question(event, "short_text", "What for?", condition_question_id=travel.id, condition_value="yes")
    url = f"/admin/events/{event.id}/questions"

    post_action(client, url, f"{url}/{travel.id}/move", direction="up")
    assert [q.label for q in questions_of(event)] == ["Travel?", "First", "What for?"]
    post_action(client, url, f"{url}/{first.id}/move", direction="down")
    assert [q.label for q in questions_of(event)] == ["Travel?", "What for?", "First"]

    refused = post_action(client, url, f"{url}/{follow.id}/move", direction="up")
    assert "must stay below it" in refused.get_data(as_text=True)
    assert [q.label for q in questions_of(event)] == ["Travel?", "What for?", "First"]
    assert client.post(f"{url}/{first.id}/move", data={"direction": "up"}).status_code == 400  # no CSRF


def test_removing_asks_first_and_keeps_answers_readable(organiser, make_event, client, register):
    event = make_event()
    unanswered = add_question(event, "short_text", "Never answered")
    role = add_question(event, "short_text", "Your role")
    register(event, **{f"q_{role.id}": "Park director"})
    url = f"/admin/events/{event.id}/questions"

    confirm = client.get(f"{url}/{role.id}/remove")
    assert "1 participant has answered it" in confirm.get_data(as_text=True)
    assert len(questions_of(event)) == 2  # the GET changes nothing
    done = client.post(f"{url}/{role.id}/remove", data={"csrf_token": csrf_token(confirm)}, follow_redirects=True)
    assert "The answers already given are kept" in done.get_data(as_text=True)
    post_action(client, f"{url}/{unanswered.id}/remove", f"{url}/{unanswered.id}/remove")

    assert questions_of(event) == []
    assert count(Question) == 1  # the answered one is archived, the other deleted
    assert "Your role" not in client.get(f"/events/{event.slug}").get_data(as_text=True)
    reg = db.session.scalar(sa.select(Registration.id))
    detail = client.get(f"/admin/events/{event.id}/attendees/{reg}").get_data(as_text=True)
    assert "Your role" in detail and "Park director" in detail and "(question removed since)" in detail
    assert "Your role (removed)" in client.get(f"/admin/events/{event.id}/attendees.csv").get_data(as_text=True)


def test_a_question_others_depend_on_cannot_be_removed(organiser, make_event, client):
    event = make_event()
    travel = add_question(event, "yes_no", "Travel?")
    add_question(event, "short_text", "What for?", condition_question_id=travel.id, condition_value="yes")
    url = f"/admin/events/{event.id}/questions/{travel.id}/remove"
    done = post_action(client, url, url)
    assert "“What for?” depends on the answer to this question" in done.get_data(as_text=True)
    assert len(questions_of(event)) == 2


def test_editing_a_question_keeps_the_old_answers_readable(organiser, make_event, client, register):
    event = make_event()
    size = add_question(event, "single_choice", "Size of your park", options=["Small", "Large"])
    register(event, **{f"q_{size.id}": "Small"})
    edit = f"/admin/events/{event.id}/questions/{size.id}/edit"
    assert "Small\nLarge" in client.get(edit).get_data(as_text=True)  # the form shows the question as it is

    changed_kind = post_form(client, edit, question_form(kind="short_text", label="Size"))
    assert "its type cannot change" in changed_kind.get_data(as_text=True)

    post_form(client, edit, question_form(kind="single_choice", label="How many companies are in your park?",
                                          options="Fewer than 20\n20 or more"))

    assert answers_by_label("amina.diallo@example.org") == {"Size of your park": "Small"}
    reg = db.session.scalar(sa.select(Registration.id))
    detail = client.get(f"/admin/events/{event.id}/attendees/{reg}").get_data(as_text=True)
    assert "Size of your park" in detail and "Small" in detail
    assert "now “How many companies are in your park?”" in detail


def test_another_organiser_sees_none_of_it(make_user, auth, make_event, client, register, upload_folder):  # noqa: F811
    from tests.integration.questions_support import PDF, a_file

    owner = make_user("owner@wtanet.org", admin=False)
    make_user("other@wtanet.org", admin=False)
    event = make_event()
    add_manager(event, owner)
    role = add_question(event, "short_text", "Your role")
    slides = add_question(event, "file", "Slides")
    register(event, **{f"q_{slides.id}": a_file(PDF)})
    upload_id = answers_by_label("amina.diallo@example.org")["Slides"]["upload_id"]
    auth.login("other@wtanet.org")

    base = f"/admin/events/{event.id}"
    for path in ("/questions", "/questions/new", "/questions/preview", f"/questions/{role.id}/edit",
                 f"/questions/{role.id}/remove", f"/uploads/{upload_id}"):
        assert client.get(base + path).status_code == 404, path
    token_page = client.get("/admin/")
    for path in (f"/questions/{role.id}/move", f"/questions/{role.id}/remove", "/questions/new"):
        response = client.post(base + path, data={"csrf_token": csrf_token(token_page), "direction": "up",
                                                  **question_form()})
        assert response.status_code == 404, path
    assert [q.label for q in questions_of(event)] == ["Your role", "Slides"]

    auth.logout()
    auth.login("owner@wtanet.org")
    assert client.get(f"{base}/uploads/{upload_id}").status_code == 200
    other_event = make_event()
    add_manager(other_event, owner)
    assert client.get(f"/admin/events/{other_event.id}/uploads/{upload_id}").status_code == 404


@pytest.mark.parametrize(("fields", "field", "message"), [
    (dict(kind="single_choice", options="\n".join(f"Choice {n}" for n in range(41))), "options",
     "Give at most 40 choices."),
    (dict(kind="multiple_choice", options="ICT\n" + "x" * 201), "options",
     "Please keep each choice under 200 characters."),
    (dict(label="x" * 301), "label", "Field cannot be longer than 300 characters."),
    (dict(help_text="x" * 501), "help_text", "Field cannot be longer than 500 characters."),
])
def test_the_question_editor_refuses_what_is_past_its_limits(organiser, make_event, client, fields, field, message):
    event = make_event()
    response = post_form(client, f"/admin/events/{event.id}/questions/new", question_form(**fields))
    assert response.status_code == 422
    assert f'id="{field}-error">{message}' in response.get_data(as_text=True)
    assert count(Question) == 0


def test_a_form_holds_at_most_60_questions(organiser, make_event, client):
    event = make_event()
    for n in range(60):
        add_question(event, "short_text", f"Question {n}")

    response = post_form(client, f"/admin/events/{event.id}/questions/new", question_form())

    assert response.status_code == 422
    assert "<p>A form can have at most 60 questions. Remove one first.</p>" in response.get_data(as_text=True)
    assert count(Question) == 60


def test_a_condition_on_an_answer_the_question_does_not_have_is_refused(organiser, make_event, client):
    event = make_event()
    travel = add_question(event, "yes_no", "Do you need travel support?")

    response = post_form(client, f"/admin/events/{event.id}/questions/new",
                         question_form(label="What for?", condition=f"{travel.id}:maybe"))

    assert response.status_code == 422
    assert ('id="condition-error">“maybe” is not one of the answers to “Do you need travel support?”.'
            in response.get_data(as_text=True))
    assert count(Question) == 1


def test_a_choice_a_follow_up_waits_for_cannot_be_edited_away(organiser, make_event, client):
    event = make_event()
    size = add_question(event, "single_choice", "Size of your park", options=["Small", "Large"])
    add_question(event, "short_text", "How many hectares?", condition_question_id=size.id, condition_value="Large")
    url = f"/admin/events/{event.id}/questions/{size.id}/edit"

    response = post_form(client, url, question_form(kind="single_choice", label="Size of your park",
                                                    options="Small\nMedium"))

    assert response.status_code == 422
    assert ('id="options-error">“How many hectares?” is shown only when the answer here is “Large”. Keep that '
            "answer possible, or change that question&#39;s condition first.") in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Question, size.id).options == ["Small", "Large"]
