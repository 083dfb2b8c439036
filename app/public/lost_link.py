"""“Lost your link?”: a participant asks for their personal link again, by email address.

The page answers the same whether or not the address is registered; the link goes to the registered
address only (see app/services/registration/lost_link.py). Rate-limited per client (LOST_LINK_RATE_LIMIT) and per
mailbox (LOST_LINK_MAILBOX_RATE_LIMIT: victim+1@…, victim+2@… are one mailbox).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from wtforms import EmailField
from wtforms.validators import DataRequired, Length

from app import limits
from app.actions import commit_or_show
from app.extensions import db
from app.forms import TrimmedForm, normalised_email
from app.models import Event, utcnow
from app.public import bp
from app.services.registration.lost_link import email_lost_links


class LostLinkForm(TrimmedForm):
    email = EmailField(_l("Your email address"), validators=[
        DataRequired(_l("Please give the email address you registered with.")), Length(max=254), normalised_email])


@bp.route("/lost-link", methods=["GET", "POST"])
@limits.per_client("LOST_LINK_RATE_LIMIT")
@limits.per_mailbox("LOST_LINK_MAILBOX_RATE_LIMIT")
def lost_link():
    # ?event=<slug>: asked from that event's page; only its registration's link is sent.
    slug = request.args.get("event", "")
    event = db.session.scalar(sa.select(Event).where(Event.slug == slug, Event.is_public)) if slug else None
    form = LostLinkForm()
    if form.validate_on_submit():
        address = form.email.data
        done = commit_or_show(form, lambda: email_lost_links(
            db.session, address, now=utcnow(), event_id=event.id if event else None))
        if done:
            # The same page whatever was found: it must not tell who is registered.
            return render_template("public/lost_link_sent.html", event=event, address=address)
    return render_template("public/lost_link.html", form=form, event=event), 422 if form.errors else 200
