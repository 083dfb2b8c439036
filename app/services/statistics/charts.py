"""Charts drawn on the server as SVG (pygal), so the page and the PDF report show the same picture.

A Chart carries its own data as a table: the page prints the table right under the picture (a screen
reader reads the table; the picture's alt text says so), and the PDF and XLSX reports print the same rows.
The SVG goes into an <img> as a data URI: no script, no outside font or stylesheet, the same in WeasyPrint.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pygal
from flask_babel import format_date
from flask_babel import gettext as _
from pygal.style import Style

from app.services.statistics.event_statistics import Breakdown, DayCount, EventStatistics

# The site's colours (static/css) and a font WeasyPrint and browsers both have.
STYLE = Style(
    background="white", plot_background="white", foreground="#1f2933", foreground_strong="#1f2933",
    foreground_subtle="#5f6b7a", colors=("#1d5fa7", "#c2410c", "#15803d", "#7c3aed", "#b91c1c"),
    font_family="DejaVu Sans, Noto Sans CJK KR, Arial, sans-serif", title_font_size=16, label_font_size=12,
    major_label_font_size=12, value_font_size=11, legend_font_size=12,
)
WIDTH = 720
MAX_BARS = 15  # a chart of 60 countries is unreadable: the rest is one bar (the table lists every one)
# pygal takes 20-40 ms a chart whatever its data; the same figures draw the same picture, so a page seen
# again (nothing changed) reuses it. Keyed by everything drawn; bounded.
CHARTS_KEPT = 512

Line = tuple[str, tuple[int | None, ...], tuple[tuple[str, object], ...]]  # name, values, pygal options


@lru_cache(maxsize=CHARTS_KEPT)
def _svg(kind: str, title: str, height: int, x_labels: tuple[str, ...], lines: tuple[Line, ...],
         options: tuple[tuple[str, object], ...] = ()) -> str:
    chart = getattr(pygal, kind)(**_options(title, height) | dict(options))
    chart.x_labels = list(x_labels)
    for name, values, line_options in lines:
        chart.add(name, list(values), **dict(line_options))
    if kind == "Line" and len(x_labels) > 8:
        chart.x_labels_major_every = len(x_labels) // 8
    return chart.render(is_unicode=True)


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    header: Sequence[str]
    rows: Sequence[Sequence[str | int]]

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


def _options(title: str, height: int) -> dict:
    return dict(title=title, style=STYLE, width=WIDTH, height=height, explicit_size=True, js=[],
                disable_xml_declaration=True, print_values=True, show_legend=False, truncate_label=40,
                truncate_legend=-1, legend_at_bottom=True, legend_at_bottom_columns=3)


def breakdown_chart(figures: Breakdown) -> Chart:
    """A horizontal bar per group, the largest first; the table lists every group with its share."""
    shown = figures.shares[:MAX_BARS]
    rest = figures.shares[MAX_BARS:]
    labels = [share.label for share in shown] + ([_("%(num)d others", num=len(rest))] if rest else [])
    values = [share.count for share in shown] + ([sum(s.count for s in rest)] if rest else [])
    svg = _svg("HorizontalBar", figures.title, 90 + 30 * max(len(labels), 1), tuple(reversed(labels)),
               ((_("Participants"), tuple(reversed(values)), ()),))
    return Chart(figures.title, svg, ("", _("Number"), _("Per cent")),
                 [(s.label, s.count, f"{s.percent} %") for s in figures.shares]
                 + [(_("Total"), figures.total, "100 %" if figures.total else "–")])


def over_time_chart(days: list[DayCount], capacity: int | None, *, applications: bool) -> Chart:
    if applications:
        title, noun = _("Applications over time (cumulative)"), _("Applications")
    else:
        title, noun = _("Registrations over time (cumulative)"), _("Registrations")
    lines: list[Line] = [(noun, tuple(d.cumulative for d in days), ())]
    if capacity is not None:
        lines.append((_("Capacity"), (capacity,) * len(days), (("show_dots", False),)))
    svg = _svg("Line", title, 360, tuple(d.day.isoformat() for d in days), tuple(lines),
               (("print_values", False), ("show_legend", capacity is not None), ("x_label_rotation", 30),
                ("show_minor_x_labels", False)))
    return Chart(title, svg, (_("Day (UTC)"), _("New"), _("Cumulative")),
                 [(d.day.isoformat(), d.new, d.cumulative) for d in days])


def attendance_chart(stats: EventStatistics) -> Chart:
    title = _("Participants checked in per day")
    days = stats.attendance.days
    day_pattern = _("EEE d MMM")
    svg = _svg("Bar", title, 320,
               tuple(_("Day %(num)d: %(day)s", num=n, day=format_date(day, day_pattern))
                     for n, (day, _number) in enumerate(days, 1)),
               ((_("Checked in"), tuple(number for _day, number in days), ()),))
    return Chart(title, svg, (_("Day"), _("Checked in"), _("Of participants")),
                 [(day.isoformat(), number, stats.attendance.participants) for day, number in days])


def session_chart(stats: EventStatistics) -> Chart:
    title = _("Sessions: seats taken, waiting and checked in")
    fills = list(reversed(stats.sessions))
    svg = _svg("HorizontalBar", title, 120 + 45 * len(fills), tuple(fill.session.title for fill in fills), (
        (_("Seats taken"), tuple(fill.seats_taken for fill in fills), ()),
        (_("Waiting"), tuple(fill.waiting for fill in fills), ()),
        (_("Checked in"), tuple(fill.checked_in for fill in fills), ()),
    ), (("show_legend", True),))
    return Chart(title, svg,
                 (_("Session"), _("Seat limit"), _("Seats taken"), _("Fill"), _("Waiting"), _("Checked in")),
                 [(f.session.title, f.session.seat_limit if f.session.seat_limit is not None else _("no limit"),
                   f.seats_taken, f"{f.fill_percent} %" if f.fill_percent is not None else "–", f.waiting,
                   f.checked_in) for f in stats.sessions])


def event_charts(stats: EventStatistics) -> list[Chart]:
    """Every chart of the statistics page and the report, in their order."""
    charts = [over_time_chart(stats.over_time, stats.event.capacity, applications=stats.event.takes_applications),
              breakdown_chart(stats.statuses)]
    charts += [breakdown_chart(b) for b in (stats.by_country, stats.by_region, stats.by_sub_region, stats.by_income,
                                            stats.by_organisation_type)]
    if stats.by_gender is not None:
        charts.append(breakdown_chart(stats.by_gender))
    charts.append(attendance_chart(stats))
    if stats.sessions:
        charts.append(session_chart(stats))
    return charts


def line_chart(title: str, x_labels: Sequence[str], lines: dict[str, list[int | None]],
               header: Sequence[str], rows: Sequence[Sequence[str | int]]) -> Chart:
    """Several figures across editions (the series page)."""
    svg = _svg("Line", title, 380, tuple(x_labels), tuple((name, tuple(values), ()) for name, values in lines.items()),
               (("show_legend", True), ("print_values", False)))
    return Chart(title, svg, header, rows)
