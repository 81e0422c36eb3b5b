"""A tiny app that brings its own KPI source, as a new domain app would (its registrations are in kpis.py)."""
