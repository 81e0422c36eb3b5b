"""Demo data: the reference scenario (a hospital and its three vendors) and the seeded work-order generator.

A plain package, not a Django app: the management commands `demo_load`, `demo_logins` and
`generate_work_orders` (in oversight.core) drive it.
"""
