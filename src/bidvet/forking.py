"""Whether this process may fork worker processes.

Forking copies only the thread that forks: a lock, or a table being built lazily, that another
thread holds at that moment (Python's logging, a connection pool, rigour's name tables) stays
held in the child, which then waits for it for ever. The workspace's server answers requests in
threads and builds a store's screening cache in one of them; a worker it forked while another
thread could be in rigour hung (the browser test's assessment, one run in two). So work is
shared among forked workers only by a process running a single thread (the command line), and
done in the process itself otherwise.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading


def can_fork() -> bool:
    """``fork`` is available here and this process runs no thread but this one."""
    return threading.active_count() == 1 and "fork" in mp.get_all_start_methods()


def usable_cores() -> int:
    """The cores this process may run on, at most 8: how many processes share work."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))
