"""Email: the transactional outbox and its worker (mailer), what each change sends (notifications), and which
addresses can be delivered to."""
