"""The programme: sessions, their seats and waiting lists, editing, and the lists and feed built from it."""
