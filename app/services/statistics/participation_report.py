"""The participation report WTA sends to UNESCO and its funders after a workshop: the figures and charts
of the statistics page and the participants by country and organisation, as XLSX (one sheet per table,
the participants streamed in batches) and as PDF (templates/documents/participation_report.html)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from app.database import Session
from app.models import Event, NameOrder, OrganisationType, Registration, Title
from app.models.names import titled, written_name
from app.services.countries import country_name
from app.services.spreadsheets import Table, Value
from app.services.statistics.charts import Chart
from app.services.statistics.classification import groups_of
from app.services.statistics.event_statistics import EventStatistics, group_label

BATCH_SIZE = 500
PDF_LIST_LIMIT = 3000  # participants listed by name in the PDF; the XLSX lists everyone
_NOT_IN_SHEET_NAMES = re.compile(r"[:\\/?*\[\]]")


def _sheet_name(title: str) -> str:
    """Excel refuses : \\ / ? * [ ] in a sheet's name (and cuts it at 31 characters, spreadsheets.xlsx_file)."""
    return _NOT_IN_SHEET_NAMES.sub("", title.replace("Participants by ", "By "))


def summary_rows(stats: EventStatistics) -> list[tuple[str, int]]:
    attendance = stats.attendance
    return [
        (_("Participants (with a place)"), stats.participants),
        (_("Countries"), stats.countries),
        (_("Attended at least one day"), attendance.attended),
        (_("No-shows"), attendance.no_shows),
        (_("Certificates issued"), attendance.certificates),
        (_("Certificate rate (%)"), attendance.certificate_percent),
    ]


@dataclass(frozen=True)
class Participant:
    """One line of the report's list: only the columns it prints (loading whole registrations, with their
    event joined to each, cost five times as much at 20,000 people)."""

    country: str
    organisation: str
    organisation_type: OrganisationType
    title: Title | None
    given_name: str
    family_name: str
    position: str
    name_order: NameOrder
    single_name: bool

    @property
    def display_name(self) -> str:
        return titled(self.title, written_name(self.given_name, self.family_name, self.name_order,
                                               single=self.single_name))


def participants(session: Session, event: Event, *, batch_size: int = BATCH_SIZE) -> Iterator[Participant]:
    """People with a place, by country and organisation: the list at the end of the report, read in batches."""
    columns = (Registration.country, Registration.organisation, Registration.organisation_type, Registration.title,
               Registration.given_name, Registration.family_name, Registration.position, Registration.name_order,
               Registration.single_name)
    statement = (
        sa.select(*columns).where(Registration.event_id == event.id, Registration.has_place)
        .order_by(Registration.country, sa.func.lower(Registration.organisation),
                  Registration.sort_name, Registration.id)
        .execution_options(yield_per=batch_size)
    )
    for row in session.execute(statement).tuples():
        yield Participant(*row)


def report_tables(session: Session, stats: EventStatistics, charts: list[Chart], *,
                  batch_size: int = BATCH_SIZE) -> Iterator[Table]:
    event = stats.event
    yield Table(_("Summary"), [_("Figure"), _("Number")], summary_rows(stats), event.tz)
    for chart in charts:
        yield Table(_sheet_name(chart.title), [column or _("Group") for column in chart.header], chart.rows, event.tz)

    def rows() -> Iterator[list[Value]]:
        for r in participants(session, event, batch_size=batch_size):
            groups = groups_of(r.country)
            yield [country_name(r.country), group_label(groups.region), group_label(groups.income), r.organisation,
                   str(r.organisation_type.label), r.display_name, r.position]

    yield Table(_("Participants"), [_("Country"), _("Region (UN M49)"), _("Income group (World Bank)"),
                                    _("Organisation"), _("Organisation type"), _("Name"), _("Position")],
                rows(), event.tz)
