"""Measures reported beside exact counts, defined once for search stats, trends and exports."""
from __future__ import annotations


def per_10k(count: int, chars: int) -> float:
    """Occurrences per 10,000 characters of the text searched, rounded to 3 decimals
    (0.0 for an empty text: no characters, no rate)."""
    return round(count * 10000 / chars, 3) if chars else 0.0
