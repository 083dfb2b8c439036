"""The personal link: everything held about the person (a page and JSON), and asking for its deletion."""

from __future__ import annotations

import json

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.actions import commit_or_flash
from app.extensions import db
from app.file_responses import download_response
from app.models import utcnow
from app.participant import bp
from app.participant.routes import _registration_or_404
from app.services.privacy import requests
from app.services.privacy.anonymise import can_be_anonymised
from app.services.privacy.export import DETAIL_LABELS, LABELS, data_of


def _no_store(response):
    response.headers["Cache-Control"] = "private, no-store"  # personal data: not kept by browsers or proxies
    return response


@bp.get("/<token>/my-data")
def my_data(token: str):
    registration = _registration_or_404(token)
    data = data_of(db.session, registration)
    return _no_store(make_response(render_template("participant/my_data.html", registration=registration,
                                                 event=registration.event, token=token, data=data, labels=LABELS,
                                                 detail_labels=DETAIL_LABELS)))


@bp.get("/<token>/my-data.json")
def my_data_json(token: str):
    registration = _registration_or_404(token)
    text = json.dumps(data_of(db.session, registration), ensure_ascii=False, indent=2)
    return _no_store(download_response(text, f"my-data-{registration.reference}.json", "application/json"))


@bp.route("/<token>/delete-my-data", methods=["GET", "POST"])
def request_deletion(token: str):
    registration = _registration_or_404(token)
    form = FlaskForm()
    if form.validate_on_submit():
        done = commit_or_flash(lambda: requests.request_deletion(db.session, registration, now=utcnow()))
        if done:
            flash(_("We have your request. The organisers will delete your data and this link will then stop "
                    "working."), "success")
        return redirect(url_for("participant.my_data", token=token))
    return render_template("participant/delete_my_data.html", registration=registration, event=registration.event,
                           token=token, form=form, waits_for_cancel=not can_be_anonymised(registration, utcnow()))
