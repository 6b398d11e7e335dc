"""Run a command and sample the memory of its whole process tree (psutil).

Memory is PSS (proportional set size): each page shared by k processes counts 1/k in each, so
the sum over a tree is the memory the tree really holds, whether its workers were forked (shared
pages: batch_run's pool, and ours from their fork server) or started fresh (ours with
``start_method=loky``). Summed RSS would count shared pages once per process and so penalise
forked pools.
"""

import contextlib
import resource
import statistics
import subprocess
import threading
import time

import psutil


def _pss(p: psutil.Process) -> int:
    info = p.memory_full_info()
    return int(getattr(info, "pss", info.rss))  # PSS on Linux; RSS where the OS has none


def run_measured(
    cmd: list[str], interval: float = 0.1, memory: bool = True, **kwargs
) -> dict[str, float]:
    """Wall time, CPU time of the whole tree (user + system of every process it reaped: robust
    to other load on the machine), peak PSS summed over the tree and of any single process.

    Sampling memory costs CPU (reading every process's page map, about 2.4 ms a process every
    ``interval``), which slows the tree it samples, the more so the more processes it has (a
    sweep on 2 cores: 1.3 s in 21 s for ours, 0.85 s in 20 s for ``batch_run``); with
    ``memory=False`` nothing is sampled and the peaks are None: time those runs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, **kwargs)
    peak_total = peak_single = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_total, peak_single
        root = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                procs = []
            pss = []
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    pss.append(_pss(p))
            peak_total = max(peak_total, sum(pss))
            peak_single = max(peak_single, max(pss, default=0))
            time.sleep(interval)

    thread = threading.Thread(target=sample, daemon=True)
    if memory:
        thread.start()
    code = proc.wait()
    done.set()
    if memory:
        thread.join()
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd[:6])}... exited with {code}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall": time.perf_counter() - start,
        "cpu": cpu,
        "peak_pss_total": peak_total if memory else None,
        "peak_pss_single": peak_single if memory else None,
    }


def spread(values: list[float]) -> dict[str, float]:
    """Minimum, median and maximum of repeated measurements."""
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def fmt(s: dict[str, float], unit: str = "s", scale: float = 1.0, digits: int = 1) -> str:
    return (
        f"median {s['median'] / scale:.{digits}f} {unit} "
        f"(min {s['min'] / scale:.{digits}f}, max {s['max'] / scale:.{digits}f})"
    )
