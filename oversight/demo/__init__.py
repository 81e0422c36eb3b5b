"""Demo data: the reference scenario (a hospital and its three vendors) and the seeded work-order generator.

The top layer of the project: the management commands `demo_load`, `demo_logins` and `generate_work_orders`
(``oversight.demo.management``) build the scenario and call each app's own ``<app>/demo.py`` loader. Nothing
below imports it.
"""
