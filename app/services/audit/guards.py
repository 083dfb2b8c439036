"""The database's own refusal to change the audit log: triggers that reject UPDATE and DELETE (and TRUNCATE
on PostgreSQL) of audit_entries, whoever asks, except erasing an entry's values once (privacy). Migration 0017 creates them with this same SQL (a migration
keeps its own copy, as released migrations never change); the tests lift them only to empty the database
between tests."""

from __future__ import annotations

REFUSAL = "the audit log is append-only"
# The one change allowed: erasing an entry's values once, when the person it is about has their data deleted
# (app/services/audit/erasure.py). Who acted, on what, what kind of change and when all stay as they were.
_SAME = ("id", "at", "actor_kind", "actor_user_id", "actor_label", "event_id", "registration_id", "object_type",
         "object_id", "action")
ERASING_SQLITE = "OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND " + " AND ".join(
    f"NEW.{column} IS OLD.{column}" for column in _SAME)
ERASING_POSTGRESQL = "OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND " + " AND ".join(
    f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}" for column in _SAME)

CREATE = {
    "sqlite": [
        "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
        f"WHEN NOT ({ERASING_SQLITE}) BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
        "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN IF TG_OP = 'UPDATE' AND {ERASING_POSTGRESQL} THEN RETURN NEW; END IF; "
        f"RAISE EXCEPTION '{REFUSAL}'; END; $$",
        "CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
        "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()",
    ],
}

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_entries_no_update",
        "DROP TRIGGER IF EXISTS audit_entries_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_entries_no_change ON audit_entries",
        "DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries",
        "DROP FUNCTION IF EXISTS audit_entries_append_only()",
    ],
}
