"""The metadata audit: reports whose city, level or year is null, conflicting or weakly decided."""

from __future__ import annotations

from flask import Blueprint

from search.audit import audit as audit_reports
from search.ingest.evidence import RULE_LABELS

from .helpers import engine, render_or_json

bp = Blueprint("audit", __name__)


@bp.app_template_filter("rule_name")
def rule_name(rule: str | None) -> str:
    """The Chinese name of an evidence rule (the JSON keeps the rule itself)."""
    return RULE_LABELS.get(rule or "", rule or "")


@bp.route("/audit")
@bp.route("/api/audit", endpoint="api_audit")
def audit():
    """Same data as ``python -m search audit --json``."""
    return render_or_json("audit.html", audit_reports(engine().reports()), q="")
