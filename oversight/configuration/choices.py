"""CI statuses with the one table of their transitions, attribute types, the built-in CI classes and relation
types, and the audit action labels of the app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine


class CIStatus(models.TextChoices):
    """Where a configuration item is in its life; see CI_TRANSITIONS for how it moves."""

    PLANNED = "planned", _("Planned")
    IN_USE = "in_use", _("In use")
    MAINTENANCE = "maintenance", _("Under maintenance")
    DOWN = "down", _("Down / failed")
    RETIRED = "retired", _("Retired")


class CIAction(models.TextChoices):
    """The status changes of a CI; each is one call of `configuration.services.ci_transition`."""

    COMMISSION = "commission", _("Put into use")
    START_MAINTENANCE = "start_maintenance", _("Start maintenance")
    FAIL = "fail", _("Report as down")
    RESTORE = "restore", _("Restore to use")
    RETIRE = "retire", _("Retire")


#: Statuses in which a CI does not deliver what its dependants need: the impact walk starts from them.
UNAVAILABLE_STATUSES = frozenset({CIStatus.MAINTENANCE, CIStatus.DOWN})

# The one table of CI transitions: action -> (statuses it may start from, status it leads to).
CI_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    CIAction.COMMISSION: (frozenset({CIStatus.PLANNED}), CIStatus.IN_USE),
    CIAction.START_MAINTENANCE: (frozenset({CIStatus.IN_USE, CIStatus.DOWN}), CIStatus.MAINTENANCE),
    CIAction.FAIL: (frozenset({CIStatus.IN_USE, CIStatus.MAINTENANCE}), CIStatus.DOWN),
    CIAction.RESTORE: (frozenset({CIStatus.MAINTENANCE, CIStatus.DOWN}), CIStatus.IN_USE),
    CIAction.RETIRE: (
        frozenset({CIStatus.PLANNED, CIStatus.IN_USE, CIStatus.MAINTENANCE, CIStatus.DOWN}),
        CIStatus.RETIRED,
    ),
}

# "Restore" and "put into use" lead to the same status, so neither counts as a repeat of the other; a second
# "report as down" of a CI already down (two agents noticing the same outage) changes nothing.
CI_MACHINE = Machine(
    name="configuration.configurationitem",
    table=CI_TRANSITIONS,
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the configuration item is “%(status)s”.")
        % {"action": CIAction(action).label, "status": CIStatus(status).label}
    ),
    stale=_("This configuration item was changed by someone else in the meantime. Reload it and try again."),
    audit="configuration.configurationitem.{action}",
)


class AttributeType(models.TextChoices):
    """The type of a CI class's attribute; `configuration.attributes.clean_attributes` checks values by it."""

    TEXT = "text", _("Text")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes / no")
    CHOICE = "choice", _("Choice from a list")


class CIKind(models.TextChoices):
    """The built-in CI classes every organisation starts with (administrators may add their own)."""

    SERVER = "server", _("Server")
    NETWORK_DEVICE = "network_device", _("Network device")
    WORKSTATION = "workstation", _("Workstation")
    PRINTER = "printer", _("Printer")
    MEDICAL_INTERFACE = "medical_interface", _("Medical-device interface")
    APPLICATION = "application", _("Application")
    DATABASE = "database", _("Database")
    BUSINESS_SERVICE = "business_service", _("Business service")


#: The built-in classes: code -> (Chinese name, English name); business services are where impact is reported.
BUILTIN_CLASSES = {
    CIKind.SERVER: ("服务器", "Server"),
    CIKind.NETWORK_DEVICE: ("网络设备", "Network device"),
    CIKind.WORKSTATION: ("工作站", "Workstation"),
    CIKind.PRINTER: ("打印机", "Printer"),
    CIKind.MEDICAL_INTERFACE: ("医疗设备接口", "Medical-device interface"),
    CIKind.APPLICATION: ("应用系统", "Application"),
    CIKind.DATABASE: ("数据库", "Database"),
    CIKind.BUSINESS_SERVICE: ("业务服务", "Business service"),
}


#: The built-in relation types: code -> (name, English, reverse name, English reverse, carries impact). The
#: migration that first created them keeps its own copy (a migration never reads app code).
BUILTIN_RELATION_TYPES = {
    "runs_on": ("运行于", "runs on", "承载", "hosts", True),
    "depends_on": ("依赖于", "depends on", "被依赖于", "is needed by", True),
    "connected_to": ("连接到", "connected to", "连接着", "connects", True),
    "provided_by": ("由供应商平台提供", "provided by vendor", "提供", "provides", True),
}


class ImportStatus(models.TextChoices):
    """Where an import of CIs from a file is: checked (the dry run), queued or running as a job, then applied
    (all rows written) or failed (nothing written)."""

    CHECKED = "checked", _("Checked (dry run)")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed, nothing written")


class CheckedField(models.TextChoices):
    """What a spot check compares between a CI's record and the thing itself."""

    NAME = "name", _("Name")
    SERIAL = "serial", _("Serial number")
    ASSET_TAG = "asset_tag", _("Asset tag")
    HOST_NAME = "host_name", _("Host name")
    SITE = "site", _("Site")
    STATUS = "status", _("Status")
    OWNER = "vendor", _("Owner vendor")
    ATTRIBUTES = "attributes", _("Attributes")
    RELATIONS = "relations", _("Relations")


class RelationCode(models.TextChoices):
    """The built-in relation types (seeded by the migration)."""

    RUNS_ON = "runs_on", _("runs on")
    DEPENDS_ON = "depends_on", _("depends on")
    CONNECTED_TO = "connected_to", _("connected to")
    PROVIDED_BY = "provided_by", _("provided by vendor")


# Readable names of the audit actions this app writes (oversight.audit.actions collects them); the status
# changes are named `configuration.configurationitem.<action>` by CI_MACHINE.
AUDIT_ACTIONS = {
    "configuration.configurationitem.created": _("Configuration item created"),
    "configuration.configurationitem.changed": _("Configuration item changed"),
    "configuration.configurationitem.commission": _("Configuration item put into use"),
    "configuration.configurationitem.start_maintenance": _("Configuration item under maintenance"),
    "configuration.configurationitem.fail": _("Configuration item reported as down"),
    "configuration.configurationitem.restore": _("Configuration item restored to use"),
    "configuration.configurationitem.retire": _("Configuration item retired"),
    "configuration.ciclass.created": _("Configuration item class created"),
    "configuration.ciclass.changed": _("Configuration item class changed"),
    "configuration.ciclass.seeded": _("Built-in configuration item classes added"),
    "configuration.ciattributedefinition.created": _("Configuration item attribute defined"),
    "configuration.ciattributedefinition.changed": _("Configuration item attribute changed"),
    "configuration.cirelation.created": _("Configuration item relation added"),
    "configuration.cirelation.deleted": _("Configuration item relation removed"),
    "configuration.workorderci.linked": _("Configuration item linked to a work order"),
    "configuration.workorderci.unlinked": _("Configuration item unlinked from a work order"),
    "configuration.redundancygroup.created": _("Redundancy group created"),
    "configuration.redundancygroup.changed": _("Redundancy group changed"),
    "configuration.ciimport.applied": _("Configuration items imported"),
    "configuration.spotcheck.created": _("CMDB spot check recorded"),
}
