"""The user's own notifications: grouped list, mark read (one, a group, all), and the e-mail settings."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.errors import ApplicationError
from oversight.core.filters import parse_id
from oversight.core.listing import sort_list
from oversight.core.views import HtmxTemplateMixin, paginate
from oversight.notifications.choices import Topic
from oversight.notifications.grouping import group_notifications
from oversight.notifications.selectors import email_preferences, notification_list
from oversight.notifications.services import email_preferences_set, notification_mark_read

MAX_IDS = 1000
# The orders the list offers (`?sort=key` or `?sort=-key`); by time the list is grouped by day and work order,
# by any other key it is one flat list in that order.
SORT_KEYS = {"time": ("created_at",), "subject": ("subject",), "work_order": ("work_order__number",)}


def _list_context(request) -> dict:
    qs = notification_list(user=request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    qs, sorting = sort_list(qs, request, keys=SORT_KEYS, default=("-created_at", "-id"))
    page = paginate(qs, request)
    grouped = sorting.key in (None, "time")
    today = timezone.localdate()
    return {
        "page": page,
        "sorting": sorting,
        "days": group_notifications(page.items) if grouped else [],
        "flat": None if grouped else page.items,
        "unread_only": unread_only,
        "today": today,
        "yesterday": today - dt.timedelta(days=1),
    }


class NotificationListView(LoginRequiredMixin, HtmxTemplateMixin, TemplateView):
    """`/notifications/`: the signed-in user's notifications by day and work order, newest first."""

    template_name = "notifications/list.html"
    partial_template_name = "notifications/partials/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_list_context(self.request))
        return context


class NotificationMarkReadView(LoginRequiredMixin, View):
    """POST: mark one or some (``id``, repeated) or all of the user's own notifications as read."""

    def post(self, request):
        parsed = (parse_id(value) for value in request.POST.getlist("id")[:MAX_IDS])
        ids = [number for number in parsed if number] or None
        notification_mark_read(user=request.user, notification_ids=ids)
        if request.htmx and ids and len(ids) == 1:
            notification = notification_list(user=request.user).filter(pk=ids[0]).first()
            if notification is not None:
                return render(request, "notifications/partials/item.html", {"n": notification})
        if request.htmx:
            # The list again (now read) and the bell's count, out of band.
            return render(request, "notifications/partials/results.html", {**_list_context(request), "oob_bell": True})
        if ids is None:
            messages.success(request, _("All notifications are marked as read."))
        return redirect("notifications:list")


class EmailPreferencesForm(forms.Form):
    """Which topics the person receives by e-mail (every notification stays in the app)."""

    email = forms.MultipleChoiceField(
        label=_("Send me an e-mail for"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class EmailPreferencesView(LoginRequiredMixin, View):
    """`/preferences/notifications/`: choose which notifications are also sent by e-mail."""

    template_name = "notifications/preferences.html"

    def get(self, request):
        current = email_preferences(user=request.user)
        form = EmailPreferencesForm(initial={"email": [topic for topic, on in current.items() if on]})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = EmailPreferencesForm(request.POST)
        if form.is_valid():
            try:
                email_preferences_set(actor=request.user, user=request.user, emailed=form.cleaned_data["email"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your notification settings were saved."))
                return redirect("notification_settings")
        return render(request, self.template_name, {"form": form}, status=400)
