from flask import Blueprint

bp = Blueprint("participant", __name__, url_prefix="/r")

from app.participant import (  # noqa: E402,F401
    answers,
    application,
    details,
    documents,
    privacy,
    routes,
    sessions,
)
