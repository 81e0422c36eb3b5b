"""The audit trail: one append-only row per change, whoever made it and from wherever."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.tenancy.roles import AUDIT_READERS
from oversight.tenancy.visibility import Visibility


class AuditEntry(models.Model):
    """One recorded change: who, when, which request, what action, before and after."""

    visibility = Visibility(organisation="organisation", roles=AUDIT_READERS)

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_repr = models.CharField(_("actor"), max_length=200, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, db_index=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    organisation = models.ForeignKey(
        "tenancy.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_entry_object_idx"),
            models.Index(fields=["organisation", "-at"], name="audit_entry_org_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: an audit row, once written, is never rewritten.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit entries are append-only")
