"""Organiser accounts and who may manage which event."""
