"""`python -m paperprep` runs the same entry point as the `paperprep` command."""

import sys

from paperprep.app import main

sys.exit(main())
