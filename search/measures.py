"""Measures shared by every table: one definition of a rate, so all pages agree."""

from __future__ import annotations


def per_10k(count: int, chars: int) -> float:
    """Occurrences per 10,000 characters searched, to three decimals (0.0 for no text)."""
    return round(count * 10000 / chars, 3) if chars else 0.0
