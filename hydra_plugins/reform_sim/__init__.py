"""Hydra plugins of reform-sim (found by Hydra's plugin discovery under ``hydra_plugins``)."""
