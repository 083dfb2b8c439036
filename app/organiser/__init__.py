from flask import Blueprint
from flask_login import login_required

bp = Blueprint("organiser", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_login() -> None:
    """Every organiser page needs a signed-in organiser; per-event access is checked in each view."""


from app.organiser import routes  # noqa: E402,F401
