"""The wording of an event's documents, and the signature and stamp its visa letters print."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.actions import commit_or_flash, commit_or_show
from app.extensions import db
from app.models import DocumentImageKind, DocumentSettings, utcnow
from app.organiser import bp
from app.organiser.access import managed_event_or_404
from app.organiser.document_forms import SignatureImagesForm, WordingForm
from app.services.documents import document_images
from app.services.documents.document_wording import (
    EDITED_LANGUAGE,
    PLACEHOLDERS,
    Wording,
    save_settings,
    settings_for,
)
from app.services.documents.visa_letter_pdf import overflow_problem


@bp.route("/events/<int:event_id>/documents/wording", methods=["GET", "POST"])
def document_wording(event_id: int):
    event = managed_event_or_404(event_id)
    settings = settings_for(db.session, event, language=EDITED_LANGUAGE)
    form = WordingForm(data=WordingForm.values_of(settings))
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: save_settings(db.session, event, form.wording(), today=event.local(utcnow()).date()))
        if done:
            flash(_("The wording is saved. Preview the documents below before sending them."), "success")
            return redirect(url_for("organiser.documents", event_id=event_id) + "#wording")
    return _wording_page(event, form, SignatureImagesForm(formdata=None))


def _wording_page(event, form: WordingForm, images_form: SignatureImagesForm):
    failed = form.errors or form.form_errors or images_form.errors or images_form.form_errors
    saved = db.session.get(DocumentSettings, event.id)
    # Wording saved before letters were kept to one page (or before the event got a longer title)
    # may no longer fit: say so where it can be fixed.
    letter_warning = (overflow_problem(event, Wording(**WordingForm.values_of(saved)), today=event.local(utcnow()).date())
                      if saved is not None and not failed else None)
    return render_template(
        "organiser/documents_wording.html", event=event, form=form, images_form=images_form,
        images=document_images.images_of(db.session, event.id), placeholders=PLACEHOLDERS,
        letter_warning=letter_warning,
        copy_from=document_images.edition_to_copy_from(db.session, event, actor=current_user._get_current_object()),
    ), (422 if failed else 200)


@bp.post("/events/<int:event_id>/documents/images")
def document_images_update(event_id: int):
    """The signature and stamp printed on the visa letters: upload, replace or remove."""
    event = managed_event_or_404(event_id)
    form = SignatureImagesForm()
    if form.validate_on_submit():
        chosen = {kind: form[kind.value].data.stream for kind in DocumentImageKind
                  if form[kind.value].data and form[kind.value].data.filename}
        remove = {kind for kind in DocumentImageKind if form["remove_" + kind.value].data}
        if not chosen and not remove:
            form.form_errors.append(_("Choose a signature or stamp image to upload, or tick one to remove."))
        else:
            done = commit_or_show(form, lambda: document_images.update_images(
                db.session, current_app.config["UPLOAD_FOLDER"], event, chosen=chosen, remove=remove,
                actor=current_user._get_current_object(), now=utcnow()))
            if done:
                flash(_("The signature and stamp are saved. Preview the visa letter to see them in place."), "success")
                return redirect(url_for("organiser.document_wording", event_id=event.id) + "#signature-images")
    settings = settings_for(db.session, event, language=EDITED_LANGUAGE)
    return _wording_page(event, WordingForm(formdata=None, data=WordingForm.values_of(settings)), form)


@bp.post("/events/<int:event_id>/documents/images/copy")
def document_images_copy(event_id: int):
    """Another edition of the series already has the signature and stamp: use them here too."""
    event = managed_event_or_404(event_id)
    form = FlaskForm()
    actor = current_user._get_current_object()
    source = document_images.edition_to_copy_from(db.session, event, actor=actor)
    if form.validate_on_submit() and source is not None:
        done = commit_or_flash(lambda: document_images.copy_images(
            db.session, current_app.config["UPLOAD_FOLDER"], event, source, actor=actor, now=utcnow()))
        if done:
            flash(_("The %(images)s of %(source)s are now this event's too.",
                    images=_(" and ").join(kind.label.lower() for kind in done.value), source=source.title), "success")
    return redirect(url_for("organiser.document_wording", event_id=event.id) + "#signature-images")


@bp.get("/events/<int:event_id>/documents/images/<kind>")
def document_image(event_id: int, kind: str):
    event = managed_event_or_404(event_id)
    known = {k.value: k for k in DocumentImageKind}
    image_kind = known.get(kind)
    image = document_images.images_of(db.session, event.id).get(image_kind) if image_kind is not None else None
    path = document_images.path_of(current_app.config["UPLOAD_FOLDER"], image) if image else None
    if image is None or path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=image.content_type, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
