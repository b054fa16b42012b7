"""Targets and results: the numbers every report sets for its year and reports for the last.

``numbers`` reads figures (6.5%, 百分之六, 6%—6.5%, 5万人), ``indicators`` says how each
indicator is written, ``extract`` finds one report's figures, ``table`` stores them per index
generation and answers ``python -m search targets`` and ``/api/targets``. Method, phrasings
and measured quality: docs/targets.md.
"""

from .indicators import INDICATORS
from .table import TargetsError, figures, rows, status

__all__ = ["INDICATORS", "TargetsError", "figures", "rows", "status"]
