"""Web pages of the contact-centre app: the queues, one queue with its recent days and contract terms, and the
supervision dashboard (per vendor, side by side when the client uses several). Views only parse input and call
selectors (what anyone may see) and services; requesters have no page here."""

from __future__ import annotations

import datetime as dt

from django.views.generic import TemplateView

from oversight.contactcentre import permissions, selectors
from oversight.contactcentre.dashboard import dashboard_scope, vendor_rows
from oversight.contactcentre.presentation import day_row
from oversight.contactcentre.terms import term_for, terms_for_days
from oversight.core.views import RoleRequiredMixin
from oversight.core.zones import local_today
from oversight.tenancy.roles import STAFF_ROLES

#: Days shown on a queue's page.
QUEUE_DAYS = 14


class QueueListView(RoleRequiredMixin, TemplateView):
    """`/contact-centre/queues/`: the queues the reader may see, with their vendor, channel and contract."""

    allowed_roles = STAFF_ROLES
    template_name = "contactcentre/queue_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["queues"] = list(selectors.queue_list(user=self.request.user))
        context["may_keep"] = permissions.may_keep_queues(self.request.user)
        return context


class QueueDetailView(RoleRequiredMixin, TemplateView):
    """`/contact-centre/queues/<pk>/`: a queue, the term in force today, its last days and the contract's terms."""

    allowed_roles = STAFF_ROLES
    template_name = "contactcentre/queue_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        queue = selectors.queue_get(user=user, pk=kwargs["pk"])
        today = local_today(queue.organisation)
        first = today - dt.timedelta(days=QUEUE_DAYS - 1)
        totals = selectors.daily_totals(user=user, queues=[queue], first=first, last=today, owner=queue.organisation)
        days = totals.get(queue.pk, [])
        terms = terms_for_days(queue, [d.day for d in days])
        context.update(
            {
                "queue": queue,
                "today": today,
                "first": first,
                "term": term_for(queue, today),
                "days": [day_row(d.day, d.values, terms[d.day]) for d in reversed(days)],
                "terms": list(selectors.terms_of_queue(user=user, queue=queue)),
            }
        )
        return context


class DashboardView(RoleRequiredMixin, TemplateView):
    """`/contact-centre/`: the supervision dashboard of the reader's organisation (one vendor or all of them)."""

    allowed_roles = STAFF_ROLES
    template_name = "contactcentre/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = dashboard_scope(user=self.request.user, params=self.request.GET)
        context.update({"scope": scope, "vendor_rows": vendor_rows(user=self.request.user, scope=scope)})
        return context
