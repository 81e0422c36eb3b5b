"""Pre-aggregated service facts: per-day figures per vendor, service, site, priority and category."""
