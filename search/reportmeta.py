"""A report's metadata as a plain dict: one helper for every answer that lists reports.

Compare (trends), reuse views and the Elasticsearch export each show a report's metadata
with their own set of fields; the fields are named once here, in the order they are shown.
"""

from __future__ import annotations

from .models import PLACE_FIELDS, Report

#: The metadata fields a report row carries unless a caller asks for others.
META_FIELDS = ("id", "title", *PLACE_FIELDS, "year", "date", "chars")


def report_meta(report: Report, fields: tuple[str, ...] = META_FIELDS) -> dict:
    """``{field: value}`` of ``report`` for ``fields``, in that order."""
    return {name: getattr(report, name) for name in fields}
