"""Run a command and sample the memory of its whole process tree (psutil)."""

import contextlib
import subprocess
import threading
import time

import psutil


def run_measured(cmd: list[str], interval: float = 0.05, **kwargs) -> dict[str, float]:
    """Wall time, peak summed RSS of the tree, and peak RSS of any single process (bytes)."""
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
                rss = []
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        rss.append(p.memory_info().rss)
                peak_total = max(peak_total, sum(rss))
                peak_single = max(peak_single, max(rss, default=0))
            except psutil.Error:
                pass
            time.sleep(interval)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    code = proc.wait()
    done.set()
    thread.join()
    if code != 0:
        raise RuntimeError(f"{cmd[:4]}... exited with {code}")
    return {
        "wall": time.perf_counter() - start,
        "peak_total": peak_total,
        "peak_single": peak_single,
    }
