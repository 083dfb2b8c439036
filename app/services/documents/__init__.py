"""Participant documents: visa letters, badges, certificates, their wording and images, PDF output and
verification."""
