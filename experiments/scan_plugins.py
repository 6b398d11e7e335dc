"""Hydra's plugin scan, made on import.

The workers' fork server imports this module (``experiments.warm_workers.PRELOAD``), so every
worker forked from it starts with Hydra's plugins scanned, and keeps that scan for all its jobs
(``experiments.job_payload.set_state``). Otherwise each worker's first job would scan them,
importing and executing every launcher and sweeper plugin module (about 50 ms).
"""

from hydra.core.plugins import Plugins

Plugins.instance()
