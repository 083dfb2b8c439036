from flask import Blueprint

bp = Blueprint("participant", __name__, url_prefix="/r")

from app.participant import routes  # noqa: E402,F401
