"""An event's statistics page, its participation report (PDF, XLSX) and the finance export (XLSX).

Manager-only, like every page of an event (managed_event_or_404): the page shows aggregates only, and the
gender question's answers never appear one by one here or in the reports."""

from __future__ import annotations

from flask import render_template

from app.extensions import db
from app.file_responses import pdf_download, xlsx_download
from app.models import Event, utcnow
from app.organiser import bp
from app.organiser.access import managed_event_or_404
from app.services.documents.pdf import render_pdf
from app.services.statistics import finance_export, participation_report
from app.services.statistics.charts import event_charts
from app.services.statistics.event_statistics import event_statistics


@bp.get("/events/<int:event_id>/statistics")
def statistics(event_id: int):
    event = managed_event_or_404(event_id)
    stats = event_statistics(db.session, event)
    return render_template("organiser/statistics.html", event=event, stats=stats, charts=event_charts(stats),
                           summary=participation_report.summary_rows(stats))


@bp.get("/events/<int:event_id>/statistics/participation-report.pdf")
def participation_report_pdf(event_id: int):
    event = managed_event_or_404(event_id)
    stats = event_statistics(db.session, event)
    # A workshop's 20-60 people (or a forum's 1,000) make a few pages; tens of thousands would take WeasyPrint
    # minutes: past the limit the PDF points to the XLSX for the list.
    listed = stats.participants <= participation_report.PDF_LIST_LIMIT
    pdf = render_pdf("participation_report.html", event=event, stats=stats, charts=event_charts(stats),
                     summary=participation_report.summary_rows(stats), made_at=utcnow(),
                     participants=participation_report.participants(db.session, event) if listed else None)
    return pdf_download(pdf, f"{_file_name(event, 'participation-report')}.pdf")


@bp.get("/events/<int:event_id>/statistics/participation-report.xlsx")
def participation_report_xlsx(event_id: int):
    event = managed_event_or_404(event_id)
    stats = event_statistics(db.session, event)
    tables = participation_report.report_tables(db.session, stats, event_charts(stats))
    return xlsx_download(tables, f"{_file_name(event, 'participation-report')}.xlsx")


@bp.get("/events/<int:event_id>/statistics/finance.xlsx")
def finance_xlsx(event_id: int):
    event = managed_event_or_404(event_id)
    return xlsx_download(finance_export.finance_tables(db.session, event), f"{_file_name(event, 'finance')}.xlsx")


def _file_name(event: Event, what: str) -> str:
    return f"{event.slug}-{what}-{event.local(utcnow()):%Y-%m-%d}"
