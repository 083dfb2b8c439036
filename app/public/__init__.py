from flask import Blueprint

bp = Blueprint("public", __name__)

from app.public import (  # noqa: E402,F401
    language,
    lost_link,
    programme_feed,
    routes,
    series,
    verification,
)
