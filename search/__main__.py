"""``python -m search`` runs the command line (see search/cli.py)."""

import sys

from .cli import main

sys.exit(main())
