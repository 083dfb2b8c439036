"""The audit log: every change to the data recorded in the same transaction, and named actions such as
viewing passport data. See docs/features/audit-log.md."""
