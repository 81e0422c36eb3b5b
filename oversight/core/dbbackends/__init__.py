"""Database backends: Django's own, with the few changes Oversight needs (``postgresql``)."""
