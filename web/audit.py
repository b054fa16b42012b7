"""The metadata audit: reports whose city, level or year is null, conflicting or weakly decided."""
from __future__ import annotations

from flask import Blueprint

from search.audit import audit as audit_reports

from .helpers import engine, render_or_json

bp = Blueprint("audit", __name__)


@bp.route("/audit")
@bp.route("/api/audit", endpoint="api_audit")
def audit():
    """Same data as ``python -m search audit --json``."""
    return render_or_json("audit.html", audit_reports(engine().reports()), q="")
