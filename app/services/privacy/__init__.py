"""Privacy: what a registration consented to, how long it is kept, a participant's own data and its deletion."""
