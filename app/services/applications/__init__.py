"""Applications and selection: the application list, reviews and scores, decisions, travel support and the
accepted group's export."""
