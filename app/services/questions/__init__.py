"""An event's own questions, the answers people give, and uploaded files."""
