"""The personal link: the participant's answers to the event's questions, editable until
registration closes, and their own uploaded files."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app import limits
from app.actions import commit_or_show
from app.extensions import db
from app.file_responses import send_upload
from app.forms import TrimmedForm
from app.models import Answer, QuestionKind, utcnow
from app.participant import bp
from app.participant.routes import _registration_or_404
from app.public.question_fields import (
    add_question_fields,
    cleaned_answers,
    keep_chosen_files,
    release_kept_files,
    upload_quota,
)
from app.services.questions import answers as answer_service
from app.services.questions import questions as question_service


@bp.route("/<token>/answers", methods=["GET", "POST"])
@limits.per_client("UPLOAD_RATE_LIMIT")
@limits.per_link("UPLOAD_LINK_RATE_LIMIT")
def edit_answers(token: str):
    registration = _registration_or_404(token)
    event = registration.event
    back = url_for("participant.show", token=token) + "#answers"
    if not registration.can_edit_answers(utcnow()):
        flash(_("Registration has closed, so your answers can no longer be changed. "
                "Please write to the organisers if something important has changed."), "error")
        return redirect(back)
    questions = question_service.active_questions(db.session, event.id)
    if not questions:
        return redirect(back)
    saved = db.session.scalars(sa.select(Answer).where(Answer.registration_id == registration.id)).all()
    form_class = type("AnswersForm", (TrimmedForm,), {})
    add_question_fields(form_class, questions)
    form = form_class(data=answer_service.raw_values(questions, saved))
    form.kept_files = {a.question_id for a in saved if a.question.kind is QuestionKind.FILE}
    if form.validate_on_submit():
        def save() -> None:
            answer_service.update(db.session, registration.id, questions, cleaned_answers(form),
                                  upload_folder=current_app.config["UPLOAD_FOLDER"], now=utcnow(),
                                  upload_quota=upload_quota())
            release_kept_files(db.session, form)

        if commit_or_show(form, save):
            flash(_("Your answers are saved."), "success")
            return redirect(back)
    if form.is_submitted():
        keep_chosen_files(form)  # a new PDF is not lost to another answer's error
    current_files = {a.question_id: answer_service.display(a.question.kind, a.value)
                     for a in saved if a.question.kind is QuestionKind.FILE}
    return render_template("participant/answers_form.html", registration=registration, event=event, token=token,
                           form=form, current_files=current_files), 422 if form.errors or form.form_errors else 200


@bp.get("/<token>/uploads/<int:upload_id>")
def download_upload(token: str, upload_id: int):
    registration = _registration_or_404(token)
    upload = answer_service.upload_of_registration(db.session, registration.id, upload_id)
    if upload is None:
        abort(404)
    return send_upload(upload)
