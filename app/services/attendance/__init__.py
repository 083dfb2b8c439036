"""Attendance: check-in per day and per session, and the attendance reports."""
