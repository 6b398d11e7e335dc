"""reform-sim with faulty writes: ``python tests/faulty_writes.py FILE JOB MODE ARGS...``.

Fault injection for the sweep tests. A write of a file named FILE in a folder whose path
contains JOB fails. MODE ``once``: the first such write leaves half a file in its temporary
name and raises ENOSPC, as a full disk does, and space is back for every later write (the
half file's removal freed it); ``stays``: from that write on, every write fails the same
way; ``bug``: every such write raises a RuntimeError, as a bug in the job would (the model
has no input that fails at run time once the plan check has passed). Use with
``hydra/launcher=basic`` so the jobs run in this process.
"""

import errno
import sys

from experiments import results

name, job, mode = sys.argv[1:4]
del sys.argv[1:4]
real = results.atomic_write
full = [False]


def faulty(path, write):
    if full[0] or (path.name == name and job in str(path.parent)):
        if mode == "bug":
            raise RuntimeError(f"injected fault writing {path.name}")
        full[0] = mode == "stays"

        def half_then_full(tmp: str) -> None:
            with open(tmp, "wb") as f:
                f.write(b"PAR1 half a file")
            raise OSError(errno.ENOSPC, "No space left on device", tmp)

        return real(path, half_then_full)
    return real(path, write)


results.atomic_write = faulty
from experiments.app import main  # noqa: E402 - after the fault is in place

main()
