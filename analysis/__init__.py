"""Statistics, figures and a report from any sweep folder (``reform-analyze``)."""
