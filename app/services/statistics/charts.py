"""Charts drawn on the server as SVG (pygal), so the page and the PDF report show the same picture.

A Chart carries its own data as a table: the page prints the table right under the picture (a screen
reader reads the table; the picture's alt text says so), and the PDF and XLSX reports print the same rows.
The SVG goes into an <img> as a data URI: no script, no outside font or stylesheet, the same in WeasyPrint.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

import pygal
from pygal.style import Style

from app.services.statistics.event_statistics import Breakdown, DayCount, EventStatistics

# The site's colours (static/css) and a font WeasyPrint and browsers both have.
STYLE = Style(
    background="white", plot_background="white", foreground="#1f2933", foreground_strong="#1f2933",
    foreground_subtle="#5f6b7a", colors=("#1d5fa7", "#c2410c", "#15803d", "#7c3aed", "#b91c1c"),
    font_family="DejaVu Sans, Arial, sans-serif", title_font_size=16, label_font_size=12,
    major_label_font_size=12, value_font_size=11, legend_font_size=12,
)
WIDTH = 720
MAX_BARS = 15  # a chart of 60 countries is unreadable: the rest is one bar (the table lists every one)


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
                disable_xml_declaration=True, print_values=True, show_legend=False, truncate_label=40)


def breakdown_chart(figures: Breakdown) -> Chart:
    """A horizontal bar per group, the largest first; the table lists every group with its share."""
    shown = figures.shares[:MAX_BARS]
    rest = figures.shares[MAX_BARS:]
    labels = [share.label for share in shown] + ([f"{len(rest)} others"] if rest else [])
    values = [share.count for share in shown] + ([sum(s.count for s in rest)] if rest else [])
    chart = pygal.HorizontalBar(**_options(figures.title, 90 + 30 * max(len(labels), 1)))
    chart.x_labels = list(reversed(labels))
    chart.add("Participants", list(reversed(values)))
    return Chart(figures.title, chart.render(is_unicode=True), ("", "Number", "Per cent"),
                 [(s.label, s.count, f"{s.percent} %") for s in figures.shares]
                 + [("Total", figures.total, "100 %" if figures.total else "–")])


def over_time_chart(days: list[DayCount], capacity: int | None, *, noun: str) -> Chart:
    title = f"{noun} over time (cumulative)"
    chart = pygal.Line(**_options(title, 360) | {"print_values": False, "show_legend": capacity is not None,
                                                    "x_label_rotation": 30, "show_minor_x_labels": False})
    chart.x_labels = [d.day.isoformat() for d in days]
    chart.x_labels_major_every = max(1, len(days) // 8)
    chart.add(noun, [d.cumulative for d in days])
    if capacity is not None:
        chart.add("Capacity", [capacity] * len(days), show_dots=False, stroke_style={"dasharray": "6,4"})
    return Chart(title, chart.render(is_unicode=True), ("Day (UTC)", "New", "Cumulative"),
                 [(d.day.isoformat(), d.new, d.cumulative) for d in days])


def attendance_chart(stats: EventStatistics) -> Chart:
    title = "Participants checked in per day"
    days = stats.attendance.days
    chart = pygal.Bar(**_options(title, 320))
    chart.x_labels = [f"Day {n}: {day:%a %-d %b}" for n, (day, _) in enumerate(days, 1)]
    chart.add("Checked in", [number for _, number in days])
    return Chart(title, chart.render(is_unicode=True), ("Day", "Checked in", "Of participants"),
                 [(day.isoformat(), number, stats.attendance.participants) for day, number in days])


def session_chart(stats: EventStatistics) -> Chart:
    title = "Sessions: seats taken, waiting and checked in"
    chart = pygal.HorizontalBar(**_options(title, 120 + 45 * len(stats.sessions)) | {"show_legend": True})
    chart.x_labels = [fill.session.title for fill in reversed(stats.sessions)]
    chart.add("Seats taken", [fill.seats_taken for fill in reversed(stats.sessions)])
    chart.add("Waiting", [fill.waiting for fill in reversed(stats.sessions)])
    chart.add("Checked in", [fill.checked_in for fill in reversed(stats.sessions)])
    return Chart(title, chart.render(is_unicode=True),
                 ("Session", "Seat limit", "Seats taken", "Fill", "Waiting", "Checked in"),
                 [(f.session.title, f.session.seat_limit if f.session.seat_limit is not None else "no limit",
                   f.seats_taken, f"{f.fill_percent} %" if f.fill_percent is not None else "–", f.waiting,
                   f.checked_in) for f in stats.sessions])


def event_charts(stats: EventStatistics) -> list[Chart]:
    """Every chart of the statistics page and the report, in their order."""
    noun = "Applications" if stats.event.takes_applications else "Registrations"
    charts = [over_time_chart(stats.over_time, stats.event.capacity, noun=noun), breakdown_chart(stats.statuses)]
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
    chart = pygal.Line(**_options(title, 380) | {"show_legend": True, "print_values": False})
    chart.x_labels = list(x_labels)
    for name, values in lines.items():
        chart.add(name, values)
    return Chart(title, chart.render(is_unicode=True), header, rows)
