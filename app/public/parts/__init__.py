"""The event-dependent parts of the registration form.

Each module registers its part (app.public.form_parts.register_part) when imported; a part's
`order` sets its place on the form: the visa details (straight after their tick box), sessions, then the
event's questions and travel support.
"""

from app.public.parts import (  # noqa: F401
    questions,  # the event's own questions (issue 5)
    sessions,  # programme sessions (issue 4)
    travel,  # travel support on application forms (issue 5)
    visa,  # visa invitation letter (issue 6)
)
