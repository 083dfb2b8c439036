"""An event's "Form questions" page: the organiser builds the registration form's own questions,
previews it, and downloads the files participants sent with their answers."""

from __future__ import annotations

from typing import Literal, cast

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.actions import commit_or_flash, commit_or_show
from app.extensions import db
from app.file_responses import send_upload
from app.models import Event, Question, Upload, utcnow
from app.organiser import bp
from app.organiser.access import event_or_404, managed_event_or_404
from app.organiser.question_forms import QuestionForm
from app.public.question_fields import add_question_fields
from app.services.people.permissions import Capability
from app.services.questions import questions as question_service


def _managed_question_or_404(event_id: int, question_id: int) -> tuple[Event, Question]:
    event = managed_event_or_404(event_id)
    question = db.session.get(Question, question_id)
    if question is None or question.event_id != event.id or question.is_archived:
        abort(404)
    return event, question


@bp.get("/events/<int:event_id>/questions")
def questions(event_id: int):
    event = managed_event_or_404(event_id)
    return render_template(
        "organiser/questions.html",
        event=event,
        questions=question_service.active_questions(db.session, event.id),
        archived=question_service.archived_questions(db.session, event.id),
        counts=question_service.answer_counts(db.session, event.id),
        action_form=FlaskForm(),
    )


@bp.route("/events/<int:event_id>/questions/new", methods=["GET", "POST"])
def new_question(event_id: int):
    event = managed_event_or_404(event_id)
    existing = question_service.active_questions(db.session, event.id)
    form = QuestionForm(condition_choices=question_service.condition_choices(existing))
    if form.validate_on_submit() and commit_or_show(form, lambda: question_service.add_question(
            db.session, event.id, form.details())):
        flash(_("The question “%(question)s” is added at the end of the form.", question=form.label.data), "success")
        return redirect(url_for("organiser.questions", event_id=event.id))
    return _form_page(event, form, question=None)


@bp.route("/events/<int:event_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_question(event_id: int, question_id: int):
    event, question = _managed_question_or_404(event_id, question_id)
    existing = question_service.active_questions(db.session, event.id)
    form = QuestionForm(
        data=QuestionForm.values_of(question) if request.method == "GET" else None,
        condition_choices=question_service.condition_choices(existing, before=question),
    )
    if form.validate_on_submit() and commit_or_show(form, lambda: question_service.edit_question(
            db.session, question.id, form.details())):
        flash(_("The question is saved. Answers given before keep the wording they were given under."), "success")
        return redirect(url_for("organiser.questions", event_id=event.id))
    return _form_page(event, form, question=question)


@bp.post("/events/<int:event_id>/questions/<int:question_id>/move")
def move_question(event_id: int, question_id: int):
    event, question = _managed_question_or_404(event_id, question_id)
    form = FlaskForm()
    direction = request.form.get("direction")
    if form.validate_on_submit() and direction in ("up", "down"):
        commit_or_flash(lambda: question_service.move_question(
            db.session, question.id, cast(Literal["up", "down"], direction)))  # checked just above
    return redirect(url_for("organiser.questions", event_id=event.id) + f"#question-{question.id}")


@bp.route("/events/<int:event_id>/questions/<int:question_id>/remove", methods=["GET", "POST"])
def remove_question(event_id: int, question_id: int):
    event, question = _managed_question_or_404(event_id, question_id)
    form = FlaskForm()
    if form.validate_on_submit():
        label = question.label
        done = commit_or_flash(lambda: question_service.remove_question(db.session, question.id, now=utcnow()))
        if done:
            if done.value:
                flash(_("“%(question)s” is removed from the form. The answers already given are kept and still shown.",
                        question=label), "success")
            else:
                flash(_("“%(question)s” is removed from the form.", question=label), "success")
        return redirect(url_for("organiser.questions", event_id=event.id))
    count = question_service.answer_counts(db.session, event.id).get(question.id, 0)
    return render_template("organiser/question_remove.html", event=event, question=question, count=count, form=form)


@bp.get("/events/<int:event_id>/questions/preview")
def preview_questions(event_id: int):
    event = managed_event_or_404(event_id)
    event_questions = question_service.active_questions(db.session, event.id)
    form_class = type("PreviewForm", (FlaskForm,), {})
    add_question_fields(form_class, event_questions)
    return render_template("organiser/questions_preview.html", event=event, form=form_class(formdata=None))


@bp.get("/events/<int:event_id>/uploads/<int:upload_id>")
def download_upload(event_id: int, upload_id: int):
    # An answer's file: reviewers read them with the application, viewers with the registration.
    event = event_or_404(event_id, Capability.REVIEW, Capability.VIEW_LISTS)
    upload = db.session.get(Upload, upload_id)
    if upload is None or upload.registration.event_id != event.id:
        abort(404)
    return send_upload(upload)



def _form_page(event: Event, form: QuestionForm, *, question: Question | None):
    has_answers = question is not None and question_service.answer_counts(db.session, event.id).get(question.id, 0) > 0
    return render_template("organiser/question_form.html", event=event, form=form, question=question,
                           has_answers=has_answers), 422 if form.errors or form.form_errors else 200
