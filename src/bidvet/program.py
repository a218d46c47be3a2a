"""The ``bidvet`` program: its console script and ``python -m bidvet``.

:func:`entry` is :func:`bidvet.cli.app.main` with the cyclic garbage collector tuned for a
short-lived process. This module imports nothing of bidvet but the package itself (which loads
neither SQLAlchemy nor the package metadata until asked), so the collector is tuned before the
command line's modules are imported: importing them makes many objects and few cycles.
"""

from __future__ import annotations

import gc
import os

#: the collector's thresholds while the program runs (Python's default is 700, 10, 10):
#: importing the command's modules and reading a store make many objects and few cycles, and a
#: first-generation pass walks every object made since the last one that is still alive, so
#: the passes cost about the same however they are spaced but for the objects freed between
#: them. A warm ``bidvet screen`` makes about 600,000 and ran 12 passes at 50,000 (about
#: 30 ms); at 1,000,000 it runs none. A long command (a load, ``xref``) still collects, every
#: million objects; the workspace's served workers set their own (:mod:`bidvet.web.heap`)
GC_THRESHOLD = (1_000_000, 20, 100)
#: pydantic loads, into any process that defines a model, the plugins other installed packages
#: declare (entry points of the group ``pydantic``: observability hooks that may send what they
#: see elsewhere). bidvet runs none unless this variable is set otherwise (to the names of the
#: plugins to leave out, or empty to run them all); finding them also scanned every installed
#: package's metadata (5–9 ms of each command)
PLUGINS_SETTING = ("PYDANTIC_DISABLE_PLUGINS", "__all__")


def entry() -> None:
    """Run the ``bidvet`` command line with the collector tuned.

    The collector runs less often while the command is imported and runs
    (:data:`GC_THRESHOLD`; reference counting still frees everything not in a cycle, and a
    long command such as ``serve`` still collects), and when the command has finished every
    object left is frozen (``gc.freeze``), so the interpreter's exit does not walk them all
    again: a warm ``bidvet screen`` spent about 0.12 s of its 0.75 s in those last
    collections. The command's store is disposed of and its output flushed before that
    (``open_store`` closes the store with the command's context). Tests call
    :func:`bidvet.cli.app.main`, which leaves the collector alone.

    No pydantic plugin runs unless the environment says otherwise (:data:`PLUGINS_SETTING`);
    the processes the command starts (a cache build, the workspace's workers) inherit that.
    """
    os.environ.setdefault(*PLUGINS_SETTING)
    gc.set_threshold(*GC_THRESHOLD)
    try:
        from bidvet.cli import app

        app.main()
    finally:
        gc.freeze()
