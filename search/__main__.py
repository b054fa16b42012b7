"""``python -m search`` runs the command line (see search/cli/)."""

import sys

from .cli import main

sys.exit(main())
