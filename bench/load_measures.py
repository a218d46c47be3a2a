"""What the load benchmarks (``ftm_load_bench.py``, ``gleif_json_bench.py``) measure besides
time: peak memory, CPU seconds, the machine, and one process per size."""

from __future__ import annotations

import os
import resource
import subprocess
import sys


def rss_mb() -> float:
    """Peak RSS of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_rss_mb() -> float:
    """Peak RSS of the reading process (0 when the file was read in this one)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of the reading processes it waited for: records per CPU
    second do not depend on what else the machine is running."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def machine() -> str:
    """Cores and memory of this machine, for the record."""
    mem = 0.0
    with open("/proc/meminfo", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) / 1024 / 1024
    load = os.getloadavg()[0]
    return f"machine: {os.cpu_count()} cores, {mem:.0f} GB RAM, load average {load:.1f} at start"


def sizes_in_subprocesses(script: str, sizes: str, rest: list[str]) -> None:
    """``script`` run once per size, each in its own process, so that each peak RSS is that
    size's own."""
    print(machine(), flush=True)
    for size in sizes.split(","):
        print(f"--- n = {int(size):,}", flush=True)
        subprocess.run([sys.executable, script, "--n", size, *rest], check=True)
