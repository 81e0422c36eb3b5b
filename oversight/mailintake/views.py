"""Web pages of e-mail intake: the log of inbound mails with its filters, one mail (headers, reason, its work order,
process again or discard), and the mailboxes (list, create, edit, test the connection).

Views only parse input and call mailintake.services; what anyone may see comes from mailintake.selectors (the
client's administrators and supervisors; others get 403 from the role check, an invisible object 404)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.mailintake import selectors, services
from oversight.mailintake.choices import HEADER_LABELS, InboundStatus
from oversight.mailintake.forms import LogFilterForm, MailboxForm
from oversight.mailintake.models import Mailbox
from oversight.tenancy.roles import ADMINISTRATORS, CLIENT_OPERATORS


class MailLogView(RoleRequiredMixin, View):
    """`/mail/`: every mail read from the organisation's mailboxes, newest first, with filters."""

    allowed_roles = CLIENT_OPERATORS

    def get(self, request):
        user = request.user
        mailboxes = selectors.mailbox_list(user=user)
        form = LogFilterForm(request.GET or None, mailboxes=mailboxes)
        filters: dict = {}
        status = 200
        if form.is_bound:
            if form.is_valid():
                data = form.cleaned_data
                filters = {
                    "status": data["status"],
                    "mailbox_id": data["mailbox"].pk if data["mailbox"] else None,
                    "day_from": data["day_from"],
                    "day_to": data["day_to"],
                }
            else:
                status = 400
        page = paginate(selectors.mail_list(user=user, **filters), request)
        context = {
            "form": form,
            "page": page,
            "mailboxes": mailboxes,
            "may_manage": services.may_manage_mailboxes(user, user.organisation_id),
        }
        return render(request, "mailintake/log.html", context, status=status)


def mail_page(request, mail, *, status: int = 200):
    """Render one mail: who sent it, its headers, what became of it and why, and what may still be done."""
    headers = [(HEADER_LABELS.get(name, name), value) for name, value in mail.headers if name != "Message-ID"]
    context = {
        "mail": mail,
        "headers": [(HEADER_LABELS["Message-ID"], mail.message_id), *headers],
        "quarantined": mail.status == InboundStatus.QUARANTINED,
        "may_handle": services.may_handle_quarantine(request.user, mail),
    }
    return render(request, "mailintake/mail_detail.html", context, status=status)


class MailDetailView(RoleRequiredMixin, View):
    """`/mail/<pk>/`: one visible mail (404 otherwise)."""

    allowed_roles = CLIENT_OPERATORS

    def get(self, request, pk):
        return mail_page(request, selectors.mail_get(user=request.user, pk=pk))


class MailActionView(RoleRequiredMixin, View):
    """POST: process a quarantined mail again, or discard it."""

    allowed_roles = CLIENT_OPERATORS
    action = ""

    def post(self, request, pk):
        mail = selectors.mail_get(user=request.user, pk=pk)
        try:
            if self.action == "reprocess":
                mail = services.inbound_reprocess(mail=mail, actor=request.user)
                if mail.status == InboundStatus.QUARANTINED:
                    messages.warning(request, _("The mail is still quarantined: %(reason)s") % {
                        "reason": mail.get_reason_display()
                    })  # fmt: skip
                else:
                    messages.success(request, _("The mail was processed again."))
            else:
                services.inbound_discard(mail=mail, actor=request.user)
                messages.success(request, _("The mail was discarded."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return mail_page(request, selectors.mail_get(user=request.user, pk=pk), status=exc.status_code)
        return redirect("mailintake:mail_detail", pk=mail.pk)


class MailboxListView(RoleRequiredMixin, View):
    """`/mail/mailboxes/`: the organisation's mailboxes, with when each was last read and its last error."""

    allowed_roles = ADMINISTRATORS

    def get(self, request):
        return render(request, "mailintake/mailbox_list.html", {"mailboxes": selectors.mailbox_list(user=request.user)})


def mailbox_form_page(request, form, mailbox=None, *, status: int = 200):
    """Render the form of a new or existing mailbox."""
    return render(request, "mailintake/mailbox_form.html", {"form": form, "mailbox": mailbox}, status=status)


class MailboxCreateView(RoleRequiredMixin, View):
    """`/mail/mailboxes/new/`: add a mailbox (client administrators)."""

    allowed_roles = ADMINISTRATORS

    def get(self, request):
        return mailbox_form_page(request, MailboxForm(user=request.user))

    def post(self, request):
        form = MailboxForm(request.POST, user=request.user, instance=Mailbox(organisation=request.user.organisation))
        if not form.is_valid():
            return mailbox_form_page(request, form, status=400)
        try:
            mailbox = services.mailbox_save(mailbox=form.instance, fields=None, actor=request.user)
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field") if exc.extra.get("field") in form.fields else None, exc.message)
            return mailbox_form_page(request, form, status=exc.status_code)
        messages.success(request, _("The mailbox was added."))
        return redirect("mailintake:mailbox_edit", pk=mailbox.pk)


class MailboxEditView(RoleRequiredMixin, View):
    """`/mail/mailboxes/<pk>/`: change a mailbox."""

    allowed_roles = ADMINISTRATORS

    def get(self, request, pk):
        mailbox = selectors.mailbox_get(user=request.user, pk=pk)
        return mailbox_form_page(request, MailboxForm(user=request.user, instance=mailbox), mailbox)

    def post(self, request, pk):
        mailbox = selectors.mailbox_get(user=request.user, pk=pk)
        form = MailboxForm(request.POST, user=request.user, instance=mailbox)
        if not form.is_valid():
            return mailbox_form_page(request, form, mailbox, status=400)
        try:
            services.mailbox_save(mailbox=form.instance, fields=list(form.changed_data), actor=request.user)
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field") if exc.extra.get("field") in form.fields else None, exc.message)
            return mailbox_form_page(request, form, mailbox, status=exc.status_code)
        messages.success(request, _("The mailbox was saved."))
        return redirect("mailintake:mailbox_edit", pk=mailbox.pk)


class MailboxTestView(RoleRequiredMixin, View):
    """POST `/mail/mailboxes/<pk>/test/`: open the mailbox and say what was found, or why it failed."""

    allowed_roles = ADMINISTRATORS

    def post(self, request, pk):
        mailbox = selectors.mailbox_get(user=request.user, pk=pk)
        try:
            messages.success(request, services.mailbox_test_connection(mailbox=mailbox, actor=request.user))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            form = MailboxForm(user=request.user, instance=mailbox)
            return mailbox_form_page(request, form, mailbox, status=exc.status_code)
        return redirect("mailintake:mailbox_edit", pk=mailbox.pk)
