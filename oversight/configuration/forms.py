"""Forms of the configuration pages: a CI with its class's typed attributes, a relation, a status change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.configuration.choices import AttributeType, CheckedField, CIStatus
from oversight.configuration.models import CIAttributeDefinition, CIClass, ConfigurationItem, RedundancyGroup
from oversight.contracts.models import Contract
from oversight.contracts.selectors import contract_list
from oversight.tenancy.models import Site, Vendor
from oversight.tenancy.selectors import vendor_list
from oversight.tenancy.visibility import restrict

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ATTRIBUTE_PREFIX = "attr_"


def _attribute_field(definition: CIAttributeDefinition) -> forms.Field:
    """A text-like field per attribute type; the values are checked by the one function in the service."""
    label = definition.localized_name
    if definition.type == AttributeType.BOOLEAN:
        return forms.TypedChoiceField(
            label=label,
            required=False,
            choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        )
    if definition.type == AttributeType.CHOICE:
        return forms.ChoiceField(
            label=label, required=False, choices=[("", "—"), *((c, c) for c in definition.choices or ())]
        )
    widget = DATE if definition.type == AttributeType.DATE else forms.TextInput
    if definition.type in (AttributeType.INTEGER, AttributeType.DECIMAL):
        widget = forms.TextInput(attrs={"inputmode": "decimal"})
    return forms.CharField(label=label, required=False, max_length=500, widget=widget)


class CIForm(forms.Form):
    """A CI's details plus one field per attribute of its class (the class is chosen before the form)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    vendor = forms.ModelChoiceField(label=_("Owner vendor"), queryset=Vendor.objects.none(), required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    host_name = forms.CharField(label=_("Host name"), max_length=200, required=False)
    serial = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    asset_tag = forms.CharField(label=_("Asset tag"), max_length=60, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(CIStatus.IN_USE, CIStatus.IN_USE.label), (CIStatus.PLANNED, CIStatus.PLANNED.label)],
    )
    warranty_ends_on = forms.DateField(label=_("Warranty ends on"), required=False, widget=DATE)
    support_contract = forms.ModelChoiceField(
        label=_("Support contract"), queryset=Contract.objects.none(), required=False
    )
    redundancy_group = forms.ModelChoiceField(
        label=_("Redundancy group"), queryset=RedundancyGroup.objects.none(), required=False
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, ci_class: CIClass, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.ci_class = ci_class
        self.fields["vendor"].queryset = vendor_list(user=user)
        self.fields["site"].queryset = restrict(Site.objects.all(), user)
        self.fields["support_contract"].queryset = contract_list(user=user)
        self.fields["redundancy_group"].queryset = restrict(RedundancyGroup.objects.all(), user)
        if editing:
            del self.fields["status"]
        self.definitions = list(CIAttributeDefinition.objects.filter(ci_class=ci_class))
        for definition in self.definitions:
            field = _attribute_field(definition)
            field.required = False
            if definition.required:
                field.label = f"{field.label} *"
            self.fields[ATTRIBUTE_PREFIX + definition.code] = field

    def attribute_fields(self):
        """The bound attribute fields, in the class's order."""
        return [self[ATTRIBUTE_PREFIX + d.code] for d in self.definitions]

    def main_fields(self):
        """The bound fields that are not attributes."""
        return [f for f in self.visible_fields() if not f.name.startswith(ATTRIBUTE_PREFIX)]

    def attributes(self) -> dict:
        """The typed attribute values as entered (checked and converted by the service)."""
        out = {}
        for definition in self.definitions:
            value = self.cleaned_data.get(ATTRIBUTE_PREFIX + definition.code)
            if value not in (None, ""):
                out[definition.code] = value
        return out

    @staticmethod
    def initial_for(ci: ConfigurationItem) -> dict:
        """The form's initial values for an existing CI."""
        initial = {
            name: getattr(ci, name)
            for name in ("name", "name_en", "host_name", "serial", "asset_tag", "warranty_ends_on", "description")
        }
        initial.update(
            vendor=ci.vendor_id,
            site=ci.site_id,
            support_contract=ci.support_contract_id,
            redundancy_group=ci.redundancy_group_id,
        )
        for code, value in (ci.attributes or {}).items():
            if isinstance(value, bool):
                value = "yes" if value else "no"
            initial[ATTRIBUTE_PREFIX + code] = value
        return initial


class ClassChoiceForm(forms.Form):
    """The first step of a new CI: its class."""

    ci_class = forms.ModelChoiceField(label=_("Class"), queryset=CIClass.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ci_class"].queryset = restrict(CIClass.objects.all(), user)


class RelationForm(forms.Form):
    """This CI —type→ another visible CI of the organisation."""

    relation_type = forms.ModelChoiceField(label=_("Relation"), queryset=None)
    target = forms.ModelChoiceField(label=_("Configuration item"), queryset=ConfigurationItem.objects.none())

    def __init__(self, *args, user, ci: ConfigurationItem, relation_types, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relation_type"].queryset = relation_types
        self.fields["target"].queryset = targets.exclude(pk=ci.pk)


class ImportForm(forms.Form):
    """The file of a CI import (its size and content are checked by `configuration.importing`)."""

    file = forms.FileField(
        label=_("File (CSV or XLSX)"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"})
    )


#: The fields a spot check page asks about for each sampled CI (the API accepts every `CheckedField`).
SPOT_CHECK_FIELDS = (
    CheckedField.NAME,
    CheckedField.SERIAL,
    CheckedField.HOST_NAME,
    CheckedField.SITE,
    CheckedField.STATUS,
)
RESULT_CHOICES = [("", "—"), ("ok", _("Correct")), ("wrong", _("Wrong"))]


class SpotCheckVendorForm(forms.Form):
    """The first step of a spot check: whose CIs are checked."""

    vendor = forms.ModelChoiceField(label=_("Owner vendor"), queryset=Vendor.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendor_list(user=user)


class SpotCheckForm(forms.Form):
    """The day and, per sampled CI, each field found correct, wrong or not checked (—)."""

    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cis, **kwargs):
        super().__init__(*args, **kwargs)
        self.cis = list(cis)
        for ci in self.cis:
            for field in SPOT_CHECK_FIELDS:
                self.fields[self.key(ci, field)] = forms.ChoiceField(
                    label=CheckedField(field).label, choices=RESULT_CHOICES, required=False
                )

    @staticmethod
    def key(ci, field) -> str:
        return f"r_{ci.pk}_{field}"

    def rows(self):
        """Per CI: the CI and its (bound field, recorded value) pairs, for the template."""
        recorded = {
            CheckedField.NAME: lambda ci: ci.localized_name,
            CheckedField.SERIAL: lambda ci: ci.serial,
            CheckedField.HOST_NAME: lambda ci: ci.host_name,
            CheckedField.SITE: lambda ci: ci.site.name if ci.site else "",
            CheckedField.STATUS: lambda ci: ci.get_status_display(),
        }
        return [
            (ci, [(self[self.key(ci, field)], recorded[field](ci) or "—") for field in SPOT_CHECK_FIELDS])
            for ci in self.cis
        ]

    def results(self) -> list[tuple]:
        """(CI, field, correct?) for every field given a result."""
        out = []
        for ci in self.cis:
            for field in SPOT_CHECK_FIELDS:
                value = self.cleaned_data.get(self.key(ci, field))
                if value:
                    out.append((ci, str(field), value == "ok"))
        return out


class CIClassForm(forms.Form):
    """A CI class of the administrator's organisation (its code is given once, when it is created)."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Letters, digits, hyphens and underscores; the import and the API name the class by it."),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    is_business_service = forms.BooleanField(
        label=_("Its configuration items are business services"),
        required=False,
        help_text=_("Impact is reported on the business services."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]

    @staticmethod
    def initial_for(ci_class: CIClass) -> dict:
        fields = ("name", "name_en", "is_business_service", "description")
        return {name: getattr(ci_class, name) for name in fields}


class AttributeDefinitionForm(forms.Form):
    """A typed attribute added to a class; a choice attribute lists its values, one per line."""

    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=AttributeType.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a choice attribute: the allowed values, one per line."),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class RedundancyGroupForm(forms.Form):
    """A redundancy group: its names, its rule (at least n members up, or p % of them) and its members."""

    RULE_COUNT, RULE_PERCENT = "count", "percent"

    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    rule = forms.ChoiceField(
        label=_("Rule"),
        choices=[(RULE_COUNT, _("At least this many members up")), (RULE_PERCENT, _("At least this percentage up"))],
    )
    value = forms.IntegerField(label=_("Number or percentage"), min_value=1, max_value=32767)
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=ConfigurationItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members

    @staticmethod
    def initial_for(group: RedundancyGroup) -> dict:
        by_count = group.min_up is not None
        return {
            "name": group.name,
            "name_en": group.name_en,
            "rule": RedundancyGroupForm.RULE_COUNT if by_count else RedundancyGroupForm.RULE_PERCENT,
            "value": group.min_up if by_count else group.min_up_percent,
            "members": list(group.members.values_list("pk", flat=True)),
        }

    def rule_values(self) -> dict:
        """`min_up` / `min_up_percent` for the services (exactly one of them set)."""
        value = self.cleaned_data["value"]
        if self.cleaned_data["rule"] == self.RULE_COUNT:
            return {"min_up": value, "min_up_percent": None}
        return {"min_up": None, "min_up_percent": value}
