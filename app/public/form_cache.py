"""The registration form, rendered once for everyone who opens the event page.

Most of the event page's CPU went into rendering the same form for every visitor: 14 fields, 250 countries
twice, the parts. A fresh form (nothing sent yet) differs between visitors only by its CSRF token, so its
HTML is kept per process with a marker where the token goes, and each visit puts its own token in.

A first visit does not even make the form object (its 25 fields): the HTML kept, the form class and the parts
give the key, and Flask-WTF the token.

The key holds everything the HTML is made from: the form class (the shapes of its parts: session titles,
the questions' wording), the page's language, the event's `updated_at` (any edit of the event changes it), whether the button
says "Register" or "Join the waiting list", and what each part shows beyond its shape (the questions'
and sessions' own `updated_at`, the seats left). An edit of any of them makes a new key: the page shows
it at once, and the old entry ages out.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import cast

from flask import render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.i18n import current_language
from app.models import Event
from app.public.form_parts import FormMade
from app.public.forms import RegistrationForm
from app.services.registration.availability import EventAvailability

FORMS_KEPT = 256
_TOKEN = "\x00csrf-token\x00"
_kept: OrderedDict[Hashable, str] = OrderedDict()


def fresh_form_html(made: FormMade, event: Event, state: EventAvailability, seats,
                    make_form: Callable[[], RegistrationForm]) -> Markup:
    """The form as a first visit sees it, with this visitor's CSRF token. `make_form` makes the form object, only
    when the HTML is not kept yet: building its fields was most of what a visit cost once the HTML was kept."""
    token = generate_csrf()  # what the form's own csrf_token field holds (Flask-WTF keeps one per request)
    key = (cast(Hashable, made.form_class), current_language(), event.id, event.updated_at, state.state,
           *(part.cache_key(seats) for part in made.parts))
    html = _kept.get(key)
    if html is None:
        form = make_form()
        rendered = render_template("public/_registration_form.html", form=form, event=event, state=state,
                                   seats=seats)
        html = rendered.replace(token, _TOKEN)
        _kept[key] = html
        if len(_kept) > FORMS_KEPT:
            _kept.popitem(last=False)
    return Markup(html.replace(_TOKEN, token))
