"""``python -m core.mnist``: see core/mnist/cli.py."""

import sys

from .cli import main

sys.exit(main())
