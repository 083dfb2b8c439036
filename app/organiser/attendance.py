"""Who came on which day: the attendance matrix of an event and its export (CSV, XLSX)."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request

from app.extensions import db
from app.file_responses import csv_download, xlsx_download
from app.models import Event, utcnow
from app.organiser import bp
from app.organiser.access import event_or_404
from app.services import spreadsheets
from app.services.attendance import attendance_reports
from app.services.attendance.attendance import event_days
from app.services.numbers import small_int
from app.services.people.permissions import Capability


@bp.get("/events/<int:event_id>/attendance")
def attendance(event_id: int):
    event = event_or_404(event_id, Capability.SEE_ATTENDANCE)
    day, present = _day_filter(event)
    page = attendance_reports.attendance_page(
        db.session, event, page=small_int(request.args.get("page"), default=1),
        per_page=current_app.config["ATTENDEES_PER_PAGE"], day=day, present=present,
    )
    return render_template(
        "organiser/attendance.html",
        event=event,
        page=page,
        days=event_days(event),
        day=day,
        present=present,
        filters={"day": day.isoformat(), "present": "yes" if present else "no"} if day else {},
        totals=attendance_reports.daily_totals(db.session, event),
        session_totals=attendance_reports.session_totals(db.session, event),
        counts=attendance_reports.live_counts(db.session, event, utcnow()),
    )


def _day_filter(event: Event) -> tuple[date | None, bool | None]:
    """?day=2026-11-03&present=no: who has not come (yet) that day. Anything unreadable shows everyone."""
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return None, None
    present = {"yes": True, "no": False}.get(request.args.get("present", ""))
    if day not in event_days(event) or present is None:
        return None, None
    return day, present


@bp.get("/events/<int:event_id>/attendance.csv")
def attendance_csv(event_id: int):
    event = event_or_404(event_id, Capability.EXPORT)
    table = attendance_reports.export_table(db.session, event)
    return csv_download(spreadsheets.csv_chunks(table), f"{_export_name(event)}.csv")


@bp.get("/events/<int:event_id>/attendance.xlsx")
def attendance_xlsx(event_id: int):
    event = event_or_404(event_id, Capability.EXPORT)
    return xlsx_download([attendance_reports.export_table(db.session, event)], f"{_export_name(event)}.xlsx")


def _export_name(event: Event) -> str:
    return f"{event.slug}-attendance-{event.local(utcnow()):%Y-%m-%d}"
