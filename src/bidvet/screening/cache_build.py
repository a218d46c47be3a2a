"""Building a store's screening cache in a process of its own.

The catalog's normalising and reading, the longest part of a first cache build, is shared among
forked workers only by a process running a single thread (:mod:`bidvet.forking`). The
workspace's server answers requests in threads, so a build it started in its own process ran on
one core (the official lists' first build from a threaded process: 18–22 s, against 15–16 s
built by a process of its own on the 2-core measuring machine: ``bench/cache_build_bench.py``).
:func:`build_elsewhere` runs the build instead in a new interpreter
(``python -m bidvet.screening.cache_build``, given the store's URL and the policy on its
standard input, never on its command line where a password would show), which runs one thread,
shares the work among its forked workers as the command line does and writes the cache; the
calling process then reads the cache as it reads any. It is used only where it gains: a process
running other threads, a store of :data:`ELSEWHERE_NAMES` names or more that another process
can open (a file or a server, not an in-memory SQLite store), and more than one core. When the
other process fails, the caller builds the cache itself, as before, and the log says why.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from bidvet import settings
from bidvet.file_copies import from_plain, to_plain
from bidvet.forking import can_fork, usable_cores

if TYPE_CHECKING:
    from bidvet.screening.config import ScreeningPolicy
    from bidvet.store.db import Store

log = logging.getLogger(__name__)

#: a store with fewer names is built where it is asked for: a new interpreter costs about a
#: second, and forked workers are used from this many names on
#: (:data:`bidvet.screening.catalog.PARALLEL_NAMES`)
ELSEWHERE_NAMES = 50_000
#: the command that builds the cache; it reads ``{"db": url, "policy": {...}}`` on stdin
COMMAND = (sys.executable, "-m", "bidvet.screening.cache_build")
#: lines of the other process's error output repeated in the log when it fails
ERROR_LINES = 20


def worth_elsewhere(store: Store) -> bool:
    """Whether a cache build for ``store`` asked for here is better run in a process of its own:
    this process runs other threads, the machine has more than one core, another process can
    open the store, and it holds :data:`ELSEWHERE_NAMES` names or more."""
    if can_fork() or usable_cores() < 2:
        return False
    if store.dialect == "sqlite" and store.sqlite_path is None:
        return False  # an in-memory store: no other process can see it
    with store.view() as view:
        return view.name_count() >= ELSEWHERE_NAMES


def build_elsewhere(store: Store, policy: ScreeningPolicy) -> bool:
    """Build ``store``'s screening cache under ``policy`` in a new interpreter, when
    :func:`worth_elsewhere`; ``True`` when it did (the caller reads the cache), ``False`` when
    it was not worth it or the other process failed (the caller builds it)."""
    if not worth_elsewhere(store):
        return False
    payload = json.dumps({"db": store.url, "policy": to_plain(policy)})
    env = dict(os.environ)
    # the same cache folder, however this process came to choose it
    env["BIDVET_CACHE_DIR"] = str(settings.cache_dir(store.url))
    log.info("screening cache of %r built by a process of its own", store)
    try:
        done = subprocess.run(
            COMMAND, input=payload, env=env, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        log.warning("screening cache not built by a process of its own (%s); building here", exc)
        return False
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-ERROR_LINES:])
        log.warning(
            "screening cache not built by a process of its own (exit %d); building here:\n%s",
            done.returncode,
            tail,
        )
        return False
    return True


def main() -> int:
    """Read ``{"db": url, "policy": {...}}`` on stdin and build that store's screening cache."""
    from bidvet.screening.config import ScreeningPolicy
    from bidvet.screening.engine import load_matcher
    from bidvet.store.db import Store

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    request = json.loads(sys.stdin.read())
    store = Store(request["db"], migrate=False)
    try:
        load_matcher(store, from_plain(ScreeningPolicy, request["policy"]))
    finally:
        store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
