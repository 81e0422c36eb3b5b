"""Forms of the work-order pages. They only parse input; tickets.services decides and writes."""

from __future__ import annotations

import uuid
from collections import OrderedDict

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from oversight.catalog.choices import Level
from oversight.catalog.selectors import offering_list, service_list
from oversight.core.filters import parse_id
from oversight.core.phones import validate_phone
from oversight.core.uploads import ALLOWED_ATTACHMENT_TYPES, sniff_content_type
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import VENDOR_ROLES
from oversight.tenancy.selectors import assignable_agents, caller_find, site_list, team_list, user_list
from oversight.tickets.choices import Action
from oversight.tickets.selectors import work_order_list
from oversight.tickets.services import MAX_BULK

# Impact and urgency in the words a nurse or a clerk would use.
IMPACT_CHOICES = [
    (Level.LOW, _("Only me")),
    (Level.MEDIUM, _("Several people or my whole team")),
    (Level.HIGH, _("A whole department, or patient care is affected")),
]
URGENCY_CHOICES = [
    (Level.LOW, _("It can wait a few days")),
    (Level.MEDIUM, _("It should be fixed today")),
    (Level.HIGH, _("Work is blocked right now")),
]
MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets the user pick several files at once."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files; each is checked for size and real type (from its bytes) before anything is saved."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Attach at most %(n)d files.") % {"n": MAX_FILES})
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for upload in cleaned:
            check_upload(upload)
        return cleaned


def check_upload(upload) -> None:
    """The same size and content checks as tickets.services.attachment_create, run early to keep the form's input."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise forms.ValidationError(
            _("%(name)s is too large (limit %(mb)s MB).")
            % {"name": upload.name, "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise forms.ValidationError(_("%(name)s is empty.") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if sniff_content_type(head, upload.name or "") not in ALLOWED_ATTACHMENT_TYPES:
        raise forms.ValidationError(
            _("%(name)s: this type of file is not accepted (images, PDF, text, CSV, Office and ZIP files are).")
            % {"name": upload.name}
        )


def grouped_service_choices(services) -> list:
    """Services grouped by their category for a <select> with <optgroup>s, in the user's language."""
    groups: OrderedDict = OrderedDict()
    for service in services:
        groups.setdefault(service.category.localized_name, []).append((service.pk, service.localized_name))
    choices: list = [("", "---------")]
    for category, items in groups.items():
        choices.append((category, sorted(items, key=lambda item: item[1])))
    return choices


class PageFormMixin:
    """Several forms share the work-order page: each gets its own element ids (e.g. "attach-is_internal").

    Shared ids made a label of one form tick a box of another (an "internal" attachment uploaded as public).
    """

    id_prefix = "form"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class VersionedForm(PageFormMixin, forms.Form):
    """Carries the work-order version the page showed, so a stale page gets a conflict instead of an overwrite."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class WorkOrderCreateForm(forms.Form):
    """The portal's submit form (also pre-filled from a QR code)."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    requester = forms.CharField(
        label=_("On behalf of"),
        required=False,
        max_length=150,
        help_text=_("User name or e-mail of the caller; leave empty to submit for yourself."),
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"), required=False, max_length=40, validators=[validate_phone]
    )
    service = forms.ModelChoiceField(label=_("Service"), queryset=None)
    offering = forms.ModelChoiceField(
        label=_("What do you need?"), queryset=None, required=False, empty_label=_("(other / not sure)")
    )
    title = forms.CharField(
        label=_("Short summary"),
        max_length=200,
        required=False,
        help_text=_("If left empty, the first line of the description is used."),
    )
    description = forms.CharField(
        label=_("Describe the problem or request"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
    site = forms.ModelChoiceField(label=_("Location"), queryset=None, required=False)
    location_detail = forms.CharField(
        label=_("Room, bed or desk"), max_length=200, required=False, help_text=_("E.g. room 302, bed 12.")
    )
    asset_tag = forms.CharField(label=_("Asset tag"), max_length=100, required=False)
    impact = forms.TypedChoiceField(
        label=_("Who is affected?"), choices=IMPACT_CHOICES, coerce=int, initial=Level.LOW, widget=forms.RadioSelect
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent is it?"),
        choices=URGENCY_CHOICES,
        coerce=int,
        initial=Level.MEDIUM,
        widget=forms.RadioSelect,
    )
    attachments = MultipleFileField(
        label=_("Photos or files"), help_text=_("Images, PDF, text, CSV, Office or ZIP files.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        services = service_list(user=user).filter(is_active=True).order_by("category__code", "code")
        self.fields["service"].queryset = services
        self.fields["service"].choices = grouped_service_choices(services)
        offerings = offering_list(user=user).filter(is_active=True)
        service_id = self.data.get(self.add_prefix("service")) if self.is_bound else self.initial.get("service")
        service_id = getattr(service_id, "pk", service_id)
        self.fields["offering"].queryset = offerings
        service_id = parse_id(service_id)
        if service_id:
            self.fields["offering"].choices = [("", self.fields["offering"].empty_label)] + [
                (o.pk, o.localized_name) for o in offerings.filter(service_id=service_id).order_by("name")
            ]
        else:
            self.fields["offering"].choices = [("", self.fields["offering"].empty_label)]
        self.fields["site"].queryset = site_list(user=user).order_by("name")
        if user.role == Role.REQUESTER:
            del self.fields["requester"]
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = uuid.uuid4().hex

    def clean_requester(self):
        """Resolve the caller among the people the user may see."""
        value = (self.cleaned_data.get("requester") or "").strip()
        if not value:
            return None
        match = caller_find(user=self.user, identifier=value)
        if match is None:
            raise forms.ValidationError(_("No person with this user name or e-mail."))
        return match

    def clean(self):
        cleaned = super().clean()
        service, offering = cleaned.get("service"), cleaned.get("offering")
        if service and offering and offering.service_id != service.pk:
            self.add_error("offering", _("This choice does not belong to the selected service."))
        if not (cleaned.get("title") or "").strip():
            description = (cleaned.get("description") or "").strip()
            first_line = description.splitlines()[0].strip() if description else ""
            fallback = offering.localized_name if offering else (service.localized_name if service else "")
            cleaned["title"] = (first_line or fallback)[:120]
        return cleaned


class ActionForm(VersionedForm):
    """A transition button, with the note or resolution some transitions need."""

    id_prefix = "action"

    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    resolution = forms.CharField(
        label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


# Which transitions ask for text, and which of the two fields.
ACTIONS_WITH_RESOLUTION = frozenset({Action.RESOLVE})
ACTIONS_NEEDING_REASON = frozenset({Action.REOPEN, Action.CANCEL})
ACTIONS_WITH_NOTE = frozenset({Action.PAUSE_REQUESTER, Action.PAUSE_THIRD_PARTY, Action.RESUME, Action.DISPATCH})
# The one big button on a phone, in order of preference.
PRIMARY_ACTIONS = (Action.ACCEPT, Action.ARRIVE, Action.RESOLVE, Action.CONFIRM)


class AssignForm(VersionedForm):
    """Dispatch or hand over to an agent and/or a team of the work order's own vendor."""

    id_prefix = "assign"

    assignee = forms.ModelChoiceField(label=_("Agent"), queryset=None, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, user, work_order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_agents(vendor=work_order.vendor)
        self.fields["team"].queryset = team_list(user=user).filter(vendor_id=work_order.vendor_id)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("assignee") and not cleaned.get("team"):
            raise forms.ValidationError(_("Choose an agent or a team."))
        return cleaned


class TransferForm(VersionedForm):
    """Move the work order to another service, and so possibly to another vendor (client side only)."""

    id_prefix = "transfer"

    service = forms.ModelChoiceField(label=_("New service"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, work_order, **kwargs):
        super().__init__(*args, **kwargs)
        services = service_list(user=user).filter(is_active=True).exclude(pk=work_order.service_id)
        services = services.order_by("category__code", "code")
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda s: f"{s.localized_name} — {s.vendor}"


class PriorityForm(VersionedForm):
    """Change impact and urgency; the priority follows the organisation's matrix."""

    id_prefix = "priority"

    impact = forms.TypedChoiceField(label=_("Impact"), choices=Level.choices, coerce=int)
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Level.choices, coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class DetailsForm(VersionedForm):
    """The descriptive fields anyone handling the work order may correct."""

    id_prefix = "edit"

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    site = forms.ModelChoiceField(label=_("Location"), queryset=None, required=False)
    location_detail = forms.CharField(label=_("Room, bed or desk"), max_length=200, required=False)
    asset_tag = forms.CharField(label=_("Asset tag"), max_length=100, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=40, required=False, validators=[validate_phone]
    )

    EDITABLE = ("title", "description", "site", "location_detail", "asset_tag", "contact_phone")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = site_list(user=user).order_by("name")

    def changes(self) -> dict:
        """The cleaned values of the editable fields, for tickets.services.work_order_update_details."""
        return {name: self.cleaned_data[name] for name in self.EDITABLE}


class CommentForm(PageFormMixin, forms.Form):
    """A public comment, or an internal note that requesters never see."""

    id_prefix = "comment"

    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    is_internal = forms.BooleanField(label=_("Internal (staff only)"), required=False)

    def __init__(self, *args, may_internal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_internal:
            del self.fields["is_internal"]


class AttachmentForm(PageFormMixin, forms.Form):
    """Upload one or more files to a work order."""

    id_prefix = "attach"

    files = MultipleFileField(label=_("Files"), required=True)
    is_internal = forms.BooleanField(label=_("Internal (staff only)"), required=False)

    def __init__(self, *args, may_internal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_internal:
            del self.fields["is_internal"]


class WorkOrderIdsField(forms.Field):
    """The ticked work orders of a list: their ids (at most MAX_BULK; anything that is not an id is dropped)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        ids = []
        for item in value or []:
            try:
                number = int(item)
            except (TypeError, ValueError):
                continue
            if 0 < number < 2**63 and number not in ids:
                ids.append(number)
        return ids

    def validate(self, value):
        if not value:
            raise forms.ValidationError(_("Tick at least one work order."))
        if len(value) > MAX_BULK:
            raise forms.ValidationError(_("Choose at most %(n)d work orders at a time.") % {"n": MAX_BULK})


#: How many work-order numbers one "link incidents" box reads at the most (the rest is ignored).
MAX_LINKED_NUMBERS = 50


class WorkOrderNumbersForm(forms.Form):
    """Work orders typed by number (several separated by spaces or commas, Chinese commas too), each one the user
    may see: the box of the pages that link incidents to a problem or to the change that caused them."""

    numbers = forms.CharField(
        label=_("Work order numbers"),
        max_length=2000,
        help_text=_("One or more incident numbers, separated by spaces or commas."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_numbers(self):
        raw = self.cleaned_data["numbers"].replace(",", " ").replace("，", " ").split()
        wanted = list(dict.fromkeys(number[:40] for number in raw[:MAX_LINKED_NUMBERS]))
        found = {wo.number: wo for wo in work_order_list(user=self.user).filter(number__in=wanted)}
        for number in wanted:
            if number not in found:
                raise forms.ValidationError(_("No work order %(number)s.") % {"number": number})
        if not wanted:
            raise forms.ValidationError(_("Choose at least one work order."))
        return [found[number] for number in wanted]


class BulkForm(forms.Form):
    """One change for the ticked work orders of the board or a queue; each is then done by its single service."""

    ACTIONS = (
        ("assign", _("Assign")),
        ("transfer", _("Transfer")),
        ("priority", _("Change priority")),
        ("export_csv", _("Export CSV")),
        ("export_xlsx", _("Export XLSX")),
    )

    ids = WorkOrderIdsField()
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    assignee = forms.ModelChoiceField(label=_("Agent"), queryset=None, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)
    service = forms.ModelChoiceField(label=_("New service"), queryset=None, required=False)
    impact = forms.TypedChoiceField(
        label=_("Impact"), choices=[("", _("Choose…")), *Level.choices], coerce=int, required=False, empty_value=None
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=[("", _("Choose…")), *Level.choices], coerce=int, required=False, empty_value=None
    )
    reason = forms.CharField(label=_("Reason or note"), max_length=1000, required=False)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            user_list(user=user).filter(role__in=VENDOR_ROLES, is_active=True).select_related("vendor")
        )
        self.fields["assignee"].label_from_instance = lambda u: f"{u} — {u.vendor}"
        self.fields["team"].queryset = team_list(user=user).select_related("vendor")
        self.fields["team"].label_from_instance = lambda t: f"{t.name} — {t.vendor}"
        services = service_list(user=user).filter(is_active=True).select_related("vendor")
        self.fields["service"].queryset = services.order_by("category__code", "code")
        self.fields["service"].label_from_instance = lambda s: f"{s.localized_name} — {s.vendor}"

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "assign" and not cleaned.get("assignee") and not cleaned.get("team"):
            self.add_error("assignee", _("Choose an agent or a team."))
        if action == "transfer" and not cleaned.get("service"):
            self.add_error("service", _("Choose a service."))
        if action == "priority" and (cleaned.get("impact") is None or cleaned.get("urgency") is None):
            self.add_error("impact", _("Choose the impact and the urgency."))
        if action in ("transfer", "priority") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason."))
        return cleaned
