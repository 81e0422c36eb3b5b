"""Choices of the demo app: the readable names of the audit actions it writes."""

from django.utils.translation import gettext_lazy as _

# Readable names of the audit actions this app writes (oversight.audit.actions collects them).
AUDIT_ACTIONS = {
    "demo.scenario.loaded": _("Demo scenario loaded"),
    "demo.work_orders.generated": _("Demo work orders generated"),
}
