"""Statistics, charts and reports: what an event's and a series' registrations add up to (aggregated in SQL),
the charts drawn from them, the participation report (PDF, XLSX) and the finance export (XLSX)."""
