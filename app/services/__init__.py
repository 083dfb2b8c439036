"""Domain rules as plain functions taking a session and values (no request, no flash)."""
