"""The event-dependent parts of the registration form.

Each module registers its part (app.public.form_parts.register_part) when imported; a part's
`order` sets its place on the form: the visa details (straight after their tick box), sessions, then the
event's questions and travel support.
"""

from app.public.parts import (  # noqa: F401
    questions,  # the event's own questions (docs/features/custom-questions.md)
    sessions,  # programme sessions (docs/features/programme.md)
    travel,  # travel support on application forms (docs/features/applications.md)
    visa,  # visa invitation letter (docs/features/documents.md)
)
