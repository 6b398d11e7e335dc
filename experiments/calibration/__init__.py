"""Calibration of the baseline to the memo's 1987 patterns by ABC-SMC (docs/ODD.md section 7).

``patterns`` states the targets, ``spec`` reads the priors and settings, ``abc`` runs pyabc,
``posterior`` is what runs read, ``check`` is the posterior-predictive check, ``cli`` the
``reform-calibrate`` command.
"""
