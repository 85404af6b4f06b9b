"""``python -m carepages``: the same as the ``carepages`` command."""

import sys

from carepages.cli import main

sys.exit(main())
