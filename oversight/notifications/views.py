"""The user's own notifications: list and mark as read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.filters import parse_id
from oversight.core.views import HtmxTemplateMixin, paginate
from oversight.notifications.selectors import notification_list
from oversight.notifications.services import notification_mark_read


class NotificationListView(LoginRequiredMixin, HtmxTemplateMixin, TemplateView):
    """`/notifications/`: the signed-in user's notifications, newest first (unread only on request)."""

    template_name = "notifications/list.html"
    partial_template_name = "notifications/partials/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = notification_list(user=self.request.user)
        unread_only = self.request.GET.get("unread") == "1"
        if unread_only:
            qs = qs.filter(read_at__isnull=True)
        context.update(page=paginate(qs, self.request), unread_only=unread_only)
        return context


class NotificationMarkReadView(LoginRequiredMixin, View):
    """POST: mark one (``id``) or all of the user's own notifications as read."""

    def post(self, request):
        one = parse_id(request.POST.get("id"))
        ids = [one] if one else None
        notification_mark_read(user=request.user, notification_ids=ids)
        if request.htmx and ids:
            notification = notification_list(user=request.user).filter(pk=ids[0]).first()
            if notification is not None:
                return render(request, "notifications/partials/item.html", {"n": notification})
        if ids is None:
            messages.success(request, _("All notifications are marked as read."))
        return redirect("notifications:list")
