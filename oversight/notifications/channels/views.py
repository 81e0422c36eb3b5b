"""Pages of the notification channels (client administrators manage; supervisors read): channels with their
subscriptions and a "send test" button, the delivery log with filters, the dead letters with "retry"."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate, save_form, show_error
from oversight.notifications.channels import selectors, services
from oversight.notifications.channels.choices import DeliveryStatus
from oversight.notifications.channels.forms import ChannelForm, DeliveryFilterForm, SubscriptionForm
from oversight.notifications.channels.sending import delivery_retry
from oversight.tenancy.roles import ADMINISTRATORS, CLIENT_OPERATORS


class ReaderMixin(RoleRequiredMixin):
    """Client administrators and supervisors open the channel pages; everyone else gets 403."""

    allowed_roles = CLIENT_OPERATORS


class ManagerMixin(RoleRequiredMixin):
    """Only client administrators change channels."""

    allowed_roles = ADMINISTRATORS


def may_manage(user) -> bool:
    return user.is_superuser or user.role in ADMINISTRATORS


class ChannelListView(ReaderMixin, View):
    """`/notifications/channels/`: the organisation's channels."""

    def get(self, request):
        channels = selectors.channel_list(user=request.user)
        return render(
            request,
            "notifications/channels/list.html",
            {"channels": channels, "may_manage": may_manage(request.user)},
        )


class ChannelCreateView(ManagerMixin, View):
    """`/notifications/channels/new/`: add a robot or webhook."""

    template_name = "notifications/channels/form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ChannelForm(user=request.user)})

    def post(self, request):
        form = ChannelForm(request.POST, user=request.user)

        def save(data):
            return services.channel_create(
                actor=request.user,
                organisation=request.user.organisation,
                url=data["url"],
                secret=data["secret"],
                **form.settings(),
            )

        return save_form(
            request, form, save, message=_("The channel was saved."), template_name=self.template_name, context={}
        )


class ChannelDetailView(ReaderMixin, View):
    """`/notifications/channels/<pk>/`: settings, subscriptions, recent deliveries; "send test"."""

    def get(self, request, pk):
        channel = get_object_or_404(selectors.channel_list(user=request.user), pk=pk)
        return channel_page(request, channel)


def channel_page(request, channel, *, subscription_form=None, test=None, status=200):
    manage = may_manage(request.user)
    context = {
        "channel": channel,
        "subscriptions": selectors.subscription_list(user=request.user, channel=channel),
        "deliveries": selectors.delivery_list(user=request.user).filter(channel=channel)[:10],
        "may_manage": manage,
        "subscription_form": subscription_form or (SubscriptionForm(user=request.user) if manage else None),
        "test": test,
    }
    return render(request, "notifications/channels/detail.html", context, status=status)


class ChannelEditView(ManagerMixin, View):
    """`/notifications/channels/<pk>/edit/`: change settings; replace the address or secret (never shown)."""

    template_name = "notifications/channels/form.html"

    def get_channel(self, pk):
        return get_object_or_404(selectors.channel_list(user=self.request.user), pk=pk)

    def get(self, request, pk):
        channel = self.get_channel(pk)
        initial = {key: getattr(channel, key) for key in services.CONFIG_FIELDS}
        form = ChannelForm(user=request.user, channel=channel, initial=initial)
        return render(request, self.template_name, {"form": form, "channel": channel})

    def post(self, request, pk):
        channel = self.get_channel(pk)
        form = ChannelForm(request.POST, user=request.user, channel=channel)

        def save(data):
            return services.channel_update(
                actor=request.user,
                channel=channel,
                url=data["url"],
                secret=data["secret"],
                clear_secret=data.get("clear_secret", False),
                **form.settings(),
            )

        return save_form(
            request,
            form,
            save,
            message=_("The channel was saved."),
            template_name=self.template_name,
            context={"channel": channel},
        )


class ChannelTestView(ManagerMixin, View):
    """POST `/notifications/channels/<pk>/test/`: send a test message now and show the answer."""

    def post(self, request, pk):
        channel = get_object_or_404(selectors.channel_list(user=request.user), pk=pk)
        try:
            delivery = services.channel_test_send(actor=request.user, channel=channel)
        except ApplicationError as exc:
            show_error(request, exc)
            return redirect(channel)
        return channel_page(request, channel, test=delivery)


class SubscriptionsView(ManagerMixin, View):
    """POST `/notifications/channels/<pk>/subscriptions/`: add one, or remove one (``remove=<id>``)."""

    def post(self, request, pk):
        channel = get_object_or_404(selectors.channel_list(user=request.user), pk=pk)
        remove = request.POST.get("remove", "")
        if remove:
            subscription = get_object_or_404(
                selectors.subscription_list(user=request.user, channel=channel), pk=remove if remove.isdigit() else 0
            )
            services.subscription_delete(actor=request.user, subscription=subscription)
            messages.success(request, _("The subscription was removed."))
            return redirect(channel)
        form = SubscriptionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.subscription_create(actor=request.user, channel=channel, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The subscription was added."))
                return redirect(channel)
        return channel_page(request, channel, subscription_form=form, status=400)


class DeliveryListView(ReaderMixin, View):
    """`/notifications/deliveries/`: the delivery log, filtered by channel, status and title; the dead letters
    are its "Given up" tab."""

    def get(self, request):
        channels = selectors.channel_list(user=request.user)
        form = DeliveryFilterForm(request.GET or None, channels=channels)
        rows = selectors.delivery_list(user=request.user)
        if form.is_bound and form.is_valid():
            if form.cleaned_data["channel"]:
                rows = rows.filter(channel=form.cleaned_data["channel"])
            if form.cleaned_data["status"]:
                rows = rows.filter(status=form.cleaned_data["status"])
            if form.cleaned_data["q"]:
                rows = rows.filter(title__icontains=form.cleaned_data["q"])
        status = 400 if form.is_bound and not form.is_valid() else 200
        context = {
            "form": form,
            "page": paginate(rows, request),
            "dead": request.GET.get("status") == DeliveryStatus.DEAD,
            "may_manage": may_manage(request.user),
        }
        return render(request, "notifications/channels/deliveries.html", context, status=status)


class DeliveryDetailView(ReaderMixin, View):
    """`/notifications/deliveries/<pk>/`: what was sent and what the far end answered."""

    def get(self, request, pk):
        delivery = get_object_or_404(selectors.delivery_list(user=request.user), pk=pk)
        context = {"delivery": delivery, "may_manage": may_manage(request.user), "merged": delivery.merged.all()[:50]}
        return render(request, "notifications/channels/delivery.html", context)


class DeliveryRetryView(ManagerMixin, View):
    """POST `/notifications/deliveries/<pk>/retry/`: queue a dead letter again."""

    def post(self, request, pk):
        delivery = get_object_or_404(selectors.delivery_list(user=request.user), pk=pk)
        try:
            delivery_retry(actor=request.user, delivery=delivery)
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("The message is queued again."))
        return redirect(delivery)
