"""Selecting participants: the applications list, one application's review page, decisions, exports."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.actions import commit_or_flash, commit_or_show, flash_if_refused
from app.extensions import db
from app.file_responses import csv_download, xlsx_download
from app.models import Event, Registration, RegistrationStatus, TravelDecision, TravelSupportRequest, utcnow
from app.organiser import application_review as review
from app.organiser import bp
from app.organiser.access import event_or_404, registration_or_404
from app.organiser.application_forms import DecisionForm, ReviewForm, TravelBulkForm, TravelDecisionForm
from app.organiser.selection_forms import DuplicateForm
from app.redirects import safe_next_url
from app.services import spreadsheets
from app.services.applications import applications as application_service
from app.services.applications import duplicates, selection, selection_export, travel_budget
from app.services.applications import reviews as review_service
from app.services.applications import travel_support as travel_service
from app.services.applications.application_list import application_page
from app.services.applications.applications import Decision
from app.services.errors import DomainError
from app.services.people.permissions import Capability
from app.services.questions.answers import answers_of


def _application_event_or_404(event_id: int, capability: Capability, *alternatives: Capability) -> Event:
    event = event_or_404(event_id, capability, *alternatives)
    if not event.takes_applications:
        abort(404)
    return event


@bp.get("/events/<int:event_id>/applications")
def applications(event_id: int):
    event = _application_event_or_404(event_id, Capability.REVIEW, Capability.VIEW_LISTS)
    filters = review.list_filters(event, request.args)
    page = application_page(db.session, event.id, filters.application_query(), page=filters.page,
                            per_page=current_app.config["ATTENDEES_PER_PAGE"], reviewer_id=current_user.id)
    return render_template("organiser/applications.html", event=event, filters=filters, page=page,
                           overview=selection.overview(db.session, event), decision_form=DecisionForm(),
                           travel_form=TravelBulkForm(formdata=None), list_args=filters.args(page=None),
                           all_filters=review.list_query_string(filters),
                           budget=travel_budget.budget_of(db.session, event), now=utcnow())


@bp.post("/events/<int:event_id>/applications/decide")
def decide_applications(event_id: int):
    """Step one shows what would happen (and how many emails go out); step two, confirmed, does it."""
    event = _application_event_or_404(event_id, Capability.DECIDE)
    form = DecisionForm()
    back = _back_to_list(event.id)
    if not form.validate_on_submit():
        flash(_("Choose what to do with the selected applications."), "error")
        return redirect(back)
    decision = Decision(form.decision.data)
    if form.confirmed.data:
        # Exactly the ids listed on the confirmation page, unless the filters now match others
        # (review.same_selection says why): then the confirmation is shown again.
        ids = review.posted_ids()
        changed = review.same_selection(event, form, ids)
        if changed is None:
            done = commit_or_flash(lambda: application_service.decide(
                db.session, event.id, ids, decision, actor=current_user._get_current_object(), now=utcnow()))
            if done:
                count = len(done.value)
                flash(_done_message(decision, count), "success")
            return redirect(back)
        ids, filters = changed
    else:
        ids, filters = review.selected_ids(event, form)
    planned = flash_if_refused(lambda: application_service.plan_decision(db.session, event, ids, decision))
    if planned is None:
        return redirect(back)
    plan = planned.value
    pending_travel = _pending_travel(plan.to_change) if decision is Decision.ACCEPT else 0
    return render_template("organiser/applications_confirm.html", event=event, plan=plan, decision=decision,
                           ids=ids, form=form, back=back, pending_travel=pending_travel, filters=filters,
                           overview=selection.overview(db.session, event))


@bp.route("/events/<int:event_id>/applications/<int:registration_id>", methods=["GET", "POST"])
def review_application(event_id: int, registration_id: int):
    # Viewers read the application; scoring it takes a reviewer (or a manager).
    needed = (Capability.REVIEW,) if request.method == "POST" else (Capability.REVIEW, Capability.VIEW_LISTS)
    event, registration = registration_or_404(event_id, registration_id, *needed)
    application = registration.application
    if application is None or not event.takes_applications:
        abort(404)
    reviews = review_service.reviews_of(db.session, application.id)
    mine = next((r for r in reviews if r.reviewer_id == current_user.id), None)
    form = ReviewForm(data={"score": str(mine.score) if mine and mine.score else None, "notes": mine.notes if mine else ""}
                      if request.method == "GET" else None)
    walk = review.walk(event, registration_id)  # before saving: "next" is the next in the list as it was read
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: review_service.save_review(
            db.session, application.id, reviewer=current_user._get_current_object(),
            score=form.score_value(), notes=form.notes.data or "", now=utcnow()))
        if done:
            if request.form.get("then") != "next":
                flash(_("Your review is saved."), "success")
                return redirect(url_for("organiser.review_application", event_id=event.id,
                                        registration_id=registration_id, **walk.args))
            if walk.next_url is None:
                flash(_("Your review is saved. That was the last application in the list."), "success")
                return redirect(walk.list_url)
            flash(_("Your review of %(name)s is saved.", name=registration.full_name), "success")
            return redirect(walk.next_url)
    return _review_page(event, registration, form=form, travel_form=None, walk=walk)


@bp.post("/events/<int:event_id>/applications/<int:registration_id>/travel")
def decide_travel_support(event_id: int, registration_id: int):
    event, registration = registration_or_404(event_id, registration_id, Capability.DECIDE)
    if registration.application is None or not event.takes_applications:
        abort(404)
    form = TravelDecisionForm()
    if form.validate_on_submit():
        def decide() -> None:
            amount = travel_service.parse_amount(form.granted_amount.data, field="granted_amount")
            try:
                decision = TravelDecision(form.decision.data)
            except ValueError:
                raise DomainError(_("Choose a decision.")) from None
            travel_service.decide(
                db.session, registration.id, decision=decision, granted_amount=amount,
                granted_currency=form.granted_currency.data, note=form.note.data or "",
                actor=current_user._get_current_object(), now=utcnow(),
            )

        if commit_or_show(form, decide):
            review.warn_if_over_budget(event)
            flash(_("The travel-support decision is saved. They are being emailed about it.")
                  if registration.status is RegistrationStatus.CONFIRMED
                  else _("The travel-support decision is saved. Their acceptance email will state it."), "success")
            query = request.query_string.decode()  # the list the reviewer came from
            return redirect(url_for("organiser.review_application", event_id=event.id, registration_id=registration_id)
                            + (f"?{query}" if query else ""))
    return _review_page(event, registration, form=ReviewForm(formdata=None), travel_form=form,
                        walk=review.walk(event, registration_id))


@bp.get("/events/<int:event_id>/selection")
def selection_overview(event_id: int):
    event = _application_event_or_404(event_id, Capability.DECIDE)
    return render_template("organiser/selection.html", event=event, overview=selection.overview(db.session, event),
                           **review.selection_page_extras(event))


@bp.get("/events/<int:event_id>/applications/accepted.csv")
def accepted_csv(event_id: int):
    event = _application_event_or_404(event_id, Capability.EXPORT)
    table = selection_export.accepted_table(db.session, event)
    return csv_download(spreadsheets.csv_chunks(table), f"{_export_name(event)}.csv")


@bp.get("/events/<int:event_id>/applications/accepted.xlsx")
def accepted_xlsx(event_id: int):
    event = _application_event_or_404(event_id, Capability.EXPORT)
    return xlsx_download(selection_export.workbook_tables(db.session, event), f"{_export_name(event)}.xlsx")


def _review_page(event: Event, registration: Registration, *, form: ReviewForm, travel_form: TravelDecisionForm | None,
                 walk: review.Walk, duplicate_form: DuplicateForm | None = None):
    application = registration.application
    assert application is not None  # both callers answered 404 without one
    reviews = review_service.reviews_of(db.session, application.id)
    travel = registration.travel_support
    if travel_form is None and travel is not None:
        travel_form = TravelDecisionForm(formdata=None, data={
            "decision": travel.decision.value,
            "granted_amount": f"{travel.granted_amount:.2f}" if travel.granted_amount is not None else "",
            "granted_currency": travel.granted_currency if travel.is_granted else travel.estimated_currency,
            "note": travel.note,
        })
    scores = [r.score for r in reviews if r.score is not None]
    status = 422 if form.errors or form.form_errors or (travel_form is not None and travel_form.errors) \
        or (duplicate_form is not None and (duplicate_form.errors or duplicate_form.form_errors)) else 200
    return render_template(
        "organiser/application.html", event=event, registration=registration, application=application,
        reviews=reviews, average=sum(scores) / len(scores) if scores else None, form=form, travel=travel,
        travel_form=travel_form, decision_form=DecisionForm(),
        overview=selection.overview(db.session, event),
        shown_answers=answers_of(db.session, registration.id), walk=walk,
        duplicate_form=duplicate_form or DuplicateForm(formdata=None),
        duplicate_candidates=duplicates.candidates(db.session, registration), now=utcnow(),
    ), status


def _pending_travel(to_accept: list) -> int:
    """How many of them asked for travel support not decided yet: their email will say it is still open."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(TravelSupportRequest).where(
            TravelSupportRequest.registration_id.in_([a.registration_id for a in to_accept]),
            TravelSupportRequest.decision == TravelDecision.PENDING,
        )
    ) or 0


def _done_message(decision: Decision, count: int) -> str:
    # One whole sentence per decision: the verb's place differs between languages.
    if decision is Decision.ACCEPT:
        return ngettext("Done: %(num)d application accepted, and %(num)d email is on the way.",
                        "Done: %(num)d applications accepted, and %(num)d emails are on the way.", count)
    if decision is Decision.WAITLIST:
        return ngettext("Done: %(num)d application put on the reserve list, and %(num)d email is on the way.",
                        "Done: %(num)d applications put on the reserve list, and %(num)d emails are on the way.", count)
    return ngettext("Done: %(num)d application declined, and %(num)d email is on the way.",
                    "Done: %(num)d applications declined, and %(num)d emails are on the way.", count)


def _export_name(event: Event) -> str:
    return f"{event.slug}-accepted-travel-support-{event.local(utcnow()):%Y-%m-%d}"


def _back_to_list(event_id: int) -> str:
    """Back where the decision was asked: the list with its filters, or the application's page."""
    prefix = url_for("organiser.applications", event_id=event_id)
    return safe_next_url(request.form.get("next"), fallback=prefix, under=prefix)

