"""``python -m bidvet.docs_build [--check] [--root DIR]``."""

from __future__ import annotations

import sys

from bidvet.docs_build.build import main

sys.exit(main())
