"""An event's statistics page, its participation report (PDF, XLSX) and the finance export (XLSX).

Manager-only, like every page of an event (managed_event_or_404): the page shows aggregates only, and the
gender question's answers never appear one by one here or in the reports."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence

from flask import render_template, request
from flask_babel import force_locale, get_locale

from app.extensions import db
from app.file_responses import pdf_download, xlsx_download
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES
from app.models import Event, utcnow
from app.organiser import bp
from app.organiser.access import managed_event_or_404
from app.services.documents.pdf import render_pdf
from app.services.spreadsheets import Table, Value
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
    # The report goes to UNESCO and funders in English and to Korean partners in Korean: ?lang= picks it,
    # whatever language the organiser reads the pages in.
    with force_locale(_report_language()):
        stats = event_statistics(db.session, event)
        # A workshop's 20-60 people (or a forum's 1,000) make a few pages; tens of thousands would take
        # WeasyPrint minutes: past the limit the PDF points to the XLSX for the list.
        listed = stats.participants <= participation_report.PDF_LIST_LIMIT
        pdf = render_pdf("participation_report.html", event=event, stats=stats, charts=event_charts(stats),
                         summary=participation_report.summary_rows(stats), made_at=utcnow(),
                         participants=participation_report.participants(db.session, event) if listed else None)
    return pdf_download(pdf, f"{_file_name(event, 'participation-report')}.pdf")


@bp.get("/events/<int:event_id>/statistics/participation-report.xlsx")
def participation_report_xlsx(event_id: int):
    event = managed_event_or_404(event_id)
    language = _report_language()
    with force_locale(language):
        stats = event_statistics(db.session, event)
        charts = event_charts(stats)
    tables = _in_language(participation_report.report_tables(db.session, stats, charts), language)
    return xlsx_download(tables, f"{_file_name(event, 'participation-report')}.xlsx")


def _report_language() -> str:
    """?lang=ko or ?lang=en; without it (or with another), the language the pages are shown in."""
    chosen = request.args.get("lang", "")
    return chosen if chosen in LANGUAGES else str(get_locale() or DEFAULT_LANGUAGE)


def _in_language(tables: Iterable[Table], language: str) -> Iterator[Table]:
    """The tables, and their rows as the download reads them (still streamed), made in `language`."""
    with force_locale(language):
        for table in tables:
            yield dataclasses.replace(table, rows=_rows_in_language(table.rows, language))


def _rows_in_language(rows: Iterable[Sequence[Value]], language: str) -> Iterator[Sequence[Value]]:
    with force_locale(language):
        yield from rows


@bp.get("/events/<int:event_id>/statistics/finance.xlsx")
def finance_xlsx(event_id: int):
    event = managed_event_or_404(event_id)
    return xlsx_download(finance_export.finance_tables(db.session, event), f"{_file_name(event, 'finance')}.xlsx")


def _file_name(event: Event, what: str) -> str:
    return f"{event.slug}-{what}-{event.local(utcnow()):%Y-%m-%d}"
