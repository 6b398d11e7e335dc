"""The fork server's last preload: Hydra's plugins scanned, then everything imported frozen.

The workers' fork server imports this module after all the others
(``experiments.warm_workers.PRELOAD``), so every worker forked from it starts with:

- Hydra's plugins scanned, a scan it keeps for all its jobs
  (``experiments.job_payload.set_state``). Otherwise each worker's first job would scan them,
  importing and executing every launcher and sweeper plugin module (about 50 ms).
- the garbage collector's view of the server's objects frozen (``gc.freeze``, as Python's
  documentation advises for a process that forks without exec): the 150,000 objects of the
  imported modules move to a permanent generation that collections no longer examine. A worker's
  collections then skip them: its first unpickling of a launch's arguments took 0.08 s without
  this, 0.01 s with it (more on two busy cores). They also no longer write to the pages those
  objects share with the server, which copy-on-write would otherwise copy into each worker.
"""

import gc

from hydra.core.plugins import Plugins

Plugins.instance()
gc.freeze()  # last: what the server has imported is frozen, nothing after it
