"""Reviewing at committee scale: going through the list from an application's page (next / previous in the
list's order and filters), decisions on the whole filtered selection, bulk travel support, the travel budget.

The list's query string travels with the reviewer: the list links each application with it, the application
page passes it on to its neighbours and back to the list, so the order and filters are the list's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.actions import commit_or_flash, commit_or_show, flash_if_refused
from app.extensions import db
from app.models import Event, TravelDecision, utcnow
from app.organiser import bp
from app.organiser.access import event_or_404
from app.organiser.application_forms import ApplicationFilterForm, TravelBudgetForm, TravelBulkForm
from app.redirects import safe_next_url
from app.services.applications import review_progress, selection, travel_budget, travel_bulk, travel_support
from app.services.applications.application_list import matching_ids
from app.services.applications.review_navigation import Neighbours, neighbours
from app.services.numbers import small_int
from app.services.people.permissions import Capability
from app.services.registration.attendees import countries_present


def list_filters(event: Event, args: MultiDict) -> ApplicationFilterForm:
    """The applications list's filters read from a query string, "me" being the signed-in reviewer."""
    return ApplicationFilterForm(args, countries_present(db.session, event.id), reviewer_id=current_user.id)


@dataclass(frozen=True)
class Walk:
    """Where an application sits in the list the reviewer came from, and the links either side."""

    neighbours: Neighbours
    args: dict  # the list's query string (without its page): passed on from page to page
    list_url: str
    previous_url: str | None
    next_url: str | None


def walk(event: Event, registration_id: int) -> Walk:
    filters = list_filters(event, request.args)
    args = filters.args(page=None)
    found = neighbours(db.session, event.id, filters.application_query(), registration_id)

    def page_of(other: int | None) -> str | None:
        return None if other is None else url_for("organiser.review_application", event_id=event.id,
                                                  registration_id=other, **args)

    page = found.page(current_app.config["ATTENDEES_PER_PAGE"])
    back = {**args, "page": page} if page > 1 else args  # the page of the list this one is on
    return Walk(found, args, url_for("organiser.applications", event_id=event.id, **back),
                page_of(found.previous_id), page_of(found.next_id))


def selected_ids(event: Event, form) -> tuple[list[int], ApplicationFilterForm | None]:
    """The ids a bulk action applies to: the ticked rows, or (scope "all") everything the list's filters match,
    every page. Returns the filters too, to say on the confirmation page what was matched."""
    if form.scope.data != "all":
        return posted_ids(), None
    filters = list_filters(event, MultiDict(parse_qsl(form.filters.data or "")))
    ids = list(db.session.scalars(matching_ids(event.id, filters.application_query())))
    return sorted(ids), filters


def same_selection(event: Event, form, ids: list[int]) -> tuple[list[int], ApplicationFilterForm | None] | None:
    """On confirming a decision on a whole filtered selection: None if the filters still match exactly the
    ids confirmed, else what they match now. Carrying the ids makes the action apply to exactly the people
    listed on the confirmation page; checking the filters again catches an application that arrived, or
    changed, in between: the organiser is shown the new selection instead of deciding on what they did not see."""
    if form.scope.data != "all":
        return None
    current, filters = selected_ids(event, form)
    if current == ids:
        return None
    flash(_("The applications matching the filters changed since you looked (%(then)s then, %(now)s now). "
            "Check the selection below and confirm again.", then=len(ids), now=len(current)), "error")
    return current, filters


def posted_ids() -> list[int]:
    """The repeated `registration` values: the ticked rows, or the ids listed on a confirmation page."""
    return sorted({n for n in map(small_int, request.form.getlist("registration")) if n is not None})


@bp.post("/events/<int:event_id>/applications/travel")
def decide_travel_in_bulk(event_id: int):
    """Grant or decline travel support for the selection: step one shows who and the budget after, step two does it."""
    event = event_or_404(event_id, Capability.DECIDE)
    if not event.takes_applications:
        abort(404)
    form = TravelBulkForm()
    prefix = url_for("organiser.applications", event_id=event.id)
    back = safe_next_url(request.form.get("next"), fallback=prefix, under=prefix)
    if not form.validate_on_submit():
        flash(_("Choose a travel-support decision for the selected applications."), "error")
        return redirect(back)
    decision = TravelDecision(form.travel_decision.data)
    currency = form.travel_currency.data or "USD"
    note = form.travel_note.data or ""
    if form.confirmed.data:
        ids = posted_ids()
        changed = same_selection(event, form, ids)
        if changed is None:
            def decide() -> travel_bulk.TravelPlan:
                amount = travel_support.parse_amount(form.travel_amount.data, field="granted_amount")
                return travel_bulk.decide(db.session, event.id, ids, decision=decision, granted_amount=amount,
                                          granted_currency=currency, note=note,
                                          actor=current_user._get_current_object(), now=utcnow())
            done = commit_or_flash(decide)
            if done:
                plan = done.value
                count, emails = len(plan.to_decide), plan.emails
                saved = ngettext("Travel support: “%(decision)s” saved for %(num)d applicant",
                                 "Travel support: “%(decision)s” saved for %(num)d applicants", count,
                                 decision=decision.label)
                told = ngettext(", and %(num)d email is on the way", ", and %(num)d emails are on the way",
                                emails) if emails else ""
                flash(f"{saved}{told}.", "success")
                warn_if_over_budget(event)
            return redirect(back)
        ids, filters = changed
    else:
        ids, filters = selected_ids(event, form)

    def planned_decision() -> travel_bulk.TravelPlan:
        amount = travel_support.parse_amount(form.travel_amount.data, field="granted_amount")
        return travel_bulk.plan(db.session, event, ids, decision=decision, granted_amount=amount,
                                granted_currency=currency, note=note)
    planned = flash_if_refused(planned_decision)
    if planned is None:
        return redirect(back)
    return render_template("organiser/applications_travel_confirm.html", event=event, plan=planned.value,
                           decision=decision, ids=ids, form=form, back=back, filters=filters,
                           overview=selection.overview(db.session, event))


@bp.post("/events/<int:event_id>/selection/budget")
def set_travel_budget(event_id: int):
    event = event_or_404(event_id, Capability.MANAGE)
    if not event.takes_applications:
        abort(404)
    form = TravelBudgetForm()
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: travel_budget.set_budget(
            db.session, event, amount_text=form.amount.data or "", currency=form.currency.data or "USD"))
        if done:
            flash(_("The travel budget is saved.") if event.travel_budget_amount is not None
                  else _("The travel budget is removed."), "success")
            warn_if_over_budget(event)
            return redirect(url_for("organiser.selection_overview", event_id=event.id))
    extras = {**selection_page_extras(event), "budget_form": form}  # the organiser's input, with its message
    return render_template("organiser/selection.html", event=event, overview=selection.overview(db.session, event),
                           **extras), 422


def warn_if_over_budget(event: Event) -> None:
    """After a decision: say so if the grants are now past the budget (a warning, the decision stands)."""
    budget = travel_budget.budget_of(db.session, event)
    if budget.exceeded and budget.left is not None:
        flash(_("Travel support granted is now %(spent)s, over the budget of %(budget)s by %(over)s.",
                spent=budget.text(budget.spent), budget=budget.text(budget.amount), over=budget.text(-budget.left)),
              "warning")


def budget_form(event: Event) -> TravelBudgetForm:
    amount = event.travel_budget_amount
    return TravelBudgetForm(formdata=None, data={"amount": f"{amount:.2f}" if amount is not None else "",
                                                 "currency": event.travel_budget_currency})


def selection_page_extras(event: Event) -> dict:
    """What the selection page shows besides the overview: each reviewer's progress, the travel budget."""
    return {"progress": review_progress.progress(db.session, event),
            "budget": travel_budget.budget_of(db.session, event), "budget_form": budget_form(event)}


def list_query_string(filters: ApplicationFilterForm) -> str:
    """The list's filters for a bulk action on all they match (without page, sort and direction)."""
    return urlencode(filters.args(page=None, sort=None, dir=None), doseq=True)


